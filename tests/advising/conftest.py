"""Fixtures for the advising tests: the cast's CAPD staff member (`staff`) is the adviser."""

from __future__ import annotations

import pytest

from microintern.accounts.models import User
from microintern.advising.models import AdvisingSlot
from microintern.cycles.models import Holiday
from tests.advising import factories


@pytest.fixture(autouse=True)
def no_holidays(db: None) -> None:
    """The migrations load the institute's holidays, which close every slot of their day: a
    test that runs on, say, Dec 2 would otherwise find its slot "a month ahead" on New
    Year's Day. The tests about holidays add the one they need."""
    Holiday.objects.all().delete()


@pytest.fixture
def adviser(staff: User) -> User:
    return staff


@pytest.fixture
def slot(adviser: User) -> AdvisingSlot:
    return factories.AdvisingSlotFactory(adviser=adviser, start=factories.days_ahead(3, 10))
