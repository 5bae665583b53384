"""The employer's side: extend an offer, answer a request for more time, rescind."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from applications.views.access import employer_application_or_404
from microintern.core.models import ProgramSettings
from offers import services
from offers.forms import ExtendOfferForm, ExtensionAnswerForm, RescindForm
from offers.models import Offer, OfferError
from offers.services.offers import OFFERABLE_APPLICATION_STATUSES, interview_held
from offers.views.access import employer_extension_request_or_404, employer_offer_or_404


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_http_methods(["GET", "POST"])
def extend(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = employer_application_or_404(request, application_pk)
    posting = application.posting
    live = Offer.objects.filter(application=application, status__in=["pending", "accepted"]).first()
    if live is not None:
        return redirect("offers:detail", pk=live.pk)
    if application.status not in OFFERABLE_APPLICATION_STATUSES:
        messages.info(
            request,
            "Offers are extended to applicants under review or interviewing; this application "
            f"is {application.get_status_display().lower()}.",
        )
        return redirect("applications:detail", pk=application.pk)
    initial = {
        "pay_hourly": posting.hourly_equivalent(),
        "start_date": posting.iap_start,
        "end_date": posting.iap_end,
        "hours_per_week": posting.hours_per_week,
        "decision_days": 5,
    }
    program = ProgramSettings.load()
    held = interview_held(application)
    form = ExtendOfferForm(
        request.POST or None,
        initial=initial,
        interview_held=held,
        reason_required=program.offers_require_held_interview and not held,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            offer = services.offer_extend(
                application=application,
                by=request.user,
                terms=services.OfferTerms(
                    pay_hourly=data["pay_hourly"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    hours_per_week=data["hours_per_week"],
                    decision_days=data["decision_days"],
                    message=data["message"],
                    no_interview_reason=data.get("no_interview_reason", ""),
                ),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except (OfferError, PermissionDenied) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Your offer was sent to {application.student}.")
            return redirect("offers:detail", pk=offer.pk)
    context = {
        "application": application,
        "posting": posting,
        "cycle": posting.cycle,
        "form": form,
        "minimum_wage": program.minimum_wage_hourly,
        "interview_held": held,
        "interview_required": program.offers_require_held_interview,
    }
    return render(request, "offers/extend.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def extension_answer(request: HttpRequest, pk: int) -> HttpResponse:
    extension = employer_extension_request_or_404(request, pk)
    offer = extension.offer
    form = ExtensionAnswerForm(request.POST, available=offer.extension_days_available)
    if not form.is_valid():
        messages.error(request, "Choose how many days to grant, or refuse.")
        return redirect("offers:detail", pk=offer.pk)
    try:
        answered = services.extension_answer(
            request=extension,
            by=request.user,
            days_granted=form.cleaned_data["days_granted"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (OfferError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        if answered.days_granted:
            messages.success(request, "More time granted; the student has been told.")
        else:
            messages.success(request, "Request refused; the student has been told.")
    return redirect("offers:detail", pk=offer.pk)


@login_required
@require_http_methods(["GET", "POST"])
def rescind(request: HttpRequest, pk: int) -> HttpResponse:
    offer = employer_offer_or_404(request, pk)
    form = RescindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_rescind(offer=offer, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, exc)
        except (OfferError, PermissionDenied) as exc:
            messages.error(request, str(exc))
            return redirect("offers:detail", pk=offer.pk)
        else:
            messages.success(request, "The offer was rescinded; the student has been told.")
            return redirect("offers:detail", pk=offer.pk)
    if not offer.is_pending:
        messages.info(request, "Only a pending offer can be rescinded.")
        return redirect("offers:detail", pk=offer.pk)
    return render(request, "offers/rescind.html", {"offer": offer, "form": form})
