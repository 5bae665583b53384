"""Uploaded documents: one PDF check for every app, and a handler that stops keeping a file
once it passes the size limit.

Documents are PDFs, checked by content (the `%PDF-` signature and at least one page that pypdf
can read), never by the name or the browser's content type. The limit is
`settings.MAX_UPLOAD_BYTES` (5 MB).
"""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from pypdf import PdfReader

logger = logging.getLogger(__name__)

PDF_SIGNATURE = b"%PDF-"


def max_upload_bytes() -> int:
    return int(settings.MAX_UPLOAD_BYTES)


def pdf_problem(upload: File) -> str | None:
    """Why this upload is not an acceptable PDF, as a sentence a student understands; None
    when it is one."""
    size = upload.size or 0
    limit = max_upload_bytes()
    if size == 0:
        return "The file is empty. Choose the PDF again."
    if size > limit:
        return (
            f"The file is {size / (1024 * 1024):.1f} MB; the limit is "
            f"{limit / (1024 * 1024):.0f} MB. Make it smaller (for example “Save as PDF” "
            "with reduced size) and try again."
        )
    upload.seek(0)
    head = upload.read(len(PDF_SIGNATURE))
    upload.seek(0)
    if head != PDF_SIGNATURE:
        return "This file is not a PDF (whatever its name says). Save or export it as PDF."
    try:
        # Not strict: scanners write slightly malformed PDFs that readers open fine.
        pages = len(PdfReader(upload, strict=False).pages)
    except Exception:  # pypdf raises many kinds of errors on damaged files
        logger.info("Rejected an upload that pypdf could not read", exc_info=True)
        pages = 0
    finally:
        upload.seek(0)
    if pages < 1:
        return "This file says it is a PDF but cannot be read as one. Export or scan it again."
    return None


class OversizedUpload(UploadedFile):
    """Stands in for a file that passed the limit: its size is what arrived, its content
    nothing. pdf_problem() then refuses it with the size in the message."""

    def __init__(self, *, name: str, content_type: str, size: int, charset: str | None) -> None:
        super().__init__(io.BytesIO(b""), name, content_type, size, charset)


class SizeCappedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: passes each chunk on to Django's memory and temporary
    file handlers until the file passes MAX_UPLOAD_BYTES, then keeps nothing more of it.

    The request body is still read to the end (the form's other fields come after), but a
    2 GB upload no longer becomes a 2 GB temporary file. The web server's own body limit
    stays the first line of defence in production.
    """

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received = start + len(raw_data)
        if self.received > max_upload_bytes():
            self.oversized = True
            return None  # the handlers after this one get no more of the file
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.oversized:
            return None  # the next handler (memory or temporary file) returns the file
        return OversizedUpload(
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
        )
