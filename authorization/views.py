"""The student's work-authorization pages, and the case and document views advisors open.

Object views answer 404 to anyone who may not see the object, and every look by someone
other than the student (allowed or refused) is written to the access log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from authorization import selectors, services
from authorization.access import log_access, may_view_student_data
from authorization.eligibility import ROUTE_LABELS, ROUTE_NONE, routes_open
from authorization.forms import DocumentForm, ImmigrationProfileForm
from authorization.models import AuthorizationCase, ChecklistItem, ImmigrationProfile
from microintern.accounts.models import StudentProfile
from microintern.core.models import ProgramSettings
from microintern.cycles.models import RecruitingCycle


def _require_student(request: HttpRequest) -> None:
    if not request.user.is_student:
        raise Http404("Only students have a work-authorization page.")


def _case_context(
    case: AuthorizationCase,
    *,
    editable: bool,
    route_estimates: dict | None = None,
    holidays: frozenset | None = None,
) -> dict[str, object]:
    return {
        "case": case,
        "items": list(case.items.all()),
        "editable": editable and case.is_active,
        "forecast": selectors.case_forecast(
            case, route_estimates=route_estimates, holidays=holidays
        ),
        "document_form": DocumentForm(),
    }


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    _require_student(request)
    profile = ImmigrationProfile.objects.filter(student=request.user).first()
    cycle = RecruitingCycle.objects.current()
    cases = selectors.cases_for_student(request.user)
    today = timezone.localdate()
    next_item = next(
        (i for c in cases if c.is_active for i in c.items.all() if not i.is_done), None
    )
    # One read of the estimates and one of the holidays for every forecast on the page.
    route_estimates = selectors.estimates()
    page_dates = [today, *([cycle.iap_start] if cycle else [])]
    page_dates += [d for c in cases for d in (timezone.localdate(c.opened_at), c.start_date)]
    holidays = selectors.holidays_covering(page_dates)
    context: dict[str, object] = {
        "profile": profile,
        "cycle": cycle,
        "iso_url": ProgramSettings.load().iso_employment_url,
        "today": today,
        "cases": [
            _case_context(c, editable=True, route_estimates=route_estimates, holidays=holidays)
            for c in cases
        ],
    }
    if profile is not None:
        assessment = selectors.general_assessment(profile, cases=cases)
        open_routes = routes_open(profile.to_status(), assessment)
        table = (
            selectors.forecast_table(
                start_date=cycle.iap_start,
                from_date=today,
                students_route=assessment.route,
                holidays=holidays,
                routes=open_routes.shown,
            )
            if cycle and cycle.iap_start > today
            else []
        )
        context.update(
            assessment=assessment,
            needs_nothing=assessment.route == ROUTE_NONE,
            table=table,
            missing_routes=[
                (ROUTE_LABELS[route], reason) for route, reason in open_routes.missing.items()
            ],
            steps=selectors.next_steps(assessment.route, table=table, next_item=next_item),
        )
    return render(request, "authorization/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    _require_student(request)
    profile = ImmigrationProfile.objects.filter(student=request.user).first()
    initial = {}
    if profile is None:
        general = StudentProfile.objects.filter(user=request.user).first()
        if general is not None:
            initial = {"degree_level": general.degree_level, "majors": general.field_of_study}
    form = ImmigrationProfileForm(request.POST or None, instance=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.immigration_profile_save(student=request.user, answers=form.cleaned_data)
        if form.ignored_answers:
            messages.info(
                request,
                "As a US citizen or permanent resident you need no work authorization, so we "
                "did not keep these answers: " + "; ".join(form.ignored_answers) + ".",
            )
        messages.success(request, "Your answers are saved.")
        return redirect("authorization:mine")
    return render(request, "authorization/profile_form.html", {"form": form, "profile": profile})


def _case_for_viewer(request: HttpRequest, pk: int, *, object_type: str) -> AuthorizationCase:
    """The case, if this user may see it; 404 otherwise. Logs everyone but the student."""
    case = get_object_or_404(AuthorizationCase.objects.select_related("student"), pk=pk)
    allowed = may_view_student_data(request.user, case.student)
    log_access(
        request, student=case.student, object_type=object_type, object_id=case.pk, allowed=allowed
    )
    if not allowed:
        raise Http404("No such case.")
    return case


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_viewer(request, pk, object_type="case")
    is_owner = case.student_id == request.user.pk
    context = _case_context(case, editable=is_owner)
    profile = ImmigrationProfile.objects.filter(student=case.student).first()
    context.update(is_owner=is_owner, profile=profile, today=timezone.localdate())
    return render(request, "authorization/case_detail.html", context)


def _own_item(request: HttpRequest, pk: int) -> ChecklistItem:
    _require_student(request)
    return get_object_or_404(
        ChecklistItem.objects.select_related("case"), pk=pk, case__student=request.user
    )


def _back_to(item: ChecklistItem) -> str:
    return reverse("authorization:mine") + f"#item-{item.pk}"


@login_required
@require_POST
def item_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own_item(request, pk)
    done = request.POST.get("done") != "0"
    try:
        services.checklist_item_mark_done(item=item, student=request.user, done=done)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("authorization:mine")  # errors show at the top of the page
    messages.success(request, f"“{item.title}” is {'done' if done else 'marked as not done'}.")
    return redirect(_back_to(item))


@login_required
@require_POST
def item_upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own_item(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(
            request, f"The document for “{item.title}” was not saved. " + " ".join(errors)
        )
        return redirect("authorization:mine")  # errors show at the top of the page
    try:
        services.checklist_item_attach_document(
            item=item, student=request.user, upload=form.cleaned_data["document"]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("authorization:mine")
    messages.success(request, f"Your document for “{item.title}” is uploaded.")
    return redirect(_back_to(item))


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ChecklistItem.objects.select_related("case__student"), pk=pk)
    student = item.case.student
    allowed = may_view_student_data(request.user, student)
    log_access(
        request,
        student=student,
        object_type="document",
        object_id=item.pk,
        action="download",
        allowed=allowed,
    )
    if not allowed or not item.document:
        raise Http404("No such document.")
    try:
        handle = item.document.open("rb")
    except FileNotFoundError:
        raise Http404("The document file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"authorization-{item.case_id}-{item.key}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
