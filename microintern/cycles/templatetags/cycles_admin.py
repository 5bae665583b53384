"""The admin's index page names the current cycle, to link to its funnel."""

from django import template

from microintern.cycles.models import RecruitingCycle

register = template.Library()


@register.simple_tag
def current_cycle() -> RecruitingCycle | None:
    return RecruitingCycle.objects.current()
