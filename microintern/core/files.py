"""Writing uploaded documents so that a failed write leaves no file behind: the apply form
(applications) and the student's document library (accounts) both use it.

The PDF check itself is in microintern.core.uploads.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

logger = logging.getLogger(__name__)


def clean_display_name(name: str, default: str = "document.pdf") -> str:
    """The uploaded name, for showing and for Content-Disposition only: no directories, no
    control characters, bounded length."""
    base = PurePath(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFKC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " ")
    base = base.strip(" .")[:120]
    if not base:
        return default
    if not base.lower().endswith(".pdf"):
        base += ".pdf"
    return base


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
                logger.exception("Could not delete %s after a failed write", name)
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


def private_file_response(field_file: FieldFile, filename: str) -> HttpResponse:
    """A private PDF as an attachment that browsers never sniff or cache; the caller has
    already checked who asks (404 otherwise)."""
    prefix = getattr(settings, "PRIVATE_MEDIA_ACCEL_PREFIX", "")
    if prefix:
        # nginx serves the file from an `internal` location after this view said yes.
        response = HttpResponse(content_type="application/pdf")
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + field_file.name
    else:
        try:
            handle = field_file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404("The file is missing.") from None
        response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
