"""Checking uploaded documents, and writing them so that a failed submit leaves no file.

The PDF check itself is shared with the authorization app: microintern.core.uploads.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)


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
