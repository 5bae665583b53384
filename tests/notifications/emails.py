"""Helpers for the tests that send notification emails and read them back."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.utils import timezone

from microintern.accounts.models import User
from microintern.notifications import services
from microintern.notifications.models import EmailState, Notification
from tests.smtp_sink import SMTPSink

SITE = "https://portal.example.edu"


def sent(sink: SMTPSink, notification: Notification | None) -> EmailMessage:
    """Deliver the notification; the one message the sink received, as a client parses it."""
    assert notification is not None and notification.email_state != EmailState.FAILED
    assert services.notification_deliver(notification_id=notification.pk)
    (message,) = sink.messages
    return message


def optional_email(user: User, key: str = "evt:1") -> Notification | None:
    """A kind the user may turn off ("Your posting was approved"), with `&` and `'` in it."""
    posting = SimpleNamespace(title="R&D at O'Neil & Sons", deadline=timezone.now())
    return services.notify(
        recipient=user,
        kind="posting_approved",
        dedup_key=key,
        context={"posting": posting},
        url="/postings/1/",
    )


def mandatory_email(user: User) -> Notification | None:
    """A kind nobody may turn off: an offer and its decision deadline."""
    return services.notify(
        recipient=user,
        kind="offer_extended",
        dedup_key="offer:1",
        context={
            "organization": SimpleNamespace(name="Kendall Robotics"),
            "posting": SimpleNamespace(title="Sensor data cleanup"),
            "offer": SimpleNamespace(deadline=timezone.now() + dt.timedelta(days=7)),
        },
        url="/offers/1/",
    )


def path_of(url: str) -> str:
    return urlsplit(url).path
