from django.apps import AppConfig


class AdvisingConfig(AppConfig):
    name = "microintern.advising"
    label = "advising"
    verbose_name = "Advising appointments"
