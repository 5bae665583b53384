"""Reads for the advising pages, each in a fixed number of queries whatever the data."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from applications.models import Application, Interview, InterviewStatus
from microintern.accounts.models import User
from microintern.advising.models import AdvisingError, AdvisingSlot, SlotQuerySet
from microintern.advising.services import About, booking_cutoff
from offers.models import Offer, OfferStatus
from postings.models import Posting

ABOUT_KINDS = ("posting", "application", "interview", "offer")
ABOUT_NOT_YOURS = "Choose one of your own applications, interviews or offers, or none."


def open_slots(
    *,
    topic: str,
    format: str = "",
    adviser_id: int | None = None,
    now: dt.datetime | None = None,
    ignoring: int | None = None,
) -> SlotQuerySet:
    """The open times for a topic, next available first (booking closes at the cut-off)."""
    now = now or timezone.now()
    slots = AdvisingSlot.objects.open(
        now=now, not_before=now + booking_cutoff(), ignoring=ignoring
    ).serving(topic)
    if format:
        slots = slots.filter(format=format)
    if adviser_id:
        slots = slots.filter(adviser_id=adviser_id)
    return slots.select_related("adviser").order_by("start", "pk")


def advisers_with_open_slots(now: dt.datetime | None = None) -> QuerySet[User]:
    now = now or timezone.now()
    advisers = AdvisingSlot.objects.open(now=now, not_before=now + booking_cutoff()).values(
        "adviser"
    )
    return User.objects.filter(pk__in=advisers).order_by("full_name", "pk")


def _posting_label(posting: Posting) -> str:
    return f"“{posting.title}” ({posting.organization.name})"


def about_choices(student: User, *, posting_id: int | None = None) -> list[tuple[str, str]]:
    """What a student's appointment may be about: their applications, booked interviews and
    offers (three queries), and the posting they came from when they have not applied yet."""
    choices: list[tuple[str, str]] = []
    applications = list(
        Application.objects.filter(student=student)
        .select_related("posting__organization")
        .order_by("-submitted_at", "-pk")
    )
    interviews = (
        Interview.objects.filter(application__student=student, status=InterviewStatus.BOOKED)
        .select_related("slot", "application__posting__organization")
        .order_by("slot__start", "pk")
    )
    for interview in interviews:
        when = timezone.localtime(interview.slot.start)
        choices.append(
            (
                f"interview-{interview.pk}",
                f"Interview: {_posting_label(interview.application.posting)}, "
                f"{when:%b %-d, %-I:%M %p %Z}",
            )
        )
    offers = (
        Offer.objects.filter(
            student=student, status__in=[OfferStatus.PENDING, OfferStatus.ACCEPTED]
        )
        .select_related("application__posting__organization")
        .order_by("-pk")
    )
    for offer in offers:
        choices.append((f"offer-{offer.pk}", f"Offer: {_posting_label(offer.application.posting)}"))
    for application in applications:
        choices.append(
            (f"application-{application.pk}", f"Application: {_posting_label(application.posting)}")
        )
    applied = {application.posting_id for application in applications}
    if posting_id and posting_id not in applied:
        posting = (
            Posting.objects.published().filter(pk=posting_id).select_related("organization").first()
        )
        if posting is not None:
            choices.insert(0, (f"posting-{posting.pk}", f"Posting: {_posting_label(posting)}"))
    return choices


def about_value_for(student: User, params: dict[str, str]) -> str:
    """The pre-filled choice from a link (`?interview=3`, `?application=12`, `?offer=5`,
    `?posting=7`). A posting the student applied to means their application to it."""
    for kind in ABOUT_KINDS:
        value = str(params.get(kind, "") or "")
        if value.isdigit() and value.isascii():
            if kind == "posting":
                application = (
                    Application.objects.filter(student=student, posting_id=int(value))
                    .values_list("pk", flat=True)
                    .first()
                )
                if application is not None:
                    return f"application-{application}"
            return f"{kind}-{int(value)}"
    return ""


def resolve_about(student: User, value: str) -> About:
    """The student's own object named by an about value; AdvisingError for anyone else's or
    for one that does not exist (the same message: nothing is told about other people's)."""
    if not value:
        return About()
    kind, _, pk = value.partition("-")
    if kind not in ABOUT_KINDS or not (pk.isdigit() and pk.isascii()) or len(pk) > 18:
        raise AdvisingError(ABOUT_NOT_YOURS)
    pk_int = int(pk)
    if kind == "posting":
        thing = Posting.objects.published().filter(pk=pk_int).first()
    elif kind == "application":
        thing = Application.objects.filter(pk=pk_int, student=student).first()
    elif kind == "interview":
        thing = (
            Interview.objects.filter(pk=pk_int, application__student=student)
            .select_related("application")
            .first()
        )
    else:
        thing = Offer.objects.filter(pk=pk_int, student=student).first()
    if thing is None:
        raise AdvisingError(ABOUT_NOT_YOURS)
    return About(**{kind: thing})
