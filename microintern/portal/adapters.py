"""allauth's adapter for this portal: the accounts adapter, plus sign-up's onboarding (a
student profile, or an organization the new employer owns or was invited to)."""

from __future__ import annotations

from django.forms import Form
from django.http import HttpRequest
from django.urls import reverse

from microintern.accounts.adapters import AccountAdapter
from microintern.accounts.models import User
from microintern.portal.services import user_onboard


class PortalAccountAdapter(AccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Where a sign-in lands without a `next`: CAPD staff, ISO advisors and MISTI program
        managers (and superusers) work in the admin; everybody else starts at the home page.
        allauth asks this only when the sign-in carries no safe `next` (it checks the address
        with is_safe_url first), so a staff member sent to sign in from a page goes back there."""
        if request.user.is_authenticated and request.user.works_in_admin:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)

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
