"""What the postings pages show of applications. The postings app sits below applications and
imports none of it; its templates load these tags instead, each one query whatever the page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django import template
from django.db.models import Count, Q

from applications.acceptance import CycleClosedByAcceptance, accepted_application
from applications.models import UNDECIDED_STATUSES, Application
from postings.models import Posting

register = template.Library()


@register.simple_tag(takes_context=True)
def application_for(context: template.Context, posting: Posting) -> Application | None:
    """The signed-in student's application to this posting, if any (for the posting page)."""
    user = context["request"].user
    if not user.is_authenticated or not user.is_student:
        return None
    return Application.objects.filter(student=user, posting=posting).first()


@register.simple_tag(takes_context=True)
def cycle_closed_for(context: template.Context, posting: Posting) -> str:
    """Why the signed-in student cannot apply in this posting's cycle ("" when they can)."""
    user = context["request"].user
    if not user.is_authenticated or not user.is_student:
        return ""
    accepted = accepted_application(user.pk, posting.cycle_id)
    return str(CycleClosedByAcceptance(accepted)) if accepted else ""


@register.simple_tag(takes_context=True)
def applied_to(context: template.Context, postings: Iterable[Posting]) -> set[int]:
    """Which of these postings the signed-in student applied to (nothing for anyone else)."""
    user = context["request"].user
    ids = [posting.pk for posting in postings]
    if not user.is_authenticated or not user.is_student or not ids:
        return set()
    applied = Application.objects.filter(student=user, posting__in=ids)
    return set(applied.values_list("posting_id", flat=True))


class ApplicantCount(NamedTuple):
    total: int
    waiting: int  # for the employer's decision (what the undecided sweep would close)


NO_APPLICANTS = ApplicantCount(0, 0)


@register.simple_tag
def applicant_counts(postings: Iterable[Posting]) -> dict[int, ApplicantCount]:
    """Applicants to each of these postings, and how many wait for the employer."""
    ids = [posting.pk for posting in postings]
    if not ids:
        return {}
    rows = (
        Application.objects.filter(posting__in=ids)
        .values("posting_id")
        .annotate(total=Count("pk"), waiting=Count("pk", filter=Q(status__in=UNDECIDED_STATUSES)))
    )
    return {row["posting_id"]: ApplicantCount(row["total"], row["waiting"]) for row in rows}


@register.filter
def of_posting(counts: dict[int, ApplicantCount], posting: Posting) -> ApplicantCount:
    return counts.get(posting.pk, NO_APPLICANTS)
