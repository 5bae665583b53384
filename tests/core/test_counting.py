"""count_each: several counts, one query, the same numbers as count()."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from microintern.core.counting import count_each
from offers.models import Arrangement, OfferStatus
from postings.models import Organization, Posting, PostingStatus
from tests.offers import factories as offer_factories
from tests.postings import factories as posting_factories

pytestmark = pytest.mark.django_db


def test_it_counts_each_queryset_as_count_does_in_one_query(cycle):
    posting_factories.OrganizationFactory.create_batch(3, verified=False)
    posting_factories.SubmittedPostingFactory.create_batch(2, cycle=cycle)
    offer_factories.ArrangementFactory(offer=offer_factories.AcceptedOfferFactory())
    querysets = {
        "unverified": Organization.objects.filter(verified=False),
        "submitted": Posting.objects.filter(status=PostingStatus.SUBMITTED).order_by("-pk"),
        # A join, and a name that is no column of it.
        "arranged": Arrangement.objects.filter(offer__status=OfferStatus.ACCEPTED),
        "none_at_all": Posting.objects.filter(pk__in=[]),  # Django asks no database for it
    }
    expected = {name: queryset.count() for name, queryset in querysets.items()}

    with CaptureQueriesContext(connection) as captured:
        counted = count_each(**querysets)

    assert counted == expected
    assert list(counted) == list(querysets)
    assert len(captured.captured_queries) == 1
    assert expected["unverified"] >= 3 and expected["submitted"] == 2
    assert expected["arranged"] == 1 and expected["none_at_all"] == 0


def test_it_asks_nothing_when_every_queryset_is_empty_by_construction(db):
    with CaptureQueriesContext(connection) as captured:
        counted = count_each(nothing=Posting.objects.none())

    assert counted == {"nothing": 0}
    assert captured.captured_queries == []
