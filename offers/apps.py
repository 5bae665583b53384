from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "offers"
    verbose_name = "Offers"

    def ready(self) -> None:
        from microintern.notifications import kinds

        # Told to the employer when a student's acceptance elsewhere withdraws an application.
        # Registered here rather than in notifications/kinds.py to keep the merge small.
        kinds.register(
            kinds.Kind(
                "application_withdrawn_after_acceptance",
                "An applicant accepted another offer",
                audience="employer",
            )
        )
