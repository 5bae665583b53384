"""One outbox row as an email message: its headers, its parts, and the SMTP send.

Every notification email says it was sent by a machine (Auto-Submitted, RFC 3834: vacation
responders and ticket systems do not answer it), carries a Message-ID on the portal's own
domain, and, for a kind the user may turn off, the one-click unsubscribe headers that mail
providers show as an "Unsubscribe" button (RFC 2369 and RFC 8058).
"""

from __future__ import annotations

import hashlib
import ipaddress
from email import policy
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from microintern.notifications import kinds
from microintern.notifications.models import Notification
from microintern.notifications.unsubscribe import unsubscribe_url

# Django's default (compat32, 78 columns) folds a header that does not fit on its first line
# before the value's first word ("Subject:" alone, the subject on the next line), and parsers
# read it back with a leading space (" Your posting...", " <https://...>"). RFC 5322 allows
# 998 characters a line; Django still folds an encoded subject's words at 76.
HEADER_POLICY = policy.compat32.clone(max_line_length=998)


def _is_public_domain(host: str) -> bool:
    if not host or host == "localhost" or host.endswith(".localhost") or "." not in host:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False


def message_id_domain() -> str:
    """The host of SITE_URL; with a development SITE_URL (localhost, an IP address), the
    domain of the From address. Either way a domain the portal sends as, never localhost."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if _is_public_domain(host):
        return host
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return sender or host or "microintern.invalid"


def message_id(notification: Notification) -> str:
    """The same Message-ID on every attempt, so a copy sent again after a worker died
    between the SMTP send and its record can be recognised (and dropped) by receivers."""
    digest = hashlib.sha256(notification.dedup_key.encode()).hexdigest()[:32]
    return f"<{digest}.{notification.pk}@{message_id_domain()}>"


def email_headers(notification: Notification) -> dict[str, str]:
    headers = {
        "Message-ID": message_id(notification),
        "Auto-Submitted": "auto-generated",
        "X-Notification-Key": notification.dedup_key,
    }
    if kinds.get(notification.kind).optional:
        link = unsubscribe_url(user_id=notification.recipient_id, kind=notification.kind)
        headers["List-Unsubscribe"] = f"<{link}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


class NotificationEmail(EmailMultiAlternatives):
    """Django's message, with headers written unfolded (HEADER_POLICY)."""

    def message(self) -> Any:
        msg = super().message()
        msg.policy = HEADER_POLICY
        return msg


def build_email(notification: Notification) -> NotificationEmail:
    message = NotificationEmail(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_email or notification.recipient.email],
        headers=email_headers(notification),
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    if notification.attachment_name:
        message.attach(
            notification.attachment_name,
            notification.attachment_content,
            notification.attachment_mimetype or "application/octet-stream",
        )
    return message


def send_email(notification: Notification) -> None:
    build_email(notification).send(fail_silently=False)
