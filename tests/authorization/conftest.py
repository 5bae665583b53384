"""Fixtures for the authorization tests: private media, no MFA, and the international
student's case. The people are the shared cast (tests/cast.py); the profile, case and PDF
helpers are in tests/authorization/helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from authorization.models import AuthorizationCase
from microintern.accounts.models import User
from tests.authorization.helpers import open_case


@pytest.fixture(autouse=True)
def _fast_and_private(settings: Settings, tmp_path: Path) -> None:
    settings.STAFF_MFA_REQUIRED = False
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CELERY_TASK_ALWAYS_EAGER = False


@pytest.fixture
def case(intl_student: User, iso_advisor: User) -> AuthorizationCase:
    """The international student's CPT case, opened on offers day for an IAP start, with an
    ISO advisor on staff."""
    return open_case(intl_student)
