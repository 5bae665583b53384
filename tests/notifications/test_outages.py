"""Redis down, SMTP down, a worker that dies mid-send: no 5xx, no lost or doubled email.

SMTP is a real server on loopback (aiosmtpd, tests/smtp_sink.py); "down" is a closed port,
as it is for Redis (redis://127.0.0.1:6390). The worker's part is played by the outbox sweep,
the same function beat runs every minute.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from microintern.accounts.models import User
from microintern.celery import app as celery_app
from microintern.core.outage import broker_breaker, cache_breaker
from microintern.notifications import services
from microintern.notifications.models import EmailState, Notification
from tests.factories import DEMO_PASSWORD, StaffFactory, StudentFactory
from tests.smtp_sink import SMTPSink, free_port

pytestmark = pytest.mark.django_db

CLOSED_REDIS = "redis://127.0.0.1:6390/0"
NEW_PASSWORD = "Correct-Horse-Battery-42"


@pytest.fixture(autouse=True)
def _breakers_closed() -> Iterator[None]:
    cache_breaker.reset()
    broker_breaker.reset()
    yield
    cache_breaker.reset()
    broker_breaker.reset()


@pytest.fixture
def smtp_down(settings: Settings) -> int:
    """Email goes by SMTP to a port where nothing listens; returns the port."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    return port


