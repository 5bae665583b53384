"""One-click unsubscribe (RFC 8058): a signed link that turns one kind of email off for one user.

The link carries the user and the kind, signed with SECRET_KEY under a salt of its own, so it
cannot be edited into another user's or another kind's link, and no other signed value of the
portal passes for one. It does not expire: RFC 8058 expects the link in an old email to keep
working, and the most it can do is turn off one optional kind of email for its own recipient.
The same address serves the footer link (a GET shows a confirmation page) and the mail
client's one-click POST (it turns the kind off).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from microintern.accounts.models import User
from microintern.notifications import kinds

SALT = "microintern.notifications.unsubscribe"


class BadUnsubscribeLink(ValueError):
    """The link was not made by the portal, was cut short, or names no kind one can turn off."""


@dataclass(frozen=True)
class UnsubscribeLink:
    user: User
    kind: kinds.Kind


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    # URL-safe base64 and colons only: it sits in the path, nothing to quote.
    return signing.dumps([user_id, kind], salt=SALT)


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    """Absolute, for email: a mail client opens it with no page of the portal around it."""
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[token])


def read_unsubscribe_link(token: str) -> UnsubscribeLink:
    """The user and kind a link names.

    Raises BadUnsubscribeLink for a forged, truncated or outdated link (an unknown or now
    mandatory kind), and User.DoesNotExist when the account is gone.
    """
    try:
        value = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError):
        raise BadUnsubscribeLink("This unsubscribe link is not valid.") from None
    match value:
        case [int() as user_id, str() as kind_key]:
            pass
        case _:
            raise BadUnsubscribeLink("This unsubscribe link is not valid.")
    try:
        kind = kinds.get(kind_key)
    except kinds.UnknownNotificationKind:
        raise BadUnsubscribeLink("The portal no longer sends this kind of email.") from None
    if not kind.optional:
        raise BadUnsubscribeLink(
            f"“{kind.label}” emails cannot be turned off: they carry deadlines or account "
            "security you must not miss."
        )
    return UnsubscribeLink(user=User.objects.get(pk=user_id), kind=kind)
