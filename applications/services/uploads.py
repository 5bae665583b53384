"""Writing documents so that a failed submit leaves no file: the writer lives in
microintern/core/files.py, shared with the student's document library (accounts)."""

from microintern.core.files import FileWriter, files_removed_on_failure

__all__ = ["FileWriter", "files_removed_on_failure"]
