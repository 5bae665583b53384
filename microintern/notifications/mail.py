"""One outbox row as an email message: its headers, its parts, and the SMTP send.

Every notification email says it was sent by a machine (Auto-Submitted, RFC 3834: vacation
responders and ticket systems do not answer it), carries a Message-ID on the portal's own
domain, and, for a kind the user may turn off, the one-click unsubscribe headers that mail
providers show as an "Unsubscribe" button (RFC 2369 and RFC 8058).

A calendar invitation goes in as a `text/calendar; method=...` alternative beside the text and
HTML (RFC 6047): that is what makes a mail client show it as an invitation with Accept and
Decline, not as a file. A copy is attached as an .ics file besides, for clients that only
look at attachments.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import re
from email import policy
from email.message import Message
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from microintern.notifications import kinds
from microintern.notifications.models import Notification
from microintern.notifications.unsubscribe import unsubscribe_url

CALENDAR_TYPE = "text/calendar"
# What the .ics copy is attached as: a second text/calendar part would be a second
# invitation to some clients.
ICS_ATTACHMENT_TYPE = "application/ics"
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


def _content_type(mimetype: str) -> str:
    """`text/calendar; method=REQUEST` -> "text/calendar"."""
    header = Message()
    header["Content-Type"] = mimetype or "application/octet-stream"
    return header.get_content_type()


def calendar_method(ics: str) -> str:
    """The VCALENDAR's METHOD (REQUEST, CANCEL...), which the part's `method=` must repeat
    (RFC 6047). Read from the calendar itself, so the two cannot disagree."""
    match = re.search(r"^METHOD:([A-Za-z-]+)\r?$", ics, flags=re.MULTILINE)
    return match.group(1).upper() if match else ""


def _make_invitation(part: Message, method: str) -> None:
    """Give a text/calendar part its `method=` parameter, written as RFC 6047 writes it.

    Base64, not 8-bit: when the email package writes an 8-bit text part it rebuilds the
    Content-Type and quotes every parameter (`method="REQUEST"`): valid MIME, but not the
    form RFC 6047's examples and the common senders use, which is the form clients test with.
    """
    data = part.get_payload(decode=True)
    del part["Content-Type"]
    del part["Content-Transfer-Encoding"]
    part["Content-Type"] = f'{CALENDAR_TYPE}; charset="utf-8"; method={method}'
    part["Content-Transfer-Encoding"] = "base64"
    part.set_payload(base64.encodebytes(data).decode("ascii"))


class NotificationEmail(EmailMultiAlternatives):
    """Django's message, with the invitation's METHOD on its text/calendar part."""

    calendar_method: str = ""

    def message(self) -> Any:
        msg = super().message()
        msg.policy = HEADER_POLICY
        if self.calendar_method:
            for part in msg.walk():
                if part.get_content_type() == CALENDAR_TYPE:
                    _make_invitation(part, self.calendar_method)
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
        content: str | bytes = notification.attachment_content
        content_type = _content_type(notification.attachment_mimetype)
        if content_type == CALENDAR_TYPE:
            # Last of the alternatives: the one a calendar-aware client prefers.
            message.attach_alternative(content, CALENDAR_TYPE)
            message.calendar_method = calendar_method(content)
            # A non-text part is base64 of bytes: as str, non-ASCII text would be mangled.
            content, content_type = content.encode(), ICS_ATTACHMENT_TYPE
        message.attach(notification.attachment_name, content, content_type)
    return message


def send_email(notification: Notification) -> None:
    build_email(notification).send(fail_silently=False)
