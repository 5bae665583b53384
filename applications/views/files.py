"""Private downloads: documents, the resume on file and interview invitations. Each checks
who asks (404 otherwise) and answers as an attachment that browsers never sniff."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from applications.calendar import ics_content_type, ics_filename, interview_ics
from applications.models import Application, ResumeOnFile, SubmittedMaterial
from applications.views.access import visible_interview_or_404


def _private_file_response(field_file: FieldFile, filename: str) -> HttpResponse:
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


@login_required
@require_GET
def document(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(
        SubmittedMaterial.objects.filter(
            application__in=Application.objects.visible_to(request.user)
        ).exclude(file=""),
        pk=pk,
    )
    return _private_file_response(material.file, material.original_name or "document.pdf")


@login_required
@require_GET
def resume_download(request: HttpRequest) -> HttpResponse:
    on_file = get_object_or_404(ResumeOnFile, student=request.user)
    return _private_file_response(on_file.file, on_file.original_name or "resume.pdf")


@login_required
@require_GET
def interview_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    interview = visible_interview_or_404(request, pk)
    response = HttpResponse(
        interview_ics(interview), content_type=f"{ics_content_type(interview)}; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, ics_filename(interview))
    response["X-Content-Type-Options"] = "nosniff"
    return response
