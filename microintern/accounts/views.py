"""The sign-up page: allauth's, with one race turned into a form error."""

from __future__ import annotations

from allauth.account.views import SignupView
from django.http import HttpResponse

from postings.services import OrganizationNameTaken


class PortalSignupView(SignupView):
    def form_valid(self, form) -> HttpResponse:
        try:
            return super().form_valid(form)
        except OrganizationNameTaken:
            # Another employer created the same organization between our check and our save.
            # The form's transaction rolled back: no user, no organization; say what happened.
            form.add_error("organization_name", form.NAME_TAKEN)
            return self.form_invalid(form)


signup = PortalSignupView.as_view()
