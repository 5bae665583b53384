"""The roof's pages: the home page (where you stand, what needs you now, the cycle's key
dates) and sign-up."""

from __future__ import annotations

from allauth.account.views import SignupView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from microintern.advising.models import Appointment
from microintern.cycles.models import RecruitingCycle
from microintern.portal.attention import to_do_for
from microintern.portal.standing import internship_for, organization_awaiting_verification
from postings.services import OrganizationNameTaken


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    cycle = RecruitingCycle.objects.current()
    today = timezone.localdate()
    context = {
        "cycle": cycle,
        "today": today,
        "stage": cycle.current_stage(today) if cycle else None,
        "key_dates": cycle.key_dates() if cycle else [],
        "to_do": to_do_for(request.user),
        "internship": internship_for(request.user),
        "awaiting_verification": organization_awaiting_verification(request.user),
        # At most the limit of upcoming appointments a student may hold: no pagination.
        "appointments": list(Appointment.objects.visible_to(request.user).upcoming().for_pages()),
    }
    return render(request, "home.html", context)


class PortalSignupView(SignupView):
    """allauth's sign-up page, with one race turned into a form error."""

    def form_valid(self, form) -> HttpResponse:
        try:
            return super().form_valid(form)
        except OrganizationNameTaken:
            # Another employer created the same organization between our check and our save.
            # The form's transaction rolled back: no user, no organization; say what happened.
            form.add_error("organization_name", form.NAME_TAKEN)
            return self.form_invalid(form)


signup = PortalSignupView.as_view()
