"""The demo data: realistic, varied and safe to load twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from microintern.portal.demo import seed
from postings.models import Organization, Posting, PostingStatus

pytestmark = pytest.mark.django_db


def test_it_seeds_about_thirty_postings_across_states():
    seed.run()
    assert 28 <= Posting.objects.count() <= 35
    assert set(Posting.objects.values_list("status", flat=True)) == set(PostingStatus.values)


def test_it_is_idempotent():
    seed.run()
    before = Posting.objects.count()
    assert not any("postings" in label for label in seed.run())
    assert Posting.objects.count() == before


def test_it_gives_the_demo_employer_an_alumni_hosted_published_posting():
    seed.run()
    postings = Posting.objects.published().filter(
        organization__name="Kendall Robotics", alumni_host=True
    )
    assert postings.exists()


def test_it_has_an_unverified_organization_flagged_for_its_domain():
    seed.run()
    unverified = Organization.objects.get(verified=False)
    assert unverified.mismatched_domains()


def test_it_mixes_paid_unpaid_domestic_global_and_alumni_hosted():
    seed.run()
    live = Posting.objects.published()
    assert live.filter(is_paid=False, unpaid_approved=True).exists()
    assert live.filter(is_global=True).exists() and live.filter(is_global=False).exists()
    assert live.filter(alumni_host=True).exists() and live.filter(alumni_host=False).exists()
    assert live.filter(deadline__lt=timezone.now() + dt.timedelta(days=7)).exists()


def test_it_makes_every_published_posting_valid():
    seed.run()
    for posting in Posting.objects.published():
        posting.full_clean()
