"""Forms: they validate the shape of the input and lay themselves out; the services decide
(required materials, PDF checks, deadlines) and their errors are put back on the fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications.materials import KINDS, PDF_WIDGET
from applications.models import ApplicationStatus, InterviewFormat
from applications.services import SlotSpec
from microintern.core.uploads import max_upload_bytes
from postings.models import Posting


class ApplyForm(forms.Form):
    """Built from the posting's required materials."""

    unpaid_guidance_read = forms.BooleanField(
        required=False,
        label="I have read CAPD's recommendation on unpaid micro-internships and know whom to "
        "contact.",
    )
    use_resume_on_file = forms.BooleanField(required=False, label="Send the resume I keep on file")
    resume = forms.FileField(
        required=False,
        label="Resume (PDF, at most 5 MB)",
        widget=PDF_WIDGET,
    )
    keep_resume_on_file = forms.BooleanField(
        required=False, label="Keep this resume on file for my next applications"
    )
    cover_letter_text = forms.CharField(
        required=False,
        label="Cover letter",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Type it here, or upload it as a PDF below.",
    )
    cover_letter_file = forms.FileField(
        required=False, label="Cover letter as a PDF (at most 5 MB, optional)", widget=PDF_WIDGET
    )

    def __init__(
        self, *args: Any, posting: Posting, resume_on_file: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit = f"{max_upload_bytes() / (1024 * 1024):g} MB"
        for name in ("resume", "cover_letter_file"):
            self.fields[name].label = self.fields[name].label.replace("5 MB", limit)
        self.posting = posting
        self.resume_on_file = resume_on_file
        if posting.is_paid:
            del self.fields["unpaid_guidance_read"]
        if resume_on_file is None:
            del self.fields["use_resume_on_file"]
        else:
            self.fields["use_resume_on_file"].initial = True
            self.fields[
                "use_resume_on_file"
            ].label = f"Send the resume I keep on file ({resume_on_file.original_name})"
            self.fields["resume"].label = f"Or upload another resume (PDF, at most {limit})"
        if not posting.requires_resume:
            self.fields["resume"].label += " (optional)"
        if not posting.requires_cover_letter:
            self.fields["cover_letter_text"].label = "Cover letter (optional)"
        self.materials = list(posting.materials.all())
        for material in self.materials:
            name = f"material_{material.pk}"
            suffix = "" if material.required else " (optional)"
            self.fields[name] = KINDS[material.kind].form_field(material, suffix)

    @property
    def material_fields(self) -> list[forms.BoundField]:
        return [self[f"material_{m.pk}"] for m in self.materials]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        answers = {}
        for material in self.materials:
            value = data.get(f"material_{material.pk}")
            answers[material.pk] = KINDS[material.kind].answer(value)
        resume = data.get("resume") or None
        return {
            "resume": resume,
            "use_resume_on_file": bool(data.get("use_resume_on_file")) and resume is None,
            "keep_resume_on_file": bool(data.get("keep_resume_on_file")),
            "cover_letter_text": data.get("cover_letter_text") or "",
            "cover_letter_file": data.get("cover_letter_file") or None,
            "answers": answers,
            "unpaid_guidance_read": bool(data.get("unpaid_guidance_read")),
        }

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class ResumeForm(forms.Form):
    resume = forms.FileField(label="Resume (PDF, at most 5 MB)", widget=PDF_WIDGET)


class ApplicantFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[("", "All statuses"), *ApplicationStatus.choices],
        label="Status",
    )
    q = forms.CharField(required=False, label="Search by name or email", max_length=100)


class BulkActionForm(forms.Form):
    ACTIONS = [
        ("next", "Move to the next stage"),
        ("under_review", "Move to under review"),
        ("interviewing", "Move to interviewing"),
        ("not_selected", "Not selected"),
        ("offer_times", "Offer interview times…"),
    ]
    action = forms.ChoiceField(choices=ACTIONS, label="Action")
    message = forms.CharField(
        required=False,
        label="Message to the students (for “not selected”, optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Private note (only your organization sees it)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        required=False,
        label="Reason (optional, the employer sees it)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class CancelInterviewForm(forms.Form):
    message = forms.CharField(
        required=False,
        label="Message to the other side",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class SlotForm(forms.Form):
    start = forms.DateTimeField(
        required=False,
        label="Start (Eastern Time)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration = forms.IntegerField(
        required=False, label="Minutes", min_value=10, max_value=480, initial=30
    )
    format = forms.ChoiceField(choices=InterviewFormat.choices, label="Format")
    location = forms.CharField(required=False, label="Link, phone number or place", max_length=300)

    def spec(self) -> SlotSpec | None:
        data = self.cleaned_data
        if not data.get("start"):
            return None
        start = data["start"]
        if timezone.is_naive(start):
            start = timezone.make_aware(start)
        return SlotSpec(
            start=start,
            end=start + dt.timedelta(minutes=data.get("duration") or 30),
            format=data["format"],
            location=data.get("location") or "",
        )


SlotFormSet = forms.formset_factory(SlotForm, extra=4, max_num=10)
