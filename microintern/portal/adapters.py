"""allauth's adapter for this portal: the accounts adapter, plus sign-up's onboarding (a
student profile, or an organization the new employer owns or was invited to)."""

from __future__ import annotations

from django.forms import Form
from django.http import HttpRequest

from microintern.accounts.adapters import AccountAdapter
from microintern.accounts.models import User
from microintern.portal.services import user_onboard


class PortalAccountAdapter(AccountAdapter):
    def save_user(self, request: HttpRequest, user: User, form: Form, commit: bool = True) -> User:
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", "")
        user.email = user.email.lower()
        user.save()
        return user_onboard(
            user=user,
            role=form.cleaned_data["role"],
            organization_name=form.cleaned_data.get("organization_name", ""),
            organization_website=form.cleaned_data.get("organization_website", ""),
        )
