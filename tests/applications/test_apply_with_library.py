"""Applying with the document library: the default resume chosen for the student, uploads
kept in the library at once so that a form error costs nothing, another student's document
refused, and the employer seeing the profile snapshot of their own applicants only."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application, ApplicationStatus, MaterialRole
from microintern.accounts.models import Document
from tests.applications import factories
from tests.applications.conftest import media_files
from tests.applications.factories import library_document, pdf_upload


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


def apply_url(posting):
    return reverse("applications:apply", args=[posting.pk])


def checked(html: str, name: str) -> str | None:
    """The value of the checked radio button of `name`, if any."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and "checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def test_it_chooses_the_default_resume_for_the_student(student_client, student, posting):
    library_document(student, "old.pdf")
    default = library_document(student, "best.pdf", make_default=True)
    html = student_client.get(apply_url(posting)).content.decode()
    assert checked(html, "resume_document") == str(default.pk)
    assert "best.pdf" in html and "old.pdf" in html


def test_it_applies_with_library_documents_without_uploading_anything(
    student_client, student, posting
):
    resume = library_document(student, "resume.pdf")
    letter = library_document(student, "letter.pdf", kind="cover_letter")
    response = student_client.post(
        apply_url(posting),
        {"resume_document": resume.pk, "cover_letter_document": letter.pk},
    )
    assert response.status_code == 302
    application = Application.objects.get(student=student)
    sent = {m.role: m for m in application.materials.all()}
    assert sent[MaterialRole.RESUME].original_name == "resume.pdf"
    assert sent[MaterialRole.COVER_LETTER].original_name == "letter.pdf"
    assert sent[MaterialRole.RESUME].file.name != resume.file.name  # a copy


def test_an_upload_on_the_apply_form_is_added_to_the_library(student_client, student, posting):
    response = student_client.post(
        apply_url(posting), {"resume": pdf_upload("fresh.pdf"), "cover_letter_text": "Hello"}
    )
    assert response.status_code == 302
    document = Document.objects.get(student=student)
    assert (document.original_name, document.kind, document.is_default) == (
        "fresh.pdf",
        "resume",
        True,
    )
    assert Application.objects.get().materials.get().original_name == "fresh.pdf"


def test_a_form_error_keeps_every_choice_and_every_upload(student_client, student, posting):
    letter = library_document(student, "letter.pdf", kind="cover_letter")
    sample = factories.PostingMaterialFactory(posting=posting, label="Writing sample", kind="file")
    answer = factories.PostingMaterialFactory(
        posting=posting, label="Why us?", kind="text", required=True
    )
    response = student_client.post(
        apply_url(posting),
        {
            "resume": pdf_upload("new-resume.pdf"),
            "cover_letter_document": letter.pk,
            "cover_letter_text": "My typed letter",
            f"material_{sample.pk}": pdf_upload("essay.pdf"),
            f"material_{answer.pk}": "",  # required: the error
        },
    )
    assert response.status_code == 400
    assert not Application.objects.exists()
    html = response.content.decode()
    new_resume = Document.objects.get(student=student, original_name="new-resume.pdf")
    essay = Document.objects.get(student=student, original_name="essay.pdf")
    assert checked(html, "resume_document") == str(new_resume.pk)
    assert checked(html, "cover_letter_document") == str(letter.pk)
    assert checked(html, f"material_{sample.pk}_document") == str(essay.pk)
    assert "My typed letter" in html
    assert "nothing to pick again" in html

    # Sending again, with the one missing answer and no file chosen again.
    response = student_client.post(
        apply_url(posting),
        {
            "resume_document": new_resume.pk,
            "cover_letter_document": letter.pk,
            "cover_letter_text": "My typed letter",
            f"material_{sample.pk}_document": essay.pk,
            f"material_{answer.pk}": "Robots.",
        },
    )
    assert response.status_code == 302
    names = set(Application.objects.get().materials.values_list("original_name", flat=True))
    assert names == {"new-resume.pdf", "letter.pdf", "essay.pdf", ""}


def test_a_refused_upload_keeps_nothing_of_it_and_keeps_the_other_choices(
    student_client, student, posting, media_root
):
    letter = library_document(student, "letter.pdf", kind="cover_letter")
    response = student_client.post(
        apply_url(posting),
        {
            "resume": SimpleUploadedFile("cv.pdf", b"<html>not a pdf</html>"),
            "cover_letter_document": letter.pk,
        },
    )
    assert response.status_code == 400
    assert "not a PDF" in response.content.decode()
    assert checked(response.content.decode(), "cover_letter_document") == str(letter.pk)
    assert list(Document.objects.filter(student=student)) == [letter]
    assert len(media_files(media_root)) == 1 and not Application.objects.exists()


