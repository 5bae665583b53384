"""A cycle in motion, shared by the funnel, the charts and the exports."""

from __future__ import annotations

import pytest

from tests.applications import factories
from tests.offers import factories as offer_factories
from tests.postings import factories as posting_factories


def with_history(application, *statuses: str):
    previous = ""
    for status in ("submitted", *statuses):
        factories.StatusChangeFactory(
            application=application, from_status=previous, to_status=status
        )
        previous = status
    return application


@pytest.fixture
def cycle_in_motion():
    """3 published postings and a draft; 6 applications from 5 students: one submitted, one
    under review, one interviewing, one interviewed then not selected, one hired (accepted
    offer, confirmed arrangement), one offered straight away (offer pending)."""
    postings = posting_factories.PublishedPostingFactory.create_batch(3)
    posting_factories.DraftPostingFactory()
    a, b, c = postings
    student = factories.StudentFactory()
    with_history(factories.ApplicationFactory(posting=a, student=student))
    with_history(
        factories.UnderReviewApplicationFactory(posting=b, student=student), "under_review"
    )
    with_history(
        factories.InterviewingApplicationFactory(posting=a), "under_review", "interviewing"
    )
    with_history(factories.NotSelectedApplicationFactory(posting=a), "interviewing", "not_selected")
    hired = with_history(
        factories.HiredApplicationFactory(posting=b), "interviewing", "offered", "hired"
    )
    offer_factories.ConfirmedArrangementFactory(
        offer=offer_factories.AcceptedOfferFactory(application=hired)
    )
    offered = with_history(factories.OfferedApplicationFactory(posting=c), "offered")
    offer_factories.PendingOfferFactory(application=offered)
    return a.cycle
