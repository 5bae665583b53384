from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The roof: pages and jobs that read across the apps (home and its attention list, the
    funnel, sign-up, key-date announcements, the demo). Nothing below imports it."""

    name = "microintern.portal"
    label = "portal"
    verbose_name = "Reports"
