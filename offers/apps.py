from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "offers"
    verbose_name = "Offers"

    def ready(self) -> None:
        # The calendar and authorization live below offers and cannot call up: offers listens
        # for holiday changes (to keep every pending offer's promised window) and for a
        # student's immigration profile (to open the checklist of an accepted offer).
        # Imported in ready(): the services need the models, which load after apps.py.
        from authorization import profile_changes
        from microintern.cycles import calendar_changes
        from offers.services.authorization import offers_open_cases_for_profile
        from offers.services.calendar import offers_keep_promised_windows

        calendar_changes.register(offers_keep_promised_windows)
        profile_changes.register(offers_open_cases_for_profile)
