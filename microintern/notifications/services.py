"""Writing notifications into the outbox and delivering them.

`notify` is the one function every app calls. It runs inside the caller's transaction: the
notification exists if and only if the business change committed, and its delivery is
queued with `transaction.on_commit`, so a rolled-back change sends nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Iterable
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from microintern.accounts.models import User
from microintern.core.outage import broker_breaker
from microintern.notifications import kinds
from microintern.notifications.mail import send_email
from microintern.notifications.models import EmailState, Notification, NotificationPreference
from microintern.notifications.unsubscribe import unsubscribe_url

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A claim older than this belongs to a worker that died mid-send; the sweep takes it back.
# It must outlast one SMTP conversation, which EMAIL_TIMEOUT bounds (see settings).
STALE_CLAIM = dt.timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS)
SWEEP_BATCH = 500
DELIVER_TASK = "notifications.deliver"  # registered in tasks.py


def backoff(attempts: int) -> dt.timedelta:
    """1, 4, 16, 64 minutes between attempts."""
    return dt.timedelta(minutes=4 ** max(attempts - 1, 0))


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path


def render_plain_text(template_name: str, context: dict[str, Any]) -> str:
    """A subject or a text body: plain text, so nothing is HTML-escaped (a name with `&` or
    `'` reads as typed, not as `&amp;`). Pages that show it escape it as they display it."""
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))


def header_text(value: str) -> str:
    """One line fit for a mail header: no line breaks or other control characters (so no
    header injection), whitespace collapsed, at most 255 characters (the column)."""
    cleaned = "".join(
        " " if unicodedata.category(char) in {"Cc", "Zl", "Zp"} else char for char in value
    )
    return " ".join(cleaned.split())[:255]


def render_email(kind_key: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text and HTML bodies from templates/emails/<kind>/."""
    subject = header_text(render_plain_text(f"emails/{kind_key}/subject.txt", context))
    body_text = render_plain_text(f"emails/{kind_key}/body.txt", context)
    body_html = render_to_string(f"emails/{kind_key}/body.html", context)
    return subject, body_text, body_html


def footer_context(recipient: User, kind: kinds.Kind) -> dict[str, str]:
    """The links every email's footer carries: the preferences page, and for a kind the user
    may turn off, the page that turns off just this kind (a GET there only asks)."""
    return {
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "unsubscribe_url": (
            unsubscribe_url(user_id=recipient.pk, kind=kind.key) if kind.optional else ""
        ),
    }


def _preference_of(user: User, *, read_with_user: bool = False) -> NotificationPreference | None:
    """The user's preferences. `read_with_user`: a sweep read them with its rows
    (select_related("student__notification_preference")), which saves a query per email;
    only then is the cache trusted (a user object kept through a request may hold a stale
    one)."""
    if not (read_with_user and type(user).notification_preference.is_cached(user)):
        return NotificationPreference.objects.filter(user=user).first()
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:  # read with the user: there are none
        return None


def email_wanted(user: User, kind: kinds.Kind, *, preference_read: bool = False) -> str:
    """The initial email state for this user and kind, from their preferences."""
    preference = _preference_of(user, read_with_user=preference_read)
    if preference is None:
        return EmailState.PENDING
    if not kind.mandatory and kind.key in preference.email_off:
        return EmailState.SKIPPED
    if kind.digestible and preference.daily_digest:
        return EmailState.DIGEST
    return EmailState.PENDING


def notify(
    *,
    recipient: User,
    kind: str,
    dedup_key: str,
    context: dict[str, Any] | None = None,
    url: str = "",
    attachment: tuple[str, str, str] | None = None,
    batched: bool = False,
) -> Notification | None:
    """Put one notification into the outbox; None when this event was already notified.

    `attachment` is (file name, content, MIME type), for example an interview's .ics.
    `batched`: a sweep's batch query left out the events told already and read each
    recipient's preferences with the rows, so neither is read again here.
    Rendering happens here, so the stored email is what the data said at that moment; a
    template error marks this notification failed and never breaks the caller's request.
    """
    kind_def = kinds.get(kind)  # raises UnknownNotificationKind at the call site
    if not batched and already_notified([dedup_key]):
        # Sweeps run over their backlog every few minutes: one indexed lookup, not three
        # templates and the recipient's preferences, for what was told already. (The unique
        # key still settles a race between two writers below.)
        return None
    full_url = absolute_url(url)
    context = {
        "recipient": recipient,
        "url": full_url,
        "kind": kind_def,
        **footer_context(recipient, kind_def),
        **(context or {}),
    }
    error = ""
    try:
        subject, body_text, body_html = render_email(kind, context)
    except Exception as exc:  # a broken template fails this notification only
        logger.exception("Rendering notification %s failed", dedup_key)
        subject, body_text, body_html = kind_def.label, "", ""
        error = f"{type(exc).__name__}: {exc}"
    return notify_rendered(
        recipient=recipient,
        kind=kind,
        dedup_key=dedup_key,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        url=full_url,
        attachment=attachment,
        render_error=error,
        preference_read=batched,
    )


def notify_batch(notices: Iterable[dict[str, Any]]) -> int:
    """A sweep's batch: `notify(**notice, batched=True)` for each, in one transaction; how
    many were written. The caller left out the events told already and read each recipient's
    preferences with its rows.

    One commit per batch: a commit per notification waited for the disk every time (a third
    of a first run). notify's insert takes its own savepoint, so a duplicate from a second
    beat costs that notification only; a batch a crash undid is due again at the next run.
    """
    with transaction.atomic():
        return sum(notify(**notice, batched=True) is not None for notice in notices)


def already_notified(dedup_keys: Iterable[str]) -> set[str]:
    """Which of these events were told already: one query for a whole batch."""
    keys = {key[:255] for key in dedup_keys}
    if not keys:
        return set()
    return set(Notification.objects.filter(dedup_key__in=keys).values_list("dedup_key", flat=True))


