"""The cycle funnel CAPD staff watch in the admin: counts per stage and shares of the stage
before, from the applications' history, never per student."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from microintern.portal.funnel import cycle_funnel
from tests.applications import factories
from tests.portal.conftest import with_history
from tests.postings import factories as posting_factories

pytestmark = pytest.mark.django_db


def test_it_counts_each_stage_and_its_share_of_the_stage_before(cycle_in_motion) -> None:
    funnel = cycle_funnel(cycle_in_motion)

    assert [(s.label, s.count, s.of_previous) for s in funnel.stages] == [
        ("Postings published", 3, None),
        ("Applications", 6, 200.0),
        ("Interviewed or offered", 4, 66.7),
        ("Offers extended", 2, 50.0),
        ("Offers accepted", 1, 50.0),
        ("Arrangements confirmed", 1, 100.0),
    ]
    assert funnel.students_applying == 5
    assert funnel.applications_per_published_posting == 2.0
    assert funnel.applications_by_status["Not selected"] == 1
    assert funnel.offers_by_status == {
        "Pending": 1, "Accepted": 1, "Declined": 0, "Expired": 0, "Rescinded": 0,
    }  # fmt: skip
    assert funnel.postings_by_status["Draft"] == 1


def test_an_empty_cycle_has_no_shares_to_divide_by(db: None) -> None:
    funnel = cycle_funnel(posting_factories.current_cycle())
    assert [(s.count, s.of_previous) for s in funnel.stages] == [(0, None)] * 6
    assert funnel.applications_per_published_posting is None


def test_its_query_count_does_not_grow_with_the_cycle(cycle_in_motion) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        cycle_funnel(cycle_in_motion)
    for application in factories.ApplicationFactory.create_batch(10):
        with_history(application, "under_review", "interviewing")
    with CaptureQueriesContext(connection) as larger:
        funnel = cycle_funnel(cycle_in_motion)

    assert funnel.stages[1].count == 16  # the new applications are counted...
    assert len(larger) == len(small) <= 10  # ...by the same few queries


def test_staff_see_it_in_the_admin(client: Client, cycle_in_motion, staff) -> None:
    client.force_login(staff)
    url = reverse("admin:cycles_recruitingcycle_funnel", args=[cycle_in_motion.pk])

    page = client.get(url)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Interviewed or offered" in text
    assert "66.7%" in text
    changelist = client.get(reverse("admin:cycles_recruitingcycle_changelist")).content.decode()
    assert url in changelist


def test_students_and_employers_do_not(client: Client, cycle_in_motion, student, employer):
    url = reverse("admin:cycles_recruitingcycle_funnel", args=[cycle_in_motion.pk])
    for user in (student, employer):
        client.force_login(user)
        assert client.get(url).status_code in (302, 403)
        assert "Interviewed or offered" not in client.get(url, follow=True).content.decode()


def test_the_admin_index_links_the_current_cycles_funnel(client: Client, cycle_in_motion, staff):
    client.force_login(staff)
    text = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:cycles_recruitingcycle_funnel", args=[cycle_in_motion.pk]) in text
