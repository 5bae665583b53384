"""`iso_datetime` writes what HTML's `<time datetime>` accepts: whole seconds, local offset."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template import engines

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"


def render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


def test_it_drops_the_microseconds_and_writes_eastern_time() -> None:
    at = dt.datetime(2026, 12, 1, 14, 5, 7, 129332, tzinfo=dt.UTC)

    assert render("{{ at|iso_datetime }}", at=at) == "2026-12-01T09:05:07-05:00"


def test_it_keeps_the_summer_offset() -> None:
    at = dt.datetime(2026, 10, 22, 21, 39, 38, 5, tzinfo=ZoneInfo("America/New_York"))

    assert render("{{ at|iso_datetime }}", at=at) == "2026-10-22T21:39:38-04:00"


def test_it_writes_a_date_as_a_date() -> None:
    assert render("{{ day|iso_datetime }}", day=dt.date(2027, 1, 6)) == "2027-01-06"


def test_it_writes_nothing_for_nothing() -> None:
    assert render("[{{ missing|iso_datetime }}]", missing=None) == "[]"


def test_no_template_writes_a_datetime_attribute_with_the_c_format() -> None:
    offenders = [
        str(path.relative_to(TEMPLATES_DIR))
        for path in TEMPLATES_DIR.rglob("*.html")
        if "date:'c'" in path.read_text() or 'date:"c"' in path.read_text()
    ]

    assert offenders == []
