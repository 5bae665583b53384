"""The student's profile and document library: forms validate and lay themselves out; the
services in microintern/accounts/services.py write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from microintern.accounts.fields_of_study import field_names
from microintern.accounts.models import DocumentKind, StudentProfile
from microintern.core.uploads import max_upload_bytes

PDF_WIDGET = forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"})


class ProfileForm(forms.ModelForm):
    """Majors and the minor come from the fields-of-study list; a name the list no longer
    has stays a choice while the student keeps it."""

    majors = forms.MultipleChoiceField(
        required=False,
        label="Major(s)",
        help_text="Hold Ctrl (or ⌘) to choose more than one.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    minor = forms.ChoiceField(required=False, label="Minor (optional)")
    portfolio_url = forms.URLField(
        required=False,
        max_length=300,
        assume_scheme="https",
        label="Portfolio (optional)",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    github_url = forms.URLField(
        required=False,
        max_length=300,
        assume_scheme="https",
        label="GitHub (optional)",
        widget=forms.URLInput(attrs={"placeholder": "https://github.com/"}),
    )
    linkedin_url = forms.URLField(
        required=False,
        max_length=300,
        assume_scheme="https",
        label="LinkedIn (optional)",
        widget=forms.URLInput(attrs={"placeholder": "https://www.linkedin.com/in/"}),
    )

    class Meta:
        model = StudentProfile
        fields = [
            "preferred_name",
            "pronouns",
            "degree_level",
            "class_year",
            "graduation_term",
            "summary",
            "portfolio_url",
            "github_url",
            "linkedin_url",
            "notify_new_postings",
        ]
        labels = {
            "preferred_name": "Preferred name (optional)",
            "pronouns": "Pronouns (optional)",
            "class_year": "Class year",
            "graduation_term": "Expected graduation term",
            "summary": "Short summary",
            "notify_new_postings": "Tell me when a posting in my fields is published",
        }
        help_texts = {
            "preferred_name": "Employers see it instead of the name on your account.",
            "pronouns": "For example: she/her, he/him, they/them.",
            "summary": "A few sentences employers read first (at most 1,000 characters).",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        known = field_names()
        kept = self.instance.major_list() if self.instance.pk else []
        majors = known + [name for name in kept if name not in known]
        self.fields["majors"].choices = [(name, name) for name in majors]
        self.fields["majors"].initial = kept
        minors = known + [m for m in [self.instance.minor] if m and m not in known]
        self.fields["minor"].choices = [("", "No minor")] + [(name, name) for name in minors]
        self.fields["minor"].initial = self.instance.minor
        self.fields["class_year"].widget.attrs.update({"min": 1950, "max": 2100})
        self.fields["graduation_term"].choices = [
            ("", "Not sure yet"),
            *self.fields["graduation_term"].choices[1:],
        ]
        self.order_fields(
            [
                "preferred_name",
                "pronouns",
                "degree_level",
                "majors",
                "minor",
                "class_year",
                "graduation_term",
                "summary",
                "portfolio_url",
                "github_url",
                "linkedin_url",
                "notify_new_postings",
            ]
        )

    def values(self) -> dict[str, Any]:
        """What the service saves."""
        data = dict(self.cleaned_data)
        data["field_of_study"] = ", ".join(data.pop("majors", []))
        return data


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices, label="What is it?")
    name = forms.CharField(
        required=False,
        max_length=120,
        label="Name (optional)",
        help_text="For you, e.g. “Resume for software roles”. The file's name otherwise.",
    )
    file = forms.FileField(label="PDF, at most 5 MB", widget=PDF_WIDGET)
    make_default = forms.BooleanField(required=False, label="Make it my default resume")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = f"{max_upload_bytes() / (1024 * 1024):g} MB"
        self.fields["file"].label = f"PDF, at most {limit}"

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class DocumentChangeForm(forms.Form):
    """Rename a document, or replace its file (or both)."""

    name = forms.CharField(max_length=120, label="Name")
    file = forms.FileField(
        required=False, label="Replace the file with a new PDF (optional)", widget=PDF_WIDGET
    )

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)
