from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The roof: pages and jobs that read across the apps (home and its attention list, the
    funnel, sign-up, key-date announcements, the demo). Nothing below imports it."""

    name = "microintern.portal"
    label = "portal"
    verbose_name = "Reports"

    def ready(self) -> None:
        # Imported in ready(): the models load after apps.py. The cached charts forget a
        # cycle that changed.
        from django.db.models.signals import post_delete, post_save

        from microintern.cycles.models import RecruitingCycle
        from microintern.portal import charts

        for signal in (post_save, post_delete):
            signal.connect(charts.forget_cycle_charts, sender=RecruitingCycle, dispatch_uid=signal)
