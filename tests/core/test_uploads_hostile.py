"""Uploads: a PDF is accepted only when it carries nothing a reader could run or unpack and
nothing else is packed around it. Each refusal tells the student what to do, and keeps
nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from microintern.accounts.models import Document, User
from microintern.core.uploads import pdf_problem
from tests.core import hostile_pdfs

JAVASCRIPT = "This PDF contains JavaScript, which we do not accept."
ACTIONS = "This PDF runs actions by itself"
LAUNCH = "This PDF tries to start other programs"
ATTACHMENTS = "This PDF has files attached inside it"
XFA = "This PDF is an XFA form"
SMUGGLED = "This file has something other than a PDF packed into it"
NOT_A_PDF = "This file is not a PDF"
REPRINT = "Print it to a new PDF and upload that."

HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "javascript name tree": (hostile_pdfs.javascript_name_tree, JAVASCRIPT),
    "javascript open action": (hostile_pdfs.javascript_open_action, JAVASCRIPT),
    "javascript in an object stream": (hostile_pdfs.javascript_in_object_stream, JAVASCRIPT),
    "javascript with escaped names": (hostile_pdfs.escaped_javascript_names, JAVASCRIPT),
    "javascript the xref leaves out": (
        hostile_pdfs.javascript_outside_the_cross_reference_table,
        JAVASCRIPT,
    ),
    "web page open action": (hostile_pdfs.uri_open_action, ACTIONS),
    "page additional action": (hostile_pdfs.page_additional_action, ACTIONS),
    "annotation additional action": (hostile_pdfs.annotation_additional_action, ACTIONS),
    "launch action": (hostile_pdfs.launch_link, LAUNCH),
    "embedded file": (hostile_pdfs.embedded_file, ATTACHMENTS),
    "file attachment annotation": (hostile_pdfs.file_attachment_annotation, ATTACHMENTS),
    "xfa form": (hostile_pdfs.xfa_form, XFA),
    "pdf then html": (hostile_pdfs.pdf_then_html, SMUGGLED),
    "pdf then zip": (hostile_pdfs.pdf_then_zip, SMUGGLED),
    "pdf then another pdf": (hostile_pdfs.pdf_then_pdf, SMUGGLED),
    "svg behind a pdf header": (hostile_pdfs.svg_behind_pdf_header, SMUGGLED),
    "bytes before the header": (hostile_pdfs.bytes_before_the_header, NOT_A_PDF),
}


def problem_with(content: bytes) -> str | None:
    return pdf_problem(SimpleUploadedFile("cv.pdf", content, content_type="application/pdf"))


@pytest.mark.parametrize(("build", "message"), HOSTILE.values(), ids=HOSTILE.keys())
def test_it_refuses_a_hostile_file_saying_why(build: Callable[[], bytes], message: str) -> None:
    assert message in (problem_with(build()) or "")


@pytest.mark.parametrize(
    "build",
    [build for build, message in HOSTILE.values() if message != NOT_A_PDF],
    ids=[key for key, (_, message) in HOSTILE.items() if message != NOT_A_PDF],
)
def test_it_tells_the_student_how_to_get_an_acceptable_copy(build: Callable[[], bytes]) -> None:
    assert (problem_with(build()) or "").endswith(REPRINT)


@pytest.mark.parametrize(
    "build",
    [
        hostile_pdfs.clean_pdf,
        hostile_pdfs.fit_page_open_action,
        hostile_pdfs.harmless_name_starting_with_aa,
    ],
    ids=["plain", "hyperref open-on-page-1", "name starting with AA"],
)
def test_it_accepts_an_ordinary_pdf(build: Callable[[], bytes]) -> None:
    assert problem_with(build()) is None


def test_it_accepts_whitespace_after_the_last_eof() -> None:
    assert problem_with(hostile_pdfs.clean_pdf() + b"\r\n\n \x00") is None


def test_it_accepts_page_text_that_mentions_javascript_and_html() -> None:
    # Page content is not PDF syntax: a CV may say "/JS developer" or "<html> and CSS".
    content = b"BT /F1 12 Tf 72 720 Td (JS /JS /JavaScript <html> <script>) Tj ET"

    assert problem_with(hostile_pdfs.with_page_content(content)) is None


# --- through the upload page: nothing is stored -----------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db
@pytest.mark.parametrize(("build", "message"), HOSTILE.values(), ids=HOSTILE.keys())
def test_it_keeps_nothing_of_a_hostile_pdf_in_the_library(
    client: Client, student: User, media_root: Path, build: Callable[[], bytes], message: str
) -> None:
    client.force_login(student)

    response = client.post(
        reverse("accounts:documents"),
        {
            "kind": "resume",
            "file": SimpleUploadedFile("cv.pdf", build(), content_type="application/pdf"),
        },
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.filter(student=student).exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]