def test_another_students_document_id_is_refused_with_a_clear_message(
    student_client, student, other_student, posting, media_root
):
    theirs = library_document(other_student, "theirs.pdf")
    response = student_client.post(
        apply_url(posting), {"resume_document": theirs.pk, "cover_letter_text": "Hi"}
    )
    assert response.status_code == 400
    assert "This document is not in your library" in response.content.decode()
    assert not Application.objects.exists()
    assert len(media_files(media_root)) == 1  # theirs, untouched


def test_another_students_document_id_is_refused_for_an_extra_material(
    student_client, student, other_student, posting
):
    library_document(student, "resume.pdf")
    sample = factories.PostingMaterialFactory(posting=posting, label="Writing sample", kind="file")
    theirs = library_document(other_student, "theirs.pdf", kind="other")
    response = student_client.post(
        apply_url(posting),
        {"cover_letter_text": "Hi", f"material_{sample.pk}_document": theirs.pk},
    )
    assert response.status_code == 400
    assert "This document is not in your library" in response.content.decode()
    assert not Application.objects.exists()


def test_a_quota_exceeded_on_the_apply_form_is_explained(
    student_client, student, posting, settings
):
    kept = library_document(student, "resume.pdf")
    settings.DOCUMENT_LIBRARY_QUOTA_BYTES = kept.size + 10
    response = student_client.post(
        apply_url(posting), {"resume": pdf_upload("another.pdf"), "cover_letter_text": "Hi"}
    )
    assert response.status_code == 400
    assert "does not fit" in response.content.decode()
    assert Document.objects.filter(student=student).count() == 1
    assert not Application.objects.exists()


# --- what the employer sees ------------------------------------------------------------------
@pytest.fixture
def applied(student_client, student, posting):
    profile = student.student_profile
    profile.field_of_study = "Physics, Mathematics"
    profile.class_year = 2027
    profile.preferred_name = "May"
    profile.save()
    student_client.post(
        apply_url(posting), {"resume": pdf_upload("resume.pdf"), "cover_letter_text": "Hi"}
    )
    application = Application.objects.get(student=student)
    profile.field_of_study = "Biology"  # after applying: the employer still sees Physics
    profile.class_year = 2030
    profile.save()
    return application


def test_the_employer_sees_the_profile_snapshot_on_the_applicant_list(client, employer, applied):
    client.force_login(employer)
    html = client.get(reverse("applications:applicants", args=[applied.posting_id])).content
    html = html.decode()
    assert "Physics, Mathematics" in html and "Class of 2027" in html
    assert "Biology" not in html and "2030" not in html


def test_the_employer_sees_the_snapshot_and_the_materials_on_the_applicants_page(
    client, colleague, applied
):
    client.force_login(colleague)
    html = client.get(reverse("applications:detail", args=[applied.pk])).content.decode()
    assert "Profile when they applied" in html
    assert "May" in html and "Physics, Mathematics" in html and "2027" in html
    assert "resume.pdf" in html and "Biology" not in html


def test_another_employer_gets_404_for_the_snapshot(client, other_employer, applied):
    client.force_login(other_employer)
    assert client.get(reverse("applications:detail", args=[applied.pk])).status_code == 404
    url = reverse("applications:applicants", args=[applied.posting_id])
    assert client.get(url).status_code == 404


def test_the_employer_never_sees_immigration_data(client, employer, intl_student, posting):
    client.force_login(intl_student)
    client.post(apply_url(posting), {"resume": pdf_upload(), "cover_letter_text": "Hi"})
    application = Application.objects.get(student=intl_student)
    client.force_login(employer)
    html = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Mechanical Engineering" in html
    assert "F-1" not in html and "f1" not in html and "immigration" not in html.lower()


def _count_queries(client, posting) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("applications:applicants", args=[posting.pk]))
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_applicant_list_with_snapshots_takes_as_many_queries_for_300_as_for_3(
    client, employer, posting
):
    snapshot = {"name": "X", "majors": ["Physics"], "class_year": 2027, "links": []}
    students = factories.StudentFactory.create_batch(300)
    Application.objects.bulk_create(
        Application(
            posting=posting,
            student=s,
            status=ApplicationStatus.SUBMITTED,
            profile_snapshot=snapshot,
        )
        for s in students[:3]
    )
    client.force_login(employer)
    few = _count_queries(client, posting)
    Application.objects.bulk_create(
        Application(
            posting=posting,
            student=s,
            status=ApplicationStatus.SUBMITTED,
            profile_snapshot=snapshot,
        )
        for s in students[3:]
    )
    # The same eight as without snapshots (test_employer_pages): they are on the row.
    assert few == 8
    assert _count_queries(client, posting) == 8
    html = client.get(reverse("applications:applicants", args=[posting.pk])).content.decode()
    assert html.count("Class of 2027") == 100  # a page at a time
