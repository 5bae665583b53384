from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip
from django.forms import Form
from django.http import HttpRequest

from microintern.accounts.models import User
from microintern.accounts.services import user_onboard


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: User, form: Form, commit: bool = True) -> User:
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", "")
        user.email = user.email.lower()
        user.save()
        return user_onboard(
            user=user,
            role=form.cleaned_data["role"],
            organization_name=form.cleaned_data.get("organization_name", ""),
        )

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
        client, which is all the reset needs.)
        """
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:from:{get_ip(request)}"
