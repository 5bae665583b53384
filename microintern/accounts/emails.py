"""allauth's emails (verification, password reset, security notices) through the outbox.

allauth sends its mail inside the request; with SMTP down that was a 500 on sign-up (with
the user already created) and on password reset. Here the adapter renders allauth's
templates as usual and puts the result into the portal's outbox: the row is written in the
request, delivered after commit by Celery, retried, and visible to staff in the admin (its
body erased once sent: it holds a sign-in link). No request talks to SMTP.
"""

from __future__ import annotations

import logging
import uuid

from allauth.account.models import EmailAddress
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string

from microintern.accounts.models import User
from microintern.notifications.models import Notification
from microintern.notifications.services import notify_rendered

logger = logging.getLogger(__name__)

ACCOUNT_KIND = "account"


def owner_of_address(email: str) -> User | None:
    """The account an address belongs to: one of its EmailAddress rows, or its login."""
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address is not None:
        return address.user
    return User.objects.filter(email__iexact=email).first()


def account_email_queue(*, template_prefix: str, message: EmailMessage) -> Notification | None:
    """Put one rendered allauth email into the outbox; None when no account owns the address.

    allauth only mails addresses of existing accounts here (ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS is
    off), so an unowned address means the account went away meanwhile: log it, send nothing.
    """
    to = message.to[0]
    recipient = owner_of_address(to)
    if recipient is None:
        logger.warning("No account owns the address; %s not sent", template_prefix)
        return None
    body_text, body_html = message.body, ""
    if isinstance(message, EmailMultiAlternatives) and message.alternatives:
        body_html = str(message.alternatives[0][0])  # allauth found an HTML template
    if message.content_subtype == "html":  # allauth rendered HTML only
        body_text, body_html = "", message.body
    if not body_html:  # the portal's look around allauth's text
        body_html = render_to_string(
            "emails/account/body.html", {"recipient": recipient, "text": body_text}
        )
    name = template_prefix.rsplit("/", 1)[-1]
    return notify_rendered(
        recipient=recipient,
        kind=ACCOUNT_KIND,
        # Every allauth email is its own event (a second reset link is a new email).
        dedup_key=f"account:{name}:{recipient.pk}:{uuid.uuid4().hex}",
        subject=message.subject,
        body_text=body_text,
        body_html=body_html,
        to_email="" if to.lower() == recipient.email.lower() else to,
    )
