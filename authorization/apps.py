from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _grant_iso_advisors(sender: AppConfig, **kwargs: object) -> None:
    # The accounts app syncs the staff groups after its own migrations, which on a fresh
    # database run before this app's permissions exist; sync again once they do, so that
    # ISO advisors can use the admin right after the first `migrate`.
    # Imported when the signal fires: apps.py loads before the models it needs are ready.
    from microintern.accounts.groups import ensure_staff_groups

    ensure_staff_groups()


class AuthorizationConfig(AppConfig):
    name = "authorization"
    verbose_name = "Authorization"

    def ready(self) -> None:
        post_migrate.connect(
            _grant_iso_advisors, sender=self, dispatch_uid="authorization-grant-iso-advisors"
        )
