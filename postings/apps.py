from django.apps import AppConfig


class PostingsConfig(AppConfig):
    name = "postings"
    verbose_name = "Postings and organizations"

    def ready(self) -> None:
        # Register the tasks in every process (web too, not only the worker): invitations
        # are queued by the task's name (services.SEND_INVITATION_TASK), without an import.
        # Imported in ready(): the tasks need the models, which load after apps.py.
        from postings import tasks  # noqa: F401
