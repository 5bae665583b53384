"""The outbox: written in the business transaction, delivered once, failures visible."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from microintern.accounts.models import User
from microintern.notifications import kinds, services
from microintern.notifications.models import EmailState, Notification, NotificationPreference

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice@example.edu", "pw", full_name="Alice Example")


def send_test(user, key="evt:1", **kwargs):
    return services.notify(recipient=user, kind="test_message", dedup_key=key, **kwargs)


def test_it_writes_one_row_and_queues_delivery_after_commit(
    alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        notification = send_test(alice, url="/postings/1/")
    assert len(callbacks) == 1
    assert notification.email_state == EmailState.PENDING
    assert notification.subject == "Test message from the micro-internship portal"
    assert notification.url == "http://127.0.0.1:8000/postings/1/"
    assert "Hello Alice" in notification.body_text
    assert "<p>Hello Alice,</p>" in notification.body_html


def test_it_ignores_a_second_notification_of_the_same_event(alice):
    assert send_test(alice) is not None
    assert send_test(alice) is None
    assert Notification.objects.count() == 1


def test_a_duplicate_does_not_break_the_callers_transaction(alice):
    send_test(alice)
    with transaction.atomic():
        send_test(alice)
        User.objects.create_user("bob@example.edu", "pw")
    assert User.objects.filter(email="bob@example.edu").exists()


def test_a_rolled_back_transaction_leaves_nothing_and_queues_nothing(
    alice, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send_test(alice)
        raise RuntimeError("the business change failed")
    assert callbacks == []
    assert not Notification.objects.exists()


def test_an_unknown_kind_is_an_error_at_the_call_site(alice):
    with pytest.raises(kinds.UnknownNotificationKind):
        services.notify(recipient=alice, kind="no_such_kind", dedup_key="x")
    assert not Notification.objects.exists()


def test_a_broken_template_fails_that_notification_visibly(alice, monkeypatch):
    monkeypatch.setitem(kinds._KINDS, "broken_kind", kinds.Kind("broken_kind", "Broken"))
    notification = services.notify(recipient=alice, kind="broken_kind", dedup_key="b:1")
    assert notification.email_state == EmailState.FAILED
    assert "TemplateDoesNotExist" in notification.last_error
    assert notification.subject == "Broken"


def test_it_skips_the_email_of_a_kind_the_user_turned_off(alice, mailoutbox):
    services.preferences_update(user=alice, email_off=["test_message"], daily_digest=False)
    notification = send_test(alice)
    assert notification.email_state == EmailState.SKIPPED
    assert services.outbox_sweep() == 0
    assert mailoutbox == []


def test_it_keeps_a_digestible_alert_for_the_daily_digest(alice, monkeypatch):
    digestible = kinds.Kind("test_message", "Test message", digestible=True)
    monkeypatch.setitem(kinds._KINDS, "test_message", digestible)
    services.preferences_update(user=alice, email_off=[], daily_digest=True)
    assert send_test(alice).email_state == EmailState.DIGEST


def test_a_mandatory_kind_cannot_be_turned_off(alice):
    services.preferences_update(
        user=alice, email_off=["offer_decision_reminder"], daily_digest=False
    )
    assert NotificationPreference.objects.get(user=alice).email_off == []


def test_it_sends_the_email_once_even_when_delivery_runs_twice(alice, mailoutbox):
    notification = send_test(alice)
    assert services.notification_deliver(notification_id=notification.pk) is True
    assert services.notification_deliver(notification_id=notification.pk) is False
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.edu"]
    assert mailoutbox[0].extra_headers["X-Notification-Key"] == "evt:1"
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENT
    assert notification.sent_at is not None


def test_the_email_carries_its_attachment(alice, mailoutbox):
    notification = send_test(alice, attachment=("invite.ics", "BEGIN:VCALENDAR", "text/calendar"))
    services.notification_deliver(notification_id=notification.pk)
    assert mailoutbox[0].attachments[0][0] == "invite.ics"


def test_a_refused_send_is_retried_later_with_backoff(alice, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    notification = send_test(alice)
    assert services.notification_deliver(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.email_state == EmailState.RETRY
    assert notification.attempts == 1
    assert notification.next_attempt_at > timezone.now()
    assert "refused" in notification.last_error


def test_a_send_that_keeps_failing_ends_failed_and_visible(alice, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    notification = send_test(alice)
    for _ in range(services.MAX_ATTEMPTS):
        Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
        services.notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.email_state == EmailState.FAILED
    assert notification.attempts == services.MAX_ATTEMPTS
    assert notification.failed_at is not None


def test_the_sweep_delivers_rows_whose_task_was_lost(alice, mailoutbox):
    send_test(alice, key="a")
    send_test(alice, key="b")
    assert services.outbox_sweep() == 2
    assert services.outbox_sweep() == 0
    assert len(mailoutbox) == 2


def test_the_sweep_does_not_touch_retries_that_are_not_due(alice, mailoutbox):
    notification = send_test(alice)
    Notification.objects.filter(pk=notification.pk).update(
        email_state=EmailState.RETRY, next_attempt_at=timezone.now() + dt.timedelta(minutes=5)
    )
    assert services.outbox_sweep() == 0
    assert mailoutbox == []


def test_the_sweep_takes_back_a_claim_abandoned_by_a_dead_worker(alice, mailoutbox):
    notification = send_test(alice)
    Notification.objects.filter(pk=notification.pk).update(
        email_state=EmailState.SENDING, claimed_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert services.outbox_sweep() == 1
    assert len(mailoutbox) == 1


def test_the_sweep_runs_a_fixed_number_of_queries_per_email(alice, django_assert_num_queries):
    for i in range(3):
        send_test(alice, key=f"k{i}")
    # 1 stale-claim update + 1 select of due ids + per row: claim update, select, sent update
    with django_assert_num_queries(2 + 3 * 3):
        services.outbox_sweep()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_email_once(mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serializes the whole database)")
    user = User.objects.create_user("carol@example.edu", "pw")
    for i in range(20):
        services.notify(recipient=user, kind="test_message", dedup_key=f"race:{i}")
    barrier = threading.Barrier(2)
    sent = []

    def sweep():
        try:
            barrier.wait()
            sent.append(services.outbox_sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(sent) == 20
    assert len(mailoutbox) == 20
    assert Notification.objects.filter(email_state=EmailState.SENT).count() == 20


def test_an_event_told_already_costs_one_query_and_renders_nothing(
    alice, django_assert_num_queries, monkeypatch
):
    first = services.notify(recipient=alice, kind="test_message", dedup_key="once")
    assert first is not None
    rendered = []
    monkeypatch.setattr(services, "render_email", lambda *a: rendered.append(a))
    with django_assert_num_queries(1):  # SELECT 1 ... WHERE dedup_key IN ('once')
        assert services.notify(recipient=alice, kind="test_message", dedup_key="once") is None
    assert rendered == []


def test_already_notified_answers_for_a_batch_in_one_query(alice, django_assert_num_queries):
    services.notify(recipient=alice, kind="test_message", dedup_key="a")
    with django_assert_num_queries(1):
        assert services.already_notified(["a", "b"]) == {"a"}
