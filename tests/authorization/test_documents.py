"""Uploads: PDF only, judged by content, at most 5 MB, stored privately, downloaded safely."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from authorization import services
from authorization.models import AuthorizationCase, ChecklistItem
from tests.authorization.helpers import pdf_bytes, upload

SIX_MB = 6 * 1024 * 1024

BAD_UPLOADS = {
    "png renamed .pdf": (b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "This file is not a PDF"),
    "pdf header then html": (
        b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>",
        "cannot be read as one",
    ),
    "six megabytes": (b"%PDF-1.4\n" + b"0" * SIX_MB, "the limit is 5 MB"),
    "empty": (b"", "The file is empty"),
}


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def first_item(case: AuthorizationCase) -> ChecklistItem:
    return case.items.order_by("position").first()


@pytest.mark.parametrize(("content", "message"), BAD_UPLOADS.values(), ids=BAD_UPLOADS.keys())
def test_it_refuses_bad_uploads_in_the_service(
    case: AuthorizationCase, intl_student, content: bytes, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        services.checklist_item_attach_document(
            item=first_item(case), student=intl_student, upload=upload(content)
        )

    assert not first_item(case).document
    assert stored_files() == []


@pytest.mark.parametrize(("content", "message"), BAD_UPLOADS.values(), ids=BAD_UPLOADS.keys())
def test_it_shows_a_clear_error_for_bad_uploads_on_the_page(
    client: Client, case: AuthorizationCase, intl_student, content: bytes, message: str
) -> None:
    client.force_login(intl_student)

    response = client.post(
        reverse("authorization:item_upload", args=[first_item(case).pk]),
        {"document": upload(content)},
        follow=True,
    )

    assert message in response.content.decode()
    assert "was not saved" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("authorization:mine")
    assert stored_files() == []


def test_it_stores_a_pdf_under_a_name_the_server_chooses(
    case: AuthorizationCase, intl_student
) -> None:
    item = services.checklist_item_attach_document(
        item=first_item(case),
        student=intl_student,
        upload=upload(pdf_bytes(), name="../../evil.html"),
    )

    (stored,) = stored_files()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT) / "private")
    assert "evil" not in item.document.name
    assert item.document.name.endswith(".pdf")


def test_it_gives_the_file_no_public_url(case: AuthorizationCase, intl_student) -> None:
    item = services.checklist_item_attach_document(
        item=first_item(case), student=intl_student, upload=upload(pdf_bytes())
    )

    with pytest.raises(ValueError):
        item.document.url  # noqa: B018


def test_it_removes_the_replaced_file(
    case: AuthorizationCase, intl_student, django_capture_on_commit_callbacks
) -> None:
    item = first_item(case)
    services.checklist_item_attach_document(
        item=item, student=intl_student, upload=upload(pdf_bytes())
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.checklist_item_attach_document(
            item=item, student=intl_student, upload=upload(pdf_bytes(2))
        )

    assert len(stored_files()) == 1


def test_it_downloads_as_an_attachment_that_browsers_do_not_sniff(
    client: Client, case: AuthorizationCase, intl_student
) -> None:
    item = services.checklist_item_attach_document(
        item=first_item(case), student=intl_student, upload=upload(pdf_bytes())
    )
    client.force_login(intl_student)

    response = client.get(reverse("authorization:document", args=[item.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_it_answers_404_for_a_step_without_a_document(
    client: Client, case: AuthorizationCase, intl_student
) -> None:
    client.force_login(intl_student)

    response = client.get(reverse("authorization:document", args=[first_item(case).pk]))

    assert response.status_code == 404
