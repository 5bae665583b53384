"""The roof's part of the admin: each cycle's funnel, which reads postings, applications and
offers, added to the cycles admin (which, being on the floor, knows none of them)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from microintern.cycles.admin import RecruitingCycleAdmin
from microintern.cycles.models import RecruitingCycle
from microintern.portal.funnel import cycle_funnel


class RecruitingCycleFunnelAdmin(RecruitingCycleAdmin):
    list_display = [*RecruitingCycleAdmin.list_display, "funnel_link"]
    readonly_fields = ["funnel_link"]
    fieldsets = [
        (None, {"fields": ["name", "is_current", "funnel_link"]}),
        *RecruitingCycleAdmin.fieldsets[1:],
    ]

    @admin.display(description="funnel")
    def funnel_link(self, cycle: RecruitingCycle) -> str:
        if not cycle.pk:
            return "—"
        url = reverse("admin:cycles_recruitingcycle_funnel", args=[cycle.pk])
        return format_html('<a href="{}">Postings to arrangements</a>', url)

    def get_urls(self) -> list[URLPattern]:
        funnel = self.admin_site.admin_view(self.funnel_view)
        return [
            path("<int:pk>/funnel/", funnel, name="cycles_recruitingcycle_funnel"),
            *super().get_urls(),
        ]

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


# The cycles app registers its admin on the floor; the roof swaps in the one with the funnel
# (INSTALLED_APPS lists the portal last, so this runs after cycles' admin module).
admin.site.unregister(RecruitingCycle)
admin.site.register(RecruitingCycle, RecruitingCycleFunnelAdmin)
