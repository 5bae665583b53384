"""Forms validate input and lay themselves out; the services hold the rules and save."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

from offers.deadlines import MAX_DECISION_DAYS, MIN_DECISION_DAYS
from offers.models import WorkMode

DATE = forms.DateInput(attrs={"type": "date"})


class _Helper(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ExtendOfferForm(_Helper):
    pay_hourly = forms.DecimalField(
        label="Pay (USD per hour)",
        max_digits=8,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="Pre-filled from the posting. At least the Massachusetts minimum wage.",
    )
    start_date = forms.DateField(label="Proposed start date", widget=DATE)
    end_date = forms.DateField(label="Proposed end date", widget=DATE)
    hours_per_week = forms.IntegerField(label="Hours per week", min_value=1, max_value=40)
    decision_days = forms.TypedChoiceField(
        label="Decision window",
        coerce=int,
        choices=[
            (n, f"{n} business days") for n in range(MIN_DECISION_DAYS, MAX_DECISION_DAYS + 1)
        ],
        initial=MIN_DECISION_DAYS,
        help_text="The student may ask for more time; the total stays within 7 business days.",
    )
    message = forms.CharField(
        label="Message to the student",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    no_interview_reason = forms.CharField(
        label="Why are you offering without an interview?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="CAPD reads this; the student does not.",
    )

    def __init__(
        self,
        *args: object,
        interview_held: bool = True,
        reason_required: bool = False,
        **kwargs: object,
    ) -> None:
        """Without a held interview the form asks why (required when the program asks for a
        held interview); with one, it does not ask."""
        super().__init__(*args, **kwargs)
        if interview_held:
            del self.fields["no_interview_reason"]
        elif reason_required:
            field = self.fields["no_interview_reason"]
            field.required = True
            field.error_messages["required"] = (
                "Say why you offer without an interview, or hold one first."
            )


class DeclineForm(_Helper):
    reason = forms.CharField(
        label="Reason (optional, shared with the employer)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RescindForm(_Helper):
    reason = forms.CharField(
        label="Reason (the student reads it)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExtensionRequestForm(_Helper):
    days = forms.TypedChoiceField(label="More business days", coerce=int, choices=[])
    reason = forms.CharField(
        label="Why do you need more time?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, available: int = 2, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [(n, str(n)) for n in range(1, max(available, 0) + 1)]


class ExtensionAnswerForm(_Helper):
    days_granted = forms.TypedChoiceField(label="Grant", coerce=int, choices=[])
    note = forms.CharField(
        label="Note to the student (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: object, available: int = 2, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        choices = [(0, "Refuse: no more time")]
        choices += [
            (n, f"{n} more business day{'s' if n > 1 else ''}") for n in range(1, available + 1)
        ]
        self.fields["days_granted"].choices = choices


class ArrangementForm(_Helper):
    start_date = forms.DateField(label="Start date", widget=DATE)
    end_date = forms.DateField(label="End date", widget=DATE)
    hours_per_week = forms.IntegerField(label="Hours per week", min_value=1, max_value=40)
    work_mode = forms.ChoiceField(label="Where", choices=WorkMode.choices, widget=forms.RadioSelect)
    place = forms.CharField(
        label="Place",
        max_length=200,
        help_text="The address, or the tool for remote work (for example Zoom and Slack).",
    )
    supervisor_name = forms.CharField(label="Supervisor's name", max_length=150)
    supervisor_email = forms.EmailField(label="Supervisor's email")
    notes = forms.CharField(
        label="Notes", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
