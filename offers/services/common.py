"""Shared by the offer services: locks, the history row, the people to tell."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from microintern.accounts.models import User
from microintern.notifications.services import notify
from offers.models import Offer, OfferStatusChange
from postings.access import employer_recipients


def lock_offer(offer: Offer | int) -> Offer:
    pk = offer if isinstance(offer, int) else offer.pk
    return (
        Offer.objects.select_for_update(of=("self",))
        .select_related("application__posting__organization", "student", "cycle")
        .get(pk=pk)
    )


def set_status(
    offer: Offer,
    to_status: str,
    *,
    by: User | None,
    note: str = "",
    now: dt.datetime | None = None,
    extra_fields: tuple[str, ...] = (),
    check: bool = True,
) -> OfferStatusChange:
    """Change the status of a locked offer and write its history row."""
    if check:
        offer.ensure_can_transition(to_status)
    now = now or timezone.now()
    from_status = offer.status
    offer.status = to_status
    offer.save(update_fields=["status", "updated_at", *extra_fields])
    return OfferStatusChange.objects.create(
        offer=offer, from_status=from_status, to_status=to_status, by=by, at=now, note=note
    )


def offer_url(offer: Offer) -> str:
    return reverse("offers:detail", args=[offer.pk])


def context_for(offer: Offer, **extra: Any) -> dict[str, Any]:
    return {
        "offer": offer,
        "posting": offer.application.posting,
        "organization": offer.application.posting.organization,
        "student": offer.student,
        **extra,
    }


def tell_student(offer: Offer, *, kind: str, key: str, batched: bool = False, **extra: Any) -> int:
    """Returns how many notifications were written (0 when this event was already told).
    `batched`: a sweep read the student's preferences with the offer and left out the events
    told already (notify's `batched`)."""
    return int(
        notify(
            recipient=offer.student,
            kind=kind,
            dedup_key=f"offer:{offer.pk}:{key}:student",
            context=context_for(offer, for_student=True, **extra),
            url=offer_url(offer),
            batched=batched,
        )
        is not None
    )


def tell_employer(
    offer: Offer,
    *,
    kind: str,
    key: str,
    recipients: list[User] | None = None,
    batched: bool = False,
    **extra: Any,
) -> int:
    """Tells the posting's organization. A sweep passes the `recipients` it read for its
    whole batch (postings.access.employer_recipients_by_organization, with preferences)."""
    written = 0
    if recipients is None:
        recipients = employer_recipients(offer.application.posting)
    for user in recipients:
        written += int(
            notify(
                recipient=user,
                kind=kind,
                dedup_key=f"offer:{offer.pk}:{key}:user-{user.pk}",
                context=context_for(offer, for_student=False, **extra),
                url=offer_url(offer),
                batched=batched,
            )
            is not None
        )
    return written
