"""Checking uploaded documents, and writing them so that a failed submit leaves no file.

Documents are PDFs, checked by content (the `%PDF-` signature and a successful parse with
pypdf), never by the name; the size limit is `settings.MAX_UPLOAD_BYTES`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from pypdf import PdfReader

logger = logging.getLogger(__name__)

DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
PDF_SIGNATURE = b"%PDF-"


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def pdf_problem(upload: File) -> str | None:
    """Why this upload is not an acceptable PDF, as a sentence; None when it is."""
    size = upload.size or 0
    if size == 0:
        return "The file is empty. Choose the PDF again."
    if size > max_upload_bytes():
        return (
            f"The file is {size / (1024 * 1024):.1f} MB; the limit is "
            f"{_megabytes(max_upload_bytes())}. Make it smaller (for example “Save as PDF” "
            "with reduced size) and try again."
        )
    upload.seek(0)
    head = upload.read(len(PDF_SIGNATURE))
    upload.seek(0)
    if head != PDF_SIGNATURE:
        return "This file is not a PDF (whatever its name says). Save or export it as PDF."
    try:
        pages = len(PdfReader(upload).pages)
    except Exception:  # pypdf raises many kinds of errors on damaged files
        pages = 0
    finally:
        upload.seek(0)
    if pages < 1:
        return "This PDF is damaged or incomplete and cannot be opened. Export it again."
    return None


def validate_pdf(upload: File, *, field: str) -> None:
    problem = pdf_problem(upload)
    if problem:
        raise ValidationError({field: problem})


class FileWriter:
    """Writes files during a service's transaction and remembers them, so that the caller
    can delete them when the transaction rolls back (Django has no on_rollback hook)."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def save(self, field_file: FieldFile, content: File) -> None:
        content.seek(0)
        field_file.save("document.pdf", content, save=False)  # upload_to picks the name
        self.written.append(field_file.name)

    def delete_all(self) -> None:
        for name in self.written:
            try:
                default_storage.delete(name)
            except OSError:  # never hide the original error behind a cleanup failure
                logger.exception("Could not delete %s after a failed submit", name)
        self.written.clear()


@contextmanager
def files_removed_on_failure() -> Iterator[FileWriter]:
    """Use around the `transaction.atomic()` block: any exception leaving it (the
    transaction rolled back) deletes every file written inside."""
    writer = FileWriter()
    try:
        yield writer
    except BaseException:
        writer.delete_all()
        raise
