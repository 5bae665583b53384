"""With STAFF_MFA_REQUIRED, staff cannot reach the admin until they have set up TOTP."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


class StaffMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.STAFF_MFA_REQUIRED
            and request.path.startswith("/admin/")
            and request.user.is_authenticated
            and request.user.is_staff
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
        ):
            messages.warning(
                request, "Staff accounts need two-factor authentication. Set it up to continue."
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
