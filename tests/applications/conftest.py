"""Fixtures for the applications tests: MEDIA_ROOT in a temporary folder and the student's
application to the cast's posting. The people are the shared cast (tests/cast.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.applications import factories


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
