"""Students' authorization documents: PDF only, checked by content, stored out of public reach.

A file is accepted when its bytes say it is a PDF (it starts with "%PDF-") and pypdf can
read at least one page from it; the name and the browser's content type are not trusted.
Files are stored under a name the server chooses, below MEDIA_ROOT/private/. No URL route
serves MEDIA_ROOT (see settings): the only way out is the download view, which checks who
asks.
"""

from __future__ import annotations

import io
import logging
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

logger = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


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
    if upload is None or not upload.size:
        raise ValidationError("The file is empty. Choose the PDF you want to upload.")
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            f"The file is {upload.size / (1024 * 1024):.1f} MB; the limit is "
            f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MB. Upload a smaller PDF."
        )
    upload.seek(0)
    data = upload.read(MAX_DOCUMENT_BYTES + 1)
    upload.seek(0)
    if not data.startswith(PDF_MAGIC):
        raise ValidationError("This file is not a PDF. Save or scan the document as a PDF.")
    if not _has_pages(data):
        raise ValidationError(
            "This file says it is a PDF but cannot be read as one. Save it again as a PDF."
        )


def _has_pages(data: bytes) -> bool:
    from pypdf import PdfReader

    try:
        # Not strict: scanners write slightly malformed PDFs that readers open fine.
        reader = PdfReader(io.BytesIO(data), strict=False)
        return len(reader.pages) > 0
    except Exception:  # pypdf raises many kinds of errors on malformed input
        logger.info("Rejected an upload that pypdf could not read", exc_info=True)
        return False
