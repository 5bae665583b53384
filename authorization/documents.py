"""Students' authorization documents: PDF only, checked by content, stored out of public reach.

A file is accepted when microintern.core.uploads.pdf_problem() finds nothing wrong: its
bytes say it is a PDF and pypdf reads at least one page; the name and content type are not
trusted.
Files are stored under a name the server chooses, below MEDIA_ROOT/private/. No URL route
serves MEDIA_ROOT (see settings): the only way out is the download view, which checks who
asks.
"""

from __future__ import annotations

import logging
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

from microintern.core.uploads import pdf_problem

logger = logging.getLogger(__name__)


@deconstructible
class PrivateDocumentStorage(FileSystemStorage):
    """MEDIA_ROOT/private, read at use time (so tests can point MEDIA_ROOT elsewhere)."""

    @cached_property
    def base_location(self) -> str:
        return os.path.join(settings.MEDIA_ROOT, "private")

    @cached_property
    def base_url(self) -> None:  # type: ignore[override]
        # FileSystemStorage.url() refuses to build a URL when this is None: on purpose.
        return None


private_storage = PrivateDocumentStorage()


def document_upload_to(item: object, filename: str) -> str:
    """A name chosen by the server: the student's file name never reaches the disk."""
    case_id = getattr(item, "case_id", None) or "unassigned"
    return f"authorization/case-{case_id}/{uuid.uuid4().hex}.pdf"


def validate_pdf(upload: UploadedFile | None) -> None:
    """Raise ValidationError with a message a student understands, or return quietly."""
    problem = "The file is empty. Choose the PDF again." if upload is None else pdf_problem(upload)
    if problem:
        raise ValidationError(problem)
