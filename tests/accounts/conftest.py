"""Fixtures for the profile and document library tests: MEDIA_ROOT in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


def media_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]
