from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

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
        "funnel_link",
    ]
    list_filter = ["is_current"]
    readonly_fields = ["funnel_link"]
    fieldsets = [
        (None, {"fields": ["name", "is_current", "funnel_link"]}),
        (
            "Key dates",
            {"fields": ["postings_open", "interviews_begin", "offers_begin", "arrangements_begin"]},
        ),
        ("IAP window", {"fields": ["iap_start", "iap_end"]}),
    ]

    @admin.display(description="funnel")
    def funnel_link(self, cycle: RecruitingCycle) -> str:
        if not cycle.pk:
            return "—"
        url = reverse("admin:cycles_recruitingcycle_funnel", args=[cycle.pk])
        return format_html('<a href="{}">Postings to arrangements</a>', url)

    def get_urls(self):
        funnel = self.admin_site.admin_view(self.funnel_view)
        return [
            path("<int:pk>/funnel/", funnel, name="cycles_recruitingcycle_funnel"),
            *super().get_urls(),
        ]

    def funnel_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        from microintern.core.funnel import cycle_funnel

        cycle = get_object_or_404(RecruitingCycle, pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{cycle.name}: the funnel",
            "opts": self.model._meta,
            "cycle": cycle,
            "funnel": cycle_funnel(cycle),
        }
        return TemplateResponse(request, "admin/cycles/funnel.html", context)


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
