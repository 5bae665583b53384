"""Fixtures for the notifications tests: a real SMTP server to send to, and a recipient."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings

from microintern.accounts.models import User
from tests.factories import StudentFactory
from tests.notifications.emails import SITE
from tests.smtp_sink import SMTPSink


@pytest.fixture
def sink(settings: Settings) -> Iterator[SMTPSink]:
    """Email goes by SMTP to a sink on loopback, with links on the production-like SITE."""
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    with SMTPSink() as running:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", running.port
        yield running


@pytest.fixture
def maya(db: None) -> User:
    """A student whose name has an apostrophe, as many do."""
    return StudentFactory(email="maya@example.edu", full_name="Maya O'Neil")
