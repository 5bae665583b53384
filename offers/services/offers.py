"""The offer's life: extend, accept, decline, rescind, expire (staff reversals and reneging
are in reversals.py).

Every change runs in one transaction on rows read with `select_for_update`, checks the
transition map, saves with `update_fields`, writes an OfferStatusChange and puts the
notifications into the outbox in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from applications.acceptance import CycleClosedByAcceptance, ensure_cycle_open, lock_student
from applications.models import Application, ApplicationStatus, Interview
from applications.services import (
    application_close_after_lapsed_offer,
    application_mark_hired,
    application_mark_offered,
    application_reject,
    application_withdraw,
)
from microintern.accounts.models import User
from microintern.core.models import ProgramSettings
from microintern.cycles.models import RecruitingCycle
from microintern.notifications.services import notify
from offers.deadlines import MAX_DECISION_DAYS, MIN_DECISION_DAYS, decision_deadline
from offers.models import (
    AcceptanceClosure,
    AnotherOfferAccepted,
    Arrangement,
    ArrangementStatus,
    DeadlinePassed,
    Offer,
    OfferError,
    OfferStatus,
)
from offers.services.authorization import authorization_open_for
from offers.services.common import (
    lock_offer,
    set_status,
    tell_employer,
    tell_student,
)
from postings.access import employer_recipients, ensure_manages
from postings.models import Posting

S = OfferStatus
OFFERABLE_APPLICATION_STATUSES = frozenset(
    {ApplicationStatus.UNDER_REVIEW, ApplicationStatus.INTERVIEWING}
)
MAX_HOURS_PER_WEEK = 40


@dataclass(frozen=True)
class OfferTerms:
    pay_hourly: Decimal | None
    start_date: dt.date
    end_date: dt.date
    hours_per_week: int
    decision_days: int
    message: str = ""
    # Required when no interview with the applicant was held (and the program asks for one).
    no_interview_reason: str = ""


def ensure_employer(user: User, offer_or_posting: Offer | Posting) -> None:
    posting = (
        offer_or_posting.application.posting
        if isinstance(offer_or_posting, Offer)
        else offer_or_posting
    )
    ensure_manages(user, posting, what="its offers")


def ensure_student(user: User, offer: Offer) -> None:
    if user.pk != offer.student_id:
        raise PermissionDenied("Only the student who received the offer can decide on it.")


def validate_terms(*, posting: Posting, cycle: RecruitingCycle, terms: OfferTerms) -> None:
    """Raise ValidationError (per field) unless the terms follow the program's rules."""
    errors: dict[str, list[str]] = {}
    minimum = ProgramSettings.load().minimum_wage_hourly
    unpaid_allowed = not posting.is_paid and posting.unpaid_approved
    if terms.pay_hourly is None or terms.pay_hourly == 0:
        if not unpaid_allowed:
            errors["pay_hourly"] = ["Enter the pay per hour."]
    elif terms.pay_hourly < minimum:
        errors["pay_hourly"] = [
            f"The pay must be at least the Massachusetts minimum wage, ${minimum} an hour."
        ]
    if not MIN_DECISION_DAYS <= terms.decision_days <= MAX_DECISION_DAYS:
        errors["decision_days"] = [
            f"The decision window must be {MIN_DECISION_DAYS} to {MAX_DECISION_DAYS} business days."
        ]
    for field, messages in cycle.window_errors(terms.start_date, terms.end_date).items():
        errors.setdefault(field, []).extend(messages)
    if not 1 <= terms.hours_per_week <= MAX_HOURS_PER_WEEK:
        errors["hours_per_week"] = [f"Hours per week must be 1 to {MAX_HOURS_PER_WEEK}."]
    if errors:
        raise ValidationError(errors)


NO_INTERVIEW_MESSAGE = (
    "No interview with this applicant was held. Employers interview every candidate they "
    "consider: hold an interview first, or say why you offer without one (CAPD reads it)."
)


def interview_held(application: Application, now: dt.datetime | None = None) -> bool:
    """Whether an interview with the applicant took place (Interview.objects.held)."""
    return Interview.objects.held(now).filter(application=application).exists()


