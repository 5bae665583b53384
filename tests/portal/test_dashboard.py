"""The admin index opens on the work to do: per role, counts that link to the filtered lists,
in a fixed number of queries whatever the data; nobody sees another role's counts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from microintern.portal.dashboard import work_for
from tests.postings import factories

INDEX = "admin:index"


def signed_in(client, user):
    client.force_login(user)
    return client


def counts(page: str) -> dict[str, int]:
    """Each work line's label and count, as the page shows them."""
    rows = re.findall(r'<th scope="row">(?:<a href="[^"]*">)?([^<]+)(?:</a>)?</th>\s*'
                      r'<td class="work-count"><strong>(\d+)</strong>', page)  # fmt: skip
    return {label: int(count) for label, count in rows}


def test_capd_staff_see_what_waits_with_links_to_the_lists(client, staff, org_a):
    factories.SubmittedPostingFactory.create_batch(3, organization=org_a)
    factories.SubmittedPostingFactory(organization=org_a, is_paid=False, pay_amount=None)
    factories.OrganizationFactory(verified=False)

    page = signed_in(client, staff).get(reverse(INDEX)).content.decode()

    shown = counts(page)
    assert shown["Postings awaiting review"] == 4
    assert shown["Unpaid postings to decide"] == 1
    assert shown["Organizations to verify"] >= 1
    assert "Cases at risk" not in page  # immigration work is the ISO advisors' alone
    assert reverse("admin:postings_submittedposting_changelist") in page


@pytest.mark.parametrize("role", ["staff", "iso_advisor", "misti_manager"])
def test_every_link_opens_its_list_for_that_role(client, role, request, org_a):
    user = request.getfixturevalue(role)
    factories.SubmittedPostingFactory(organization=org_a, is_global=True)
    for work in work_for(user):
        for item in (item for item in work.items if item.url):
            response = signed_in(client, user).get(item.url)
            assert response.status_code == 200, (item.label, item.url)


def test_a_count_links_only_where_the_role_may_open_the_list(misti_manager):
    (work,) = work_for(misti_manager)
    applicants = next(i for i in work.items if i.label == "Applicants to global postings")
    assert applicants.url == ""  # MISTI managers may not open the applications list


def test_iso_advisors_and_misti_managers_see_their_own_lists(iso_advisor, misti_manager):
    assert [w.heading for w in work_for(iso_advisor)] == ["ISO advisors: waiting for you"]
    assert [w.heading for w in work_for(misti_manager)] == ["MISTI: global postings"]


@pytest.mark.parametrize("who", ["student", "employer"])
def test_nobody_else_gets_a_work_list(who, request):
    assert work_for(request.getfixturevalue(who)) == []


@pytest.mark.parametrize("role", ["staff", "iso_advisor", "misti_manager"])
def test_the_counts_cost_the_same_at_two_sizes(role, request, org_a):
    user = request.getfixturevalue(role)
    factories.SubmittedPostingFactory(organization=org_a, is_global=True)
    work_for(user)  # the user's groups, cached on the instance
    with CaptureQueriesContext(connection) as few:
        work_for(user)
    factories.SubmittedPostingFactory.create_batch(15, organization=org_a, is_global=True)
    factories.OrganizationFactory.create_batch(5, verified=False)
    with CaptureQueriesContext(connection) as many:
        work_for(user)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_superusers_find_the_beat_schedules_under_system_last(client, superuser) -> None:
    client.force_login(superuser)

    apps = client.get(reverse("admin:index")).context["app_list"]

    assert apps[-1]["name"] == "System"
    assert "Periodic tasks" in [model["name"] for model in apps[-1]["models"]]
    assert "django_celery_beat" not in [app["app_label"] for app in apps[:-1]]


def test_capd_staff_have_no_system_heading(client, staff) -> None:
    client.force_login(staff)

    apps = client.get(reverse("admin:index")).context["app_list"]

    assert "System" not in [app["name"] for app in apps]
    assert "Reports" in [app["name"] for app in apps]
