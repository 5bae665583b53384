"""Submitting an application: the posting's required materials, PDF checks by content,
the deadline checked again under the posting's row lock, one application per posting, and
no file left behind when anything fails."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from applications.acceptance import ensure_cycle_open, lock_student
from applications.materials import KINDS, MAX_TEXT_ANSWER, MaterialAnswer
from applications.models import (
    AlreadyApplied,
    Application,
    ApplicationError,
    ApplicationStatus,
    ApplicationStatusChange,
    MaterialRole,
    NotEligible,
    ResumeOnFile,
    SubmittedMaterial,
)
from applications.models.applications import clean_display_name
from applications.services.uploads import FileWriter, files_removed_on_failure
from authorization.selectors import first_year_refusal
from microintern.accounts.models import User
from microintern.core.uploads import pdf_problem
from microintern.notifications.services import notify
from postings.access import employer_recipients
from postings.models import Posting, PostingStatus

S = ApplicationStatus


# --- submitting -------------------------------------------------------------------------------
def _check_open(posting: Posting, now: dt.datetime) -> None:
    if posting.status != PostingStatus.PUBLISHED or posting.deadline <= now:
        raise ApplicationError(
            "Applications for this posting closed at its deadline, "
            f"{timezone.localtime(posting.deadline):%b %-d, %Y, %-I:%M %p %Z}. "
            "Nothing was sent."
        )


def _validate_submission(
    posting: Posting,
    *,
    student: User,
    resume: UploadedFile | None,
    use_resume_on_file: bool,
    cover_letter_text: str,
    cover_letter_file: UploadedFile | None,
    answers: Mapping[int, MaterialAnswer],
    unpaid_guidance_read: bool,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not posting.is_paid and not unpaid_guidance_read:
        add(
            "unpaid_guidance_read",
            "This micro-internship is unpaid: tick that you have read CAPD's advice first.",
        )
    if resume is not None:
        if problem := pdf_problem(resume):
            add("resume", problem)
    elif use_resume_on_file:
        if not ResumeOnFile.objects.filter(student=student).exists():
            add("resume", "You have no resume on file: upload one.")
    elif posting.requires_resume:
        add("resume", "This posting asks for a resume: upload a PDF or use the one on file.")
    if cover_letter_file is not None and (problem := pdf_problem(cover_letter_file)):
        add("cover_letter_file", problem)
    if (
        posting.requires_cover_letter
        and not cover_letter_text.strip()
        and cover_letter_file is None
    ):
        add("cover_letter_text", "This posting asks for a cover letter: type it or upload a PDF.")
    if len(cover_letter_text) > MAX_TEXT_ANSWER:
        add("cover_letter_text", f"Keep the cover letter under {MAX_TEXT_ANSWER} characters.")
    for material in posting.materials.all():
        field = f"material_{material.pk}"
        answer = answers.get(material.pk, MaterialAnswer())
        if problem := KINDS[material.kind].problem(material, answer):
            add(field, problem)
    return errors


def _store_file(
    writer: FileWriter,
    application: Application,
    *,
    role: str,
    label: str,
    upload: UploadedFile | ContentFile,
    original_name: str,
    position: int,
    posting_material_id: int | None = None,
) -> SubmittedMaterial:
    row = SubmittedMaterial(
        application=application,
        role=role,
        label=label,
        posting_material_id=posting_material_id,
        original_name=clean_display_name(original_name),
        size=upload.size or 0,
        position=position,
    )
    writer.save(row.file, upload)
    row.save()
    return row


def application_submit(
    *,
    posting: Posting,
    student: User,
    resume: UploadedFile | None = None,
    use_resume_on_file: bool = False,
    keep_resume_on_file: bool = False,
    cover_letter_text: str = "",
    cover_letter_file: UploadedFile | None = None,
    answers: Mapping[int, MaterialAnswer] | None = None,
    unpaid_guidance_read: bool = False,
    now: dt.datetime | None = None,
) -> Application:
    """Apply to a published posting before its deadline, with every required material.

    Raises AlreadyApplied (with the first application), ApplicationError (deadline passed)
    or ValidationError (a dict of field -> messages). On any failure no row and no file
    remains.
    """
    if not (student.is_active and student.is_student):
        raise PermissionDenied("Only students apply to postings.")
    answers = answers or {}
    existing = Application.objects.filter(student=student, posting=posting).first()
    if existing is not None:
        raise AlreadyApplied(existing)
    ensure_cycle_open(student.pk, posting.cycle_id)  # the clear answer, before any upload
    refusal = first_year_refusal(student)
    if refusal:
        raise NotEligible(refusal)
    _check_open(posting, now or timezone.now())
    errors = _validate_submission(
        posting,
        student=student,
        resume=resume,
        use_resume_on_file=use_resume_on_file,
        cover_letter_text=cover_letter_text,
        cover_letter_file=cover_letter_file,
        answers=answers,
        unpaid_guidance_read=unpaid_guidance_read,
    )
    if errors:
        raise ValidationError(errors)

    replaced_resume: str | None = None
    with files_removed_on_failure() as writer, transaction.atomic():
        # The student's lock first, as acceptance takes it: an application never lands
        # beside an acceptance in the same cycle (applications/acceptance.py).
        lock_student(student.pk)
        ensure_cycle_open(student.pk, posting.cycle_id)
        # The deadline is checked again under the posting's row lock: it may have passed (or
        # the posting closed) while the form was open.
        locked = Posting.objects.select_for_update().get(pk=posting.pk)
        now = now or timezone.now()
        _check_open(locked, now)
        try:
            with transaction.atomic():  # a savepoint: a double submit must not poison us
                application = Application.objects.create(
                    posting=locked,
                    student=student,
                    status=S.SUBMITTED,
                    cover_letter_text=cover_letter_text.strip(),
                    submitted_at=now,
                    unpaid_guidance_read_at=now if not locked.is_paid else None,
                )
        except IntegrityError:
            raise AlreadyApplied(Application.objects.get(student=student, posting=locked)) from None
        position = 0
        if resume is not None:
            _store_file(
                writer,
                application,
                role=MaterialRole.RESUME,
                label="Resume",
                upload=resume,
                original_name=resume.name or "resume.pdf",
                position=position,
            )
            if keep_resume_on_file:
                replaced_resume = _keep_resume(writer, student, resume, now)
        elif use_resume_on_file:
            on_file = ResumeOnFile.objects.get(student=student)
            with on_file.file.open("rb") as handle:
                copy = ContentFile(handle.read())
            _store_file(
                writer,
                application,
                role=MaterialRole.RESUME,
                label="Resume",
                upload=copy,
                original_name=on_file.original_name,
                position=position,
            )
        position += 1
        if cover_letter_file is not None:
            _store_file(
                writer,
                application,
                role=MaterialRole.COVER_LETTER,
                label="Cover letter",
                upload=cover_letter_file,
                original_name=cover_letter_file.name or "cover-letter.pdf",
                position=position,
            )
        position += 1
        for material in locked.materials.all():
            answer = answers.get(material.pk, MaterialAnswer())
            position += 1
            kind = KINDS[material.kind]
            if not kind.given(answer):
                continue
            stored = kind.stored(answer)
            if upload := stored.pop("upload", None):
                _store_file(
                    writer,
                    application,
                    role=MaterialRole.EXTRA,
                    label=material.label,
                    upload=upload,
                    original_name=upload.name or "document.pdf",
                    position=position,
                    posting_material_id=material.pk,
                )
            else:
                SubmittedMaterial.objects.create(
                    application=application,
                    role=MaterialRole.EXTRA,
                    label=material.label,
                    posting_material=material,
                    position=position,
                    **stored,
                )
        ApplicationStatusChange.objects.create(
            application=application, from_status="", to_status=S.SUBMITTED, by=student, at=now
        )
        for member in employer_recipients(locked):
            notify(
                recipient=member,
                kind="application_received",
                dedup_key=f"application:{application.pk}:received:{member.pk}",
                context={"application": application, "posting": locked, "student": student},
                url=reverse("applications:detail", args=[application.pk]),
            )
        if replaced_resume:
            name = replaced_resume
            transaction.on_commit(lambda: ResumeOnFile.file.field.storage.delete(name))
    return application


def _keep_resume(
    writer: FileWriter, student: User, resume: UploadedFile, now: dt.datetime
) -> str | None:
    """Store a copy as the student's resume on file; return the replaced file's name."""
    on_file = ResumeOnFile.objects.select_for_update().filter(student=student).first()
    old_name = on_file.file.name if on_file else None
    on_file = on_file or ResumeOnFile(student=student)
    on_file.original_name = clean_display_name(resume.name or "resume.pdf")
    on_file.size = resume.size or 0
    on_file.uploaded_at = now
    writer.save(on_file.file, resume)
    on_file.save()
    return old_name


def resume_on_file_replace(*, student: User, resume: UploadedFile) -> ResumeOnFile:
    """Upload (or replace) the resume a student keeps on file."""
    if not student.is_student:
        raise PermissionDenied("Only students keep a resume on file.")
    if problem := pdf_problem(resume):
        raise ValidationError({"resume": problem})
    with files_removed_on_failure() as writer, transaction.atomic():
        old = _keep_resume(writer, student, resume, timezone.now())
        if old:
            transaction.on_commit(lambda: ResumeOnFile.file.field.storage.delete(old))
    return ResumeOnFile.objects.get(student=student)
