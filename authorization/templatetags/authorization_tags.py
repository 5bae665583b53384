"""{% posting_guidance posting_fields posting_is_global %}: the postings page's one line."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from authorization import selectors
from authorization.eligibility import ROUTE_LABELS, assess, needs_authorization

register = template.Library()


@register.inclusion_tag("authorization/_posting_guidance.html", takes_context=True)
def posting_guidance(
    context: template.Context, posting_fields: Iterable[str] | str, posting_is_global: bool
) -> dict[str, object]:
    # Names, or FieldOfStudy objects (a posting's fields_of_study.all) whose str is the name.
    if isinstance(posting_fields, str):
        fields = [posting_fields]
    else:
        fields = [str(field) for field in posting_fields or []]
    user = context["request"].user
    profile = selectors.profile_for(user)
    if profile is None:
        return {"assessment": None}
    return {
        "assessment": selectors.guidance_for_posting(
            user, posting_fields=fields, posting_is_global=posting_is_global
        ),
        "field_matches": selectors.field_of_study_matches(profile, fields),
    }


@register.inclusion_tag("authorization/_offer_forecast.html", takes_context=True)
def offer_authorization_forecast(
    context: template.Context, start_date: object, posting_is_global: bool = False
) -> dict[str, object]:
    """For the offer page, before the student accepts: will authorization arrive in time?

    Renders nothing for non-students, students without an immigration profile and students
    who need no authorization.
    """
    user = context["request"].user
    profile = selectors.profile_for(user)
    if profile is None or start_date is None:
        return {"forecast": None}
    route = assess(profile.to_status(), posting_is_global=posting_is_global).route
    if not needs_authorization(route):
        return {"forecast": None}
    return {
        "forecast": selectors.forecast_for(
            user, start_date=start_date, posting_is_global=posting_is_global
        ),
        "route_label": ROUTE_LABELS[route],
    }


@register.simple_tag
def employer_authorization_label(case: object) -> str:
    """ "Work authorization pending / confirmed / at risk": all an employer may see."""
    return selectors.EMPLOYER_STATUS_LABELS[selectors.employer_view_status(case)]
