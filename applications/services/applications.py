"""The application pipeline: submit, move, reject, withdraw, offer/hire hooks, notes, and
the sweep that closes undecided applications.

Every status change locks the application's row, checks the transition map, saves with
`update_fields` and writes an ApplicationStatusChange; notifications go into the outbox in
the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from applications.models import (
    FINAL_STATUSES,
    UNDECIDED_STATUSES,
    AlreadyApplied,
    Application,
    ApplicationError,
    ApplicationNote,
    ApplicationStatus,
    ApplicationStatusChange,
    MaterialRole,
    ResumeOnFile,
    SubmittedMaterial,
)
from applications.models.applications import clean_display_name
from applications.services.uploads import FileWriter, files_removed_on_failure, pdf_problem
from microintern.accounts.models import User
from microintern.core.models import ProgramSettings
from microintern.notifications.services import notify
from postings.models import MaterialKind, Membership, Posting, PostingStatus

S = ApplicationStatus
MAX_TEXT_ANSWER = 10_000
# What an employer may move an application to with `application_move`; offers and hiring
# go through the offers app (application_mark_offered / application_mark_hired).
MOVE_TARGETS = frozenset({S.UNDER_REVIEW, S.INTERVIEWING})


@dataclass(frozen=True)
class MaterialAnswer:
    """The student's answer to one of the posting's extra materials."""

    file: UploadedFile | None = None
    text: str = ""
    url: str = ""


# --- who may do what --------------------------------------------------------------------------
def is_member(user: User, posting: Posting) -> bool:
    return Membership.objects.filter(user=user, organization_id=posting.organization_id).exists()


def ensure_employer(user: User, posting: Posting) -> None:
    if not (user.is_active and (user.is_staff or is_member(user, posting))):
        raise PermissionDenied("Only the organization's members manage its applicants.")


def _lock(application: Application) -> Application:
    # An employer moving an applicant while the student withdraws: the row lock makes the
    # second one see the first one's status and fail the transition check.
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("posting__organization", "student")
        .get(pk=application.pk)
    )


def _lock_many(applications: Iterable[Application]) -> list[Application]:
    ids = sorted({a.pk for a in applications})
    # Locked in primary-key order, so two bulk moves never dead-lock each other.
    return list(
        Application.objects.select_for_update(of=("self",))
        .select_related("posting__organization", "student")
        .filter(pk__in=ids)
        .order_by("pk")
    )


def transition(
    application: Application,
    to_status: str,
    *,
    by: User | None,
    message: str = "",
    now: dt.datetime | None = None,
) -> ApplicationStatusChange:
    """Change the status of a locked application and write its history row."""
    application.ensure_can_transition(to_status)  # raises InvalidTransition, nothing changed
    now = now or timezone.now()
    from_status = application.status
    application.status = to_status
    fields = ["status", "updated_at"]
    if to_status in FINAL_STATUSES:
        application.decided_at = now
        fields.append("decided_at")
    application.save(update_fields=fields)
    return ApplicationStatusChange.objects.create(
        application=application,
        from_status=from_status,
        to_status=to_status,
        by=by,
        at=now,
        message_to_student=message.strip(),
    )


def tell_student(application: Application, change: ApplicationStatusChange) -> None:
    notify(
        recipient=application.student,
        kind="application_status_changed",
        dedup_key=f"application:{application.pk}:status:{change.pk}",
        context={"application": application, "posting": application.posting, "change": change},
        url=reverse("applications:detail", args=[application.pk]),
    )


def employer_recipients(posting: Posting) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(organization_id=posting.organization_id)
        .select_related("user")
        .order_by("pk")
        if m.user.is_active
    ]


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
        if material.kind == MaterialKind.FILE:
            if answer.file is not None:
                if problem := pdf_problem(answer.file):
                    add(field, problem)
            elif material.required:
                add(field, f"{material.label} is required: upload a PDF.")
        elif material.kind == MaterialKind.TEXT:
            if not answer.text.strip() and material.required:
                add(field, f"{material.label} is required: write your answer.")
            elif len(answer.text) > MAX_TEXT_ANSWER:
                add(field, f"Keep your answer under {MAX_TEXT_ANSWER} characters.")
        elif material.kind == MaterialKind.LINK:
            if answer.url.strip():
                try:
                    URLValidator(schemes=["http", "https"])(answer.url.strip())
                except ValidationError:
                    add(field, "Enter a full web address starting with https://.")
            elif material.required:
                add(field, f"{material.label} is required: give the link.")
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
            if material.kind == MaterialKind.FILE and answer.file is not None:
                _store_file(
                    writer,
                    application,
                    role=MaterialRole.EXTRA,
                    label=material.label,
                    upload=answer.file,
                    original_name=answer.file.name or "document.pdf",
                    position=position,
                    posting_material_id=material.pk,
                )
            elif material.kind == MaterialKind.TEXT and answer.text.strip():
                SubmittedMaterial.objects.create(
                    application=application,
                    role=MaterialRole.EXTRA,
                    label=material.label,
                    posting_material=material,
                    text=answer.text.strip(),
                    position=position,
                )
            elif material.kind == MaterialKind.LINK and answer.url.strip():
                SubmittedMaterial.objects.create(
                    application=application,
                    role=MaterialRole.EXTRA,
                    label=material.label,
                    posting_material=material,
                    url=answer.url.strip(),
                    position=position,
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


# --- the employer's moves ---------------------------------------------------------------------
def _as_list(applications: Application | Iterable[Application]) -> list[Application]:
    return [applications] if isinstance(applications, Application) else list(applications)


@transaction.atomic
def application_move(
    *,
    applications: Application | Iterable[Application],
    by: User,
    to_status: str | None = None,
) -> list[Application]:
    """Move one or many applicants on: to `to_status`, or each to its next stage
    (submitted -> under review -> interviewing). All or nothing."""
    if to_status is not None and to_status not in MOVE_TARGETS:
        raise ApplicationError("Offers and hiring go through the offer, not this move.")
    locked = _lock_many(_as_list(applications))
    for application in locked:
        ensure_employer(by, application.posting)
    from applications.models import EMPLOYER_NEXT_STAGE

    for application in locked:
        target = to_status or EMPLOYER_NEXT_STAGE.get(application.status)
        if target is None:
            raise ApplicationError(
                f"{application.student}: a {application.get_status_display().lower()} "
                "application has no next stage here."
            )
        if application.status == S.SUBMITTED and target == S.INTERVIEWING:
            # Inviting a new applicant to interview passes through review: both steps are
            # in the history, and the map stays the only rule.
            transition(application, S.UNDER_REVIEW, by=by)
        change = transition(application, target, by=by)
        tell_student(application, change)
    return locked


@transaction.atomic
def application_reject(
    *,
    applications: Application | Iterable[Application],
    by: User,
    message: str = "",
) -> list[Application]:
    """Close one or many applications as not selected, with an optional message to the
    students. Booked interviews are cancelled. All or nothing."""
    from applications.services.interviews import cancel_booked_interviews

    locked = _lock_many(_as_list(applications))
    for application in locked:
        ensure_employer(by, application.posting)
    for application in locked:
        change = transition(application, S.NOT_SELECTED, by=by, message=message)
        cancel_booked_interviews(application, by=by, message="The application was closed.")
        tell_student(application, change)
    return locked


@transaction.atomic
def application_withdraw(*, application: Application, by: User, reason: str = "") -> Application:
    """The student withdraws (from any state before hired). The offers app calls this too
    when an accepted offer withdraws the student's other applications."""
    from applications.services.interviews import cancel_booked_interviews

    application = _lock(application)
    if not (by.is_staff or by.pk == application.student_id):
        raise PermissionDenied("Only the student withdraws an application.")
    transition(application, S.WITHDRAWN, by=by, message=reason)
    cancel_booked_interviews(
        application, by=by, message=reason or "The student withdrew the application."
    )
    return application


