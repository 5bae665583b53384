from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_groups(sender: AppConfig, **kwargs: object) -> None:
    # Imported when the signal fires: apps.py loads before the models it needs are ready.
    from microintern.accounts.groups import ensure_staff_groups

    ensure_staff_groups()


class AccountsConfig(AppConfig):
    name = "microintern.accounts"
    label = "accounts"
    verbose_name = "Users and profiles"  # allauth's app is "Accounts" (email addresses)

    def ready(self) -> None:
        # Setup, not workflow: keep the staff groups' permissions in step with the models.
        post_migrate.connect(_sync_groups, sender=self, dispatch_uid="accounts-sync-groups")
