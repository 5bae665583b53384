from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.core.internal.ratelimit import get_ip
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest

from microintern.accounts.addresses import is_institution_email
from microintern.accounts.emails import account_email_queue


class AccountAdapter(DefaultAccountAdapter):
    """What every account gets from allauth: mail through the outbox, sign-in throttling per
    account and network, and the institution-address rule. Sign-up's onboarding (which may
    create an organization) is the roof's: microintern.portal.adapters."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render allauth's email as allauth does, then hand it to the outbox (never SMTP)."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                "site_url": settings.SITE_URL,
                **context,
            },
        )
        account_email_queue(template_prefix=template_prefix, message=message)

    # --- sign-in throttling ----------------------------------------------------------------

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """The "key" of ACCOUNT_RATE_LIMITS["login_failed"]: the address signed in to *and*
        the client's address.

        allauth keys failed sign-ins by the account alone, so anyone who types five wrong
        passwords for the ISO advisor's address locks the ISO advisor out. Keyed by both,
        wrong guesses lock out only the network they come from. get_ip() is what allauth's
        per-IP limits use: it honours TRUSTED_PROXY_COUNT and counts an IPv6 /64 as one
        client, so rotating addresses inside one's own /64 gains nothing.
        (allauth also clears this key after a password reset: only for the resetting
        client, which is all the reset needs.) The method is private to allauth 65; if an
        upgrade renames it, tests/accounts/test_rate_limits.py fails rather than the owner.
        """
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:from:{get_ip(request)}"

    # --- email addresses (allauth's /accounts/email/) --------------------------------------
    # A student account is a student account because of its institution address, so it always
    # keeps a verified one: removing the last is refused. Which address is primary is the
    # student's choice, a personal one included: allauth only lets the primary address go
    # once another one is primary, and the institution address then stays on the account,
    # verified, which is all that student status rests on (mail simply goes where the student
    # asked).

    CANNOT_DELETE_TEMPLATE = "account/messages/cannot_delete_primary_email.txt"

    def can_delete_email(self, email_address: EmailAddress) -> bool:
        return super().can_delete_email(email_address) and not removes_last_institution_address(
            email_address
        )

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        # allauth has one message for every refused removal ("You cannot remove your primary
        # email address"); say the real reason when it is the institution address.
        if message_template == self.CANNOT_DELETE_TEMPLATE and request.user.is_authenticated:
            address = EmailAddress.objects.filter(
                user=request.user, email__iexact=(message_context or {}).get("email", "")
            ).first()
            if address is not None and removes_last_institution_address(address):
                message_template, message = None, institution_address_needed()
        super().add_message(
            request,
            level,
            message_template=message_template,
            message_context=message_context,
            extra_tags=extra_tags,
            message=message,
        )


def removes_last_institution_address(email_address: EmailAddress) -> bool:
    """True when this address is a student's institution address and no other verified one
    would remain (so an unverified second address does not count)."""
    user = email_address.user
    if not user.is_student or not is_institution_email(email_address.email):
        return False
    others = EmailAddress.objects.filter(user=user, verified=True).exclude(pk=email_address.pk)
    return not any(is_institution_email(other.email) for other in others)


def institution_address_needed() -> str:
    domains = " or ".join(f"…@{domain}" for domain in settings.STUDENT_EMAIL_DOMAINS)
    return (
        f"Your account needs your institution address ({domains}) to stay a student account. "
        "Nothing was removed."
    )
