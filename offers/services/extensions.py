"""Extension requests: the student asks for more time before the deadline; the employer
grants some days or refuses. The window never exceeds 7 business days from the extension."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from microintern.accounts.models import User
from offers.deadlines import MAX_DECISION_DAYS, extended_deadline
from offers.models import ExtensionRequest, ExtensionStatus, Offer, OfferError
from offers.services.common import lock_offer, tell_employer, tell_student
from offers.services.offers import ensure_employer, ensure_student


@transaction.atomic
def extension_request(
    *, offer: Offer, by: User, reason: str, days: int, now: dt.datetime | None = None
) -> ExtensionRequest:
    now = now or timezone.now()
    ensure_student(by, offer)
    offer = lock_offer(offer)
    if not offer.is_pending:
        raise OfferError("Only an offer waiting for your decision can be extended.")
    if offer.deadline_passed(now):
        raise OfferError("The decision deadline has passed: it is too late to ask for more time.")
    available = offer.extension_days_available
    if available <= 0:
        raise OfferError(
            f"The decision window is already {MAX_DECISION_DAYS} business days, the most "
            "the program allows."
        )
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "Tell the employer why you need more time."
    if not 1 <= days <= available:
        errors["days"] = (
            f"You can ask for 1 to {available} more business day{'s' if available > 1 else ''}: "
            f"the window cannot exceed {MAX_DECISION_DAYS} business days."
        )
    if errors:
        raise ValidationError(errors)
    if offer.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
        raise OfferError("You already asked for more time; wait for the employer's answer.")
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(
                offer=offer,
                requested_by=by,
                reason=reason.strip(),
                days_requested=days,
                previous_deadline=offer.deadline,
                created_at=now,
            )
    except IntegrityError:
        raise OfferError(
            "You already asked for more time; wait for the employer's answer."
        ) from None
    tell_employer(
        offer, kind="extension_requested", key=f"extension-{request.pk}-requested", request=request
    )
    return request


@transaction.atomic
def extension_answer(
    *,
    request: ExtensionRequest,
    by: User,
    days_granted: int,
    note: str = "",
    now: dt.datetime | None = None,
) -> ExtensionRequest:
    """Grant `days_granted` business days (0 refuses), added to the current deadline.

    Granting is refused once the deadline has passed, even before the expiry sweep has run:
    time cannot be added to a window that is over (refusing is still recorded)."""
    now = now or timezone.now()
    offer = lock_offer(request.offer_id)
    ensure_employer(by, offer)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ExtensionStatus.PENDING:
        raise OfferError("This request was already answered.")
    if not offer.is_pending:
        raise OfferError("The offer is no longer waiting for a decision.")
    if days_granted and offer.deadline_passed(now):
        raise OfferError(
            "The decision deadline has passed, so no more time can be granted: the offer "
            "expires. Extend a new offer if you still want this student."
        )
    available = offer.extension_days_available
    if not 0 <= days_granted <= available:
        raise ValidationError(
            {
                "days_granted": f"Grant 0 to {available} business days: the window cannot exceed "
                f"{MAX_DECISION_DAYS} business days."
            }
        )
    request.answered_by, request.answered_at, request.answer_note = by, now, note.strip()
    request.days_granted = days_granted
    fields = ["status", "days_granted", "answered_by", "answered_at", "answer_note"]
    if days_granted:
        request.status = ExtensionStatus.GRANTED
        offer.decision_days_total += days_granted
        offer.deadline = extended_deadline(offer.deadline, days_granted)
        offer.save(update_fields=["decision_days_total", "deadline", "updated_at"])
        offer.status_changes.create(
            from_status=offer.status,
            to_status=offer.status,
            by=by,
            at=now,
            note=f"Decision window extended by {days_granted} business day"
            f"{'s' if days_granted > 1 else ''}.",
        )
        request.new_deadline = offer.deadline
        fields.append("new_deadline")
    else:
        request.status = ExtensionStatus.REFUSED
    request.save(update_fields=fields)
    key = f"extension-{request.pk}-answered"
    tell_student(offer, kind="extension_answered", key=key, request=request)
    tell_employer(offer, kind="extension_answered", key=key, request=request)
    return request
