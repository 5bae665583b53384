"""The daily digest: alerts a user chose to receive as one email a day.

Rows wait in the DIGEST state. Once a day, from DIGEST_HOUR Eastern time, the sweep writes one
`daily_digest` notification per user (deduplicated by user and date) and marks the rows it
lists as sent, in one transaction, so running it twice, or from two beats, sends one digest.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from microintern.accounts.models import User
from microintern.notifications.models import EmailState, Notification
from microintern.notifications.services import notify

INSTITUTE_TZ = ZoneInfo("America/New_York")
DIGEST_HOUR = 8  # 8:00 am Eastern, before the working day


def digest_sweep(*, now: dt.datetime | None = None) -> int:
    """Send today's digests that are due; returns how many were written."""
    now = now or timezone.now()
    local = now.astimezone(INSTITUTE_TZ)
    if local.hour < DIGEST_HOUR:
        return 0
    user_ids = (
        Notification.objects.filter(email_state=EmailState.DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    written = 0
    for user in User.objects.filter(pk__in=list(user_ids)):
        written += _send_digest(user=user, day=local.date(), now=now)
    return written


@transaction.atomic
def _send_digest(*, user: User, day: dt.date, now: dt.datetime) -> int:
    # One sweeper at a time per user: the user's row is the lock. Locking the waiting rows
    # themselves with SKIP LOCKED would let two sweepers split one user's rows between them;
    # the second digest then loses on the dedup key and its rows wait until tomorrow.
    User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()
    items = list(
        Notification.objects.filter(recipient=user, email_state=EmailState.DIGEST).order_by(
            "created_at"
        )
    )
    if not items:
        return 0
    digest = notify(
        recipient=user,
        kind="daily_digest",
        dedup_key=f"digest:{user.pk}:{day.isoformat()}",
        context={"items": items, "day": day},
        url=reverse("notifications:inbox"),
    )
    if digest is None:
        # Today's digest went out already; these rows arrived later and wait for tomorrow.
        return 0
    Notification.objects.filter(
        pk__in=[item.pk for item in items], email_state=EmailState.DIGEST
    ).update(email_state=EmailState.SENT, sent_at=now, last_error="")
    return 1
