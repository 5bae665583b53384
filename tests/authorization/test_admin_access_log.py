"""Issue 11: every admin page that shows immigration data to somebody other than the student
is in the access log (one entry per page: a list of fifty cases is one entry, not fifty),
and so is every admin page of the authorization app refused to anybody else, who is slowed
down with 429 after IMMIGRATION_REFUSED_LOOKS_PER_MINUTE refusals in a minute."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from authorization.models import AccessLogEntry, AuthorizationCase, FirstYearOverride
from microintern.accounts.models import User
from tests.authorization.helpers import make_profile, open_case
from tests.factories import StaffFactory, StudentFactory

NOW = dt.datetime(2026, 11, 2, 15, 0, 30, tzinfo=dt.UTC)


def entries(actor: User) -> list[tuple[str, str, bool]]:
    return [
        (e.object_type, e.action, e.allowed)
        for e in AccessLogEntry.objects.filter(actor=actor).order_by("pk")
    ]


def history_urls(case: AuthorizationCase) -> dict[str, str]:
    item = case.items.order_by("position").first()
    return {
        "case": reverse("admin:authorization_authorizationcase_history", args=[case.pk]),
        "profile": reverse(
            "admin:authorization_immigrationprofile_history",
            args=[case.student.immigration_profile.pk],
        ),
        "checklist_item": reverse("admin:authorization_checklistitem_history", args=[item.pk]),
    }


def test_it_logs_one_entry_for_a_list_page_of_many_cases(
    client: Client, case: AuthorizationCase, other_student: User, iso_advisor: User
) -> None:
    make_profile(other_student, immigration_status="j1")
    open_case(other_student)
    client.force_login(iso_advisor)

    response = client.get(reverse("admin:authorization_authorizationcase_changelist"))

    assert len(response.context["cl"].result_list) == 2
    assert entries(iso_advisor) == [("case_list", "admin_list", True)]


@pytest.mark.parametrize("kind", ["case", "profile", "checklist_item"])
def test_it_logs_the_history_page_an_iso_advisor_reads(
    client: Client, case: AuthorizationCase, iso_advisor: User, kind: str
) -> None:
    client.force_login(iso_advisor)

    response = client.get(history_urls(case)[kind])

    entry = AccessLogEntry.objects.get(actor=iso_advisor)
    assert response.status_code == 200
    assert (entry.object_type, entry.action, entry.allowed) == (kind, "admin_history", True)
    assert entry.student == case.student


@pytest.mark.parametrize("kind", ["case", "profile", "checklist_item"])
def test_it_refuses_capd_staff_the_history_page_and_logs_it(
    client: Client, case: AuthorizationCase, staff: User, kind: str
) -> None:
    client.force_login(staff)

    response = client.get(history_urls(case)[kind])

    entry = AccessLogEntry.objects.get(actor=staff)
    assert response.status_code == 403
    assert (entry.object_type, entry.action, entry.allowed) == (kind, "admin_history", False)
    assert entry.student == case.student


def test_it_logs_the_first_year_exceptions_an_iso_advisor_reads(
    client: Client, iso_advisor: User
) -> None:
    first_year = StudentFactory(email="first-year@example.edu")
    make_profile(first_year, full_time_terms_completed=1)
    override = FirstYearOverride.objects.create(
        student=first_year, granted_by=iso_advisor, reason="Transfer credit from a US college."
    )
    client.force_login(iso_advisor)

    listing = client.get(reverse("admin:authorization_firstyearoverride_changelist"))
    page = client.get(reverse("admin:authorization_firstyearoverride_change", args=[override.pk]))

    assert (listing.status_code, page.status_code) == (200, 200)
    assert entries(iso_advisor) == [
        ("first_year_override_list", "admin_list", True),
        ("first_year_override", "admin_view", True),
    ]
    assert AccessLogEntry.objects.filter(actor=iso_advisor).latest("pk").student == first_year


def test_it_logs_reading_the_access_log_itself(
    client: Client, case: AuthorizationCase, iso_advisor: User
) -> None:
    client.force_login(iso_advisor)

    response = client.get(reverse("admin:authorization_accesslogentry_changelist"))

    assert response.status_code == 200
    assert entries(iso_advisor) == [("access_log_list", "admin_list", True)]


def test_it_does_not_log_an_advisor_editing_route_estimates(
    client: Client, iso_advisor: User
) -> None:
    # Processing times and fees are nobody's personal data.
    client.force_login(iso_advisor)

    response = client.get(reverse("admin:authorization_routeestimatesetting_changelist"))

    assert response.status_code == 200
    assert entries(iso_advisor) == []


AUTHORIZATION_MODELS = [
    "immigrationprofile",
    "firstyearoverride",
    "routeestimatesetting",
    "authorizationcase",
    "checklistitem",
    "accesslogentry",
]


@pytest.mark.parametrize("model", AUTHORIZATION_MODELS)
def test_it_refuses_and_logs_capd_staff_on_every_page_of_every_authorization_admin(
    client: Client, settings: Settings, case: AuthorizationCase, staff: User, model: str
) -> None:
    settings.IMMIGRATION_REFUSED_LOOKS_PER_MINUTE = 100
    client.force_login(staff)
    name = f"admin:authorization_{model}"
    urls = [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
    urls += [reverse(f"{name}_{view}", args=["1"]) for view in ("change", "history", "delete")]

    statuses = [client.get(url).status_code for url in urls]

    assert statuses == [403] * 5
    assert [allowed for _, _, allowed in entries(staff)] == [False] * 5
    assert [action for _, action, _ in entries(staff)] == [
        "admin_list",
        "admin_add",
        "admin_view",
        "admin_history",
        "admin_delete",
    ]


def test_it_logs_a_refused_look_at_an_id_that_does_not_exist(client: Client, staff: User) -> None:
    client.force_login(staff)

    client.get(reverse("admin:authorization_authorizationcase_change", args=["424242"]))

    entry = AccessLogEntry.objects.get(actor=staff)
    assert (entry.object_type, entry.object_id, entry.allowed) == ("case", "424242", False)


def test_it_answers_429_past_the_refusals_a_minute_and_logs_only_the_first_of_those(
    client: Client, settings: Settings, case: AuthorizationCase, staff: User
) -> None:
    settings.IMMIGRATION_REFUSED_LOOKS_PER_MINUTE = 3
    url = reverse("admin:authorization_authorizationcase_changelist")
    client.force_login(staff)

    with time_machine.travel(NOW, tick=False):
        statuses = [client.get(url).status_code for _ in range(6)]

    assert statuses == [403, 403, 403, 429, 429, 429]
    assert [action for _, action, _ in entries(staff)] == [
        "admin_list",
        "admin_list",
        "admin_list",
        "rate_limited",
    ]


def test_it_lets_the_account_knock_again_a_minute_later(
    client: Client, settings: Settings, staff: User
) -> None:
    settings.IMMIGRATION_REFUSED_LOOKS_PER_MINUTE = 1
    url = reverse("admin:authorization_authorizationcase_changelist")
    client.force_login(staff)

    with time_machine.travel(NOW, tick=False):
        first = [client.get(url).status_code for _ in range(2)]
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        later = client.get(url).status_code

    assert (first, later) == ([403, 429], 403)


def test_it_counts_the_refusals_of_each_account_apart(
    client: Client, settings: Settings, staff: User
) -> None:
    settings.IMMIGRATION_REFUSED_LOOKS_PER_MINUTE = 1
    url = reverse("admin:authorization_authorizationcase_changelist")
    colleague = Client()
    colleague.force_login(StaffFactory())
    client.force_login(staff)

    with time_machine.travel(NOW, tick=False):
        mine = [client.get(url).status_code for _ in range(2)]
        theirs = colleague.get(url).status_code

    assert (mine, theirs) == ([403, 429], 403)


def test_it_never_rate_limits_an_iso_advisor(
    client: Client, settings: Settings, case: AuthorizationCase, iso_advisor: User
) -> None:
    settings.IMMIGRATION_REFUSED_LOOKS_PER_MINUTE = 1
    client.force_login(iso_advisor)

    with time_machine.travel(NOW, tick=False):
        statuses = {
            client.get(reverse("admin:authorization_authorizationcase_changelist")).status_code
            for _ in range(4)
        }

    assert statuses == {200}
    assert len(entries(iso_advisor)) == 4  # each page read is logged
