"""Private downloads: documents sent with applications and interview invitations. Each checks
who asks (404 otherwise) and answers as an attachment that browsers never sniff."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from applications.calendar import ics_content_type, ics_filename, interview_ics
from applications.models import Application, SubmittedMaterial
from applications.views.access import visible_interview_or_404
from microintern.core.files import private_file_response


@login_required
@require_GET
def document(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(
        SubmittedMaterial.objects.filter(
            application__in=Application.objects.visible_to(request.user)
        ).exclude(file=""),
        pk=pk,
    )
    return private_file_response(material.file, material.original_name or "document.pdf")


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
