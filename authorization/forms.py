from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError

from authorization.documents import validate_pdf
from authorization.models import TIMED_ROUTE_CHOICES, ImmigrationProfile, ImmigrationStatus
from authorization.services import PROFILE_FIELDS

# Answers that only matter for students on a visa.
VISA_ONLY_FIELDS = (
    "curriculum_has_internship_subject",
    "coursework_complete",
    "internship_is_thesis_based",
)
NO_AUTHORIZATION_STATUSES = (ImmigrationStatus.CITIZEN, ImmigrationStatus.PERMANENT_RESIDENT)


class ImmigrationProfileForm(forms.ModelForm):
    """The student's answers. A citizen or permanent resident who ticks visa-only answers
    is not blocked: those answers are cleared and `ignored_answers` says which, so the page
    can tell them why (they need no authorization, so the answers cannot matter)."""

    class Meta:
        model = ImmigrationProfile
        fields = PROFILE_FIELDS
        widgets = {
            "immigration_status": forms.RadioSelect,
            "degree_level": forms.RadioSelect,
            "full_time_terms_completed": forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
        }
        labels = {"immigration_status": "Your immigration status in the US"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ignored_answers: list[str] = []
        self.fields["degree_level"].label = "Your degree program"
        self.fields[
            "coursework_complete"
        ].label = "Master's or PhD only: I have completed all my coursework; only my thesis remains"
        self.fields[
            "internship_is_thesis_based"
        ].label = "Master's or PhD only: this internship is based on my thesis course"
        for name in ("immigration_status", "degree_level"):
            # Radio buttons need no "---------" choice: the field is required anyway.
            field = self.fields[name]
            field.choices = [(value, label) for value, label in field.choices if value]
        terms = self.initial.get("full_time_terms_completed")
        if terms is not None and terms == int(terms):
            self.initial["full_time_terms_completed"] = int(terms)  # "3", not "3.0"
        self.fields["majors"].required = True
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "About you",
                "immigration_status",
                "degree_level",
                "full_time_terms_completed",
                "majors",
            ),
            Fieldset(
                "Your program (F-1 and J-1 students)",
                HTML(
                    '<p class="text-body-secondary">Ask your program administrator if you are '
                    "not sure. US citizens and permanent residents can skip these.</p>"
                ),
                *VISA_ONLY_FIELDS,
            ),
        )
        self.helper.add_input(Submit("save", "Save my answers"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("immigration_status") in NO_AUTHORIZATION_STATUSES:
            for field in VISA_ONLY_FIELDS:
                if cleaned.get(field):
                    self.ignored_answers.append(str(self.fields[field].label))
                    cleaned[field] = False
        return cleaned


class DocumentForm(forms.Form):
    document = forms.FileField(
        label="Upload a PDF (up to 5 MB)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        # An empty file is a mistake the student can fix; say so in our words, not Django's.
        allow_empty_file=True,
    )

    def clean_document(self) -> Any:
        upload = self.cleaned_data["document"]
        validate_pdf(upload)
        return upload


class RouteForm(forms.Form):
    """The confirmation page of the admin action "confirm the route"."""

    route = forms.ChoiceField(
        label="Route",
        choices=TIMED_ROUTE_CHOICES,
        widget=forms.RadioSelect,
        help_text="Its steps are added to the checklist, after the meeting step.",
    )
    note = forms.CharField(
        label="Note to the student", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DenialForm(forms.Form):
    """The confirmation page of the admin action "record denied"."""

    note = forms.CharField(
        label="Note for the record", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    """The confirmation page of the admin action "record authorized"."""

    authorized_from = forms.DateField(
        label="Authorized from", widget=forms.DateInput(attrs={"type": "date"})
    )
    authorized_until = forms.DateField(
        label="Authorized until", widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label="Note for the record", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("authorized_from"), cleaned.get("authorized_until")
        if start and end and end < start:
            raise ValidationError("The authorization cannot end before it begins.")
        return cleaned
