"""Booking, moving and cancelling interviews (POST only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from applications import services
from applications.forms import CancelInterviewForm
from applications.models import ApplicationError, InterviewSlot
from applications.views.access import (
    own_application_or_404,
    posted_ids,
    visible_interview_or_404,
)


def _chosen_slot(request: HttpRequest, posting_id: int) -> InterviewSlot | None:
    chosen = posted_ids([request.POST.get("slot", "")])
    if not chosen:
        return None
    return InterviewSlot.objects.filter(pk=chosen.pop(), posting_id=posting_id).first()


def _when(slot: InterviewSlot) -> str:
    return f"{timezone.localtime(slot.start):%b %-d, %Y, %-I:%M %p %Z}"


@login_required
@require_POST
def book(request: HttpRequest, pk: int) -> HttpResponse:
    application = own_application_or_404(request, pk)
    slot = _chosen_slot(request, application.posting_id)
    if slot is None:
        messages.error(request, "Choose one of the times offered.")
        return redirect("applications:detail", pk=application.pk)
    try:
        services.interview_book(application=application, slot=slot, by=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Interview booked for {_when(slot)}. "
            "The calendar invitation is below and in your email.",
        )
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    interview = visible_interview_or_404(request, pk)
    application = interview.application
    if request.user.pk != application.student_id:
        raise Http404("Only the applicant moves an interview here.")
    slot = _chosen_slot(request, application.posting_id)
    if slot is None:
        messages.error(request, "Choose one of the free times.")
        return redirect("applications:detail", pk=application.pk)
    try:
        services.interview_move(interview=interview, slot=slot, by=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Interview moved to {_when(slot)}. Both sides have a new invitation."
        )
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    interview = visible_interview_or_404(request, pk)
    form = CancelInterviewForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        services.interview_cancel(interview=interview, by=request.user, message=message)
    except PermissionDenied:
        raise Http404("Not your interview.") from None
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Interview cancelled; the other side was told.")
    return redirect("applications:detail", pk=interview.application_id)