def _ensure_party(user: User, application: Application) -> None:
    if user.pk == application.student_id:
        return
    ensure_employer(user, application.posting)


@transaction.atomic
def application_mark_offered(*, application: Application, by: User) -> Application:
    """For the offers app: the employer extended an offer (from under review or
    interviewing). The offers app sends its own notification."""
    application = _lock(application)
    ensure_employer(by, application.posting)
    transition(application, S.OFFERED, by=by)
    return application


@transaction.atomic
def application_mark_hired(*, application: Application, by: User) -> Application:
    """For the offers app: the student accepted the offer. `by` is the student (or the
    employer or staff recording it)."""
    application = _lock(application)
    _ensure_party(by, application)
    transition(application, S.HIRED, by=by)
    return application


@transaction.atomic
def application_note_add(*, application: Application, by: User, body: str) -> ApplicationNote:
    """A private note for the organization's members; students never see notes."""
    ensure_employer(by, application.posting)
    if not body.strip():
        raise ValidationError({"body": "Write the note first."})
    return ApplicationNote.objects.create(application=application, author=by, body=body.strip())


# --- the sweep --------------------------------------------------------------------------------
def applications_close_undecided(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """Close as not selected the applications still undecided
    `ProgramSettings.undecided_close_days` after their posting closed, and tell the
    students. Each row is claimed with a conditional update, so two sweeps never close one
    twice and a student's withdrawal in between wins."""
    from applications.services.interviews import cancel_booked_interviews

    now = now or timezone.now()
    days = ProgramSettings.load().undecided_close_days
    cutoff = now - dt.timedelta(days=days)
    due = list(
        Application.objects.filter(
            status__in=UNDECIDED_STATUSES,
            posting__status=PostingStatus.CLOSED,
            posting__closed_at__lte=cutoff,
        )
        .order_by("pk")
        .values_list("pk", "status")[:batch]
    )
    message = (
        f"The posting closed more than {days} days ago without a decision on your "
        "application, so it is now closed. Keep applying: new micro-internships appear often."
    )
    closed = 0
    for pk, status in due:
        with transaction.atomic():
            claimed = Application.objects.filter(pk=pk, status=status).update(
                status=S.NOT_SELECTED, decided_at=now, updated_at=now
            )
            if not claimed:
                continue
            application = Application.objects.select_related(
                "posting__organization", "student"
            ).get(pk=pk)
            change = ApplicationStatusChange.objects.create(
                application=application,
                from_status=status,
                to_status=S.NOT_SELECTED,
                at=now,
                message_to_student=message,
            )
            cancel_booked_interviews(application, by=None, message="The posting closed.")
            tell_student(application, change)
            closed += 1
    return closed
