from django.http import HttpRequest

from microintern.notifications.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    # Lazy: the count query runs only when a template shows it.
    return {"unread_notifications": lambda: Notification.objects.for_user(user).unread().count()}