# --- extend -----------------------------------------------------------------------------------
@transaction.atomic
def offer_extend(
    *, application: Application, by: User, terms: OfferTerms, now: dt.datetime | None = None
) -> Offer:
    """The employer extends an offer from an application under review or interviewing. The
    deadline is computed here, once, and stored in UTC. Without a held interview the employer
    gives the reason (terms.no_interview_reason), unless the program settings let offers go
    without one."""
    now = now or timezone.now()
    # The student's lock first, as acceptance takes it: an offer never lands beside an
    # acceptance in the same cycle (applications/acceptance.py).
    lock_student(application.student_id)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("posting__organization", "posting__cycle", "student")
        .get(pk=application.pk)
    )
    posting = application.posting
    ensure_employer(by, posting)
    try:
        ensure_cycle_open(application.student_id, posting.cycle_id, for_employer=True)
    except CycleClosedByAcceptance as exc:
        raise OfferError(str(exc)) from None
    if application.status not in OFFERABLE_APPLICATION_STATUSES:
        raise OfferError(
            "An offer can be extended only to an applicant under review or interviewing; "
            f"this application is {application.get_status_display().lower()}."
        )
    errors: dict[str, list[str]] = {}
    try:
        validate_terms(posting=posting, cycle=posting.cycle, terms=terms)
    except ValidationError as exc:
        errors = exc.message_dict
    # The reason is kept only when no interview was held: that is what CAPD reads it for.
    held = interview_held(application, now)
    no_interview_reason = "" if held else terms.no_interview_reason.strip()
    required = ProgramSettings.load().offers_require_held_interview
    if required and not held and not no_interview_reason:
        errors["no_interview_reason"] = [NO_INTERVIEW_MESSAGE]
    if errors:
        raise ValidationError(errors)
    offer = Offer(
        application=application,
        student=application.student,
        cycle=posting.cycle,
        pay_hourly=terms.pay_hourly or None,
        start_date=terms.start_date,
        end_date=terms.end_date,
        hours_per_week=terms.hours_per_week,
        message=terms.message.strip(),
        no_interview_reason=no_interview_reason,
        decision_window_days=terms.decision_days,
        decision_days_total=terms.decision_days,
        extended_at=now,
        extended_by=by,
        deadline=decision_deadline(now, terms.decision_days),
    )
    offer.full_clean()
    offer.save()
    offer.status_changes.create(from_status="", to_status=S.PENDING, by=by, at=now)
    application_mark_offered(application=application, by=by)
    tell_student(offer, kind="offer_extended", key="extended")
    return offer


# --- accept -----------------------------------------------------------------------------------
@transaction.atomic
def offer_accept(*, offer: Offer, by: User, now: dt.datetime | None = None) -> Offer:
    """The student accepts. One transaction: the student's row is locked first (two offers of
    theirs accepted at once queue here instead of dead-locking), then the offer; it must be
    pending and before its deadline *now* (the sweep may not have run yet). Then: the
    application is hired, the student's other open applications in the cycle withdrawn and
    other pending offers declined (each employer told), the arrangement opened, and for an
    international student the authorization case opened."""
    now = now or timezone.now()
    ensure_student(by, offer)
    lock_student(offer.student_id)
    offer = lock_offer(offer)
    if offer.status == S.DECLINED and AcceptanceClosure.objects.open().filter(offer=offer).exists():
        raise AnotherOfferAccepted()  # declined by the acceptance of another offer
    offer.ensure_can_transition(S.ACCEPTED)
    if offer.deadline_passed(now):
        raise DeadlinePassed()
    if (
        Offer.objects.accepted()
        .filter(student_id=offer.student_id, cycle_id=offer.cycle_id)
        .exists()
    ):
        raise AnotherOfferAccepted()
    offer.decided_at = now
    try:
        with transaction.atomic():  # the constraint is the last line of defence
            set_status(offer, S.ACCEPTED, by=by, now=now, extra_fields=("decided_at",))
    except IntegrityError:
        raise AnotherOfferAccepted() from None
    application_mark_hired(application=offer.application, by=by)
    # The note is for people to read; what the acceptance closed is recorded as links to it
    # (AcceptanceClosure), which a staff reversal follows.
    note = f"{ACCEPTED_OTHER_NOTE} ({offer.application.posting.title})."
    for other in _other_pending_offers(offer):
        AcceptanceClosure.objects.create(
            accepted_offer=offer, offer=other, from_status=other.status, closed_at=now
        )
        other.decided_at = now
        other.decline_reason = note
        set_status(
            other,
            S.DECLINED,
            by=by,
            note=note,
            now=now,
            extra_fields=("decided_at", "decline_reason"),
        )
        tell_employer(other, kind="offer_declined", key="declined", reason=note)
    for application in _other_open_applications(offer):
        AcceptanceClosure.objects.create(
            accepted_offer=offer,
            application=application,
            from_status=application.status,
            closed_at=now,
        )
        application_withdraw(application=application, by=by, reason=note)
        _tell_employer_withdrawn(application, note=note)
    Arrangement.objects.create(
        offer=offer,
        status=ArrangementStatus.TO_ARRANGE,
        start_date=offer.start_date,
        end_date=offer.end_date,
        hours_per_week=offer.hours_per_week,
    )
    authorization_open_for(offer, now=now)
    tell_employer(offer, kind="offer_accepted", key="accepted")
    return offer


ACCEPTED_OTHER_NOTE = "The student accepted another offer in this cycle"


