from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from microintern.core.admin_privacy import ImmigrationPrivacyMixin
from microintern.cycles.calendar_changes import calendar_changed
from microintern.cycles.models import Holiday, RecruitingCycle


@admin.register(RecruitingCycle)
class RecruitingCycleAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "postings_open",
        "offers_begin",
        "iap_start",
        "iap_end",
        "is_current",
    ]
    list_filter = ["is_current"]
    fieldsets = [
        (None, {"fields": ["name", "is_current"]}),
        (
            "Key dates",
            {"fields": ["postings_open", "interviews_begin", "offers_begin", "arrangements_begin"]},
        ),
        ("IAP window", {"fields": ["iap_start", "iap_end"]}),
    ]


@admin.register(Holiday)
class HolidayAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    """Staff add and remove closed days. Each change is passed on (calendar_changes) inside
    the admin's transaction, so pending offers keep the business days they were promised."""

    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request: HttpRequest, obj: Holiday, form: Any, change: bool) -> None:
        before = Holiday.objects.filter(pk=obj.pk).values_list("date", flat=True).first()
        super().save_model(request, obj, form, change)
        calendar_changed({obj.date} | ({before} if before else set()))

    def delete_model(self, request: HttpRequest, obj: Holiday) -> None:
        day = obj.date
        super().delete_model(request, obj)
        calendar_changed({day})

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Holiday]) -> None:
        days = set(queryset.values_list("date", flat=True))
        super().delete_queryset(request, queryset)
        calendar_changed(days)
