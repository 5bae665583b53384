"""Loading applications for a user, or answering 404: the only way views fetch them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from applications.models import Application, Interview
from postings.access import manages
from postings.models import Posting
from postings.views.access import organization_or_404


def visible_application_or_404(
    request: HttpRequest, pk: int, queryset: QuerySet[Application] | None = None
) -> Application:
    queryset = queryset if queryset is not None else Application.objects.all()
    return get_object_or_404(
        queryset.visible_to(request.user).select_related(
            "posting__organization", "posting__cycle", "student"
        ),
        pk=pk,
    )


def own_application_or_404(request: HttpRequest, pk: int) -> Application:
    """The student's own application; 404 for anybody else."""
    if not request.user.is_student:
        raise Http404("Not your application.")
    return visible_application_or_404(request, pk, Application.objects.filter(student=request.user))


def employer_posting_or_404(request: HttpRequest, pk: int) -> Posting:
    """A posting of the user's organization; 404 for anybody else (staff use the admin)."""
    organization = organization_or_404(request)
    return get_object_or_404(
        Posting.objects.select_related("organization", "cycle"), pk=pk, organization=organization
    )


def employer_application_or_404(request: HttpRequest, pk: int) -> Application:
    organization = organization_or_404(request)
    return visible_application_or_404(
        request, pk, Application.objects.filter(posting__organization=organization)
    )


def visible_interview_or_404(request: HttpRequest, pk: int) -> Interview:
    return get_object_or_404(
        Interview.objects.filter(
            application__in=Application.objects.visible_to(request.user)
        ).select_related(
            "slot__created_by", "application__posting__organization", "application__student"
        ),
        pk=pk,
    )


def is_organization_member(request: HttpRequest, application: Application) -> bool:
    user = request.user
    return user.is_authenticated and user.is_employer and manages(user, application.posting)


def posted_ids(values: list[str]) -> set[int]:
    """Row ids from ticked checkboxes; anything that is not a plain number is ignored.

    isdecimal, not isdigit: "²" is a digit that int() refuses.
    """
    return {int(value) for value in values if value.isdecimal() and len(value) <= 18}
