"""The student's side: the offer page, accepting (after a confirmation page), declining and
asking for more time. GET never changes anything."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from authorization.selectors import forecast_for, has_immigration_profile
from offers import selectors, services
from offers.forms import DeclineForm, ExtensionAnswerForm, ExtensionRequestForm
from offers.models import ExtensionStatus, OfferError
from offers.views.access import is_party_member, own_offer_or_404, visible_offer_or_404


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = visible_offer_or_404(request, pk)
    now = timezone.now()
    is_student = request.user.pk == offer.student_id
    requests = list(offer.extension_requests.select_related("requested_by", "answered_by"))
    pending_request = next((r for r in requests if r.status == ExtensionStatus.PENDING), None)
    can_decide = is_student and offer.is_open_for_decision(now)
    can_ask_more_time = (
        can_decide and pending_request is None and offer.extension_days_available > 0
    )
    is_member = is_party_member(request, offer)
    case = selectors.authorization_case_for(offer) if offer.status == "accepted" else None
    context = {
        "offer": offer,
        "posting": offer.application.posting,
        "is_student": is_student,
        "is_member": is_member,
        "now": now,
        "days_left": offer.business_days_left(now),
        "deadline_passed": offer.deadline_passed(now),
        "can_decide": can_decide,
        "extension_requests": requests,
        "pending_request": pending_request,
        "extension_form": (
            ExtensionRequestForm(available=offer.extension_days_available)
            if can_ask_more_time
            else None
        ),
        "answer_form": (
            ExtensionAnswerForm(available=offer.extension_days_available)
            if is_member and pending_request and offer.is_pending
            else None
        ),
        "history": list(offer.status_changes.select_related("by")),
        "arrangement": getattr(offer, "arrangement", None) if offer.status == "accepted" else None,
        "case": case,
        # The student and the employer only (visible_to lets nobody else here); the employer's
        # view is pending / confirmed / at risk, never the immigration details.
        "employer_authorization": (
            selectors.employer_authorization_status(case, request)
            if is_student or is_member
            else None
        ),
    }
    return render(request, "offers/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page, saying exactly what else will happen. POST: accept."""
    offer = own_offer_or_404(request, pk)
    if request.method == "POST":
        try:
            services.offer_accept(offer=offer, by=request.user)
        except (OfferError, PermissionDenied) as exc:
            messages.error(request, str(exc))
            return redirect("offers:detail", pk=offer.pk)
        messages.success(
            request,
            f"You accepted the offer for “{offer.application.posting.title}”. Next: agree the "
            "dates with the employer.",
        )
        return redirect("offers:arrangement", pk=offer.pk)
    if not offer.is_open_for_decision():
        messages.info(request, "This offer is no longer open for a decision.")
        return redirect("offers:detail", pk=offer.pk)
    context = {
        "offer": offer,
        "posting": offer.application.posting,
        "consequences": selectors.acceptance_consequences(offer),
        "forecast": forecast_for(
            request.user,
            start_date=offer.start_date,
            posting_is_global=offer.application.posting.is_global,
        ),
        # Nobody knows yet whether this student needs work authorization: ask before they
        # accept (the checklist opens the moment they answer, accepted or not).
        "asks_for_profile": not offer.application.posting.is_global
        and not has_immigration_profile(request.user),
    }
    return render(request, "offers/accept_confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    offer = own_offer_or_404(request, pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_decline(offer=offer, by=request.user, reason=form.cleaned_data["reason"])
        except (OfferError, PermissionDenied) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "You declined the offer. The employer has been told.")
        return redirect("offers:detail", pk=offer.pk)
    if not offer.is_open_for_decision():
        messages.info(request, "This offer is no longer open for a decision.")
        return redirect("offers:detail", pk=offer.pk)
    return render(request, "offers/decline.html", {"offer": offer, "form": form})


@login_required
@require_POST
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    offer = own_offer_or_404(request, pk)
    form = ExtensionRequestForm(request.POST, available=offer.extension_days_available)
    if not form.is_valid():
        messages.error(request, "Choose how many days and say why you need more time.")
        return redirect("offers:detail", pk=offer.pk)
    try:
        services.extension_request(
            offer=offer,
            by=request.user,
            reason=form.cleaned_data["reason"],
            days=form.cleaned_data["days"],
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except OfferError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your request was sent. The employer will answer here.")
    return redirect("offers:detail", pk=offer.pk)
