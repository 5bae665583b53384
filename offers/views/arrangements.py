"""The arrangement page: both sides see it, either proposes, the other confirms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from offers import selectors, services
from offers.forms import ArrangementForm
from offers.models import Arrangement, OfferError
from offers.views.access import is_party_member, visible_offer_or_404


def _party_arrangement_or_404(request: HttpRequest, pk: int) -> tuple[Arrangement, str]:
    """The arrangement of an accepted offer, for its student or the organization's members;
    404 for everybody else. Staff who help an organization that cannot use the site do it
    in the admin, not by acting as the employer here."""
    offer = visible_offer_or_404(request, pk)
    arrangement = Arrangement.objects.filter(offer=offer).first()
    if arrangement is None:
        raise Http404("No arrangement for this offer.")
    arrangement.offer = offer
    if request.user.pk == offer.student_id:
        return arrangement, "student"
    if is_party_member(request, offer):
        return arrangement, "employer"
    raise Http404("Not your arrangement.")


@login_required
@require_http_methods(["GET", "POST"])
def arrangement(request: HttpRequest, pk: int) -> HttpResponse:
    arrangement, side = _party_arrangement_or_404(request, pk)
    offer = arrangement.offer
    initial = {
        "start_date": arrangement.start_date,
        "end_date": arrangement.end_date,
        "hours_per_week": arrangement.hours_per_week,
        "work_mode": arrangement.work_mode,
        "place": arrangement.place,
        "supervisor_name": arrangement.supervisor_name,
        "supervisor_email": arrangement.supervisor_email,
        "notes": arrangement.notes,
    }
    form = ArrangementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.arrangement_propose(
                arrangement=arrangement,
                by=request.user,
                terms=services.ArrangementTerms(**form.cleaned_data),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except (OfferError, PermissionDenied) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your proposal was sent; the other side confirms it.")
            return redirect("offers:arrangement", pk=offer.pk)
    case = selectors.authorization_case_for(offer)
    context = {
        "offer": offer,
        "posting": offer.application.posting,
        "arrangement": arrangement,
        "side": side,
        "form": form,
        "can_confirm": arrangement.awaits_confirmation_from(side),
        "history": list(arrangement.status_changes.select_related("by")),
        "case": case,
        "readiness": selectors.start_readiness(offer, case, arrangement.start_date),
        "employer_authorization": (
            selectors.employer_authorization_status(case, request) if side == "employer" else None
        ),
    }
    return render(request, "offers/arrangement.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def arrangement_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    arrangement, _ = _party_arrangement_or_404(request, pk)
    try:
        services.arrangement_confirm(arrangement=arrangement, by=request.user)
    except (OfferError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The arrangement is confirmed by both sides.")
    return redirect("offers:arrangement", pk=pk)
