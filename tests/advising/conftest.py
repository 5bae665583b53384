"""Fixtures for the advising tests: the cast's CAPD staff member (`staff`) is the adviser."""

from __future__ import annotations

import pytest

from microintern.accounts.models import User
from microintern.advising.models import AdvisingSlot
from tests.advising import factories


@pytest.fixture
def adviser(staff: User) -> User:
    return staff


@pytest.fixture
def slot(adviser: User) -> AdvisingSlot:
    return factories.AdvisingSlotFactory(adviser=adviser, start=factories.days_ahead(3, 10))
