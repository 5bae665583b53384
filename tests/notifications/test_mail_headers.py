"""Notification emails behave like mail: machine-sent, on the portal's domain, with a
preferences link, and one-click unsubscribe for what a user may turn off.

Sent for real, over SMTP to a sink on loopback (tests/smtp_sink.py), and read back as a mail
client parses them.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from microintern.notifications import services
from microintern.notifications.models import EmailState, Notification, NotificationPreference
from tests.factories import StudentFactory
from tests.notifications.emails import SITE, mandatory_email, optional_email, path_of, sent
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


def test_an_optional_kind_carries_one_click_unsubscribe(sink: SMTPSink, maya) -> None:
    message = sent(sink, optional_email(maya))

    link = message["List-Unsubscribe"]
    assert link.startswith(f"<{SITE}/notifications/unsubscribe/") and link.endswith(">")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_mandatory_kind_has_no_unsubscribe_headers(sink: SMTPSink, maya) -> None:
    message = sent(sink, mandatory_email(maya))

    assert message["List-Unsubscribe"] is None
    assert message["List-Unsubscribe-Post"] is None


def test_an_account_email_has_no_unsubscribe_headers(sink: SMTPSink, client: Client) -> None:
    user = StudentFactory(email="sam@example.edu")
    client.post(reverse("account_reset_password"), {"email": user.email})

    message = sent(sink, Notification.objects.get(kind="account"))

    assert message["List-Unsubscribe"] is None
    assert message["Auto-Submitted"] == "auto-generated"
    assert f"{SITE}/notifications/preferences" in message.get_body(("plain",)).get_content()


def test_the_one_click_post_from_the_header_turns_the_kind_off(
    sink: SMTPSink, client: Client, maya
) -> None:
    link = sent(sink, optional_email(maya))["List-Unsubscribe"].strip("<>")

    # What a mail provider sends (RFC 8058): no cookie, no CSRF token.
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(
        path_of(link),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=maya).email_off == ["posting_approved"]
    assert optional_email(maya, key="evt:2").email_state == EmailState.SKIPPED


# --- footer -----------------------------------------------------------------------------------


def test_every_email_links_to_the_preferences_page(sink: SMTPSink, maya) -> None:
    message = sent(sink, mandatory_email(maya))

    preferences = f"{SITE}/notifications/preferences"
    assert preferences in message.get_body(("plain",)).get_content()
    assert f'href="{preferences}"' in message.get_body(("html",)).get_content()


def test_the_preferences_link_opens_the_preferences_page(sink: SMTPSink, client: Client, maya):
    client.force_login(maya)
    text = sent(sink, mandatory_email(maya)).get_body(("plain",)).get_content()
    url = next(word for word in text.split() if word.endswith("/notifications/preferences"))

    assert client.get(path_of(url)).status_code == 200


def test_an_optional_email_links_to_its_unsubscribe_page(sink: SMTPSink, maya) -> None:
    message = sent(sink, optional_email(maya))

    link = message["List-Unsubscribe"].strip("<>")
    assert (
        f"Stop “Your posting was approved” emails: {link}"
        in message.get_body(("plain",)).get_content()
    )
    assert f'href="{link}"' in message.get_body(("html",)).get_content()


def test_a_mandatory_email_has_no_unsubscribe_link(sink: SMTPSink, maya) -> None:
    text = sent(sink, mandatory_email(maya)).get_body(("plain",)).get_content()

    assert "/notifications/unsubscribe/" not in text
