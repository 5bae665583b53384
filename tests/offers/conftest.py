"""Fixtures for the offers tests: the student's application to the cast's posting, and an
offer on it. The people are the shared cast (tests/cast.py).

(tests/conftest.py puts back the holidays a transactional test flushes.)
"""

from __future__ import annotations

import pytest

from applications.models import Application
from offers.models import Offer
from tests.offers import factories


@pytest.fixture
def application(posting, student) -> Application:
    """Interviewing, with a held interview: an offer may follow."""
    return factories.InterviewedApplicationFactory(posting=posting, student=student)


@pytest.fixture
def offer(posting, student) -> Offer:
    return factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(posting=posting, student=student)
    )
