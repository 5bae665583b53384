"""Sign-up (part of the roof: an employer's account creates or joins an organization) asks
who you are: students need an institution address, employers name their
organization."""

from __future__ import annotations

from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from microintern.accounts.addresses import is_institution_email
from microintern.accounts.models import Role, User
from postings.services import open_invitation_for, organization_name_taken


class PortalSignupForm(SignupForm):
    SIGNUP_ROLES = [
        (Role.STUDENT, "I am a student looking for a micro-internship"),
        (Role.EMPLOYER, "I want to offer micro-internships for my organization"),
    ]

    full_name = forms.CharField(label="Full name", max_length=150)
    role = forms.ChoiceField(
        label="I am signing up as",
        choices=SIGNUP_ROLES,
        widget=forms.RadioSelect,
        initial=Role.STUDENT,
    )
    organization_name = forms.CharField(
        label="Organization name",
        max_length=200,
        required=False,
        help_text=(
            "Employers only. New organizations are verified by CAPD staff. Invited by a "
            "colleague? Leave this empty: you join their organization."
        ),
    )

    organization_website = forms.URLField(
        label="Organization website",
        required=False,
        assume_scheme="https",
        help_text="Employers only: CAPD checks your email address against it.",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    NAME_TAKEN = (
        "This organization already has an account. Ask a colleague who is a member to invite you."
    )

    field_order = [
        "role",
        "full_name",
        "email",
        "organization_name",
        "organization_website",
        "password1",
        "password2",
    ]

    def clean(self) -> dict:
        cleaned = super().clean()
        role = cleaned.get("role")
        email = cleaned.get("email") or ""
        if role == Role.STUDENT and email and not is_institution_email(email):
            domains = ", ".join(settings.STUDENT_EMAIL_DOMAINS)
            self.add_error(
                "email", f"Students sign up with their institution address (ending in {domains})."
            )
        if role == Role.EMPLOYER and email and open_invitation_for(email):
            # Invited by a colleague: the account joins that organization (user_onboard).
            cleaned["organization_name"] = cleaned["organization_website"] = ""
        elif role == Role.EMPLOYER:
            name = " ".join((cleaned.get("organization_name") or "").split())
            if not name:
                self.add_error("organization_name", "Tell us the name of your organization.")
            elif organization_name_taken(name):
                self.add_error("organization_name", self.NAME_TAKEN)
            if (
                not cleaned.get("organization_website")
                and "organization_website" not in self.errors
            ):
                self.add_error(
                    "organization_website",
                    "Give your organization's website: CAPD checks your email address against it.",
                )
            cleaned["organization_name"] = name
        return cleaned

    def save(self, request: HttpRequest) -> User:
        # The user, their profile or organization, and the email address are one unit:
        # a failure half-way leaves nothing behind.
        with transaction.atomic():
            return super().save(request)
