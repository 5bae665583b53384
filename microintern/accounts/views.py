"""The student's own pages: their profile (and how an employer sees it) and their document
library. Everything here is the student's own: anyone else gets a 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from microintern.accounts import services
from microintern.accounts.forms import DocumentChangeForm, DocumentUploadForm, ProfileForm
from microintern.accounts.models import Document, StudentProfile
from microintern.core.files import private_file_response
from microintern.core.uploads import max_upload_bytes


def _student_only(request: HttpRequest) -> None:
    if not (request.user.is_active and request.user.is_student):
        raise Http404("Only students keep a profile and documents.")


def _own_document_or_404(request: HttpRequest, pk: int) -> Document:
    return get_object_or_404(Document.objects.visible_to(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    _student_only(request)
    instance = StudentProfile.objects.filter(user=request.user).first() or StudentProfile(
        user=request.user
    )
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.student_profile_save(student=request.user, values=form.values())
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "profile": instance},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def profile_preview(request: HttpRequest) -> HttpResponse:
    """The profile as an employer sees it on an application (the snapshot taken when the
    student applies)."""
    _student_only(request)
    instance = StudentProfile.objects.filter(user=request.user).select_related("user").first()
    snapshot = (
        instance.snapshot()
        if instance
        else {"name": request.user.full_name or request.user.email, "majors": [], "links": []}
    )
    return render(
        request,
        "accounts/profile_preview.html",
        {"snapshot": snapshot, "email": request.user.email},
    )


@login_required
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest) -> HttpResponse:
    # Queries, whatever the number of documents: session, user, the documents (the space
    # used is their sum, counted here).
    _student_only(request)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_add(
                student=request.user,
                kind=data["kind"],
                upload=data["file"],
                name=data["name"],
                make_default=data["make_default"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"“{document.name}” is in your documents.")
            return redirect("accounts:documents")
    library = list(Document.objects.visible_to(request.user))
    used = sum(d.size for d in library)
    quota = settings.DOCUMENT_LIBRARY_QUOTA_BYTES
    context = {
        "form": form,
        "documents": library,
        "used": used,
        "quota": quota,
        "used_percent": min(100, round(100 * used / quota)) if quota else 100,
        "max_files": settings.DOCUMENT_LIBRARY_MAX_FILES,
        "upload_limit": f"{max_upload_bytes() / (1024 * 1024):g} MB",
    }
    return render(request, "accounts/documents.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def document_change(request: HttpRequest, pk: int) -> HttpResponse:
    _student_only(request)
    document = _own_document_or_404(request, pk)
    form = DocumentChangeForm(
        request.POST or None, request.FILES or None, initial={"name": document.name}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["file"]:
                document = services.document_replace(
                    student=request.user, document=document, upload=data["file"], name=data["name"]
                )
                done = f"“{document.name}” now holds {document.original_name}."
            else:
                document = services.document_rename(
                    student=request.user, document=document, name=data["name"]
                )
                done = f"The document is now called “{document.name}”."
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDenied:
            raise Http404("Not in your library.") from None
        else:
            messages.success(request, done + " Applications you already sent keep their copy.")
            return redirect("accounts:documents")
    return render(
        request,
        "accounts/document_change.html",
        {"form": form, "document": document},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def document_default(request: HttpRequest, pk: int) -> HttpResponse:
    _student_only(request)
    document = _own_document_or_404(request, pk)
    try:
        services.document_make_default(student=request.user, document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        raise Http404("Not in your library.") from None
    else:
        messages.success(request, f"“{document.name}” is your default resume.")
    return redirect("accounts:documents")


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _student_only(request)
    document = _own_document_or_404(request, pk)
    try:
        services.document_delete(student=request.user, document=document)
    except PermissionDenied:
        raise Http404("Not in your library.") from None
    messages.success(
        request,
        f"“{document.name}” was deleted from your documents. Applications you already sent "
        "keep their copy.",
    )
    return redirect("accounts:documents")


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = _own_document_or_404(request, pk)
    return private_file_response(document.file, document.original_name or "document.pdf")
