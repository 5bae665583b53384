from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "microintern.cycles"
    label = "cycles"
    verbose_name = "Recruiting calendar"