@pytest.fixture
def redis_down(settings: Settings) -> Iterator[None]:
    """The cache and the broker both point at a closed Redis port."""
    settings.CACHES = {
        "default": {
            "BACKEND": "microintern.core.outage.FailOpenRedisCache",
            "LOCATION": CLOSED_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    saved = celery_app.conf.broker_url
    celery_app.conf.broker_url = CLOSED_REDIS
    celery_app._pool = None  # the connection pools were made for the old URL
    celery_app.amqp._producer_pool = None
    yield
    celery_app.conf.broker_url = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def signup(client: Client, email: str = "maya@example.edu"):
    return client.post(
        reverse("account_signup"),
        {
            "role": "student",
            "full_name": "Maya Chen",
            "email": email,
            "organization_name": "",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )


def deliver_later(sink: SMTPSink, settings: Settings) -> None:
    """SMTP is back: point at it and run the sweep as beat would once the retry is due."""
    settings.EMAIL_PORT = sink.port
    Notification.objects.filter(email_state=EmailState.RETRY).update(next_attempt_at=timezone.now())
    services.outbox_sweep()


def link_in(message) -> str:
    match = re.search(r"https?://\S+(/accounts/\S+/)", message.get_body(("plain",)).get_content())
    assert match, message
    return match.group(1)


# --- SMTP down --------------------------------------------------------------------------------


def test_it_signs_up_with_smtp_down_and_sends_the_confirmation_once_smtp_is_back(
    client: Client, smtp_down: int, settings: Settings
) -> None:
    response = signup(client)

    assert response.status_code == 302
    row = Notification.objects.get(kind="account")
    assert row.email_state == EmailState.PENDING

    services.outbox_sweep()  # SMTP still down: the attempt is recorded, nothing is lost
    row.refresh_from_db()
    assert (row.email_state, row.attempts) == (EmailState.RETRY, 1)
    assert "Connection refused" in row.last_error or "Errno" in row.last_error

    with SMTPSink() as sink:
        deliver_later(sink, settings)
        received = sink.messages
    assert [m["To"] for m in received] == ["maya@example.edu"]
    assert link_in(received[0]).startswith("/accounts/confirm-email/")
    assert Notification.objects.get(kind="account").email_state == EmailState.SENT


def test_it_signs_in_with_smtp_down(client: Client, smtp_down: int) -> None:
    student = StudentFactory()

    response = client.post(
        reverse("account_login"), {"login": student.email, "password": DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(student.pk)


def test_it_sends_a_password_reset_with_smtp_down_later(
    client: Client, smtp_down: int, settings: Settings
) -> None:
    student = StudentFactory(email="sam@example.edu")

    response = client.post(reverse("account_reset_password"), {"email": student.email})

    assert response.status_code == 302
    services.outbox_sweep()
    with SMTPSink() as sink:
        deliver_later(sink, settings)
        received = sink.messages
    assert [m["To"] for m in received] == [student.email]
    page = client.get(link_in(received[0]), follow=True)
    assert page.status_code == 200
    assert b"new password" in page.content.lower()


def test_account_emails_have_the_portals_look_in_text_and_html(
    client: Client, smtp_down: int, settings: Settings
) -> None:
    signup(client)

    with SMTPSink() as sink:
        deliver_later(sink, settings)
        message = sink.messages[0]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hello from" not in text
    assert "CAPD Micro-internships" in text
    assert "CAPD Micro-internships" in html
    assert '<a href="http' in html  # the confirmation link is a link
    assert message["Subject"].startswith("[Micro-internships] ")


def test_a_sent_account_email_keeps_its_record_but_not_its_link(
    client: Client, settings: Settings
) -> None:
    signup(client)

    services.outbox_sweep()

    row = Notification.objects.get(kind="account")
    assert row.email_state == EmailState.SENT
    assert (row.body_text, row.body_html) == ("", "")
    assert row.subject  # staff still see what was sent, and when


def test_account_emails_are_not_in_the_in_app_inbox(client: Client) -> None:
    signup(client)
    user = User.objects.get(email="maya@example.edu")

    assert Notification.objects.filter(recipient=user).count() == 1
    assert not Notification.objects.for_user(user).exists()


def test_a_password_reset_for_an_unknown_address_sends_nothing(client: Client) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.edu"})

    assert response.status_code == 302  # the same answer as for a real account
    assert not Notification.objects.exists()


# --- a worker that dies mid-send --------------------------------------------------------------


def test_a_notification_reclaimed_after_a_crash_keeps_its_message_id(
    smtp_down: int, settings: Settings
) -> None:
    student = StudentFactory()
    row = services.notify(recipient=student, kind="test_message", dedup_key="evt:crash")
    with SMTPSink() as sink:
        settings.EMAIL_PORT = sink.port
        # The worker claims the row and sends the email, then dies before recording it.
        Notification.objects.filter(pk=row.pk).update(
            email_state=EmailState.SENDING, claimed_at=timezone.now(), attempts=1
        )
        services.send_email(Notification.objects.get(pk=row.pk))

        services.outbox_sweep()  # too early: the claim may still be a live worker's
        assert len(sink.messages) == 1

        later = timezone.now() + dt.timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS)
        services.outbox_sweep(now=later + dt.timedelta(seconds=1))
        received = sink.messages

    assert len(received) == 2
    assert received[0]["Message-ID"] == received[1]["Message-ID"]
    # SITE_URL is http://127.0.0.1:8000 here, no one's domain: the From address's domain.
    assert received[0]["Message-ID"].endswith("@example.edu>")
    assert Notification.objects.get(pk=row.pk).email_state == EmailState.SENT


# --- Redis down -------------------------------------------------------------------------------


def test_the_cache_answers_as_an_empty_cache_while_redis_is_down(redis_down: None) -> None:
    assert cache.get("anything", "default") == "default"
    assert cache.add("lock", True) is True  # allauth's lock must not spin for a second
    cache.set("key", "value")
    assert cache_breaker.is_open()  # the next calls do not try a dead server again


def test_it_signs_in_with_redis_down(client: Client, redis_down: None) -> None:
    student = StudentFactory()

    response = client.post(
        reverse("account_login"), {"login": student.email, "password": DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(student.pk)


def test_it_signs_up_with_redis_down_and_the_sweep_delivers_the_email_later(
    client: Client, redis_down: None, smtp_down: int, settings: Settings
) -> None:
    response = signup(client)

    assert response.status_code == 302
    row = Notification.objects.get(kind="account")
    assert row.email_state == EmailState.PENDING  # queued for the sweep, not lost
    with SMTPSink() as sink:
        settings.EMAIL_PORT = sink.port
        services.outbox_sweep()  # beat runs it every minute once the broker is back
        assert [m["To"] for m in sink.messages] == ["maya@example.edu"]


def test_a_password_reset_with_redis_down_is_delivered_later(
    client: Client, redis_down: None, settings: Settings
) -> None:
    student = StudentFactory(email="sam@example.edu")

    response = client.post(reverse("account_reset_password"), {"email": student.email})

    assert response.status_code == 302
    with SMTPSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        services.outbox_sweep()
        assert [m["To"] for m in sink.messages] == [student.email]


def test_publishing_while_the_broker_is_down_stops_trying_for_a_while(redis_down: None) -> None:
    student = StudentFactory()

    row = services.notify(recipient=student, kind="test_message", dedup_key="evt:queued")

    services.queue_delivery(row.pk)

    assert broker_breaker.is_open()


def test_staff_see_that_an_account_email_was_sent_but_not_its_link(
    client: Client, smtp_down: int
) -> None:
    signup(client)
    row = Notification.objects.get(kind="account")
    assert "/accounts/confirm-email/" in row.body_text  # pending: the link is still in it
    staff = StaffFactory()
    client.force_login(staff)

    page = client.get(reverse("admin:notifications_notification_change", args=[row.pk]))

    assert page.status_code == 200
    assert row.subject.encode() in page.content
    assert b"/accounts/confirm-email/" not in page.content
