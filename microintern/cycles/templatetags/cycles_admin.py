"""The admin's index page names the current cycle, to link to its funnel."""

from django import template
from django.http import HttpRequest

from microintern.cycles.models import RecruitingCycle

register = template.Library()


def current_cycle_of(request: HttpRequest) -> RecruitingCycle | None:
    """The current cycle, read once per request: the index's to-do counts and its funnel link
    both need it."""
    if not hasattr(request, "_current_cycle"):
        request._current_cycle = RecruitingCycle.objects.current()
    return request._current_cycle


@register.simple_tag(takes_context=True)
def current_cycle(context: template.Context) -> RecruitingCycle | None:
    request = context.get("request")
    return current_cycle_of(request) if request is not None else RecruitingCycle.objects.current()