def _other_pending_offers(offer: Offer) -> list[Offer]:
    ids = list(
        Offer.objects.pending()
        .filter(student_id=offer.student_id, cycle_id=offer.cycle_id)
        .exclude(pk=offer.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [lock_offer(pk) for pk in ids]  # in primary-key order, after the student's lock


def _other_open_applications(offer: Offer) -> list[Application]:
    # Locked (in primary-key order, after the student's lock) so that the status recorded as
    # the one to return to is the one withdrawn: an employer's move waits for this.
    return list(
        Application.objects.select_for_update(of=("self",))
        .open()
        .filter(student_id=offer.student_id, posting__cycle_id=offer.cycle_id)
        .exclude(pk=offer.application_id)
        .select_related("posting__organization")
        .order_by("pk")
    )


def _tell_employer_withdrawn(application: Application, *, note: str) -> None:
    for user in employer_recipients(application.posting):
        notify(
            recipient=user,
            kind="application_withdrawn_after_acceptance",
            dedup_key=f"application:{application.pk}:withdrawn-after-acceptance:user-{user.pk}",
            context={"application": application, "posting": application.posting, "note": note},
            url=reverse("applications:detail", args=[application.pk]),
        )


# --- decline, rescind -------------------------------------------------------------------------
@transaction.atomic
def offer_decline(
    *, offer: Offer, by: User, reason: str = "", now: dt.datetime | None = None
) -> Offer:
    """The student declines while the offer is open; the application is withdrawn.

    After the deadline the offer expires (the sweep may not have run yet): the record then
    says expired, not declined, so the funnel counts it as the rules do.
    """
    now = now or timezone.now()
    ensure_student(by, offer)
    offer = lock_offer(offer)
    offer.ensure_can_transition(S.DECLINED)
    if offer.deadline_passed(now):
        raise DeadlinePassed("declined")
    offer.decided_at, offer.decline_reason = now, reason.strip()
    set_status(
        offer,
        S.DECLINED,
        by=by,
        note=offer.decline_reason,
        now=now,
        extra_fields=("decided_at", "decline_reason"),
    )
    application_withdraw(
        application=offer.application, by=by, reason=reason.strip() or "Declined the offer."
    )
    tell_employer(offer, kind="offer_declined", key="declined", reason=offer.decline_reason)
    return offer


@transaction.atomic
def offer_rescind(*, offer: Offer, by: User, reason: str, now: dt.datetime | None = None) -> Offer:
    """The employer withdraws a pending offer, with a reason the student reads."""
    now = now or timezone.now()
    offer = lock_offer(offer)
    ensure_employer(by, offer)
    if not reason.strip():
        raise ValidationError({"reason": "Give the student the reason for rescinding."})
    offer.ensure_can_transition(S.RESCINDED)
    offer.decided_at, offer.rescind_reason = now, reason.strip()
    set_status(
        offer,
        S.RESCINDED,
        by=by,
        note=offer.rescind_reason,
        now=now,
        extra_fields=("decided_at", "rescind_reason"),
    )
    application_reject(applications=offer.application, by=by, message=offer.rescind_reason)
    tell_student(offer, kind="offer_rescinded", key="rescinded", reason=offer.rescind_reason)
    return offer


# --- expire -----------------------------------------------------------------------------------
EXPIRED_NOTE = "The decision deadline passed without a decision."


def offers_expire_due(
    *, now: dt.datetime | None = None, batch: int = 500, only: Collection[int] | None = None
) -> int:
    """The sweep (beat, every minute): pending offers past their deadline become expired.
    Each is claimed with a conditional update, so an acceptance that holds the row (or
    committed first) wins and the sweep moves on; two sweeps never expire one twice.
    `only`: these offers and no others (staff's admin action on a selection)."""
    now = now or timezone.now()
    candidates = Offer.objects.due_to_expire(now)
    if only is not None:
        candidates = candidates.filter(pk__in=list(only))
    due = list(candidates.order_by("deadline", "pk").values_list("pk", "student_id")[:batch])
    expired = 0
    for pk, student_id in due:
        with transaction.atomic():
            lock_student(student_id)  # the acceptance's lock order: the student, then the offer
            claimed = Offer.objects.filter(pk=pk, status=S.PENDING, deadline__lte=now).update(
                status=S.EXPIRED, decided_at=now, updated_at=now
            )
            if claimed != 1:
                continue
            offer = Offer.objects.select_related(
                "application__posting__organization", "student"
            ).get(pk=pk)
            offer.status_changes.create(
                from_status=S.PENDING, to_status=S.EXPIRED, by=None, at=now, note=EXPIRED_NOTE
            )
            application_close_after_lapsed_offer(
                application=offer.application, message=EXPIRED_NOTE
            )
            tell_student(offer, kind="offer_expired", key="expired")
            tell_employer(offer, kind="offer_expired", key="expired")
            expired += 1
    return expired
