"""Uploads: nothing of a file past the size limit is kept, and the student is told why."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse

from microintern.accounts.models import Document
from microintern.core.uploads import pdf_problem

pytestmark = pytest.mark.django_db

LIMIT = 5 * 1024 * 1024
CHUNK = 64 * 1024  # Django's upload chunk size


@pytest.fixture
def kept_bytes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many bytes of the upload Django wrote to its temporary file. (Requests this large
    skip the in-memory handler: it passes every chunk on untouched.)"""
    kept: list[int] = []
    original = TemporaryFileUploadHandler.receive_data_chunk

    def spy(self, raw_data, start):
        kept.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", spy)
    return kept


def test_a_file_over_the_limit_is_refused_without_keeping_more_than_the_limit(
    client: Client, student, kept_bytes: list[int]
) -> None:
    client.force_login(student)
    twenty_mb = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024)

    response = client.post(
        reverse("accounts:documents"),
        {
            "kind": "resume",
            "file": SimpleUploadedFile("cv.pdf", twenty_mb, content_type="application/pdf"),
        },
    )

    assert response.status_code == 400
    assert "The file is 20.0 MB; the limit is 5 MB" in response.content.decode()
    assert not Document.objects.filter(student=student).exists()
    assert 0 < sum(kept_bytes) <= LIMIT + CHUNK


def test_a_file_under_the_limit_reaches_the_check_whole(
    client: Client, student, kept_bytes: list[int]
) -> None:
    client.force_login(student)
    four_mb = b"%PDF-1.4\n" + b"0" * (4 * 1024 * 1024)

    response = client.post(
        reverse("accounts:documents"),
        {
            "kind": "resume",
            "file": SimpleUploadedFile("cv.pdf", four_mb, content_type="application/pdf"),
        },
    )

    assert "cannot be read as one" in response.content.decode()  # checked by content, whole
    assert sum(kept_bytes) == len(four_mb)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "The file is empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "This file is not a PDF"),
        (b"%PDF-1.4\nnothing else", "cannot be read as one"),
    ],
    ids=["empty", "png", "truncated"],
)
def test_the_pdf_check_says_what_is_wrong(content: bytes, problem: str) -> None:
    assert problem in pdf_problem(SimpleUploadedFile("x.pdf", content))