def notify_rendered(
    *,
    recipient: User,
    kind: str,
    dedup_key: str,
    subject: str,
    body_text: str,
    body_html: str,
    url: str = "",
    attachment: tuple[str, str, str] | None = None,
    to_email: str = "",
    render_error: str = "",
    preference_read: bool = False,
) -> Notification | None:
    """`notify` for an email rendered elsewhere (allauth's): the same outbox row and delivery.

    `to_email` sends to another of the recipient's addresses (a new one to verify).
    """
    kind_def = kinds.get(kind)
    now = timezone.now()
    state = (
        EmailState.FAILED
        if render_error
        else email_wanted(recipient, kind_def, preference_read=preference_read)
    )
    name, content, mimetype = attachment or ("", "", "")
    try:
        with transaction.atomic():  # a savepoint: a duplicate must not poison the caller
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                dedup_key=dedup_key[:255],
                subject=header_text(subject),
                body_text=body_text,
                body_html=body_html,
                url=url,
                to_email=to_email,
                attachment_name=name,
                attachment_content=content,
                attachment_mimetype=mimetype,
                email_state=state,
                next_attempt_at=now,
                failed_at=now if state == EmailState.FAILED else None,
                last_error=render_error,
            )
    except IntegrityError:
        if Notification.objects.filter(dedup_key=dedup_key[:255]).exists():
            return None
        raise
    if state == EmailState.PENDING:
        transaction.on_commit(lambda: queue_delivery(notification.pk))
    return notification


def queue_delivery(notification_id: int) -> None:
    """Hand the notification to a worker; if the broker is down, the outbox sweep will.

    While the broker is known to be down (a publish failed seconds ago) this does not try:
    the row is pending either way, and the request does not wait for a dead broker.
    """
    if broker_breaker.is_open():
        return
    try:
        # The task by its registered name, not by importing tasks.py: the tasks sit above
        # this module (they call it), so importing them here would close a loop.
        current_app.tasks[DELIVER_TASK].delay(notification_id)
    except Exception as exc:  # broker unreachable: the row stays pending and the sweep retries
        broker_breaker.trip(exc)
        logger.warning(
            "Could not queue notification %s; the sweep will deliver it", notification_id
        )


def notification_deliver(*, notification_id: int, now: dt.datetime | None = None) -> bool:
    """Send one notification's email. Safe to run twice: it claims the row first.

    Returns True when this call sent the email.
    """
    now = now or timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id,
        email_state__in=[EmailState.PENDING, EmailState.RETRY],
        next_attempt_at__lte=now,
    ).update(email_state=EmailState.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        send_email(notification)
    except Exception as exc:  # SMTP errors, bad addresses: record and retry later
        logger.warning("Sending notification %s failed: %s", notification_id, exc)
        final = notification.attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=notification_id, email_state=EmailState.SENDING).update(
            email_state=EmailState.FAILED if final else EmailState.RETRY,
            next_attempt_at=None if final else timezone.now() + backoff(notification.attempts),
            failed_at=timezone.now() if final else None,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return False
    sent = {"email_state": EmailState.SENT, "sent_at": timezone.now(), "last_error": ""}
    if kinds.get(notification.kind).secret:
        # A sign-in link or code is no one's business once it left: keep only the record.
        sent |= {"body_text": "", "body_html": ""}
    Notification.objects.filter(pk=notification_id, email_state=EmailState.SENDING).update(**sent)
    return True


def outbox_sweep(*, now: dt.datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """Deliver what is due: rows whose task was lost (broker down, worker died) and retries.

    Returns how many emails this sweep sent. Each row is claimed by a conditional update, so
    two sweeps, or a sweep and a task, never send one notification twice.
    """
    now = now or timezone.now()
    # Claims abandoned by a dead worker go back to the queue.
    Notification.objects.filter(
        email_state=EmailState.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(email_state=EmailState.RETRY, next_attempt_at=now)
    due = list(
        Notification.objects.due_for_delivery(now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch]
    )
    return sum(notification_deliver(notification_id=pk, now=now) for pk in due)


def notification_resend(*, notification: Notification) -> None:
    """Staff: try a failed or skipped email again from the start."""
    Notification.objects.filter(pk=notification.pk).exclude(
        email_state__in=[EmailState.SENDING, EmailState.PENDING]
    ).update(
        email_state=EmailState.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    transaction.on_commit(lambda: queue_delivery(notification.pk))


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when ids is None)."""
    rows = Notification.objects.for_user(user).unread()
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())


@transaction.atomic
def preferences_unsubscribe(*, user: User, kind: str) -> NotificationPreference:
    """Turn one kind of email off for the user: the one-click link in that email. Running
    it again changes nothing. A mandatory kind cannot be turned off (ValueError)."""
    if not kinds.get(kind).optional:
        raise ValueError(f"{kind!r} emails cannot be turned off.")
    NotificationPreference.objects.get_or_create(user=user)
    # Two one-click requests for two kinds at once: without the row lock, each would write
    # back the list it read, and one of the two kinds would be on again.
    preference = NotificationPreference.objects.select_for_update().get(user=user)
    if kind not in preference.email_off:
        preference.email_off = sorted({*preference.email_off, kind})
        preference.save(update_fields=["email_off"])
    return preference


def preferences_update(
    *, user: User, email_off: list[str], daily_digest: bool
) -> NotificationPreference:
    allowed = {kind.key for kind in kinds.all_kinds() if not kind.mandatory}
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    preference.email_off = sorted(set(email_off) & allowed)
    preference.daily_digest = daily_digest
    preference.save(update_fields=["email_off", "daily_digest"])
    return preference
