from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Applications"

    def ready(self) -> None:
        from microintern.notifications import kinds

        # Told to the employer when a student withdraws from the site. Registered here rather
        # than in notifications/kinds.py to keep the merge small (as the offers app does).
        kinds.register(
            kinds.Kind("application_withdrawn", "An applicant withdrew", audience="employer")
        )
