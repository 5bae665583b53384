"""A cycle's data for the office's reports, as CSV: its postings, and one row per student who
applied with how the cycle ended for them (the first-destination survey asks for the
organization, the dates, whether it was paid and the hours).

No immigration data, ever: not the status, not whether a case exists, not its state. Each
export is recorded (who, which, when) before the first row leaves; see `export_record`.

Rows are produced as the file streams (`iterator` in chunks, a fixed number of queries per
chunk), so a cycle of 100,000 postings costs no more memory than one of a hundred.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from applications.models import Application
from microintern.accounts.models import User
from microintern.cycles.models import RecruitingCycle
from microintern.portal.models import Export, ExportKind
from offers.models import ArrangementStatus, Offer, OfferStatus
from postings.models import FieldOfStudy, Posting

CHUNK = 2000
# A cell that a spreadsheet would read as a formula (CSV injection): shown as text instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

POSTING_COLUMNS = [
    "posting_id",
    "title",
    "organization",
    "status",
    "submitted_at",
    "published_at",
    "deadline",
    "paid",
    "pay_amount",
    "pay_unit",
    "alumni_host",
    "global",
    "location_type",
    "fields_of_study",
    "applications",
    "offers",
    "offers_accepted",
]
OUTCOME_COLUMNS = [
    "student_email",
    "student_name",
    "degree_level",
    "field_of_study",
    "class_year",
    "applications",
    "offers",
    "outcome",
    "organization",
    "posting_title",
    "alumni_host",
    "paid",
    "pay_hourly",
    "start_date",
    "end_date",
    "hours_per_week",
    "work_mode",
    "dates_confirmed",
]


class _Echo:
    """A file-like object whose write returns the line, for a streamed csv.writer."""

    def write(self, value: str) -> str:
        return value


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _when(value: Any) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def posting_rows(cycle: RecruitingCycle) -> Iterator[list[Any]]:
    postings = (
        Posting.objects.filter(cycle=cycle)
        .select_related("organization")
        .prefetch_related(Prefetch("fields_of_study", FieldOfStudy.objects.only("name")))
        .annotate(
            n_applications=Count("applications", distinct=True),
            n_offers=Count("applications__offers", distinct=True),
            n_accepted=Count(
                "applications__offers",
                filter=Q(applications__offers__status=OfferStatus.ACCEPTED),
                distinct=True,
            ),
        )
        .order_by("pk")
    )
    for posting in postings.iterator(chunk_size=CHUNK):
        yield [
            posting.pk,
            posting.title,
            posting.organization.name,
            posting.get_status_display(),
            _when(posting.submitted_at),
            _when(posting.published_at),
            _when(posting.deadline),
            _yes_no(posting.is_paid),
            posting.pay_amount if posting.pay_amount is not None else "",
            posting.get_pay_unit_display() if posting.is_paid else "",
            _yes_no(posting.alumni_host),
            _yes_no(posting.is_global),
            posting.get_location_type_display(),
            "; ".join(sorted(field.name for field in posting.fields_of_study.all())),
            posting.n_applications,
            posting.n_offers,
            posting.n_accepted,
        ]


def _accepted_offers(cycle: RecruitingCycle, student_ids: list[int]) -> dict[int, Offer]:
    offers = (
        Offer.objects.filter(cycle=cycle, status=OfferStatus.ACCEPTED, student_id__in=student_ids)
        .select_related("application__posting__organization", "arrangement")
        .only(
            "student_id",
            "pay_hourly",
            "start_date",
            "end_date",
            "hours_per_week",
            "application__posting__title",
            "application__posting__alumni_host",
            "application__posting__is_paid",
            "application__posting__organization__name",
            "arrangement__status",
            "arrangement__start_date",
            "arrangement__end_date",
            "arrangement__hours_per_week",
            "arrangement__work_mode",
        )
    )
    return {offer.student_id: offer for offer in offers}


def _outcome_row(student: User, offer: Offer | None) -> list[Any]:
    profile = getattr(student, "student_profile", None)
    base = [
        student.email,
        student.full_name,
        profile.get_degree_level_display() if profile else "",
        profile.field_of_study if profile else "",
        (profile.class_year or "") if profile else "",
        student.n_applications,
        student.n_offers,
    ]
    if offer is None:
        outcome = "Offer not accepted" if student.n_offers else "No offer"
        return [*base, outcome, *[""] * (len(OUTCOME_COLUMNS) - len(base) - 1)]
    posting = offer.application.posting
    arrangement = getattr(offer, "arrangement", None)
    confirmed = arrangement is not None and arrangement.status == ArrangementStatus.CONFIRMED
    # The confirmed arrangement's dates and hours are what happened; the offer's are what was
    # proposed, the best there is until both sides confirm.
    start = arrangement.start_date if confirmed and arrangement.start_date else offer.start_date
    end = arrangement.end_date if confirmed and arrangement.end_date else offer.end_date
    hours = (
        arrangement.hours_per_week if confirmed and arrangement.hours_per_week else None
    ) or offer.hours_per_week
    return [
        *base,
        "Accepted",
        posting.organization.name,
        posting.title,
        _yes_no(posting.alumni_host),
        _yes_no(posting.is_paid),
        offer.pay_hourly if offer.pay_hourly is not None else "",
        start.isoformat() if start else "",
        end.isoformat() if end else "",
        hours or "",
        arrangement.get_work_mode_display() if confirmed and arrangement.work_mode else "",
        _yes_no(confirmed),
    ]


def outcome_rows(cycle: RecruitingCycle) -> Iterator[list[Any]]:
    """One row per student who applied in the cycle, in email order."""
    applied = Application.objects.filter(posting__cycle=cycle)
    students = (
        User.objects.filter(pk__in=applied.values("student_id"))
        .select_related("student_profile")
        .only(
            "email",
            "full_name",
            "student_profile__degree_level",
            "student_profile__field_of_study",
            "student_profile__class_year",
        )
        .annotate(
            n_applications=Count(
                "applications", filter=Q(applications__posting__cycle=cycle), distinct=True
            ),
            n_offers=Count("offers", filter=Q(offers__cycle=cycle), distinct=True),
        )
        .order_by("email")
    )
    chunk: list[User] = []
    for student in students.iterator(chunk_size=CHUNK):
        chunk.append(student)
        if len(chunk) == CHUNK:
            yield from _outcome_chunk(cycle, chunk)
            chunk = []
    yield from _outcome_chunk(cycle, chunk)


def _outcome_chunk(cycle: RecruitingCycle, students: list[User]) -> Iterator[list[Any]]:
    if not students:
        return
    accepted = _accepted_offers(cycle, [student.pk for student in students])
    for student in students:
        yield _outcome_row(student, accepted.get(student.pk))


EXPORTS: dict[str, tuple[list[str], Any]] = {
    ExportKind.POSTINGS: (POSTING_COLUMNS, posting_rows),
    ExportKind.OUTCOMES: (OUTCOME_COLUMNS, outcome_rows),
}


def export_record(*, cycle: RecruitingCycle, kind: str, by: User) -> Export:
    """Record who took which export, before any of it is produced."""
    return Export.objects.create(cycle=cycle, kind=kind, exported_by=by)


def csv_lines(kind: str, cycle: RecruitingCycle) -> Iterable[str]:
    columns, rows = EXPORTS[kind]
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark, so that Excel reads the UTF-8 names right
    yield writer.writerow(columns)
    for row in rows(cycle):
        yield writer.writerow([safe_cell(value) for value in row])


def export_filename(kind: str, cycle: RecruitingCycle) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in cycle.name.lower()).strip("-")
    return f"{slug}-{kind}-{timezone.localdate().isoformat()}.csv"
