"""Every write to a student's profile and document library.

The library's rules: PDFs only, checked by content (microintern.core.uploads), each within
MAX_UPLOAD_BYTES, all of a student's files within DOCUMENT_LIBRARY_QUOTA_BYTES and
DOCUMENT_LIBRARY_MAX_FILES, at most one default resume. A refused file leaves nothing
behind; a replaced or deleted file is removed from storage once the change is committed.
What was sent with an application is a copy kept by applications, never touched here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from microintern.accounts.models import Document, DocumentKind, StudentProfile, User
from microintern.core.files import clean_display_name, files_removed_on_failure
from microintern.core.uploads import pdf_problem

PROFILE_FIELDS = (
    "preferred_name",
    "pronouns",
    "degree_level",
    "field_of_study",
    "minor",
    "class_year",
    "graduation_term",
    "summary",
    "portfolio_url",
    "github_url",
    "linkedin_url",
    "notify_new_postings",
)


def _require_student(student: User) -> None:
    if not (student.is_active and student.is_student):
        raise PermissionDenied("Only students keep a profile and a document library.")


def student_profile_save(*, student: User, values: Mapping[str, Any]) -> StudentProfile:
    """Create or update the student's profile with the given fields (validated again)."""
    _require_student(student)
    with transaction.atomic():
        profile, _ = StudentProfile.objects.select_for_update().get_or_create(user=student)
        changed = [name for name in PROFILE_FIELDS if name in values]
        for name in changed:
            setattr(profile, name, values[name])
        profile.full_clean(exclude=["user"])
        profile.save(update_fields=[*changed, "updated_at"])
    return profile


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def _check_room(student: User, *, adding: int, freeing: int = 0, new_file: bool) -> None:
    """Raise when the library has no room for this file. The caller holds the student's row
    lock, so two uploads at once cannot both pass the quota."""
    documents = Document.objects.filter(student=student)
    if new_file and documents.count() >= settings.DOCUMENT_LIBRARY_MAX_FILES:
        raise ValidationError(
            {
                "file": f"Your library holds at most {settings.DOCUMENT_LIBRARY_MAX_FILES} "
                "documents. Delete one you no longer use, then upload this one."
            }
        )
    used = (documents.aggregate(total=Sum("size"))["total"] or 0) - freeing
    quota = settings.DOCUMENT_LIBRARY_QUOTA_BYTES
    if used + adding > quota:
        raise ValidationError(
            {
                "file": f"This file ({_megabytes(adding)}) does not fit: your library uses "
                f"{_megabytes(used)} of {_megabytes(quota)}. Delete or replace a document "
                "you no longer use, then upload it again."
            }
        )


def _display_name(name: str, upload: UploadedFile) -> str:
    if name.strip():
        return name.strip()[:120]
    stem = (upload.name or "document").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem[:-4] if stem.lower().endswith(".pdf") else stem
    return (stem.strip() or "Document")[:120]


def _original_name(upload: UploadedFile) -> str:
    return clean_display_name(upload.name or "document.pdf")


def _lock(student: User) -> None:
    # The same lock applications take for the student (applications/acceptance.py): one
    # change to a student's library at a time, so the quota holds under concurrent uploads.
    User.objects.select_for_update(no_key=True).get(pk=student.pk)


def document_add(
    *, student: User, kind: str, upload: UploadedFile, name: str = "", make_default: bool = False
) -> Document:
    """Check the PDF and keep it in the student's library. The student's first resume
    becomes the default. Raises ValidationError({"file": ...}); nothing is stored then."""
    _require_student(student)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "Choose what kind of document this is."})
    if problem := pdf_problem(upload):
        raise ValidationError({"file": problem})
    size = upload.size or 0
    with files_removed_on_failure() as writer, transaction.atomic():
        _lock(student)
        _check_room(student, adding=size, new_file=True)
        resumes = Document.objects.filter(student=student, kind=DocumentKind.RESUME)
        is_default = kind == DocumentKind.RESUME and (make_default or not resumes.exists())
        if is_default:
            resumes.filter(is_default=True).update(is_default=False)
        document = Document(
            student=student,
            kind=kind,
            name=_display_name(name, upload),
            original_name=_original_name(upload),
            size=size,
            is_default=is_default,
            uploaded_at=timezone.now(),
        )
        writer.save(document.file, upload)
        document.save()
    return document


def _own_document(student: User, document_id: int) -> Document:
    try:
        return Document.objects.select_for_update().get(pk=document_id, student=student)
    except Document.DoesNotExist:
        raise PermissionDenied("This document is not in your library.") from None


def _delete_file_on_commit(name: str) -> None:
    storage = Document.file.field.storage
    transaction.on_commit(lambda: storage.delete(name))


def document_replace(
    *, student: User, document: Document, upload: UploadedFile, name: str = ""
) -> Document:
    """Put a new PDF in place of a document's file (same name and kind unless a new name is
    given). Applications already sent keep their own copy."""
    _require_student(student)
    if problem := pdf_problem(upload):
        raise ValidationError({"file": problem})
    size = upload.size or 0
    with files_removed_on_failure() as writer, transaction.atomic():
        _lock(student)
        locked = _own_document(student, document.pk)
        _check_room(student, adding=size, freeing=locked.size, new_file=False)
        old_file = locked.file.name
        if name.strip():
            locked.name = name.strip()[:120]
        locked.original_name = _original_name(upload)
        locked.size = size
        locked.uploaded_at = timezone.now()
        writer.save(locked.file, upload)
        locked.save(update_fields=["name", "original_name", "size", "uploaded_at", "file"])
        _delete_file_on_commit(old_file)
    return locked


def document_rename(*, student: User, document: Document, name: str) -> Document:
    _require_student(student)
    if not name.strip():
        raise ValidationError({"name": "Give the document a name."})
    with transaction.atomic():
        locked = _own_document(student, document.pk)
        locked.name = name.strip()[:120]
        locked.save(update_fields=["name"])
    return locked


def document_make_default(*, student: User, document: Document) -> Document:
    """Make this resume the one the apply form chooses first."""
    _require_student(student)
    with transaction.atomic():
        _lock(student)
        locked = _own_document(student, document.pk)
        if locked.kind != DocumentKind.RESUME:
            raise ValidationError("Only a resume can be the default resume.")
        Document.objects.filter(student=student, is_default=True).exclude(pk=locked.pk).update(
            is_default=False
        )
        if not locked.is_default:
            locked.is_default = True
            locked.save(update_fields=["is_default"])
    return locked


def document_delete(*, student: User, document: Document) -> None:
    """Remove a document and its file. Applications already sent keep their own copy. When
    the default resume goes, the newest other resume becomes the default."""
    _require_student(student)
    with transaction.atomic():
        _lock(student)
        locked = _own_document(student, document.pk)
        was_default = locked.is_default
        name = locked.file.name
        locked.delete()
        if was_default:
            newest = (
                Document.objects.filter(student=student, kind=DocumentKind.RESUME)
                .order_by("-uploaded_at", "-pk")
                .first()
            )
            if newest is not None:
                newest.is_default = True
                newest.save(update_fields=["is_default"])
        _delete_file_on_commit(name)


def library_usage(student: User) -> int:
    return Document.objects.filter(student=student).aggregate(total=Sum("size"))["total"] or 0
