from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "microintern.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Register the delivery task in every process (web too, not only the worker): the
        # outbox queues it by name (services.DELIVER_TASK), without importing tasks.py.
        # Imported in ready(): the tasks need the models, which load after apps.py.
        from microintern.notifications import tasks  # noqa: F401
