from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from microintern.core.admin_privacy import ImmigrationPrivacyMixin
from microintern.core.models import ProgramSettings, WorkerHeartbeat


@admin.register(ProgramSettings)
class ProgramSettingsAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One row only, and only for those whose group may change program settings.
        return super().has_add_permission(request) and not ProgramSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = ["hostname", "last_seen", "beats"]
    readonly_fields = ["hostname", "last_seen", "beats"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
