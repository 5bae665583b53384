from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "offers"
    verbose_name = "Offers"

    def ready(self) -> None:
        # The calendar lives below offers and cannot call up: offers listens for holiday
        # changes to keep every pending offer's promised window (calendar_changes.py).
        # Imported in ready(): the services need the models, which load after apps.py.
        from microintern.cycles import calendar_changes
        from offers.services.calendar import offers_keep_promised_windows

        calendar_changes.register(offers_keep_promised_windows)
