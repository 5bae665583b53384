"""The admin index's "waiting for you" lists (microintern/portal/dashboard.py)."""

from __future__ import annotations

from django import template

from microintern.portal.dashboard import WorkList, work_for

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_work(context: template.Context) -> list[WorkList]:
    return work_for(context["request"].user)
