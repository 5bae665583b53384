"""The admin index's "waiting for you" lists (microintern/portal/dashboard.py)."""

from __future__ import annotations

from django import template

from microintern.cycles.templatetags.cycles_admin import current_cycle_of
from microintern.portal.dashboard import WorkList, work_for

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_work(context: template.Context) -> list[WorkList]:
    request = context["request"]
    return work_for(request.user, cycle=current_cycle_of(request))
