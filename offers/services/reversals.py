"""CAPD staff's corrections: reversing an acceptance, and recording that a student reneged.

A reversal reopens exactly what the acceptance closed, by the links the acceptance stored
(AcceptanceClosure), never by matching the text of history notes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.acceptance import lock_student
from applications.models import Application, ApplicationStatus
from applications.services import application_staff_reopen
from authorization.models import AuthorizationCase, CaseState
from authorization.services import case_withdraw
from microintern.accounts.models import User
from microintern.notifications.services import notify
from offers.deadlines import decision_deadline
from offers.models import (
    STAFF_REVERSALS,
    AcceptanceClosure,
    Arrangement,
    InvalidTransition,
    Offer,
    OfferError,
    OfferStatus,
    RenegingCase,
    RenegingReason,
)
from offers.services.common import lock_offer, set_status, tell_employer, tell_student
from postings.access import employer_recipients

S = OfferStatus
REOPENED_NOTE = "Reopened: CAPD reversed the acceptance of another offer."


@dataclass(frozen=True)
class AcceptanceReversal:
    """What a reversal did: the offer, and what the acceptance had closed that is open again."""

    offer: Offer
    reopened_applications: tuple[Application, ...]
    reopened_offers: tuple[Offer, ...]

    @property
    def reopened_anything(self) -> bool:
        return bool(self.reopened_applications or self.reopened_offers)

    @property
    def applications_without_offer(self) -> tuple[Application, ...]:
        """The reopened applications, less those whose offer reopened too (named once)."""
        behind_offers = {offer.application_id for offer in self.reopened_offers}
        return tuple(a for a in self.reopened_applications if a.pk not in behind_offers)


def _ensure_staff(user: User) -> None:
    if not (user.is_active and user.is_staff):
        raise PermissionDenied("Only CAPD staff can do this.")


@transaction.atomic
def offer_reverse_acceptance(
    *, offer: Offer, by: User, to_status: str, note: str, now: dt.datetime | None = None
) -> AcceptanceReversal:
    """Staff undo an acceptance (the student reneged, or it was a mistake).

    What it reopens:
    - the offer goes back to pending (with a fresh deadline of its original window from now)
      or to declined, as staff choose;
    - the application leaves hired: back to offered when the offer is pending again,
      withdrawn when declined (done as staff; the applications map has no exit from hired,
      so this is the one place that writes it, with a history row);
    - the arrangement is deleted (a new acceptance opens a fresh one);
    - the authorization case opened for this offer is withdrawn;
    - what the acceptance closed, by its stored links: the student's other applications
      return to the status they had, and the other offers it declined are pending again with
      a fresh window from now (booked interviews it cancelled are not rebooked: the slots may
      be gone). An acceptance made before these links were stored (offers migration 0005)
      has none, so its reversal reopens nothing else; the result says so and the admin
      shows it.

    The student and the offer's employer are told (offer_acceptance_reversed), and so is
    each employer whose offer or applicant is open again (reopened_after_reversal).
    """
    _ensure_staff(by)
    now = now or timezone.now()
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Write why the acceptance is reversed."})
    # The acceptance's lock order: the student, then the offer. Reopening the other offers
    # while an acceptance of yet another one runs would leave a pending offer beside it.
    lock_student(offer.student_id)
    offer = lock_offer(offer)
    if to_status not in STAFF_REVERSALS.get(offer.status, frozenset()):
        raise InvalidTransition(offer.status, to_status)
    fields: tuple[str, ...] = ("decided_at",)
    if to_status == S.PENDING:
        offer.extended_at = now
        offer.deadline = decision_deadline(now, offer.decision_days_total)
        offer.decided_at = None
        fields += ("extended_at", "deadline")
    else:
        offer.decided_at = now
        offer.decline_reason = note
        fields += ("decline_reason",)
    change = set_status(
        offer, to_status, by=by, note=note, now=now, extra_fields=fields, check=False
    )
    reopened = ApplicationStatus.OFFERED if to_status == S.PENDING else ApplicationStatus.WITHDRAWN
    application_staff_reopen(
        application=offer.application, to_status=reopened, by=by, message=note, now=now
    )
    Arrangement.objects.filter(offer=offer).delete()
    reopened_offers, reopened_applications = _reopen_what_acceptance_closed(
        offer, by=by, now=now, note=note
    )
    for case in AuthorizationCase.objects.filter(pk=offer.authorization_case_id).exclude(
        state__in=[CaseState.WITHDRAWN, CaseState.DENIED, CaseState.AUTHORIZED]
    ):
        # case_withdraw lets the student or an ISO advisor stop a case; staff who are not
        # advisors act for the student here, and the note says so.
        actor = by if by.is_iso_advisor else offer.student
        case_withdraw(case=case, by=actor, note=f"Acceptance reversed by CAPD: {note}")
    result = AcceptanceReversal(
        offer=offer,
        reopened_applications=tuple(c.application for c in reopened_applications),
        reopened_offers=tuple(c.offer for c in reopened_offers),
    )
    key = f"acceptance-reversed-{change.pk}"
    told = {"note": note, "reversal": result}
    tell_student(offer, kind="offer_acceptance_reversed", key=key, **told)
    tell_employer(offer, kind="offer_acceptance_reversed", key=key, **told)
    _tell_employers_reopened(reopened_offers, reopened_applications)
    return result


def _reopen_what_acceptance_closed(
    offer: Offer, *, by: User, now: dt.datetime, note: str
) -> tuple[list[AcceptanceClosure], list[AcceptanceClosure]]:
    """Undo offer_accept's closures, found by their link to this acceptance; returns the
    closures reopened (offers, applications), each carrying its reopened row. Each closure
    is reopened once: a later acceptance of the same offer records closures of its own."""
    reopened_note = f"{REOPENED_NOTE} {note}"
    closures = list(offer.acceptance_closures.open().order_by("offer_id", "application_id", "pk"))
    reopened_offers: list[AcceptanceClosure] = []
    # Offers first, in primary-key order (the acceptance declined them in that order).
    for closure in (c for c in closures if c.offer_id is not None):
        other = lock_offer(closure.offer_id)
        if other.status != S.DECLINED:
            continue  # declined is final: only an inconsistent record lands here
        other.extended_at = now
        other.deadline = decision_deadline(now, other.decision_days_total)
        other.decided_at = None
        other.decline_reason = ""
        set_status(
            other,
            S.PENDING,
            by=by,
            note=reopened_note,
            now=now,
            extra_fields=("extended_at", "deadline", "decided_at", "decline_reason"),
            check=False,
        )
        closure.offer = other
        _mark_reopened(closure, now)
        reopened_offers.append(closure)
    reopened_applications: list[AcceptanceClosure] = []
    for closure in (c for c in closures if c.application_id is not None):
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("posting__organization", "student")
            .get(pk=closure.application_id)
        )
        if application.status != ApplicationStatus.WITHDRAWN:
            continue  # withdrawn is final: only an inconsistent record lands here
        change = application_staff_reopen(
            application=application,
            to_status=closure.from_status,
            by=by,
            message=reopened_note,
            now=now,
        )
        application.status = change.to_status  # the service saved its own locked copy
        closure.application = application
        _mark_reopened(closure, now)
        reopened_applications.append(closure)
    return reopened_offers, reopened_applications


def _mark_reopened(closure: AcceptanceClosure, now: dt.datetime) -> None:
    closure.reopened_at = now
    closure.save(update_fields=["reopened_at"])


def _tell_employers_reopened(
    offers: list[AcceptanceClosure], applications: list[AcceptanceClosure]
) -> None:
    """Each employer whose offer or applicant the acceptance had closed is told it is open
    again (once per closure). An application whose offer reopened is told through the offer."""
    covered = {closure.offer.application_id for closure in offers}
    for closure in offers:
        tell_employer(closure.offer, kind="reopened_after_reversal", key=f"reopened-{closure.pk}")
    for closure in applications:
        application = closure.application
        if application.pk in covered:
            continue
        for user in employer_recipients(application.posting):
            notify(
                recipient=user,
                kind="reopened_after_reversal",
                dedup_key=f"application:{application.pk}:reopened-{closure.pk}:user-{user.pk}",
                context={
                    "application": application,
                    "posting": application.posting,
                    "student": application.student,
                },
                url=reverse("applications:detail", args=[application.pk]),
            )


@transaction.atomic
def reneging_case_record(
    *, offer: Offer, by: User, reason_code: str, notes: str = ""
) -> RenegingCase:
    """Staff record that a student went back on an accepted offer (CAPD's follow-up).

    It tells nobody: the record is CAPD's own and changes nothing the student or the employer
    see. What they see changes when staff reverse the acceptance, and that reversal tells
    both (offer_acceptance_reversed), with CAPD's note.
    """
    _ensure_staff(by)
    if reason_code not in RenegingReason.values:
        raise ValidationError({"reason_code": "Choose a reason."})
    offer = lock_offer(offer)
    if (
        offer.status != S.ACCEPTED
        and not offer.status_changes.filter(from_status=S.ACCEPTED).exists()
    ):
        raise OfferError("A reneging case is recorded on an offer that was accepted.")
    return RenegingCase.objects.create(
        offer=offer, reason_code=reason_code, notes=notes.strip(), recorded_by=by
    )
