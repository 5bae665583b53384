"""The arrangement: one side proposes dates, hours, place and supervisor; the other confirms.
Any later change is a new proposal that needs the other side's confirmation again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from microintern.accounts.models import User
from offers.models import (
    Arrangement,
    ArrangementStatus,
    ArrangementStatusChange,
    OfferError,
    OfferStatus,
    WorkMode,
)
from offers.services.authorization import authorization_follow_arrangement
from offers.services.common import tell_employer, tell_student
from offers.services.offers import MAX_HOURS_PER_WEEK
from postings.access import manages

A = ArrangementStatus
STUDENT, EMPLOYER = "student", "employer"


@dataclass(frozen=True)
class ArrangementTerms:
    start_date: dt.date
    end_date: dt.date
    hours_per_week: int
    work_mode: str
    place: str
    supervisor_name: str
    supervisor_email: str
    notes: str = ""


def side_of(user: User, arrangement: Arrangement) -> str:
    """Which side `user` speaks for; PermissionDenied for anybody else. Staff act for the
    employer (they help organizations that cannot use the site)."""
    offer = arrangement.offer
    if user.pk == offer.student_id:
        return STUDENT
    if user.is_active and (user.is_staff or manages(user, offer.application.posting)):
        return EMPLOYER
    raise PermissionDenied("Only the student and the employer arrange the work.")


def _lock(arrangement: Arrangement) -> Arrangement:
    return (
        Arrangement.objects.select_for_update(of=("self",))
        .select_related(
            "offer__application__posting__organization", "offer__student", "offer__cycle"
        )
        .get(pk=arrangement.pk)
    )


def validate_arrangement(arrangement: Arrangement, terms: ArrangementTerms) -> None:
    errors: dict[str, list[str]] = {}
    cycle = arrangement.offer.cycle
    window = cycle.window_errors(
        terms.start_date,
        terms.end_date,
        inside_iap=not arrangement.outside_iap_allowed,  # CAPD staff allowed other dates
        note="CAPD staff can allow other dates.",
    )
    for field, messages in window.items():
        errors.setdefault(field, []).extend(messages)
    if not 1 <= terms.hours_per_week <= MAX_HOURS_PER_WEEK:
        errors["hours_per_week"] = [f"Hours per week must be 1 to {MAX_HOURS_PER_WEEK}."]
    if terms.work_mode not in WorkMode.values:
        errors["work_mode"] = ["Choose on site, remote or hybrid."]
    if not terms.place.strip():
        errors["place"] = ["Say where: the address, or the tool for remote work."]
    if not terms.supervisor_name.strip():
        errors["supervisor_name"] = ["Name the supervisor."]
    try:
        validate_email(terms.supervisor_email)
    except ValidationError:
        errors["supervisor_email"] = ["Enter the supervisor's email address."]
    if errors:
        raise ValidationError(errors)


def _record(
    arrangement: Arrangement, from_status: str, *, by: User, now: dt.datetime, note: str = ""
) -> None:
    ArrangementStatusChange.objects.create(
        arrangement=arrangement,
        from_status=from_status,
        to_status=arrangement.status,
        by=by,
        at=now,
        note=note,
    )


@transaction.atomic
def arrangement_propose(
    *, arrangement: Arrangement, by: User, terms: ArrangementTerms, now: dt.datetime | None = None
) -> Arrangement:
    now = now or timezone.now()
    arrangement = _lock(arrangement)
    side = side_of(by, arrangement)
    if arrangement.offer.status != OfferStatus.ACCEPTED:
        raise OfferError("The offer is no longer accepted: there is nothing to arrange.")
    arrangement.ensure_can_transition(A.PROPOSED)
    validate_arrangement(arrangement, terms)
    from_status = arrangement.status
    arrangement.start_date, arrangement.end_date = terms.start_date, terms.end_date
    arrangement.hours_per_week, arrangement.work_mode = terms.hours_per_week, terms.work_mode
    arrangement.place = terms.place.strip()
    arrangement.supervisor_name = terms.supervisor_name.strip()
    arrangement.supervisor_email = terms.supervisor_email.strip()
    arrangement.notes = terms.notes.strip()
    arrangement.status = A.PROPOSED
    arrangement.proposed_by, arrangement.proposed_side, arrangement.proposed_at = by, side, now
    arrangement.confirmed_by, arrangement.confirmed_at = None, None
    arrangement.save(
        update_fields=[
            "start_date",
            "end_date",
            "hours_per_week",
            "work_mode",
            "place",
            "supervisor_name",
            "supervisor_email",
            "notes",
            "status",
            "proposed_by",
            "proposed_side",
            "proposed_at",
            "confirmed_by",
            "confirmed_at",
            "updated_at",
        ]
    )
    _record(
        arrangement,
        from_status,
        by=by,
        now=now,
        note="Changed after confirmation." if from_status == A.CONFIRMED else "",
    )
    offer = arrangement.offer
    key = f"arrangement-proposed-{now.timestamp():.6f}"
    if side == STUDENT:
        tell_employer(offer, kind="arrangement_proposed", key=key, arrangement=arrangement)
    else:
        tell_student(offer, kind="arrangement_proposed", key=key, arrangement=arrangement)
    return arrangement


@transaction.atomic
def arrangement_confirm(
    *, arrangement: Arrangement, by: User, now: dt.datetime | None = None
) -> Arrangement:
    now = now or timezone.now()
    arrangement = _lock(arrangement)
    side = side_of(by, arrangement)
    arrangement.ensure_can_transition(A.CONFIRMED)
    if not arrangement.awaits_confirmation_from(side):
        raise OfferError("The other side confirms a proposal; you made this one.")
    from_status = arrangement.status
    arrangement.status = A.CONFIRMED
    arrangement.confirmed_by, arrangement.confirmed_at = by, now
    arrangement.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    _record(arrangement, from_status, by=by, now=now)
    authorization_follow_arrangement(arrangement)
    key = f"arrangement-confirmed-{now.timestamp():.6f}"
    tell_student(arrangement.offer, kind="arrangement_confirmed", key=key, arrangement=arrangement)
    tell_employer(arrangement.offer, kind="arrangement_confirmed", key=key, arrangement=arrangement)
    return arrangement
