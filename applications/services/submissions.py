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
    SubmittedMaterial,
)
from applications.models.applications import clean_display_name
from applications.services.uploads import FileWriter, files_removed_on_failure
from authorization.selectors import first_year_refusal
from microintern.accounts.models import Document, User, profile_snapshot
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
    resume_document: Document | None,
    cover_letter_text: str,
    cover_letter_file: UploadedFile | None,
    cover_letter_document: Document | None,
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

    def not_theirs(document: Document | None) -> bool:
        return document is not None and document.student_id != student.pk

    if not_theirs(resume_document):
        add("resume_document", NOT_IN_LIBRARY)
    if not_theirs(cover_letter_document):
        add("cover_letter_document", NOT_IN_LIBRARY)
    if resume is not None:
        if problem := pdf_problem(resume):
            add("resume", problem)
    elif resume_document is None and posting.requires_resume:
        add(
            "resume_document",
            "This posting asks for a resume: choose one of yours or upload a PDF.",
        )
    if cover_letter_file is not None and (problem := pdf_problem(cover_letter_file)):
        add("cover_letter_file", problem)
    if (
        posting.requires_cover_letter
        and not cover_letter_text.strip()
        and cover_letter_file is None
        and cover_letter_document is None
    ):
        add(
            "cover_letter_text",
            "This posting asks for a cover letter: write it, choose one of yours or upload a PDF.",
        )
    if len(cover_letter_text) > MAX_TEXT_ANSWER:
        add("cover_letter_text", f"Keep the cover letter under {MAX_TEXT_ANSWER} characters.")
    for material in posting.materials.all():
        field = f"material_{material.pk}"
        answer = answers.get(material.pk, MaterialAnswer())
        if not_theirs(answer.document):
            add(field, NOT_IN_LIBRARY)
        elif problem := KINDS[material.kind].problem(material, answer):
            add(field, problem)
    return errors


NOT_IN_LIBRARY = "This document is not in your library: choose one of yours or upload a PDF."


def _library_copies(
    student: User, documents: list[Document | None]
) -> dict[int, tuple[ContentFile, str]]:
    """The bytes of each chosen library document, read under the documents' row locks (a
    delete or replace in another tab waits, or happened first and is reported). The copy
    is what the application keeps: the library may change afterwards."""
    ids = {d.pk for d in documents if d is not None}
    if not ids:
        return {}
    locked = {
        d.pk: d for d in Document.objects.select_for_update().filter(pk__in=ids, student=student)
    }
    copies: dict[int, tuple[ContentFile, str]] = {}
    for pk in ids:
        document = locked.get(pk)
        try:
            if document is None:
                raise FileNotFoundError
            with document.file.open("rb") as handle:
                copies[pk] = (ContentFile(handle.read()), document.original_name)
        except (FileNotFoundError, ValueError):
            raise ValidationError(
                {"__all__": "A document you chose was just deleted or replaced: choose again."}
            ) from None
    return copies


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
    resume_document: Document | None = None,
    cover_letter_text: str = "",
    cover_letter_file: UploadedFile | None = None,
    cover_letter_document: Document | None = None,
    answers: Mapping[int, MaterialAnswer] | None = None,
    unpaid_guidance_read: bool = False,
    now: dt.datetime | None = None,
) -> Application:
    """Apply to a published posting before its deadline, with every required material.

    Each document is an upload or one of the student's library documents, which is copied:
    the application keeps what was sent whatever happens to the library later. The
    student's profile is stored with it as a snapshot (never immigration data).

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
        resume_document=None if resume is not None else resume_document,
        cover_letter_text=cover_letter_text,
        cover_letter_file=cover_letter_file,
        cover_letter_document=None if cover_letter_file is not None else cover_letter_document,
        answers=answers,
        unpaid_guidance_read=unpaid_guidance_read,
    )
    if errors:
        raise ValidationError(errors)

    if resume is not None:
        resume_document = None
    if cover_letter_file is not None:
        cover_letter_document = None
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
        copies = _library_copies(
            student,
            [resume_document, cover_letter_document, *(a.document for a in answers.values())],
        )
        try:
            with transaction.atomic():  # a savepoint: a double submit must not poison us
                application = Application.objects.create(
                    posting=locked,
                    student=student,
                    status=S.SUBMITTED,
                    cover_letter_text=cover_letter_text.strip(),
                    submitted_at=now,
                    unpaid_guidance_read_at=now if not locked.is_paid else None,
                    profile_snapshot=profile_snapshot(student),
                )
        except IntegrityError:
            raise AlreadyApplied(Application.objects.get(student=student, posting=locked)) from None

        def store(role: str, label: str, upload, document, default_name: str, **extra):
            if upload is not None:
                content, name = upload, upload.name or default_name
            else:
                content, name = copies[document.pk]
            _store_file(
                writer,
                application,
                role=role,
                label=label,
                upload=content,
                original_name=name,
                position=position,
                **extra,
            )

        position = 0
        if resume is not None or resume_document is not None:
            store(MaterialRole.RESUME, "Resume", resume, resume_document, "resume.pdf")
        position += 1
        if cover_letter_file is not None or cover_letter_document is not None:
            store(
                MaterialRole.COVER_LETTER,
                "Cover letter",
                cover_letter_file,
                cover_letter_document,
                "cover-letter.pdf",
            )
        position += 1
        for material in locked.materials.all():
            answer = answers.get(material.pk, MaterialAnswer())
            position += 1
            kind = KINDS[material.kind]
            if not kind.given(answer):
                continue
            stored = kind.stored(answer)
            upload = stored.pop("upload", None)
            document = stored.pop("document", None)
            if upload is not None or document is not None:
                store(
                    MaterialRole.EXTRA,
                    material.label,
                    upload,
                    document,
                    "document.pdf",
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
    return application
