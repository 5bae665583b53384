"""New postings in a student's fields: for students who asked on their profile, daily from
9:00 Eastern, only postings in their majors or minor published since the last look, once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from microintern.notifications.models import Notification
from postings.models import FieldOfStudy
from postings.reminders import field_alert_sweep
from tests.factories import StudentFactory
from tests.postings import factories

pytestmark = pytest.mark.django_db
EASTERN = ZoneInfo("America/New_York")
DAY = dt.date(2026, 11, 2)


def eastern(hour: int, days: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY + dt.timedelta(days=days), dt.time(hour), tzinfo=EASTERN)


def student(*, wants: bool = True, majors: str = "Physics"):
    return StudentFactory(profile__field_of_study=majors, profile__notify_new_postings=wants)


def posting_in(field: str, *, at: dt.datetime, title: str):
    with time_machine.travel(at, tick=False):
        posting = factories.PublishedPostingFactory(
            title=title, deadline=at + dt.timedelta(days=20)
        )
    posting.fields_of_study.set([FieldOfStudy.objects.get(name=field)])
    return posting


def test_it_tells_a_student_of_new_postings_in_their_fields_from_nine_eastern():
    nia = student()
    posting_in("Physics", at=eastern(7), title="Magnet lab helper")
    posting_in("Biology", at=eastern(7), title="Cell counting")
    assert field_alert_sweep(now=eastern(8)) == 0
    assert field_alert_sweep(now=eastern(9)) == 1
    alert = Notification.objects.get(recipient=nia)
    assert alert.kind == "new_postings_in_fields"
    assert "Magnet lab helper" in alert.body_text and "Cell counting" not in alert.body_text


def test_it_tells_each_student_once_a_day():
    student()
    posting_in("Physics", at=eastern(7), title="Magnet lab helper")
    assert field_alert_sweep(now=eastern(9)) == 1
    assert field_alert_sweep(now=eastern(10)) == 0
    posting_in("Physics", at=eastern(11), title="Optics bench")
    assert field_alert_sweep(now=eastern(9, days=1)) == 1
    latest = Notification.objects.order_by("-pk").first()
    assert "Optics bench" in latest.body_text and "Magnet lab helper" not in latest.body_text


def test_it_tells_nobody_who_did_not_ask():
    student(wants=False)
    posting_in("Physics", at=eastern(7), title="Magnet lab helper")
    assert field_alert_sweep(now=eastern(9)) == 0
    assert not Notification.objects.exists()
