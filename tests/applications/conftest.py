"""The cast for applications tests: a student and another student, an employer of
organization A (the posting's), a member of organization B, CAPD staff; a published posting
of A; and MEDIA_ROOT in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.applications import factories
from tests.cast import (  # noqa: F401 (fixtures)
    cycle,
    employer,
    iso_advisor,
    misti_manager,
    org_a,
    org_b,
    other_employer,
    other_student,
    posting,
    staff,
    student,
    superuser,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def application(posting, student):
    return factories.SubmittedApplicationFactory(posting=posting, student=student)


def media_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]
