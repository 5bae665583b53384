"""A saved search whose criterion is no longer valid (a field of study since removed or
renamed) sends no alert for the wider search: its owner is told once, and the saved-searches
page says it needs updating."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from microintern.notifications.models import Notification
from postings.models import FieldOfStudy
from postings.reminders import saved_search_alert_sweep
from tests.postings import factories

NY = ZoneInfo("America/New_York")
DAY = dt.date(2026, 11, 2)
pytestmark = pytest.mark.django_db


def eastern(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=NY)


@pytest.fixture
def robotics(db):
    return FieldOfStudy.objects.create(name="Robotics (test)", slug="robotics-test")


@pytest.fixture
def search(robotics, student):
    with time_machine.travel(eastern(DAY, 8) - dt.timedelta(days=1), tick=False):
        return factories.SavedSearchFactory(
            user=student,
            name="Robotics",
            query_string="field=robotics-test&q=robot",
            frequency="daily",
        )


@pytest.fixture
def new_postings(robotics):
    with time_machine.travel(eastern(DAY, 7), tick=False):
        factories.PublishedPostingFactory(
            title="Robot arm calibration",
            deadline=eastern(DAY, 7) + dt.timedelta(days=20),
            fields=[robotics],
        )
        factories.PublishedPostingFactory(
            title="Robot tour guide", deadline=eastern(DAY, 7) + dt.timedelta(days=20)
        )


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_valid_saved_search_still_alerts(search, new_postings, student):
    assert saved_search_alert_sweep(now=eastern(DAY, 9)) == 1
    assert kinds(student) == ["saved_search_alert"]


def test_a_removed_field_of_study_stops_the_alerts_and_tells_the_owner(
    search, new_postings, robotics, student
):
    robotics.delete()
    saved_search_alert_sweep(now=eastern(DAY, 9))
    assert kinds(student) == ["saved_search_stale"]
    body = Notification.objects.get(recipient=student).body_text
    assert "Field of study “robotics-test”" in body and "sends no alerts" in body


def test_a_renamed_field_of_study_slug_is_stale_too(search, new_postings, robotics, student):
    FieldOfStudy.objects.filter(pk=robotics.pk).update(slug="robotics-and-automation")
    saved_search_alert_sweep(now=eastern(DAY, 9))
    assert kinds(student) == ["saved_search_stale"]


def test_the_owner_is_told_once(search, new_postings, robotics, student):
    robotics.delete()
    saved_search_alert_sweep(now=eastern(DAY, 9))
    saved_search_alert_sweep(now=eastern(DAY + dt.timedelta(days=1), 9))
    saved_search_alert_sweep(now=eastern(DAY + dt.timedelta(days=2), 9))
    assert kinds(student) == ["saved_search_stale"]


def test_a_second_stale_criterion_is_told_again(search, new_postings, robotics, student):
    robotics.delete()
    saved_search_alert_sweep(now=eastern(DAY, 9))
    search.query_string += "&within=999"
    search.save(update_fields=["query_string"])
    saved_search_alert_sweep(now=eastern(DAY + dt.timedelta(days=1), 9))
    assert kinds(student) == ["saved_search_stale", "saved_search_stale"]


def test_the_saved_searches_page_says_the_search_needs_updating(client, search, robotics, student):
    robotics.delete()
    client.force_login(student)
    page = client.get(reverse("postings:saved")).content.decode()
    assert "Needs updating:" in page and "Field of study “robotics-test”" in page


def test_the_saved_searches_page_shows_nothing_for_a_valid_search(client, search, student):
    client.force_login(student)
    page = client.get(reverse("postings:saved")).content.decode()
    assert "Needs updating" not in page


@pytest.mark.parametrize("count", [1, 10])
def test_the_saved_searches_page_checks_them_in_a_fixed_number_of_queries(
    client, student, robotics, django_assert_num_queries, count
):
    for n in range(count):
        factories.SavedSearchFactory(user=student, query_string=f"field=robotics-test&q=r{n}")
    client.force_login(student)
    # session, user, unread notifications, the saved postings' count (none: no page to read),
    # the saved searches' count and page, fields of study
    with django_assert_num_queries(7):
        client.get(reverse("postings:saved"))
