"""The daily digest, due at 8:00 Eastern on both sides of a daylight-saving change."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction

from microintern.accounts.models import User
from microintern.notifications import kinds, services
from microintern.notifications.digest import digest_sweep
from microintern.notifications.models import EmailState, Notification

NY = ZoneInfo("America/New_York")
pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(monkeypatch):
    monkeypatch.setitem(
        kinds._KINDS, "test_message", kinds.Kind("test_message", "Test message", digestible=True)
    )
    user = User.objects.create_user("alice@example.edu", "pw", full_name="Alice Example")
    services.preferences_update(user=user, email_off=[], daily_digest=True)
    return user


def alert(user, key):
    return services.notify(recipient=user, kind="test_message", dedup_key=key, url="/x")


@pytest.mark.parametrize(
    "day", [dt.date(2026, 10, 30), dt.date(2026, 11, 2), dt.date(2027, 3, 12), dt.date(2027, 3, 15)]
)
def test_it_is_not_due_before_eight_eastern(alice, day):
    alert(alice, "a")
    assert digest_sweep(now=dt.datetime.combine(day, dt.time(7, 59), tzinfo=NY)) == 0
    assert not Notification.objects.filter(kind="daily_digest").exists()


@pytest.mark.parametrize(
    "day", [dt.date(2026, 10, 30), dt.date(2026, 11, 2), dt.date(2027, 3, 12), dt.date(2027, 3, 15)]
)
def test_it_is_due_at_eight_eastern_across_daylight_saving_changes(alice, day):
    alert(alice, "a")
    with time_machine.travel(dt.datetime.combine(day, dt.time(8, 0), tzinfo=NY), tick=False):
        assert digest_sweep() == 1
    digest = Notification.objects.get(kind="daily_digest")
    assert digest.dedup_key == f"digest:{alice.pk}:{day.isoformat()}"


def test_it_lists_every_waiting_alert_in_one_email(alice, mailoutbox):
    alert(alice, "a")
    alert(alice, "b")
    digest_sweep(now=dt.datetime(2026, 11, 30, 9, 0, tzinfo=NY))
    digest = Notification.objects.get(kind="daily_digest")
    assert digest.subject == "Your daily micro-internship update: 2 new items"
    assert digest.body_text.count("Test message from the micro-internship portal") == 2
    assert set(
        Notification.objects.filter(kind="test_message").values_list("email_state", flat=True)
    ) == {EmailState.SENT}


def test_running_it_twice_sends_one_digest(alice):
    alert(alice, "a")
    now = dt.datetime(2026, 11, 30, 9, 0, tzinfo=NY)
    assert digest_sweep(now=now) == 1
    assert digest_sweep(now=now) == 0
    assert Notification.objects.filter(kind="daily_digest").count() == 1


def test_an_alert_after_todays_digest_waits_for_tomorrow(alice):
    alert(alice, "a")
    digest_sweep(now=dt.datetime(2026, 11, 30, 9, 0, tzinfo=NY))
    late = alert(alice, "b")
    assert digest_sweep(now=dt.datetime(2026, 11, 30, 15, 0, tzinfo=NY)) == 0
    late.refresh_from_db()
    assert late.email_state == EmailState.DIGEST
    assert digest_sweep(now=dt.datetime(2026, 12, 1, 8, 30, tzinfo=NY)) == 1


def test_a_user_who_chose_immediate_alerts_gets_no_digest(alice):
    services.preferences_update(user=alice, email_off=[], daily_digest=False)
    alert(alice, "a")
    assert digest_sweep(now=dt.datetime(2026, 11, 30, 9, 0, tzinfo=NY)) == 0


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL's row locks: DATABASE_URL=postgres://",
)
@pytest.mark.django_db(transaction=True)
def test_a_row_locked_elsewhere_still_goes_in_todays_digest(alice):
    """Another transaction (a second sweeper part-way through its scan) holds one waiting row.
    The digest must still list both rows, not split them and leave one for tomorrow."""
    first = alert(alice, "a")
    alert(alice, "b")
    locked, release = threading.Event(), threading.Event()

    def hold_first_row() -> None:
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=first.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_first_row)
    holder.start()
    assert locked.wait(timeout=10)
    threading.Timer(0.5, release.set).start()
    written = digest_sweep(now=dt.datetime(2026, 11, 30, 9, 0, tzinfo=NY))
    holder.join()

    assert written == 1
    digest = Notification.objects.get(kind="daily_digest")
    assert digest.subject == "Your daily micro-internship update: 2 new items"
    assert not Notification.objects.filter(email_state=EmailState.DIGEST).exists()
