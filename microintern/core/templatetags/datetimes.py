"""`{{ value|iso_datetime }}`: a date or time for a `datetime` attribute (`<time datetime>`).

A builtin (settings.TEMPLATES), so templates use it without `{% load %}`. `|date:'c'` is not
valid there: it keeps the microseconds of `now()`-based timestamps, and HTML allows at most
three digits of a second. Whole seconds are all a reader needs.
"""

from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


@register.filter(expects_localtime=True)
def iso_datetime(value: dt.datetime | dt.date | None) -> str:
    """ISO 8601 in the current time zone, to the second ("2026-12-01T09:00:00-05:00"); a date
    stays a date ("2026-12-01"); anything else is "" (as `|date` gives for None)."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return ""
