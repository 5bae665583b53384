"""The student's side: apply, my applications, an application's page, withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from applications import services
from applications.acceptance import CycleClosedByAcceptance, accepted_application
from applications.forms import ApplyForm, CancelInterviewForm, WithdrawForm
from applications.models import (
    AlreadyApplied,
    Application,
    ApplicationError,
    ApplicationStatusChange,
    Interview,
)
from applications.selectors import timeline
from applications.views.access import (
    is_organization_member,
    own_application_or_404,
    visible_application_or_404,
)
from applications.views.employer import employer_detail
from authorization.selectors import first_year_refusal
from microintern.accounts import services as library
from microintern.accounts.models import Document
from microintern.core.models import ProgramSettings
from microintern.core.uploads import max_upload_bytes
from postings.models import Posting, PostingStatus

MINE_PAGE_SIZE = 20


def _student_only(request: HttpRequest) -> None:
    if not request.user.is_student:
        raise Http404("Only students apply.")


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, posting_pk: int) -> HttpResponse:
    _student_only(request)
    # Any posting that was once published: when the deadline passes while the form is open,
    # the student gets a clear answer, not a 404.
    posting = get_object_or_404(
        Posting.objects.select_related("organization").prefetch_related("materials"),
        pk=posting_pk,
        published_at__isnull=False,
        status__in=[PostingStatus.PUBLISHED, PostingStatus.CLOSED],
    )
    existing = Application.objects.filter(student=request.user, posting=posting).first()
    if existing is not None:
        messages.info(
            request, "You have already applied to this posting: here is your application."
        )
        return redirect("applications:detail", pk=existing.pk)
    if not posting.is_open:
        return render(request, "applications/apply_closed.html", {"posting": posting}, status=410)
    accepted = accepted_application(request.user.pk, posting.cycle_id)
    if accepted is not None:
        context = {"posting": posting, "refusal": CycleClosedByAcceptance(accepted)}
        return render(request, "applications/apply_cycle_closed.html", context, status=403)
    refusal = first_year_refusal(request.user)
    if refusal:
        context = {"posting": posting, "refusal": refusal, "program": ProgramSettings.load()}
        return render(request, "applications/apply_not_eligible.html", context, status=403)
    upload_errors: dict[str, list[str]] = {}
    data = None
    if request.method == "POST":
        data, upload_errors = _keep_uploads_in_library(request, posting)
    documents = list(Document.objects.visible_to(request.user))
    form = ApplyForm(data, posting=posting, documents=documents)
    valid = request.method == "POST" and form.is_valid()
    for field, problems in upload_errors.items():
        form.add_error(field, problems)
    if valid and not upload_errors:
        try:
            application = services.application_submit(
                posting=posting, student=request.user, **form.service_arguments()
            )
        except AlreadyApplied as exc:
            messages.info(
                request, "You have already applied to this posting: here is your application."
            )
            return redirect("applications:detail", pk=exc.application.pk)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except ApplicationError as exc:  # the deadline passed while the form was open
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Your application to “{posting.title}” was sent to {posting.organization.name}.",
            )
            return redirect("applications:detail", pk=application.pk)
    context = {
        "posting": posting,
        "form": form,
        "program": ProgramSettings.load(),
        "has_documents": bool(documents),
        "upload_limit": f"{max_upload_bytes() / (1024 * 1024):g} MB",
    }
    return render(request, "applications/apply.html", context, status=400 if form.errors else 200)


def _keep_uploads_in_library(request: HttpRequest, posting: Posting):
    """Put each uploaded file that passes its checks in the student's library at once and
    choose it in the form's data, so that an error anywhere on the form costs no file: the
    form comes back with the new document selected. A refused file is reported on its
    field and nothing of it is kept."""
    data = request.POST.copy()
    errors: dict[str, list[str]] = {}
    for slot in ApplyForm.upload_slots(posting):
        upload = request.FILES.get(slot.file_field)
        if upload is None:
            continue
        try:
            document = library.document_add(student=request.user, kind=slot.kind, upload=upload)
        except ValidationError as exc:
            errors[slot.file_field] = exc.messages
        else:
            data[slot.choice_field] = str(document.pk)
            messages.info(
                request,
                f"“{document.original_name}” is now in your documents as “{document.name}”.",
            )
    return data, errors


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    # Queries, whatever the rows: the count, the page (with posting and organization), its
    # booked interviews with their slots.
    applications = (
        Application.objects.filter(student=request.user)
        .select_related("posting__organization")
        .only(
            "status",
            "submitted_at",
            "posting__title",
            "posting__organization__name",
        )
        .order_by("-submitted_at", "-pk")
        .prefetch_related(
            Prefetch(
                "interviews",
                queryset=Interview.objects.filter(status="booked").select_related("slot"),
                to_attr="booked_interviews",
            )
        )
    )
    page = Paginator(applications, MINE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "applications/mine.html",
        {"page": page, "applications": page.object_list},
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_application_or_404(request, pk)
    if request.user.pk == application.student_id:
        return _student_detail(request, application)
    # Staff use the admin: visible_to() already answered 404 to every staff role.
    if is_organization_member(request, application):
        return employer_detail(request, application)
    raise Http404("Not visible.")


def _student_detail(request: HttpRequest, application: Application) -> HttpResponse:
    # Private notes are never loaded here: nothing on this page can show them.
    interviews = list(application.interviews.select_related("slot").order_by("-booked_at"))
    history = list(
        ApplicationStatusChange.objects.filter(application=application).select_related("by")
    )
    booked = next((i for i in interviews if i.is_booked), None)
    free_slots = (
        list(services.free_slots_for(application)) if application.status == "interviewing" else []
    )
    context = {
        "application": application,
        "posting": application.posting,
        "materials": list(application.materials.all()),
        "timeline": timeline(history, interviews),
        "interviews": interviews,
        "booked": booked,
        "can_move": booked is not None and booked.student_can_move(),
        "free_slots": free_slots,
        "cancel_form": CancelInterviewForm(),
    }
    return render(request, "applications/detail_student.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = own_application_or_404(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application,
                by=request.user,
                reason=form.cleaned_data["reason"],
                tell_employer=True,
            )
        except (ApplicationError, PermissionDenied) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"You withdrew your application to “{application.posting.title}”."
            )
        return redirect("applications:detail", pk=application.pk)
    if not application.can_withdraw:
        messages.info(request, "This application can no longer be withdrawn.")
        return redirect("applications:detail", pk=application.pk)
    return render(request, "applications/withdraw.html", {"application": application, "form": form})
