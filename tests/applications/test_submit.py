"""Applying: the materials a posting asks for, PDF checks by content, the deadline, one
application per posting, and no orphan files or rows after a failure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications import services
from applications.models import (
    AlreadyApplied,
    Application,
    ApplicationError,
    ApplicationStatusChange,
    MaterialRole,
    SubmittedMaterial,
)
from applications.services import MaterialAnswer
from microintern.accounts import services as library
from microintern.notifications.models import Notification
from postings.models import PostingStatus
from tests.applications import factories
from tests.applications.conftest import media_files
from tests.applications.factories import library_document, pdf_bytes, pdf_upload


def submit(posting, student, **kwargs):
    kwargs.setdefault("resume", pdf_upload())
    kwargs.setdefault("cover_letter_text", "Dear team, I would like to help.")
    return services.application_submit(posting=posting, student=student, **kwargs)


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- the happy path ---------------------------------------------------------------------------
def test_it_creates_the_application_with_its_materials(posting, student, media_root):
    application = submit(posting, student)
    assert application.status == "submitted"
    resume = application.materials.get(role=MaterialRole.RESUME)
    assert resume.original_name == "resume.pdf"
    assert (media_root / resume.file.name).read_bytes().startswith(b"%PDF-")
    assert application.cover_letter_text == "Dear team, I would like to help."


def test_it_stores_files_under_names_the_server_chooses(posting, student):
    application = submit(posting, student, resume=pdf_upload("my resume.pdf"))
    name = application.materials.get().file.name
    assert name.startswith("applications/") and name.endswith(".pdf")
    assert "resume" not in name


def test_it_starts_the_status_history(posting, student):
    application = submit(posting, student)
    change = ApplicationStatusChange.objects.get(application=application)
    assert (change.from_status, change.to_status, change.by) == ("", "submitted", student)


def test_it_tells_every_member_of_the_organization(posting, student, employer, colleague):
    submit(posting, student)
    received = Notification.objects.filter(kind="application_received")
    assert {n.recipient for n in received} == {employer, colleague}


def test_it_accepts_a_cover_letter_as_pdf_instead_of_text(posting, student):
    application = submit(
        posting, student, cover_letter_text="", cover_letter_file=pdf_upload("letter.pdf")
    )
    assert application.materials.filter(role=MaterialRole.COVER_LETTER).exists()


def test_it_saves_the_extra_materials_of_each_kind(posting, student):
    sample = factories.PostingMaterialFactory(posting=posting, label="Writing sample", kind="file")
    question = factories.PostingMaterialFactory(posting=posting, label="Why us?", kind="text")
    portfolio = factories.PostingMaterialFactory(posting=posting, label="Portfolio", kind="link")
    application = submit(
        posting,
        student,
        answers={
            sample.pk: MaterialAnswer(file=pdf_upload("sample.pdf")),
            question.pk: MaterialAnswer(text="Robots."),
            portfolio.pk: MaterialAnswer(url="https://portfolio.example.com"),
        },
    )
    extras = {m.label: m for m in application.materials.filter(role=MaterialRole.EXTRA)}
    assert extras["Writing sample"].file
    assert extras["Why us?"].text == "Robots."
    assert extras["Portfolio"].url == "https://portfolio.example.com"


def test_it_sends_a_copy_of_a_library_document(posting, student):
    kept = library_document(student, "kept.pdf")
    application = submit(posting, student, resume=None, resume_document=kept)
    sent = application.materials.get(role=MaterialRole.RESUME)
    assert sent.original_name == "kept.pdf"
    assert sent.file.name != kept.file.name
    assert sent.file.read() == kept.file.read()


def test_it_sends_library_documents_for_the_cover_letter_and_extra_files(posting, student):
    sample = factories.PostingMaterialFactory(posting=posting, label="Writing sample", kind="file")
    letter = library_document(student, "letter.pdf", kind="cover_letter")
    essay = library_document(student, "essay.pdf", kind="other")
    application = submit(
        posting,
        student,
        cover_letter_text="",
        cover_letter_document=letter,
        answers={sample.pk: MaterialAnswer(document=essay)},
    )
    names = dict(application.materials.values_list("label", "original_name"))
    assert names == {
        "Resume": "resume.pdf",
        "Cover letter": "letter.pdf",
        "Writing sample": "essay.pdf",
    }


def test_a_snapshot_keeps_what_was_sent_after_the_library_document_is_replaced(
    posting, student, django_capture_on_commit_callbacks
):
    kept = library_document(student, "first.pdf", content=pdf_bytes(pages=1))
    application = submit(posting, student, resume=None, resume_document=kept)
    sent = application.materials.get(role=MaterialRole.RESUME)
    before = sent.file.read()
    with django_capture_on_commit_callbacks(execute=True):
        library.document_replace(
            student=student, document=kept, upload=pdf_upload("second.pdf", pdf_bytes(pages=2))
        )
    sent.refresh_from_db()
    assert sent.original_name == "first.pdf"
    assert sent.file.open("rb").read() == before


def test_a_snapshot_keeps_what_was_sent_after_the_library_document_is_deleted(
    posting, student, django_capture_on_commit_callbacks
):
    kept = library_document(student, "first.pdf")
    application = submit(posting, student, resume=None, resume_document=kept)
    with django_capture_on_commit_callbacks(execute=True):
        library.document_delete(student=student, document=kept)
    sent = application.materials.get(role=MaterialRole.RESUME)
    assert sent.original_name == "first.pdf"
    assert sent.file.open("rb").read().startswith(b"%PDF-")


def test_it_refuses_another_students_library_document(posting, student, other_student):
    theirs = library_document(other_student, "theirs.pdf")
    with pytest.raises(ValidationError) as excinfo:
        submit(posting, student, resume=None, resume_document=theirs)
    assert "not in your library" in errors_of(excinfo)["resume_document"][0]
    assert not Application.objects.exists()


def test_it_stores_the_profile_snapshot_with_the_application(posting, student):
    profile = student.student_profile
    profile.field_of_study = "Physics, Mathematics"
    profile.class_year = 2027
    profile.save()
    application = submit(posting, student)
    profile.field_of_study = "Biology"
    profile.save()
    application.refresh_from_db()
    assert application.profile_snapshot["majors"] == ["Physics", "Mathematics"]
    assert application.profile_snapshot["class_year"] == 2027


def test_the_profile_snapshot_holds_no_immigration_data(posting, intl_student):
    application = submit(posting, intl_student)
    text = str(application.profile_snapshot).lower()
    assert "f1" not in text and "immigration" not in text and "visa" not in text


def test_it_asks_for_nothing_the_posting_does_not_require(posting, student):
    posting.requires_resume = posting.requires_cover_letter = False
    posting.save()
    application = submit(posting, student, resume=None, cover_letter_text="")
    assert application.materials.count() == 0


# --- bad input --------------------------------------------------------------------------------
def test_it_refuses_a_non_pdf_renamed_pdf(posting, student, media_root):
    fake = SimpleUploadedFile("resume.pdf", b"PK\x03\x04 this is a zip", "application/pdf")
    with pytest.raises(ValidationError) as excinfo:
        submit(posting, student, resume=fake)
    assert "not a PDF" in errors_of(excinfo)["resume"][0]
    assert media_files(media_root) == []


def test_it_refuses_a_pdf_header_followed_by_html(posting, student, media_root):
    html = SimpleUploadedFile(
        "resume.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>", "application/pdf"
    )
    with pytest.raises(ValidationError) as excinfo:
        submit(posting, student, resume=html)
    assert "cannot be read as one" in errors_of(excinfo)["resume"][0]
    assert media_files(media_root) == []


def test_it_refuses_a_file_over_the_size_limit(posting, student, media_root):
    big = SimpleUploadedFile("big.pdf", pdf_bytes() + b"\0" * (6 * 1024 * 1024))
    with pytest.raises(ValidationError) as excinfo:
        submit(posting, student, resume=big)
    assert "the limit is 5 MB" in errors_of(excinfo)["resume"][0]
    assert media_files(media_root) == []


def test_it_reads_the_size_limit_from_the_settings(posting, student, settings):
    settings.MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError):
        submit(posting, student)


def test_it_refuses_an_empty_file(posting, student, media_root):
    with pytest.raises(ValidationError) as excinfo:
        submit(posting, student, resume=SimpleUploadedFile("resume.pdf", b""))
    assert "empty" in errors_of(excinfo)["resume"][0]
    assert media_files(media_root) == []


@pytest.mark.parametrize(
    ("uploaded", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\evil.pdf", "evil.pdf"),
        ("Lebenslauf\u202egnp.pdf", "Lebenslaufgnp.pdf"),
        ("ｒéｓｕｍé.pdf", "résumé.pdf"),
        ("...", "document.pdf"),
    ],
)
def test_it_keeps_odd_file_names_out_of_the_file_system(
    posting, student, media_root, uploaded, shown
):
    application = submit(posting, student, resume=pdf_upload(uploaded))
    material = application.materials.get()
    assert material.original_name == shown
    stored = media_files(media_root)
    assert len(stored) == 1 and stored[0].is_relative_to(media_root)
    assert ".." not in material.file.name


def test_it_refuses_a_missing_cover_letter(posting, student):
    with pytest.raises(ValidationError) as excinfo:
        submit(posting, student, cover_letter_text="   ")
    assert "cover_letter_text" in errors_of(excinfo)


def test_it_refuses_a_missing_required_extra_material(posting, student, media_root):
    sample = factories.PostingMaterialFactory(posting=posting, label="Writing sample")
    with pytest.raises(ValidationError) as excinfo:
        submit(posting, student)
    assert "Writing sample is required" in errors_of(excinfo)[f"material_{sample.pk}"][0]
    assert not Application.objects.exists()
    assert media_files(media_root) == []


def test_it_refuses_a_link_that_is_not_a_web_address(posting, student):
    link = factories.PostingMaterialFactory(posting=posting, label="Portfolio", kind="link")
    with pytest.raises(ValidationError) as excinfo:
        submit(posting, student, answers={link.pk: MaterialAnswer(url="javascript:alert(1)")})
    assert f"material_{link.pk}" in errors_of(excinfo)


def test_it_refuses_a_missing_resume(posting, student):
    with pytest.raises(ValidationError) as excinfo:
        submit(posting, student, resume=None)
    assert "resume_document" in errors_of(excinfo)


def test_it_refuses_an_application_after_the_deadline(posting, student, media_root):
    later = posting.deadline + dt.timedelta(minutes=1)
    with pytest.raises(ApplicationError, match="closed at its deadline"):
        submit(posting, student, now=later)
    assert not Application.objects.exists()
    assert media_files(media_root) == []


def test_it_checks_the_deadline_again_under_the_lock(posting, student, media_root, monkeypatch):
    # The deadline passes while the student fills in the form: the posting closes between
    # the first check and the locked one.
    from applications.services import submissions as module

    original = module._validate_submission

    def validate_then_close(*args, **kwargs):
        result = original(*args, **kwargs)
        type(posting).objects.filter(pk=posting.pk).update(status=PostingStatus.CLOSED)
        return result

    monkeypatch.setattr(module, "_validate_submission", validate_then_close)
    with pytest.raises(ApplicationError):
        submit(posting, student)
    assert not Application.objects.exists()
    assert media_files(media_root) == []


def test_it_refuses_an_unpublished_posting(student, org_a, cycle):
    draft = factories.PublishedPostingFactory(organization=org_a, status=PostingStatus.DRAFT)
    with pytest.raises(ApplicationError):
        submit(draft, student)


def test_it_answers_a_second_application_with_the_first(posting, student, media_root):
    first = submit(posting, student)
    with pytest.raises(AlreadyApplied) as excinfo:
        submit(posting, student)
    assert excinfo.value.application == first
    assert len(media_files(media_root)) == 1


def test_it_guards_one_application_per_posting_in_the_database(posting, student):
    from django.db import IntegrityError, transaction

    factories.ApplicationFactory(posting=posting, student=student)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(posting=posting, student=student)


def test_it_requires_reading_capds_advice_for_an_unpaid_posting(posting, student):
    type(posting).objects.filter(pk=posting.pk).update(is_paid=False, unpaid_approved=True)
    posting.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        submit(posting, student)
    assert "unpaid_guidance_read" in errors_of(excinfo)
    application = submit(posting, student, unpaid_guidance_read=True)
    assert application.unpaid_guidance_read_at is not None


def test_it_refuses_employers(posting, employer):
    with pytest.raises(PermissionDenied):
        submit(posting, employer)


def test_it_removes_written_files_when_the_transaction_rolls_back(
    posting, student, media_root, monkeypatch
):
    from applications.services import submissions as module

    def broken_notify(**kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(module, "notify", broken_notify)
    with pytest.raises(RuntimeError):
        submit(posting, student, cover_letter_file=pdf_upload("letter.pdf"))
    assert not Application.objects.exists()
    assert not SubmittedMaterial.objects.exists()
    assert media_files(media_root) == []


def test_it_submits_a_deadline_still_ahead(posting, student):
    assert posting.deadline > timezone.now()
    assert submit(posting, student).pk
