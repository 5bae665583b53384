"""Interviews: slots offered by the employer, booked, moved and cancelled.

Both sides, the student and the interviewer (`interview_hosts`), get the calendar invitation
with the notification of each booking, move and cancellation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from applications.acceptance import CycleClosedByAcceptance, accepted_application
from applications.calendar import ics_content_type, ics_filename, interview_ics
from applications.models import (
    MOVE_CUTOFF,
    Application,
    ApplicationStatus,
    Interview,
    InterviewError,
    InterviewFormat,
    InterviewSlot,
    InterviewStatus,
    SlotTaken,
)
from applications.selectors import interview_hosts
from microintern.accounts.models import User
from microintern.notifications.services import notify
from postings.access import ensure_manages
from postings.models import Posting

MAX_SLOTS_PER_OFFER = 10


@dataclass(frozen=True)
class SlotSpec:
    start: dt.datetime
    end: dt.datetime
    format: str
    location: str


def _slot_errors(spec: SlotSpec, now: dt.datetime) -> list[str]:
    errors = []
    when = f"{timezone.localtime(spec.start):%b %-d, %-I:%M %p}" if spec.start else "A slot"
    if spec.start <= now:
        errors.append(f"{when}: this time has passed; choose a time in the future.")
    if spec.end <= spec.start:
        errors.append(f"{when}: the end comes before the start.")
    elif spec.end - spec.start > dt.timedelta(hours=8):
        errors.append(f"{when}: an interview lasts at most 8 hours.")
    if spec.format not in InterviewFormat.values:
        errors.append(f"{when}: choose video, phone or on-site.")
    if not spec.location.strip():
        errors.append(f"{when}: give the video link, the phone number or the address.")
    return errors


@transaction.atomic
def interview_slots_offer(
    *,
    posting: Posting,
    applications: Iterable[Application],
    slots: Sequence[SlotSpec],
    by: User,
    now: dt.datetime | None = None,
) -> list[InterviewSlot]:
    """Offer time slots to one or more applicants of a posting who are interviewing."""
    ensure_manages(by, posting, what="its applicants")
    now = now or timezone.now()
    # Read again: the caller's objects may predate a move to interviewing.
    applications = list(
        Application.objects.filter(pk__in=[a.pk for a in applications]).select_related("student")
    )
    if not applications:
        raise ValidationError({"applications": "Choose at least one applicant."})
    if not slots:
        raise ValidationError({"slots": "Offer at least one time."})
    if len(slots) > MAX_SLOTS_PER_OFFER:
        raise ValidationError({"slots": f"Offer at most {MAX_SLOTS_PER_OFFER} times at once."})
    errors = [message for spec in slots for message in _slot_errors(spec, now)]
    if errors:
        raise ValidationError({"slots": errors})
    for application in applications:
        if application.posting_id != posting.pk:
            raise PermissionDenied("That applicant did not apply to this posting.")
        if application.status != ApplicationStatus.INTERVIEWING:
            raise ValidationError(
                {
                    "applications": f"{application.student}: move the application to "
                    "interviewing before offering times."
                }
            )
    created = []
    for spec in slots:
        slot = InterviewSlot(
            posting=posting,
            start=spec.start,
            end=spec.end,
            format=spec.format,
            location=spec.location.strip(),
            created_by=by,
        )
        slot.full_clean(exclude=["posting"])
        slot.save()
        slot.offered_to.set(applications)
        created.append(slot)
    first = created[0]
    for application in applications:
        notify(
            recipient=application.student,
            kind="application_status_changed",
            dedup_key=f"application:{application.pk}:slots:{first.pk}",
            context={
                "application": application,
                "posting": posting,
                "slots": created,
            },
            url=reverse("applications:detail", args=[application.pk]),
        )
    return created


def free_slots_for(application: Application, now: dt.datetime | None = None):
    """Slots offered to this application, in the future, that nobody has booked."""
    now = now or timezone.now()
    return (
        InterviewSlot.objects.filter(offered_to=application, start__gt=now)
        .exclude(interviews__status=InterviewStatus.BOOKED)
        .order_by("start")
    )


def _lock_free_slot(
    application: Application, slot: InterviewSlot, now: dt.datetime
) -> InterviewSlot:
    # Two students clicking the same time at once: the slot's row lock makes the second
    # wait for the first to commit, then see the booking. The partial unique constraint on
    # booked interviews catches what a lock cannot (SQLite has no row locks).
    slot = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
    if not slot.offered_to.filter(pk=application.pk).exists():
        raise InterviewError("That time was not offered to you.")
    if slot.start <= now:
        raise InterviewError("That time has passed. Choose another of the times offered.")
    if Interview.objects.filter(slot=slot, status=InterviewStatus.BOOKED).exists():
        raise SlotTaken()
    return slot


def _notify_both(interview: Interview, kind: str, *, by: User | None, message: str = "") -> None:
    application = interview.application
    posting = application.posting
    hosts = interview_hosts(interview)
    attachment = (
        ics_filename(interview),
        interview_ics(interview, hosts),
        ics_content_type(interview),
    )
    event = f"{kind}:{interview.pk}:{interview.sequence}"
    student_url = reverse("applications:detail", args=[application.pk])
    for recipient in [application.student, *hosts]:
        notify(
            recipient=recipient,
            kind=kind,
            dedup_key=f"interview:{event}:{recipient.pk}",
            context={
                "interview": interview,
                "slot": interview.slot,
                "application": application,
                "posting": posting,
                "by": by,
                "message": message,
                "for_student": recipient.pk == application.student_id,
            },
            url=student_url,
            attachment=attachment,
        )


def _lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("posting__organization", "student")
        .get(pk=application.pk)
    )


@transaction.atomic
def interview_book(
    *, application: Application, slot: InterviewSlot, by: User, now: dt.datetime | None = None
) -> Interview:
    """The student books one of the times offered to them. A taken slot raises SlotTaken."""
    now = now or timezone.now()
    application = _lock_application(application)
    if by.pk != application.student_id:
        raise PermissionDenied("Only the applicant books an interview.")
    if application.status != ApplicationStatus.INTERVIEWING:
        # An acceptance withdraws every other open application under this row's lock, so a
        # booking never lands beside it; say why when that is the reason.
        accepted = accepted_application(application.student_id, application.posting.cycle_id)
        if accepted is not None and accepted.pk != application.pk:
            raise InterviewError(str(CycleClosedByAcceptance(accepted)))
        raise InterviewError("This application is not at the interview stage.")
    if Interview.objects.filter(application=application, status=InterviewStatus.BOOKED).exists():
        raise InterviewError("You already booked an interview: move it instead.")
    slot = _lock_free_slot(application, slot, now)
    try:
        with transaction.atomic():
            interview = Interview.objects.create(application=application, slot=slot, booked_at=now)
    except IntegrityError:
        raise SlotTaken() from None
    _notify_both(interview, "interview_booked", by=by)
    return interview


def _lock_interview(interview: Interview) -> Interview:
    return (
        Interview.objects.select_for_update(of=("self",))
        .select_related(
            "slot__created_by", "application__posting__organization", "application__student"
        )
        .get(pk=interview.pk)
    )


@transaction.atomic
def interview_move(
    *, interview: Interview, slot: InterviewSlot, by: User, now: dt.datetime | None = None
) -> Interview:
    """Move a booked interview to another free slot offered to the same applicant. The
    student may do so until MOVE_CUTOFF before the interview; the employer at any time."""
    now = now or timezone.now()
    interview = _lock_interview(interview)
    application = interview.application
    is_student = by.pk == application.student_id
    if not is_student:
        ensure_manages(by, application.posting, what="its applicants")
    if not interview.is_booked:
        raise InterviewError("This interview was cancelled; book a new time instead.")
    if is_student and not interview.student_can_move(now):
        hours = int(MOVE_CUTOFF.total_seconds() // 3600)
        raise InterviewError(
            f"Interviews can be moved up to {hours} hours before they start. Cancel it with a "
            "message to the employer instead."
        )
    if slot.pk == interview.slot_id:
        raise InterviewError("That is already the time of your interview.")
    new_slot = _lock_free_slot(application, slot, now)
    interview.slot = new_slot
    interview.sequence += 1
    try:
        with transaction.atomic():
            interview.save(update_fields=["slot", "sequence"])
    except IntegrityError:
        raise SlotTaken() from None
    _notify_both(interview, "interview_moved", by=by)
    return interview


def _cancel(interview: Interview, *, by: User | None, message: str, now: dt.datetime) -> None:
    interview.status = InterviewStatus.CANCELLED
    interview.sequence += 1
    interview.cancelled_at = now
    interview.cancelled_by = by
    interview.cancel_message = message.strip()
    interview.save(
        update_fields=["status", "sequence", "cancelled_at", "cancelled_by", "cancel_message"]
    )
    _notify_both(interview, "interview_cancelled", by=by, message=interview.cancel_message)


@transaction.atomic
def interview_cancel(
    *, interview: Interview, by: User, message: str = "", now: dt.datetime | None = None
) -> Interview:
    """Either side cancels a booked interview, with a message to the other side."""
    now = now or timezone.now()
    interview = _lock_interview(interview)
    if by.pk != interview.application.student_id:
        ensure_manages(by, interview.application.posting, what="its applicants")
    if not interview.is_booked:
        raise InterviewError("This interview is already cancelled.")
    if interview.slot.end <= now:
        raise InterviewError("This interview is over; it cannot be cancelled.")
    _cancel(interview, by=by, message=message, now=now)
    return interview


def cancel_booked_interviews(application: Application, *, by: User | None, message: str) -> int:
    """Cancel the application's upcoming booked interview (it was closed or withdrawn)."""
    now = timezone.now()
    count = 0
    for interview in (
        Interview.objects.select_for_update(of=("self",))
        .select_related(
            "slot__created_by", "application__posting__organization", "application__student"
        )
        .filter(application=application, status=InterviewStatus.BOOKED, slot__start__gt=now)
    ):
        _cancel(interview, by=by, message=message, now=now)
        count += 1
    return count
