"""Staff sessions: a second factor before any staff power, and an idle timeout.

With STAFF_MFA_REQUIRED on, a staff account may use no page but signing out, the MFA
set-up and authentication pages and the health check until this session holds an MFA
authentication record (allauth writes one when the person enters a TOTP or recovery code).
A password alone, a session from before TOTP was set up, or `force_login` is not enough: the
admin and every front-end page a staff role unlocks (authorization cases, checklist
documents, the funnel) sit behind the same rule, so one list of exemptions is all there is
to review.

Staff sessions also end after STAFF_SESSION_IDLE_SECONDS without a request. And with
STAFF_MFA_REQUIRED, the admin's sensitive writes (deleting, bulk actions, staff accounts,
groups, passwords, authenticators) ask for the password again unless the person
re-authenticated in the last ACCOUNT_REAUTHENTICATION_TIMEOUT seconds; allauth replays the
suspended POST afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows import reauthentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from microintern.accounts.models import STAFF_GROUPS, Role, User

# Pages a staff account without a second factor in this session may still open: the way
# out, the way to set up or enter the second factor (allauth asks for the password again
# before TOTP set-up), and the load balancer's probe.
# View names, namespace included: an app's own "health" page would not slip through.
MFA_EXEMPT_VIEW_NAMES = frozenset({"account_logout", "account_reauthenticate", "health"})
MFA_EXEMPT_VIEW_PREFIX = "mfa_"  # allauth.mfa's pages: set up, authenticate, recovery codes
# Where the session keeps whether its user is a staff account: (user id, answer).
STAFF_ACCOUNT_SESSION_KEY = "microintern_staff_account"
LAST_ACTIVITY_SESSION_KEY = "microintern_staff_last_activity"
# Writing the session on every request would cost a database write per page; a minute of
# slack in an idle timeout of half an hour does not matter.
LAST_ACTIVITY_RESOLUTION_SECONDS = 60
# Admin views whose POST is a sensitive write: who may do what, and what cannot be undone.
SENSITIVE_ADMIN_PREFIXES = ("admin:accounts_user_", "admin:auth_group_", "admin:mfa_")
SENSITIVE_ADMIN_SUFFIXES = ("_delete", "_password_change")


def is_staff_account(request: HttpRequest) -> bool:
    """Staff status, superuser, or a staff-role account in a staff group.

    Staff status answers from the user row already loaded. Group membership needs a query,
    so it is asked only of staff-role accounts, and the answer is kept in the session for
    its user (login() gives a new user a fresh session): students' and employers' pages
    keep their query counts. A student or employer account put into a staff group without
    staff status is not asked for MFA; it holds no staff power either, since the admin,
    the staff rows of visible_to() and immigration data all also ask for is_staff.
    """
    user = request.user
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if user.role != Role.STAFF:
        return False
    stored = request.session.get(STAFF_ACCOUNT_SESSION_KEY)
    if isinstance(stored, list) and len(stored) == 2 and stored[0] == user.pk:
        return bool(stored[1])
    answer = user.groups.filter(name__in=STAFF_GROUPS).exists()
    request.session[STAFF_ACCOUNT_SESSION_KEY] = [user.pk, answer]
    return answer


def is_sensitive_admin_write(request: HttpRequest, view_name: str) -> bool:
    if request.method != "POST" or not view_name.startswith("admin:"):
        return False
    if view_name.startswith(SENSITIVE_ADMIN_PREFIXES) or view_name.endswith(
        SENSITIVE_ADMIN_SUFFIXES
    ):
        return True
    # A changelist action (delete_selected, reversing an acceptance, ...) and its
    # confirmation page: the rows change in bulk.
    return view_name.endswith("_changelist") and bool(request.POST.get("action"))


def has_mfa_in_session(request: HttpRequest, user: User) -> bool:
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


class StaffMFAMiddleware:
    """Idle timeout and second factor for staff; after AuthenticationMiddleware and
    MessageMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_staff_account(request):
            expired = self._expire_idle_session(request)
            if expired is not None:
                return expired
        return self.get_response(request)

    def _expire_idle_session(self, request: HttpRequest) -> HttpResponse | None:
        now = time.time()
        last = request.session.get(LAST_ACTIVITY_SESSION_KEY)
        if isinstance(last, int | float) and now - last > settings.STAFF_SESSION_IDLE_SECONDS:
            logout(request)  # flushes the session: the next sign-in starts clean
            minutes = max(1, round(settings.STAFF_SESSION_IDLE_SECONDS / 60))
            messages.info(
                request,
                f"You were signed out after {minutes} minutes without activity. "
                "Sign in again to continue.",
            )
            login_url = reverse("account_login")
            return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
        if not isinstance(last, int | float) or now - last >= LAST_ACTIVITY_RESOLUTION_SECONDS:
            request.session[LAST_ACTIVITY_SESSION_KEY] = now
        return None

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        if not settings.STAFF_MFA_REQUIRED or not is_staff_account(request):
            return None
        match = request.resolver_match
        view_name = match.view_name if match is not None else ""
        if view_name in MFA_EXEMPT_VIEW_NAMES or view_name.startswith(MFA_EXEMPT_VIEW_PREFIX):
            return None
        if has_mfa_in_session(request, request.user):
            return self._reauthenticate_before_sensitive_write(request, view_name)
        if not Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.TOTP
        ).exists():
            messages.warning(
                request, "Staff accounts need two-factor authentication. Set it up to continue."
            )
            return redirect("mfa_activate_totp")
        messages.info(
            request, "Staff pages need your authenticator code in this session. Enter it to go on."
        )
        reauthenticate = reverse("mfa_reauthenticate")
        return redirect(f"{reauthenticate}?{urlencode({'next': request.get_full_path()})}")

    def _reauthenticate_before_sensitive_write(
        self, request: HttpRequest, view_name: str
    ) -> HttpResponse | None:
        if not is_sensitive_admin_write(request, view_name):
            return None
        # app="" : always required for these writes, whatever allauth's per-app settings say.
        if not reauthentication.is_reauthentication_required(request, app=""):
            return None
        methods = get_adapter(request).get_reauthentication_methods(request.user)
        if not methods:
            raise PermissionDenied("No way to confirm it is you.")  # as allauth does
        messages.info(request, "Confirm it is you before this change.")
        # What allauth's middleware does for ReauthenticationRequired: keep the POST in the
        # session and replay it once the password (or code) is confirmed.
        return reauthentication.suspend_request(request, methods[0]["url"])
