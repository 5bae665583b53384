from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from microintern.accounts.models import User
from microintern.notifications import kinds


class PreferencesForm(forms.Form):
    email_on = forms.MultipleChoiceField(
        label="Email me about",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Offer deadlines, work-authorization steps and account security are always emailed."
        ),
    )
    daily_digest = forms.BooleanField(
        label=(
            "Group alerts (new postings, saved-posting deadlines, new applications) "
            "into one daily email"
        ),
        required=False,
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Only what this user can receive: a student is never asked about new applicants.
        audiences = (
            {"student", "both"}
            if user.is_student
            else {"employer", "both"}
            if user.is_employer
            else {"student", "employer", "both"}
        )
        self.fields["email_on"].choices = [
            (kind.key, kind.label)
            for kind in kinds.all_kinds()
            if not kind.mandatory and kind.key != "test_message" and kind.audience in audiences
        ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save preferences"))

    def email_off(self) -> list[str]:
        chosen = set(self.cleaned_data["email_on"])
        return [key for key, _ in self.fields["email_on"].choices if key not in chosen]
