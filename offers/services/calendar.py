"""Pending offers keep the business days they were promised when staff change holidays."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from offers.deadlines import INSTITUTE_TZ, decision_deadline
from offers.models import Offer
from offers.services.common import lock_offer, tell_employer, tell_student


def offers_keep_promised_windows(
    days: frozenset[dt.date], *, now: dt.datetime | None = None
) -> int:
    """Move later every pending deadline that a calendar change would shorten.

    The promise is `decision_days_total` business days after the day of extension, counted
    on today's calendar; a deadline is never moved earlier (a removed holiday gives the
    student nothing less than they were told). Runs in the caller's transaction (the
    holiday admin's). Returns how many offers moved; both sides are told of each.
    """
    now = now or timezone.now()
    first, last = min(days), max(days)
    # Only offers whose window (after the day of extension, up to the deadline's day, in
    # Eastern time) holds a changed day can be affected.
    candidates = (
        Offer.objects.pending()
        .filter(deadline__gt=now, extended_at__date__lt=last, deadline__date__gte=first)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    moved = 0
    for pk in candidates:
        offer = lock_offer(pk)
        if not offer.is_pending:
            continue
        promised = decision_deadline(offer.extended_at, offer.decision_days_total)
        if promised <= offer.deadline:
            continue
        before = offer.deadline
        Offer.objects.filter(pk=offer.pk).update(deadline=promised, updated_at=now)
        offer.refresh_from_db(fields=["deadline", "updated_at"])
        offer.status_changes.create(
            from_status=offer.status,
            to_status=offer.status,
            by=None,
            at=now,
            note=(
                "The holiday calendar changed: the decision deadline moved from "
                f"{before.astimezone(INSTITUTE_TZ):%b %-d} to "
                f"{promised.astimezone(INSTITUTE_TZ):%b %-d} to keep the "
                f"{offer.decision_days_total} business days promised."
            ),
        )
        key = f"deadline-moved-{promised.astimezone(INSTITUTE_TZ):%Y%m%d}"
        tell_student(offer, kind="offer_deadline_moved", key=key, previous_deadline=before)
        tell_employer(offer, kind="offer_deadline_moved", key=key, previous_deadline=before)
        moved += 1
    return moved
