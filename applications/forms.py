"""Forms: they validate the shape of the input and lay themselves out; the services decide
(required materials, PDF checks, deadlines) and their errors are put back on the fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications.materials import KINDS, PDF_WIDGET
from applications.models import ApplicationStatus, InterviewFormat
from applications.services import SlotSpec
from microintern.accounts.models import Document, DocumentKind
from microintern.core.uploads import max_upload_bytes
from postings.models import Posting

NO_DOCUMENT = ""
NOT_IN_LIBRARY = "This document is not in your library: choose one of yours or upload a PDF."


@dataclass(frozen=True)
class UploadSlot:
    """A file input of the apply form and the library choice it fills once stored."""

    file_field: str
    choice_field: str
    kind: str


class LibraryChoice(forms.ChoiceField):
    """One of the student's own documents, by id; any other id is refused with a clear
    message (a forged POST, or a document deleted in another tab)."""

    default_error_messages = {"invalid_choice": NOT_IN_LIBRARY}

    def __init__(self, *, documents: list[Document], optional_label: str | None, **kwargs: Any):
        self.documents = {str(d.pk): d for d in documents}
        choices = [(NO_DOCUMENT, optional_label)] if optional_label else []
        choices += [(pk, _document_label(d)) for pk, d in self.documents.items()]
        super().__init__(required=False, choices=choices, widget=forms.RadioSelect, **kwargs)

    def clean(self, value: Any) -> Document | None:
        value = super().clean(value)
        return self.documents.get(value) if value else None


def _document_label(document: Document) -> str:
    default = ", your default resume" if document.is_default else ""
    return f"{document.name} ({document.original_name}{default})"


class ApplyForm(forms.Form):
    """Built from the posting's materials and the student's document library. Each PDF is
    a document of the library or a new upload; the view puts uploads in the library before
    validating (upload_slots), so a form error never costs the student a file."""

    unpaid_guidance_read = forms.BooleanField(
        required=False,
        label="I have read CAPD's recommendation on unpaid micro-internships and know whom to "
        "contact.",
    )
    resume = forms.FileField(
        required=False,
        label="Upload a new resume (PDF, at most 5 MB; it is added to your documents)",
        widget=PDF_WIDGET,
    )
    cover_letter_text = forms.CharField(
        required=False,
        label="Cover letter",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Type it here, or choose or upload a PDF below.",
    )
    cover_letter_file = forms.FileField(
        required=False,
        label="Or upload a cover letter (PDF, at most 5 MB; it is added to your documents)",
        widget=PDF_WIDGET,
    )

    def __init__(
        self, *args: Any, posting: Posting, documents: list[Document] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit = f"{max_upload_bytes() / (1024 * 1024):g} MB"
        for name in ("resume", "cover_letter_file"):
            self.fields[name].label = self.fields[name].label.replace("5 MB", limit)
        self.posting = posting
        by_kind: dict[str, list[Document]] = {kind: [] for kind in DocumentKind.values}
        for document in documents:
            by_kind[document.kind].append(document)
        if posting.is_paid:
            del self.fields["unpaid_guidance_read"]
        resumes = by_kind[DocumentKind.RESUME]
        self.fields["resume_document"] = LibraryChoice(
            documents=resumes,
            optional_label=None if posting.requires_resume else "No resume",
            label="Your resumes",
        )
        default = next((d for d in resumes if d.is_default), resumes[0] if resumes else None)
        self.fields["resume_document"].initial = str(default.pk) if default else NO_DOCUMENT
        if not posting.requires_resume:
            self.fields["resume"].label += " (optional)"
        self.fields["cover_letter_document"] = LibraryChoice(
            documents=by_kind[DocumentKind.COVER_LETTER],
            optional_label="No PDF (I write it here, or send none)",
            label="Your cover letters",
            initial=NO_DOCUMENT,
        )
        if not posting.requires_cover_letter:
            self.fields["cover_letter_text"].label = "Cover letter (optional)"
        self.materials = list(posting.materials.all())
        for material in self.materials:
            name = f"material_{material.pk}"
            suffix = "" if material.required else " (optional)"
            kind = KINDS[material.kind]
            if kind.uses_library:
                self.fields[f"{name}_document"] = LibraryChoice(
                    documents=by_kind[DocumentKind.OTHER] + by_kind[DocumentKind.COVER_LETTER],
                    optional_label="None of my documents",
                    label=f"{material.label}: one of your documents",
                    initial=NO_DOCUMENT,
                )
            self.fields[name] = kind.form_field(material, suffix)

    @staticmethod
    def upload_slots(posting: Posting) -> list[UploadSlot]:
        """The file inputs, each with the library choice it fills and the kind it is kept
        as."""
        slots = [
            UploadSlot("resume", "resume_document", DocumentKind.RESUME),
            UploadSlot("cover_letter_file", "cover_letter_document", DocumentKind.COVER_LETTER),
        ]
        for material in posting.materials.all():
            if KINDS[material.kind].uses_library:
                name = f"material_{material.pk}"
                slots.append(UploadSlot(name, f"{name}_document", DocumentKind.OTHER))
        return slots

    @property
    def material_groups(self) -> list[tuple[Any, forms.BoundField | None, forms.BoundField]]:
        """(posting material, library choice or None, field) for the template."""
        groups = []
        for material in self.materials:
            name = f"material_{material.pk}"
            choice = self[f"{name}_document"] if f"{name}_document" in self.fields else None
            groups.append((material, choice, self[name]))
        return groups

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        answers = {}
        for material in self.materials:
            name = f"material_{material.pk}"
            answers[material.pk] = KINDS[material.kind].answer(
                data.get(name), document=data.get(f"{name}_document")
            )
        return {
            "resume": data.get("resume") or None,
            "resume_document": data.get("resume_document"),
            "cover_letter_text": data.get("cover_letter_text") or "",
            "cover_letter_file": data.get("cover_letter_file") or None,
            "cover_letter_document": data.get("cover_letter_document"),
            "answers": answers,
            "unpaid_guidance_read": bool(data.get("unpaid_guidance_read")),
        }

    def _shown_field(self, name: str) -> str:
        """Where a message about `name` is shown: a library choice with no documents to
        choose from is not on the page, so its messages go on the upload beside it."""
        choice = self.fields.get(name)
        if isinstance(choice, LibraryChoice) and not choice.documents:
            uploads = {s.choice_field: s.file_field for s in self.upload_slots(self.posting)}
            return uploads.get(name, name)
        return name

    def clean(self) -> dict[str, Any]:
        for name in [n for n in self._errors if n != self._shown_field(n)]:
            target = self._shown_field(name)
            self._errors.setdefault(target, self.error_class()).extend(self._errors.pop(name))
        return super().clean()

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            field = self._shown_field(field)
            self.add_error(field if field in self.fields else None, messages)


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
