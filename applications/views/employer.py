"""The employer's side: the applicants to one posting, their pages, moves, notes, the CSV
export and offering interview times."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import services
from applications.forms import (
    ApplicantFilterForm,
    BulkActionForm,
    CancelInterviewForm,
    NoteForm,
    SlotFormSet,
)
from applications.models import (
    Application,
    ApplicationError,
    ApplicationStatus,
    ApplicationStatusChange,
    Interview,
    InterviewStatus,
)
from applications.selectors import timeline
from applications.views.access import (
    employer_application_or_404,
    employer_posting_or_404,
    posted_ids,
)
from postings.models import Posting


def _applicants(posting: Posting, data: dict) -> QuerySet[Application]:
    next_interview = Interview.objects.filter(
        application=OuterRef("pk"), status=InterviewStatus.BOOKED
    ).order_by("slot__start")
    queryset = (
        Application.objects.filter(posting=posting)
        .select_related("student")
        .annotate(interview_start=Subquery(next_interview.values("slot__start")[:1]))
        .order_by("submitted_at", "pk")
    )
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("q"):
        q = data["q"].strip()
        queryset = queryset.filter(
            Q(student__full_name__icontains=q) | Q(student__email__icontains=q)
        )
    return queryset


APPLICANTS_PER_PAGE = 100


@login_required
@require_GET
def applicants(request: HttpRequest, posting_pk: int) -> HttpResponse:
    # Queries, whatever the number of applicants: session, user, membership, posting, the
    # status counts, the page's count, the page of applicants (student and next interview
    # joined in). A page at a time: 2,000 applicants on one page were 1.2 MB and a second.
    posting = employer_posting_or_404(request, posting_pk)
    form = ApplicantFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    counts = dict(
        Application.objects.filter(posting=posting)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    page = Paginator(_applicants(posting, data), APPLICANTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "posting": posting,
        "form": form,
        "rows": list(page.object_list),
        "page": page,
        "counts": [
            (value, label, counts.get(value, 0)) for value, label in ApplicationStatus.choices
        ],
        "total": sum(counts.values()),
        "action_form": BulkActionForm(),
        "query_string": query.urlencode(),
    }
    return render(request, "applications/applicants.html", context)


@login_required
@require_POST
def applicants_action(request: HttpRequest, posting_pk: int) -> HttpResponse:
    posting = employer_posting_or_404(request, posting_pk)
    form = BulkActionForm(request.POST)
    ids = posted_ids(request.POST.getlist("applications"))
    chosen = list(Application.objects.filter(posting=posting, pk__in=ids).select_related("student"))
    back = request.POST.get("next")
    target = (
        redirect("applications:detail", pk=chosen[0].pk)
        if back == "detail" and len(chosen) == 1
        else redirect("applications:applicants", posting_pk=posting.pk)
    )
    if not chosen:
        messages.error(request, "Tick at least one applicant first.")
        return target
    if not form.is_valid():
        messages.error(request, "Choose what to do with the applicants you ticked.")
        return target
    action = form.cleaned_data["action"]
    if action == "offer_times":  # a GET page with the ticked applicants preselected
        query = urlencode([("applications", a.pk) for a in chosen])
        return redirect(reverse("applications:slots_offer", args=[posting.pk]) + "?" + query)
    try:
        if action == "not_selected":
            services.application_reject(
                applications=chosen, by=request.user, message=form.cleaned_data["message"]
            )
            done = "marked not selected"
        else:
            services.application_move(
                applications=chosen,
                by=request.user,
                to_status=None if action == "next" else action,
            )
            done = "moved on"
    except (ApplicationError, PermissionDenied) as exc:
        messages.error(request, f"Nothing changed: {exc}")
        return target
    count = len(chosen)
    messages.success(request, f"{count} applicant{'s' if count != 1 else ''} {done}.")
    return target


@login_required
@require_GET
def applicants_csv(request: HttpRequest, posting_pk: int) -> HttpResponse:
    posting = employer_posting_or_404(request, posting_pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="applicants-posting-{posting.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Name", "Email", "Status", "Submitted (Eastern)", "Interview (Eastern)"])
    form = ApplicantFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}  # the same filters as the list
    for application in _applicants(posting, data).iterator(chunk_size=500):
        writer.writerow(
            [
                _safe_cell(application.student.full_name),
                _safe_cell(application.student.email),
                application.get_status_display(),
                f"{timezone.localtime(application.submitted_at):%Y-%m-%d %H:%M %Z}",
                f"{timezone.localtime(application.interview_start):%Y-%m-%d %H:%M %Z}"
                if application.interview_start
                else "",
            ]
        )
    return response


def _safe_cell(value: str) -> str:
    # A name starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def employer_detail(request: HttpRequest, application: Application) -> HttpResponse:
    history = list(
        ApplicationStatusChange.objects.filter(application=application).select_related("by")
    )
    interviews = list(application.interviews.select_related("slot").order_by("-booked_at"))
    context = {
        "application": application,
        "posting": application.posting,
        "materials": list(application.materials.all()),
        "history": history,
        "timeline": timeline(history, interviews),
        "notes": list(application.notes.select_related("author")),
        "interviews": interviews,
        "booked": next((i for i in interviews if i.is_booked), None),
        "offered_slots": list(application.offered_slots.order_by("start")),
        "note_form": NoteForm(),
        "action_form": BulkActionForm(),
        "cancel_form": CancelInterviewForm(),
    }
    return render(request, "applications/detail_employer.html", context)


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = employer_application_or_404(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write the note first.")
    else:
        services.application_note_add(
            application=application, by=request.user, body=form.cleaned_data["body"]
        )
        messages.success(request, "Note saved. Only your organization sees it.")
    return redirect("applications:detail", pk=application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def slots_offer(request: HttpRequest, posting_pk: int) -> HttpResponse:
    posting = employer_posting_or_404(request, posting_pk)
    candidates = list(
        Application.objects.filter(posting=posting, status=ApplicationStatus.INTERVIEWING)
        .select_related("student")
        .order_by("student__full_name", "pk")
    )
    requested = posted_ids(request.GET.getlist("applications"))
    formset = SlotFormSet(request.POST or None, prefix="slots")
    errors: list[str] = []
    if request.method == "POST":
        ids = posted_ids(request.POST.getlist("applications"))
        chosen = [a for a in candidates if a.pk in ids]
        requested = ids
        if formset.is_valid():
            specs = [spec for form in formset for spec in [form.spec()] if spec is not None]
            try:
                services.interview_slots_offer(
                    posting=posting, applications=chosen, slots=specs, by=request.user
                )
            except ValidationError as exc:
                errors = exc.messages
            except PermissionDenied as exc:
                errors = [str(exc)]
            else:
                messages.success(
                    request,
                    f"Offered {len(specs)} time{'s' if len(specs) != 1 else ''} to "
                    f"{len(chosen)} applicant{'s' if len(chosen) != 1 else ''}; they were told.",
                )
                if len(chosen) == 1:
                    return redirect("applications:detail", pk=chosen[0].pk)
                return redirect("applications:applicants", posting_pk=posting.pk)
    context = {
        "posting": posting,
        "candidates": candidates,
        "requested": requested,
        "formset": formset,
        "errors": errors,
    }
    return render(request, "applications/slots_offer.html", context, status=400 if errors else 200)
