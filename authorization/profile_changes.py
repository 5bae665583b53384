"""Who wants to know that a student has given their immigration profile.

Authorization sits below offers and cannot call up. A student who accepted an offer before
saying whether they need work authorization gets their checklist the moment they say so: the
offers app registers a listener at start-up (offers/apps.py). Listeners run inside the
profile's transaction, so a failure saves nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from microintern.accounts.models import User

Listener = Callable[[User], None]
_listeners: list[Listener] = []


def register(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def profile_given(student: User) -> None:
    for listener in _listeners:
        listener(student)
