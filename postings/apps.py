from django.apps import AppConfig


class PostingsConfig(AppConfig):
    name = "postings"
    verbose_name = "Postings and organizations"

    def ready(self) -> None:
        # Register the tasks in every process (web too, not only the worker): invitations
        # are queued by the task's name (services.SEND_INVITATION_TASK), without an import.
        # Imported in ready(): the tasks need the models, which load after apps.py.
        # The profile's majors and minors come from this list (accounts is a layer below).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from microintern.accounts import fields_of_study
        from postings import choices, tasks  # noqa: F401
        from postings.models import FieldOfStudy, Organization, Posting

        fields_of_study.register(lambda: [field.name for field in choices.fields_of_study()])
        # The cached choices, search counts and cards (postings.choices) forget what changed:
        # a card shows its posting, its organization and the names of its fields of study.
        for signal in (post_save, post_delete):
            signal.connect(choices.forget_fields_of_study, sender=FieldOfStudy, dispatch_uid=signal)
            for sender in (Posting, Organization, FieldOfStudy):
                signal.connect(
                    choices.forget_list, sender=sender, dispatch_uid=f"list-{sender}-{signal}"
                )
        m2m_changed.connect(
            choices.forget_list, sender=Posting.fields_of_study.through, dispatch_uid="list-fields"
        )
