"""{% posting_guidance posting_fields posting_is_global %}: the postings page's one line."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from authorization import selectors

register = template.Library()


@register.inclusion_tag("authorization/_posting_guidance.html", takes_context=True)
def posting_guidance(
    context: template.Context, posting_fields: Iterable[str] | str, posting_is_global: bool
) -> dict[str, object]:
    fields = [posting_fields] if isinstance(posting_fields, str) else list(posting_fields or [])
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
