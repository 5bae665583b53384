from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "microintern.notifications"
    label = "notifications"
    verbose_name = "Notifications"
