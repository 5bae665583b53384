"""What each kind of extra application material means, in one place: the form field the
student fills in, the answer it gives, what is wrong with an answer, and what is stored with
the application. The apply form and the submission service both dispatch through KINDS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator

from microintern.accounts.models import Document
from microintern.core.uploads import pdf_problem
from postings.models import MaterialKind, PostingMaterial

MAX_TEXT_ANSWER = 10_000
PDF_WIDGET = forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"})


@dataclass(frozen=True)
class MaterialAnswer:
    """The student's answer to one of the posting's extra materials."""

    file: UploadedFile | None = None
    document: Document | None = None  # from the student's library (the service checks whose)
    text: str = ""
    url: str = ""


class FileMaterial:
    """A PDF: one of the student's library documents, or a new upload (which the apply view
    puts in the library first, so a form error never loses it)."""

    uses_library = True

    def form_field(self, material: PostingMaterial, suffix: str) -> forms.Field:
        return forms.FileField(
            required=False, label=f"{material.label}: upload a PDF{suffix}", widget=PDF_WIDGET
        )

    def answer(self, value: Any, document: Document | None = None) -> MaterialAnswer:
        return MaterialAnswer(file=value or None, document=document)

    def given(self, answer: MaterialAnswer) -> bool:
        return answer.file is not None or answer.document is not None

    def problem(self, material: PostingMaterial, answer: MaterialAnswer) -> str | None:
        if answer.file is not None:
            return pdf_problem(answer.file)
        if answer.document is not None:
            return None
        if material.required:
            return f"{material.label} is required: choose a document or upload a PDF."
        return None

    def stored(self, answer: MaterialAnswer) -> dict[str, Any]:
        if answer.file is not None:
            return {"upload": answer.file}
        return {"document": answer.document}


class TextMaterial:
    uses_library = False

    def form_field(self, material: PostingMaterial, suffix: str) -> forms.Field:
        return forms.CharField(
            required=False,
            label=f"{material.label}{suffix}",
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def answer(self, value: Any, document: Document | None = None) -> MaterialAnswer:
        return MaterialAnswer(text=value or "")

    def given(self, answer: MaterialAnswer) -> bool:
        return bool(answer.text.strip())

    def problem(self, material: PostingMaterial, answer: MaterialAnswer) -> str | None:
        if not self.given(answer):
            return (
                f"{material.label} is required: write your answer." if material.required else None
            )
        if len(answer.text) > MAX_TEXT_ANSWER:
            return f"Keep your answer under {MAX_TEXT_ANSWER} characters."
        return None

    def stored(self, answer: MaterialAnswer) -> dict[str, Any]:
        return {"text": answer.text.strip()}


class LinkMaterial:
    uses_library = False

    def form_field(self, material: PostingMaterial, suffix: str) -> forms.Field:
        return forms.URLField(
            required=False,
            label=f"{material.label} (link){suffix}",
            assume_scheme="https",
            widget=forms.URLInput(attrs={"placeholder": "https://"}),
        )

    def answer(self, value: Any, document: Document | None = None) -> MaterialAnswer:
        return MaterialAnswer(url=value or "")

    def given(self, answer: MaterialAnswer) -> bool:
        return bool(answer.url.strip())

    def problem(self, material: PostingMaterial, answer: MaterialAnswer) -> str | None:
        if not self.given(answer):
            return f"{material.label} is required: give the link." if material.required else None
        try:
            URLValidator(schemes=["http", "https"])(answer.url.strip())
        except ValidationError:
            return "Enter a full web address starting with https://."
        return None

    def stored(self, answer: MaterialAnswer) -> dict[str, Any]:
        return {"url": answer.url.strip()}


KINDS: dict[str, FileMaterial | TextMaterial | LinkMaterial] = {
    MaterialKind.FILE: FileMaterial(),
    MaterialKind.TEXT: TextMaterial(),
    MaterialKind.LINK: LinkMaterial(),
}
