"""Notification emails behave like mail: machine-sent, and on the portal's domain.

Sent for real, over SMTP to a sink on loopback (tests/smtp_sink.py), and read back as a mail
client parses them.
"""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from microintern.notifications import services
from tests.notifications.emails import mandatory_email, optional_email, sent
from tests.smtp_sink import SMTPSink

pytestmark = pytest.mark.django_db


# --- headers ----------------------------------------------------------------------------------


def test_it_marks_every_email_auto_generated(sink: SMTPSink, maya) -> None:
    assert sent(sink, optional_email(maya))["Auto-Submitted"] == "auto-generated"


def test_a_mandatory_email_is_auto_generated_too(sink: SMTPSink, maya) -> None:
    assert sent(sink, mandatory_email(maya))["Auto-Submitted"] == "auto-generated"


def test_the_message_id_is_on_the_sites_domain(sink: SMTPSink, maya) -> None:
    message_id = sent(sink, optional_email(maya))["Message-ID"]

    assert message_id.endswith("@portal.example.edu>")


def test_a_development_site_url_gives_the_from_addresss_domain(
    sink: SMTPSink, settings: Settings, maya
) -> None:
    settings.SITE_URL = "http://localhost:8000"

    message_id = sent(sink, optional_email(maya))["Message-ID"]

    assert message_id.endswith("@example.edu>")  # DEFAULT_FROM_EMAIL's domain, not localhost


def test_a_long_subject_is_read_back_as_sent(sink: SMTPSink, maya) -> None:
    subject = "Interview booked: “Sensor data cleanup and calibration”, Dec 4, 10:00 AM EST"
    notification = services.notify_rendered(
        recipient=maya,
        kind="test_message",
        dedup_key="evt:long",
        subject=subject,
        body_text="Hi",
        body_html="",
    )

    assert sent(sink, notification)["Subject"] == subject  # not " Interview booked: ..."
