"""The cast for offers tests: a student and another student, an employer of organization A
(the posting's), a member of organization B, CAPD staff; a published posting of A.

(tests/conftest.py puts back the holidays a transactional test flushes.)
"""

from __future__ import annotations

import pytest

from applications.models import Application
from offers.models import Offer
from tests.cast import (  # noqa: F401 (fixtures)
    cycle,
    employer,
    iso_advisor,
    misti_manager,
    org_a,
    org_b,
    other_employer,
    other_student,
    posting,
    staff,
    student,
    superuser,
)
from tests.offers import factories


@pytest.fixture
def application(posting, student) -> Application:
    return factories.InterviewingApplicationFactory(posting=posting, student=student)


@pytest.fixture
def offer(posting, student) -> Offer:
    return factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(posting=posting, student=student)
    )
