"""Loading objects for a user, or answering 404: the only way views fetch postings."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from postings.models import Membership, Organization, Posting


def membership_of(request: HttpRequest) -> Membership | None:
    user = request.user
    if not user.is_authenticated or not user.is_employer:
        return None
    return Membership.objects.select_related("organization").filter(user=user).first()


def organization_or_404(request: HttpRequest) -> Organization:
    membership = membership_of(request)
    if membership is None:
        raise Http404("You are not a member of an organization.")
    return membership.organization


def visible_posting_or_404(
    request: HttpRequest, pk: int, queryset: QuerySet[Posting] | None = None
) -> Posting:
    queryset = queryset if queryset is not None else Posting.objects.all()
    return get_object_or_404(queryset.visible_to(request.user), pk=pk)


def own_posting_or_404(request: HttpRequest, pk: int) -> Posting:
    """A posting of the user's organization; 404 for anybody else (staff use the admin)."""
    organization = organization_or_404(request)
    return get_object_or_404(
        Posting.objects.select_related("organization", "cycle"), pk=pk, organization=organization
    )
