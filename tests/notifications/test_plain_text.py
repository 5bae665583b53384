"""Subjects and text bodies are plain text: a name with `&` or `'` arrives as typed, in the
email and in the in-app inbox, and nothing in a subject can start a header of its own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from microintern.notifications import services
from tests.notifications.emails import optional_email, sent
from tests.smtp_sink import SMTPSink

pytestmark = pytest.mark.django_db


def test_the_subject_arrives_as_typed(sink: SMTPSink, maya) -> None:
    message = sent(sink, optional_email(maya))

    assert message["Subject"] == "Your posting “R&D at O'Neil & Sons” is published"


def test_the_text_body_is_not_html_escaped(sink: SMTPSink, maya) -> None:
    text = sent(sink, optional_email(maya)).get_body(("plain",)).get_content()

    assert "Hello Maya," in text
    assert "“R&D at O'Neil & Sons”" in text
    assert "&amp;" not in text


def test_the_html_body_escapes_once(sink: SMTPSink, maya) -> None:
    html = sent(sink, optional_email(maya)).get_body(("html",)).get_content()

    assert "R&amp;D at O&#x27;Neil &amp; Sons" in html
    assert "&amp;amp;" not in html


def test_the_inbox_shows_the_subject_as_typed(client: Client, maya) -> None:
    optional_email(maya)
    client.force_login(maya)

    page = client.get(reverse("notifications:inbox")).content.decode()

    assert "Your posting “R&amp;D at O&#x27;Neil &amp; Sons” is published" in page  # shows as "&"
    assert "&amp;amp;" not in page


def test_a_line_break_in_a_subject_cannot_add_a_header(sink: SMTPSink, maya) -> None:
    notification = services.notify_rendered(
        recipient=maya,
        kind="test_message",
        dedup_key="evt:inject",
        subject="Hello\r\nBcc: attacker@example.com\n\tthere\x00",
        body_text="Hi",
        body_html="",
    )

    message = sent(sink, notification)

    assert notification.subject == "Hello Bcc: attacker@example.com there"
    assert message["Subject"] == "Hello Bcc: attacker@example.com there"
    assert message["Bcc"] is None
