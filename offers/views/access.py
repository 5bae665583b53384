"""Loading offers for a user, or answering 404: the only way views fetch them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from offers.models import ExtensionRequest, Offer
from postings.access import manages
from postings.views.access import organization_or_404

RELATED = ("application__posting__organization", "application__posting__cycle", "student", "cycle")


def visible_offer_or_404(
    request: HttpRequest, pk: int, queryset: QuerySet[Offer] | None = None
) -> Offer:
    queryset = queryset if queryset is not None else Offer.objects.all()
    return get_object_or_404(queryset.visible_to(request.user).select_related(*RELATED), pk=pk)


def own_offer_or_404(request: HttpRequest, pk: int) -> Offer:
    """The student's own offer; 404 for anybody else (the employer included)."""
    if not request.user.is_student:
        raise Http404("Not your offer.")
    return visible_offer_or_404(request, pk, Offer.objects.filter(student=request.user))


def employer_offer_or_404(request: HttpRequest, pk: int) -> Offer:
    """An offer on a posting of the user's organization; 404 for anybody else."""
    organization = organization_or_404(request)
    return visible_offer_or_404(
        request, pk, Offer.objects.filter(application__posting__organization=organization)
    )


def employer_extension_request_or_404(request: HttpRequest, pk: int) -> ExtensionRequest:
    organization = organization_or_404(request)
    return get_object_or_404(
        ExtensionRequest.objects.select_related("offer"),
        pk=pk,
        offer__application__posting__organization=organization,
    )


def is_party_member(request: HttpRequest, offer: Offer) -> bool:
    user = request.user
    return user.is_authenticated and user.is_employer and manages(user, offer.application.posting)
