"""The roof's part of the admin: each cycle's funnel, charts and exports, which read postings,
applications and offers, added to the cycles admin (which, being on the floor, knows none of
them); the record of exports; and the index's "System" heading for the beat schedules."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from microintern.cycles.admin import RecruitingCycleAdmin
from microintern.cycles.models import RecruitingCycle
from microintern.portal import exports
from microintern.portal.charts import CHARTS_SECONDS, cached_cycle_charts
from microintern.portal.funnel import cycle_funnel
from microintern.portal.models import Export, ExportKind

# What the charts and exports read: a holder of all of these sees every count anyway.
REPORT_PERMISSIONS = (
    "cycles.view_recruitingcycle",
    "postings.view_posting",
    "applications.view_application",
    "offers.view_offer",
)
# Apps whose models are the system's machinery, not the office's work: grouped last, under
# one heading, on the index (only superusers hold their permissions; see accounts/groups.py).
SYSTEM_APPS = {"django_celery_beat"}
SYSTEM_HEADING = "System"


class RecruitingCycleFunnelAdmin(RecruitingCycleAdmin):
    list_display = [*RecruitingCycleAdmin.list_display, "funnel_link", "charts_link"]
    readonly_fields = ["funnel_link", "charts_link"]
    fieldsets = [
        (None, {"fields": ["name", "is_current", "funnel_link", "charts_link"]}),
        *RecruitingCycleAdmin.fieldsets[1:],
    ]

    @admin.display(description="funnel")
    def funnel_link(self, cycle: RecruitingCycle) -> str:
        if not cycle.pk:
            return "—"
        url = reverse("admin:cycles_recruitingcycle_funnel", args=[cycle.pk])
        return format_html('<a href="{}">Postings to arrangements</a>', url)

    @admin.display(description="charts and exports")
    def charts_link(self, cycle: RecruitingCycle) -> str:
        if not cycle.pk:
            return "—"
        url = reverse("admin:cycles_recruitingcycle_charts", args=[cycle.pk])
        return format_html('<a href="{}">The cycle in pictures</a>', url)

    def get_urls(self) -> list[URLPattern]:
        funnel = self.admin_site.admin_view(self.funnel_view)
        charts = self.admin_site.admin_view(self.charts_view)
        export = self.admin_site.admin_view(require_POST(self.export_view))
        return [
            path("<int:pk>/funnel/", funnel, name="cycles_recruitingcycle_funnel"),
            path("<int:pk>/charts/", charts, name="cycles_recruitingcycle_charts"),
            path("<int:pk>/export/<str:kind>/", export, name="cycles_recruitingcycle_export"),
            *super().get_urls(),
        ]

    def _may_report(self, request: HttpRequest) -> None:
        if not request.user.has_perms(REPORT_PERMISSIONS):
            raise PermissionDenied

    def charts_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._may_report(request)
        cycle = get_object_or_404(RecruitingCycle, pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{cycle.name} in pictures",
            "opts": self.model._meta,
            "cycle": cycle,
            "charts": cached_cycle_charts(cycle),
            "charts_minutes": CHARTS_SECONDS // 60,
            "export_kinds": ExportKind.choices,
        }
        return TemplateResponse(request, "admin/cycles/charts.html", context)

    def export_view(self, request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        """A POST (it records the export), answered with the CSV as it is produced."""
        self._may_report(request)
        if kind not in exports.EXPORTS:
            raise Http404("No such export.")
        cycle = get_object_or_404(RecruitingCycle, pk=pk)
        exports.export_record(cycle=cycle, kind=kind, by=request.user)
        response = StreamingHttpResponse(
            exports.csv_lines(kind, cycle), content_type="text/csv; charset=utf-8"
        )
        filename = exports.export_filename(kind, cycle)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response

    def funnel_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        cycle = get_object_or_404(RecruitingCycle, pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{cycle.name}: the funnel",
            "opts": self.model._meta,
            "cycle": cycle,
            "funnel": cycle_funnel(cycle),
        }
        return TemplateResponse(request, "admin/cycles/funnel.html", context)


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    """The record of exports: read-only for everyone, superusers included (it is an audit
    trail; a row nobody may delete is one nobody can hide)."""

    list_display = ["at", "kind", "cycle", "exported_by"]
    list_filter = ["kind", "cycle"]
    list_select_related = ["cycle", "exported_by"]
    search_fields = ["exported_by__email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def group_system_apps(site: admin.AdminSite) -> None:
    """The index lists the system's machinery (the beat schedules) last, under one "System"
    heading, instead of among the office's apps. Set on the instance, like guard_admin_site."""
    get_app_list = site.get_app_list

    def get_app_list_with_system(request: HttpRequest, app_label: str | None = None) -> list:
        apps = get_app_list(request, app_label)
        office = [app for app in apps if app["app_label"] not in SYSTEM_APPS]
        system = [app for app in apps if app["app_label"] in SYSTEM_APPS]
        if not system or app_label is not None:
            return apps
        models = [model for app in system for model in app["models"]]
        heading = {**system[0], "name": SYSTEM_HEADING, "models": models}
        return [*office, heading]

    site.get_app_list = get_app_list_with_system  # type: ignore[method-assign]


group_system_apps(admin.site)

# The cycles app registers its admin on the floor; the roof swaps in the one with the funnel
# (INSTALLED_APPS lists the portal last, so this runs after cycles' admin module).
admin.site.unregister(RecruitingCycle)
admin.site.register(RecruitingCycle, RecruitingCycleFunnelAdmin)
