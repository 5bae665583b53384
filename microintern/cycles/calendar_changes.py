"""Telling the apps above when staff change the holiday calendar.

A holiday added later must never leave a pending offer fewer business days than it was
promised (DOMAIN.md, Offers). The offers app keeps that promise, but the calendar lives
below it and may not import it; so the apps that care register a listener here (in their
AppConfig.ready) and the holiday admin calls `calendar_changed` inside its transaction: the
new holiday and the moved deadlines commit together, or neither does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

CalendarListener = Callable[[frozenset[dt.date]], object]
_listeners: list[CalendarListener] = []


def register(listener: CalendarListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def calendar_changed(days: Iterable[dt.date]) -> None:
    """The days whose business-day status staff just changed (added, moved or removed)."""
    changed = frozenset(days)
    if not changed:
        return
    for listener in _listeners:
        listener(changed)
