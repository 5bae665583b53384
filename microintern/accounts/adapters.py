from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.forms import Form
from django.http import HttpRequest

from microintern.accounts.emails import account_email_queue
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
