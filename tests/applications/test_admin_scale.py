"""The admin lists that hang off postings keep a fixed number of queries as postings grow
(at 100,000 postings the per-posting sidebar filter made 81,000 queries), and the posting
filter still narrows a list to one posting when a link asks for it. As CAPD staff."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.applications import factories

LISTS = [
    "admin:applications_application_changelist",
    "admin:applications_interview_changelist",
    "admin:applications_interviewslot_changelist",
]


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def grow(organization, count: int) -> None:
    """`count` more postings, each with an application, a slot and a booked interview."""
    for _ in range(count):
        posting = factories.PublishedPostingFactory(organization=organization)
        application = factories.InterviewingApplicationFactory(posting=posting)
        factories.InterviewFactory(
            application=application, slot=factories.SlotFactory(posting=posting)
        )


def queries(client, name: str, **params: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name), params)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", LISTS)
def test_the_list_costs_the_same_for_two_postings_or_twenty(staff_client, org_a, org_b, name):
    grow(org_a, 2)
    queries(staff_client, name)  # the first page of a session also loads what it caches
    few = queries(staff_client, name)
    grow(org_b, 18)
    assert queries(staff_client, name) == few


@pytest.mark.parametrize("name", LISTS)
def test_the_posting_filter_narrows_to_the_posting_a_link_names(staff_client, org_a, name):
    grow(org_a, 2)
    first, second = factories.PublishedPostingFactory._meta.model.objects.order_by("pk")[:2]
    html = staff_client.get(reverse(name), {"posting": first.pk}).content.decode()
    assert "1 " in html and first.title in html
    assert f">{second.title}" not in html


@pytest.mark.parametrize("name", LISTS)
def test_a_hand_edited_posting_value_lists_nothing_and_breaks_nothing(staff_client, org_a, name):
    grow(org_a, 1)
    response = staff_client.get(reverse(name), {"posting": "abc"})
    assert response.status_code == 200
    assert "0 " in response.content.decode()


def test_saved_postings_cost_the_same_for_two_or_twenty(staff_client, org_a) -> None:
    """Each row names its posting, whose __str__ names the organization: joined, not a
    query per row (the benchmark found 109 queries for one page)."""
    from tests.postings.factories import SavedPostingFactory

    name = "admin:postings_savedposting_changelist"
    SavedPostingFactory.create_batch(2, posting__organization=org_a)
    queries(staff_client, name)
    few = queries(staff_client, name)
    SavedPostingFactory.create_batch(18)
    assert queries(staff_client, name) == few


@pytest.mark.parametrize("name", LISTS)
def test_the_sidebar_names_no_organization_unless_a_link_asks_for_one(
    staff_client, org_a, org_b, name
):
    """301 organizations were 301 sidebar links, found by scanning every application; the
    filter now shows the organization a link names (the search box finds the others)."""
    grow(org_a, 1)
    grow(org_b, 1)

    unfiltered = staff_client.get(reverse(name)).content.decode()
    narrowed = staff_client.get(reverse(name), {"organization": org_b.pk}).content.decode()

    assert f"?organization={org_a.pk}" not in unfiltered
    assert f"?organization={org_b.pk}" in narrowed and "1 " in narrowed
    rows = re.findall(r'<tr[^>]*>\s*<td class="action-checkbox">', narrowed)
    assert len(rows) == 1


@pytest.mark.parametrize("name", LISTS)
def test_a_hand_edited_organization_value_lists_nothing(staff_client, org_a, name):
    grow(org_a, 1)
    response = staff_client.get(reverse(name), {"organization": "abc"})
    assert response.status_code == 200
    assert "0 " in response.content.decode()


def test_staff_find_applications_by_the_organizations_name(staff_client, org_a, org_b):
    grow(org_a, 2)
    grow(org_b, 1)
    html = staff_client.get(
        reverse("admin:applications_application_changelist"), {"q": org_b.name}
    ).content.decode()
    rows = re.findall(r'<tr[^>]*>\s*<td class="action-checkbox">', html)
    assert len(rows) == 1
