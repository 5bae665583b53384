"""The fields-of-study names the profile offers as majors and minors.

The list itself is kept in postings (FieldOfStudy, edited by staff in the admin), one layer
above accounts; postings registers a source at start-up (postings/apps.py), as the cycles
calendar lets offers register (docs/architecture.md). Without a source the profile offers
no list and keeps what the student has.
"""

from __future__ import annotations

from collections.abc import Callable

_source: Callable[[], list[str]] | None = None


def register(source: Callable[[], list[str]]) -> None:
    global _source
    _source = source


def field_names() -> list[str]:
    return list(_source()) if _source is not None else []
