from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from microintern.accounts.models import User
from microintern.notifications import services
from microintern.notifications.forms import PreferencesForm
from microintern.notifications.models import Notification, NotificationPreference
from microintern.notifications.unsubscribe import BadUnsubscribeLink, read_unsubscribe_link


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(Notification.objects.for_user(request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    target = notification.url
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    if request.POST.get("open") and target:
        # Stored URLs are absolute (for email); open the same page on this host.
        return redirect(urlsplit(target).path or "notifications:inbox")
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = NotificationPreference.objects.filter(user=request.user).first()
    off = set(current.email_off) if current else set()
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "GET":
        form = PreferencesForm(
            user=request.user,
            initial={
                "email_on": [k for k, _ in form.fields["email_on"].choices if k not in off],
                "daily_digest": bool(current and current.daily_digest),
            },
        )
    elif form.is_valid():
        services.preferences_update(
            user=request.user,
            email_off=form.email_off(),
            daily_digest=form.cleaned_data["daily_digest"],
        )
        messages.success(request, "Your notification preferences are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# RFC 8058: the mail provider POSTs from its own servers, with neither the user's cookie nor a
# CSRF token; the signed link is the proof, and all it can do is turn one kind of email off
# for the one user it names. Exempt here only, and POST only changes anything.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """A GET (the footer link, or a link scanner) asks; a POST (the button, or the mail
    client's one-click) turns the kind off. No sign-in: the link names the user."""
    try:
        link = read_unsubscribe_link(token)
    except BadUnsubscribeLink as exc:
        return render(request, "notifications/unsubscribe.html", {"error": str(exc)}, status=400)
    except User.DoesNotExist:
        return render(
            request,
            "notifications/unsubscribe.html",
            {"error": "The account this link was sent to no longer exists."},
            status=404,
        )
    done = request.method == "POST"
    if done:
        services.preferences_unsubscribe(user=link.user, kind=link.kind.key)
    preference = NotificationPreference.objects.filter(user=link.user).first()
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "kind": link.kind,
            "done": done,
            "already_off": bool(preference and link.kind.key in preference.email_off),
        },
    )
