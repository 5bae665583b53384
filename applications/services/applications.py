"""The application pipeline: move, reject, withdraw, the offers hooks, notes, and
the sweep that closes undecided applications.

Every status change locks the application's row, checks the transition map, saves with
`update_fields` and writes an ApplicationStatusChange; notifications go into the outbox in
the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.models import (
    EMPLOYER_NEXT_STAGE,
    FINAL_STATUSES,
    UNDECIDED_STATUSES,
    Application,
    ApplicationError,
    ApplicationNote,
    ApplicationStatus,
    ApplicationStatusChange,
    InvalidTransition,
)
from applications.services.interviews import cancel_booked_interviews
from microintern.accounts.models import User
from microintern.core.models import ProgramSettings
from microintern.notifications.services import notify
from postings.access import employer_recipients, ensure_manages
from postings.models import Posting, PostingStatus

S = ApplicationStatus
# What an employer may move an application to with `application_move`; offers and hiring
# go through the offers app (application_mark_offered / application_mark_hired).
MOVE_TARGETS = frozenset({S.UNDER_REVIEW, S.INTERVIEWING})


# --- who may do what --------------------------------------------------------------------------
def ensure_employer(user: User, posting: Posting) -> None:
    ensure_manages(user, posting, what="its applicants")


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
    locked = _lock_many(_as_list(applications))
    for application in locked:
        ensure_employer(by, application.posting)
    for application in locked:
        change = transition(application, S.NOT_SELECTED, by=by, message=message)
        cancel_booked_interviews(application, by=by, message="The application was closed.")
        tell_student(application, change)
    return locked


@transaction.atomic
def application_withdraw(
    *, application: Application, by: User, reason: str = "", tell_employer: bool = False
) -> Application:
    """The student withdraws (from any state before hired); a booked interview is cancelled.

    The offers app calls this too, when an accepted offer withdraws the student's other
    applications; it tells the employers itself, so `tell_employer` is off by default and
    the student's own withdrawal from the site turns it on.
    """
    application = _lock(application)
    if not (by.is_staff or by.pk == application.student_id):
        raise PermissionDenied("Only the student withdraws an application.")
    change = transition(application, S.WITHDRAWN, by=by, message=reason)
    cancelled = cancel_booked_interviews(
        application, by=by, message=reason or "The student withdrew the application."
    )
    if tell_employer:
        for member in employer_recipients(application.posting):
            notify(
                recipient=member,
                kind="application_withdrawn",
                dedup_key=f"application:{application.pk}:withdrawn:{change.pk}:{member.pk}",
                context={
                    "application": application,
                    "posting": application.posting,
                    "student": application.student,
                    "reason": change.message_to_student,
                    "cancelled": cancelled,
                },
                url=reverse("applications:detail", args=[application.pk]),
            )
    return application


def application_close_after_lapsed_offer(*, application: Application, message: str) -> Application:
    """The offer on this application expired without an answer: the application closes as
    withdrawn, recorded as done by the portal (by nobody), not as if the student had clicked.

    The offers app calls this inside its expiry transaction; it tells both sides itself.
    """
    application = _lock(application)
    transition(application, S.WITHDRAWN, by=None, message=message)
    cancel_booked_interviews(application, by=None, message=message)
    return application


# CAPD staff reversing an acceptance (offers.offer_reverse_acceptance) are the one way out of
# a final status. These are the only changes they may make, outside ALLOWED_TRANSITIONS.
STAFF_REOPENINGS = frozenset(
    {
        (S.HIRED, S.OFFERED),  # the offer is pending again
        (S.HIRED, S.WITHDRAWN),  # the offer is declined after all
        # applications the acceptance withdrew return to where they were
        (S.WITHDRAWN, S.SUBMITTED),
        (S.WITHDRAWN, S.UNDER_REVIEW),
        (S.WITHDRAWN, S.INTERVIEWING),
        (S.WITHDRAWN, S.OFFERED),
    }
)


def application_staff_reopen(
    *,
    application: Application,
    to_status: str,
    by: User,
    message: str,
    now: dt.datetime | None = None,
) -> ApplicationStatusChange:
    """CAPD staff undo a final status, with its history row; the caller tells the people."""
    if not (by.is_active and by.is_staff):
        raise PermissionDenied("Only CAPD staff reopen a closed application.")
    application = _lock(application)
    if (application.status, to_status) not in STAFF_REOPENINGS:
        raise InvalidTransition(application.status, to_status)
    now = now or timezone.now()
    change = ApplicationStatusChange.objects.create(
        application=application,
        from_status=application.status,
        to_status=to_status,
        by=by,
        at=now,
        message_to_student=message.strip(),
    )
    application.status = to_status
    application.decided_at = now if to_status in FINAL_STATUSES else None
    application.save(update_fields=["status", "decided_at", "updated_at"])
    return change


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
