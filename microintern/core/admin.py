from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import PeriodicTask

from microintern.core.admin_privacy import ImmigrationPrivacyMixin
from microintern.core.models import ProgramSettings, WorkerHeartbeat


@admin.register(ProgramSettings)
class ProgramSettingsAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One row only, and only for those whose group may change program settings.
        if not super().has_add_permission(request):
            return False
        # The admin asks twice per index page (its app list and the sidebar's): read once.
        if not hasattr(request, "_program_settings_exist"):
            request._program_settings_exist = ProgramSettings.objects.exists()
        return not request._program_settings_exist

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = ["hostname", "last_seen", "beats"]
    readonly_fields = ["hostname", "last_seen", "beats"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


# django-celery-beat's periodic task form offers its registered tasks with an option that has
# neither text nor label first, which HTML does not allow (and a screen reader reads as
# nothing). The same form and admin, with that first option named.
class RegisteredTaskSelect(beat_admin.TaskSelectWidget):
    def tasks_as_choices(self) -> tuple[tuple[str, str], ...]:
        return (("", "---------"), *super().tasks_as_choices()[1:])


class PeriodicTaskForm(beat_admin.PeriodicTaskForm):
    regtask = beat_admin.TaskChoiceField(
        label=beat_admin.PeriodicTaskForm.base_fields["regtask"].label,
        required=False,
        widget=RegisteredTaskSelect,
    )


class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    form = PeriodicTaskForm


admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, PeriodicTaskAdmin)
