"""The document library: upload once, name, one default resume, replace, delete; the same
PDF checks as every upload, a cap per file and a quota per student; files only to their
owner; and a fixed number of queries however many documents."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from microintern.accounts import services
from microintern.accounts.models import Document
from tests.accounts.conftest import media_files
from tests.applications.factories import library_document, pdf_bytes, pdf_upload
from tests.core import hostile_pdfs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media_root):
    return media_root


def upload(client, filename="resume.pdf", kind="resume", content=None, **extra):
    data = {"kind": kind, "file": pdf_upload(filename, content), **extra}
    return client.post(reverse("accounts:documents"), data)


def test_it_keeps_an_uploaded_resume_and_makes_the_first_one_the_default(student_client, student):
    response = upload(student_client, "My CV.pdf", name="Resume for software roles")
    assert response.status_code == 302
    document = Document.objects.get(student=student)
    assert document.name == "Resume for software roles"
    assert document.original_name == "My CV.pdf"
    assert document.is_default
    assert document.file.name.startswith("documents/") and "CV" not in document.file.name


def test_it_names_a_document_after_its_file_by_default(student_client, student):
    upload(student_client, "Cover letter 2027.pdf", kind="cover_letter")
    assert Document.objects.get(student=student).name == "Cover letter 2027"


def test_it_lists_the_students_documents_only(student_client, student, other_student):
    library_document(student, "mine.pdf")
    library_document(other_student, "theirs.pdf")
    html = student_client.get(reverse("accounts:documents")).content.decode()
    assert "mine.pdf" in html and "theirs.pdf" not in html
    assert "Default resume" in html


def test_it_refuses_a_file_that_is_not_a_pdf(student_client, student, media_root):
    response = student_client.post(
        reverse("accounts:documents"),
        {"kind": "resume", "file": SimpleUploadedFile("cv.pdf", b"<html>hello</html>")},
    )
    assert response.status_code == 400
    assert "not a PDF" in response.content.decode()
    assert not Document.objects.exists() and media_files(media_root) == []


def test_it_refuses_a_hostile_pdf(student_client, media_root):
    response = upload(student_client, content=hostile_pdfs.javascript_open_action())
    assert response.status_code == 400
    assert "JavaScript" in response.content.decode()
    assert not Document.objects.exists() and media_files(media_root) == []


def test_it_refuses_a_file_over_the_cap(student_client, settings, media_root):
    settings.MAX_UPLOAD_BYTES = 1000
    response = upload(student_client, content=pdf_bytes() + b" " * 2000)
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert not Document.objects.exists() and media_files(media_root) == []


def test_it_refuses_a_file_past_the_students_quota(student_client, student, settings, media_root):
    first = library_document(student, "first.pdf")
    settings.DOCUMENT_LIBRARY_QUOTA_BYTES = first.size + 10
    response = upload(student_client, "second.pdf")
    assert response.status_code == 400
    assert "does not fit" in response.content.decode()
    assert list(Document.objects.values_list("original_name", flat=True)) == ["first.pdf"]
    assert len(media_files(media_root)) == 1


def test_it_refuses_more_documents_than_the_limit(student_client, student, settings):
    settings.DOCUMENT_LIBRARY_MAX_FILES = 1
    library_document(student, "first.pdf")
    response = upload(student_client, "second.pdf")
    assert response.status_code == 400
    assert "at most 1 documents" in response.content.decode()
    assert Document.objects.count() == 1


def test_it_makes_another_resume_the_default(student_client, student):
    first = library_document(student, "first.pdf")
    second = library_document(student, "second.pdf")
    response = student_client.post(reverse("accounts:document_default", args=[second.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.is_default and not first.is_default


def test_only_a_resume_can_be_the_default(student):
    letter = library_document(student, "letter.pdf", kind="cover_letter")
    with pytest.raises(ValidationError):
        services.document_make_default(student=student, document=letter)


def test_deleting_the_default_resume_makes_the_newest_other_one_the_default(
    student_client, student, media_root, django_capture_on_commit_callbacks
):
    first = library_document(student, "first.pdf")
    second = library_document(student, "second.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = student_client.post(reverse("accounts:document_delete", args=[first.pk]))
    assert response.status_code == 302
    assert list(Document.objects.all()) == [second]
    second.refresh_from_db()
    assert second.is_default
    assert len(media_files(media_root)) == 1


def test_it_replaces_a_documents_file_and_removes_the_old_one(
    student_client, student, media_root, django_capture_on_commit_callbacks
):
    document = library_document(student, "old.pdf")
    old_name = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = student_client.post(
            reverse("accounts:document_change", args=[document.pk]),
            {"name": "Resume 2027", "file": pdf_upload("new.pdf", pdf_bytes(pages=2))},
        )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.name, document.original_name) == ("Resume 2027", "new.pdf")
    assert document.file.name != old_name
    assert not (media_root / old_name).exists()
    assert len(media_files(media_root)) == 1


def test_a_refused_replacement_changes_nothing(student_client, student, media_root):
    document = library_document(student, "old.pdf")
    response = student_client.post(
        reverse("accounts:document_change", args=[document.pk]),
        {"name": "Renamed", "file": SimpleUploadedFile("x.pdf", b"not a pdf")},
    )
    assert response.status_code == 400
    document.refresh_from_db()
    assert (document.name, document.original_name) == ("old", "old.pdf")
    assert len(media_files(media_root)) == 1


def test_it_renames_a_document(student_client, student):
    document = library_document(student, "old.pdf")
    student_client.post(reverse("accounts:document_change", args=[document.pk]), {"name": "New"})
    document.refresh_from_db()
    assert document.name == "New"


def test_it_serves_a_document_to_its_owner_as_a_private_attachment(student_client, student):
    document = library_document(student, "mine.pdf")
    response = student_client.get(reverse("accounts:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    "url_name",
    ["document_download", "document_change", "document_default", "document_delete"],
)
@pytest.mark.parametrize("who", ["other_student", "employer", "staff"])
def test_nobody_else_opens_or_changes_a_students_document(client, student, request, url_name, who):
    document = library_document(student, "mine.pdf")
    client.force_login(request.getfixturevalue(who))
    url = reverse(f"accounts:{url_name}", args=[document.pk])
    response = client.post(url) if url_name in ("document_default", "document_delete") else None
    response = response or client.get(url)
    assert response.status_code == 404
    assert Document.objects.filter(pk=document.pk, is_default=True).exists()


def test_the_services_refuse_another_students_document(student, other_student):
    theirs = library_document(other_student, "theirs.pdf")
    with pytest.raises(PermissionDenied):
        services.document_delete(student=student, document=theirs)
    with pytest.raises(PermissionDenied):
        services.document_rename(student=student, document=theirs, name="Mine now")
    assert Document.objects.get(pk=theirs.pk).name == "theirs"


def test_a_get_never_deletes_or_changes_the_default(student_client, student):
    document = library_document(student, "mine.pdf")
    assert (
        student_client.get(reverse("accounts:document_delete", args=[document.pk])).status_code
        == 405
    )
    assert (
        student_client.get(reverse("accounts:document_default", args=[document.pk])).status_code
        == 405
    )
    assert Document.objects.filter(pk=document.pk).exists()


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("accounts:documents"))
    assert response.status_code == 200
    return len(context.captured_queries)


def test_it_lists_20_documents_in_as_many_queries_as_2(student_client, student, settings):
    settings.DOCUMENT_LIBRARY_MAX_FILES = 50
    for i in range(2):
        library_document(student, f"doc{i}.pdf")
    few = _count_queries(student_client)
    for i in range(2, 20):
        library_document(student, f"doc{i}.pdf", kind="other" if i % 2 else "resume")
    # 1 session, 2 user, 3 the documents (the space used is summed from them), 4 unread
    # notifications (menu).
    assert few == 4
    assert _count_queries(student_client) == few
