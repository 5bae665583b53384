"""Reads: the route estimates staff set, forecasts for a student, guidance for a posting."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from authorization.eligibility import (
    MIN_FULL_TIME_TERMS,
    ROUTE_ACADEMIC_TRAINING,
    ROUTE_CONSULT_ISO,
    ROUTE_CPT,
    ROUTE_INELIGIBLE,
    ROUTE_LABELS,
    ROUTE_MISTI,
    ROUTE_NONE,
    ROUTE_PRE_COMPLETION_OPT,
    Assessment,
    assess,
)
from authorization.forecast import Forecast, RouteEstimate, default_estimates, forecast
from authorization.models import (
    AuthorizationCase,
    CaseState,
    ChecklistItem,
    FirstYearOverride,
    ImmigrationProfile,
    ImmigrationStatus,
    RouteEstimateSetting,
)
from microintern.accounts.models import User
from microintern.cycles.business_days import holidays_between

TABLE_ROUTES = (ROUTE_PRE_COMPLETION_OPT, ROUTE_CPT, ROUTE_ACADEMIC_TRAINING)


def estimates() -> dict[str, RouteEstimate]:
    """The staff-edited estimates, falling back to the defaults for a route without a row."""
    found = {row.route: row.to_estimate() for row in RouteEstimateSetting.objects.all()}
    return {**default_estimates(), **found}


def profile_for(user: User | object) -> ImmigrationProfile | None:
    if not getattr(user, "is_authenticated", False) or not user.is_student:
        return None
    return ImmigrationProfile.objects.filter(student=user).first()


def _holidays_for(estimate: RouteEstimate, *, from_date: dt.date, start_date: dt.date) -> frozenset:
    # Wide enough for every day the forecast can touch: filing is at latest the start date
    # or from_date plus the lead, and max_days business days never span more than 3x.
    last = max(start_date, from_date) + dt.timedelta(
        days=estimate.lead_days + 3 * estimate.max_days + 14
    )
    return holidays_between(from_date, last)


def forecast_route(
    route: str,
    *,
    start_date: dt.date,
    from_date: dt.date,
    route_estimates: dict[str, RouteEstimate] | None = None,
    holidays: frozenset[dt.date] | None = None,
) -> Forecast:
    """The forecast for one route with the staff's estimates and the holiday table.

    A page computing several forecasts passes `route_estimates` and `holidays` (from
    `holidays_covering`) so that it reads each table once.
    """
    route_estimates = route_estimates if route_estimates is not None else estimates()
    # Untimed routes (none, MISTI, ...) never read the estimate; any will do.
    estimate = route_estimates.get(route) or next(iter(default_estimates().values()))
    if holidays is None:
        holidays = _holidays_for(estimate, from_date=from_date, start_date=start_date)
    return forecast(
        route=route,
        estimate=estimate,
        start_date=start_date,
        from_date=from_date,
        holidays=holidays,
    )


def holidays_covering(dates: Iterable[dt.date]) -> frozenset[dt.date]:
    """Every holiday any forecast from or to these dates can touch (one query).

    No estimate spans more than a year (OPT: 120 calendar days; business-day routes: a
    few weeks), so a year past the last date is enough.
    """
    dates = list(dates)
    if not dates:
        return frozenset()
    return holidays_between(min(dates), max(dates) + dt.timedelta(days=365))


def forecast_for(
    student_user: User,
    *,
    start_date: dt.date,
    from_date: dt.date | None = None,
    posting_is_global: bool = False,
) -> Forecast | None:
    """When this student's authorization would arrive for a start on start_date.

    None for anybody who is not a student or has not filled in the immigration profile.
    from_date defaults to today (the student accepting now). A global posting goes through
    MISTI: no OPT or CPT clock, so no warning (assess says so).
    """
    profile = profile_for(student_user)
    if profile is None:
        return None
    route = assess(profile.to_status(), posting_is_global=posting_is_global).route
    return forecast_route(route, start_date=start_date, from_date=from_date or timezone.localdate())


def case_forecast(
    case: AuthorizationCase,
    *,
    today: dt.date | None = None,
    route_estimates: dict[str, RouteEstimate] | None = None,
    holidays: frozenset[dt.date] | None = None,
) -> Forecast | None:
    """The forecast of an active case; None once it is decided or withdrawn."""
    if not case.is_active:
        return None
    # Once submitted, the clock started on the submission day; before that it starts today
    # at the earliest, because an application nobody has filed does not progress.
    if case.submitted_at is not None:
        from_date = timezone.localdate(case.submitted_at)
    else:
        from_date = max(today or timezone.localdate(), timezone.localdate(case.opened_at))
    return forecast_route(
        case.route,
        start_date=case.start_date,
        from_date=from_date,
        route_estimates=route_estimates,
        holidays=holidays,
    )


@dataclass(frozen=True)
class ForecastRow:
    route: str
    label: str
    forecast: Forecast
    fee_online_usd: Decimal | None
    fee_paper_usd: Decimal | None
    filing_limit_days: int | None
    is_students_route: bool


def forecast_table(
    *,
    start_date: dt.date,
    from_date: dt.date,
    students_route: str = "",
    holidays: frozenset[dt.date] | None = None,
    routes: tuple[str, ...] = TABLE_ROUTES,
) -> list[ForecastRow]:
    """One row per timed route in `routes` (eligibility.routes_open: only those the verdict
    leaves open to the student): the comparison shown on the student's page."""
    fees = {row.route: row for row in RouteEstimateSetting.objects.all()}
    route_estimates = {**default_estimates(), **{r: row.to_estimate() for r, row in fees.items()}}
    if holidays is None:
        holidays = holidays_covering([from_date, start_date])
    rows = []
    for route in (r for r in TABLE_ROUTES if r in routes):
        setting = fees.get(route)
        rows.append(
            ForecastRow(
                route=route,
                label=ROUTE_LABELS[route],
                forecast=forecast_route(
                    route,
                    start_date=start_date,
                    from_date=from_date,
                    route_estimates=route_estimates,
                    holidays=holidays,
                ),
                fee_online_usd=setting.fee_online_usd if setting else None,
                fee_paper_usd=setting.fee_paper_usd if setting else None,
                filing_limit_days=route_estimates[route].earliest_filing_days_before_start,
                is_students_route=route == students_route,
            )
        )
    return rows


_SEPARATORS = re.compile(r"[,;/\n]+")
_NOISE = re.compile(r"[^a-z0-9 ]+")
_STOP_WORDS = frozenset({"and", "of", "the", "in", "for", "with"})
# Posting field names that mean "any major".
_ANY_FIELD = frozenset({"any", "all", "all fields", "any field", "any major", "all majors"})


def _normalize(name: str) -> str:
    name = name.lower().replace("&", " and ")
    return " ".join(_NOISE.sub(" ", name).split())


def _words(name: str) -> frozenset[str]:
    return frozenset(word for word in name.split() if word not in _STOP_WORDS)


def _same_word(a: str, b: str) -> bool:
    # "math" and "mathematics", "bio" is too short to count as a prefix of "biology".
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def _covers(small: frozenset[str], big: frozenset[str]) -> bool:
    return bool(small) and all(any(_same_word(s, b) for b in big) for s in small)


def field_of_study_matches(profile: ImmigrationProfile, posting_fields: Iterable[str]) -> bool:
    """Does the posting's field of study overlap with the student's major(s)?

    A heuristic, not a ruling. Names are compared case-insensitively, word by word: one name
    matches another when all its words appear in the other ("Engineering" matches
    "Mechanical Engineering", "Computer Science" matches "Electrical Engineering and Computer
    Science", "Math" matches "Mathematics"), while "Computer Science" and "Political
    Science" do not. It answers False only for a clear mismatch: when the student or the
    posting names no field, or the posting is open to any field, it answers True and leaves
    the judgement to the student and the ISO advisor.
    """
    majors = [_normalize(m) for m in profile.major_list()]
    fields = [_normalize(f) for raw in posting_fields for f in _SEPARATORS.split(raw or "")]
    majors = [m for m in majors if m]
    fields = [f for f in fields if f]
    if not majors or not fields or any(f in _ANY_FIELD for f in fields):
        return True
    return any(
        _covers(_words(m), _words(f)) or _covers(_words(f), _words(m))
        for m in majors
        for f in fields
    )


_FIELD_CONFIRMED = "The work relates directly to your major field of study"
FIELD_REMINDER = (
    "Every route requires the work to relate directly to your major field of study, so apply "
    "only for micro-internships in your field."
)


def general_assessment(
    profile: ImmigrationProfile, *, cases: Iterable[AuthorizationCase] = ()
) -> Assessment:
    """The route for no posting in particular (the student's own page).

    assess() assumes a matching field when told nothing; without a posting the page cannot
    claim the work matches, so that sentence becomes a reminder of the rule. When the rules
    could not decide and an ISO advisor has since confirmed the route of the student's active
    case, the advisor's word is the route.
    """
    result = assess(profile.to_status())
    if result.route == ROUTE_CONSULT_ISO:
        confirmed = next(
            (c.route for c in cases if c.is_active and c.route != ROUTE_CONSULT_ISO), None
        )
        if confirmed:
            return Assessment(
                route=confirmed,
                reasons=[
                    f"Your ISO advisor confirmed {ROUTE_LABELS[confirmed]} for your accepted "
                    "micro-internship.",
                    "Your checklist below has the steps of that route.",
                ],
            )
    reasons = [
        FIELD_REMINDER if reason.startswith(_FIELD_CONFIRMED) else reason
        for reason in result.reasons
    ]
    return Assessment(route=result.route, reasons=reasons)


def guidance_for_posting(
    user: User | object, *, posting_fields: Iterable[str], posting_is_global: bool
) -> Assessment | None:
    """What the postings page tells a student about authorization for one posting.

    None for non-students and for students who have not filled in the immigration profile.
    """
    profile = profile_for(user)
    if profile is None:
        return None
    # The field match is a comparison of names, not a ruling: a posting outside the student's
    # major shows the route with a warning (the template's field_matches), rather than a red
    # "not eligible" the portal cannot be sure of. The ISO advisor judges the relation.
    return assess(profile.to_status(), posting_is_global=posting_is_global)


def cases_for_student(user: User) -> list[AuthorizationCase]:
    return list(
        AuthorizationCase.objects.for_student(user).prefetch_related("items").order_by("-opened_at")
    )


EMPLOYER_PENDING = "pending"
EMPLOYER_CONFIRMED = "confirmed"
EMPLOYER_AT_RISK = "at_risk"


def has_immigration_profile(student: User) -> bool:
    """Whether the student has said whether they need work authorization (any status)."""
    return ImmigrationProfile.objects.filter(student=student).exists()


def authorized_on(case: AuthorizationCase, day: dt.date) -> bool:
    """An authorization covering `day` is recorded: decided, beginning on or before it and,
    when it has an end, not ended. Only then may the student work on that day."""
    return (
        case.state == CaseState.AUTHORIZED
        and (case.authorized_from is None or case.authorized_from <= day)
        and (case.authorized_until is None or day <= case.authorized_until)
    )


def expected_authorization(case: AuthorizationCase) -> dt.date | None:
    """When the authorization should arrive at the latest (the forecast), for "cannot start
    until authorized (expected ...)"; the recorded start of an authorization that begins late;
    None when nothing is expected (decided against, withdrawn, or no estimate)."""
    if case.state == CaseState.AUTHORIZED:
        return case.authorized_from
    result = case_forecast(case)
    return result.expected_latest if result is not None else None


def employer_view_status(case: AuthorizationCase) -> str:
    """All an employer may know: "pending", "confirmed" or "at_risk", never why.

    Confirmed means authorized from the start date at the latest; a denial, a withdrawal, an
    authorization that begins after the start date or a forecast past the start date is at
    risk; everything else is pending.
    """
    if case.state == CaseState.AUTHORIZED:
        late = case.authorized_from is not None and case.authorized_from > case.start_date
        return EMPLOYER_AT_RISK if late else EMPLOYER_CONFIRMED
    if case.state in (CaseState.DENIED, CaseState.WITHDRAWN) or case.at_risk:
        return EMPLOYER_AT_RISK
    return EMPLOYER_PENDING


def next_steps(
    route: str, *, table: list[ForecastRow], next_item: ChecklistItem | None = None
) -> list[str]:
    """What the student should do now, in plain sentences, for the page's "What to do now".

    With a checklist under way, the next unfinished step comes first and the before-you-
    accept advice is left out.
    """
    if next_item is not None:
        due = next_item.due_date
        return [
            f"Next on your checklist: {next_item.title} (due {due:%b} {due.day}, {due.year}).",
            "Mark each step as done below when you have done it, and add the document if "
            "you have one.",
            "Ask your ISO advisor if anything is unclear.",
        ]
    rows = {row.route: row for row in table}
    steps = {
        ROUTE_NONE: ["Nothing: you can start on the day you agree with your employer."],
        ROUTE_MISTI: ["Contact MISTI about its process before you apply."],
        ROUTE_INELIGIBLE: [
            "Talk to your ISO advisor before you apply: the rules say you cannot get "
            "off-campus work authorization yet.",
        ],
        ROUTE_CONSULT_ISO: ["Talk to your ISO advisor: they will tell you which route fits."],
        ROUTE_CPT: [
            "Ask your program administrator to confirm the internship subject you will take.",
            "Talk to your ISO advisor about CPT before you accept an offer.",
            "When you accept an offer, start your checklist here the same day.",
        ],
        ROUTE_ACADEMIC_TRAINING: [
            "Talk to your ISO advisor about Academic Training before you accept an offer.",
            "When you accept, send the ISO your offer letter the same day to request the "
            "Academic Training letter.",
        ],
        ROUTE_PRE_COMPLETION_OPT: [
            "Talk to your ISO advisor now: OPT takes the longest of all routes.",
        ],
    }.get(route, ["Talk to your ISO advisor."])
    opt = rows.get(ROUTE_PRE_COMPLETION_OPT)
    if route == ROUTE_PRE_COMPLETION_OPT and opt is not None:
        when = opt.forecast.earliest_filing_date
        fee = ""
        if opt.fee_online_usd is not None:
            fee = f" The USCIS fee is {opt.fee_online_usd:,.0f} USD online"
            if opt.fee_paper_usd is not None:
                fee += f" or {opt.fee_paper_usd:,.0f} USD on paper"
            fee += "."
        limit = ""
        if opt.filing_limit_days is not None:
            limit = f" (no earlier than {opt.filing_limit_days} days before you start)"
        steps = [
            *steps,
            f"You can file form I-765 from {when:%b} {when.day}, {when.year}{limit}.{fee}",
        ]
        if opt.forecast.status != "on_track":
            steps.append(
                "OPT will probably not arrive before the usual start date: ask the employer "
                "about a later start before you accept."
            )
    return steps


EMPLOYER_STATUS_LABELS = {
    EMPLOYER_PENDING: "Work authorization pending",
    EMPLOYER_CONFIRMED: "Work authorization confirmed",
    EMPLOYER_AT_RISK: "Work authorization at risk",
}


FIRST_YEAR_REFUSAL = (
    "First-year international students are not eligible for off-campus work authorization: "
    "you need two full-time terms in the US first, so you cannot apply yet. If you think this "
    "is wrong, talk to your ISO advisor, who can record an exception."
)


def first_year_refusal(user: User | object) -> str | None:
    """Why this student may not apply (the first-year rule), or None.

    Only the first-year rule refuses an application; a field of study that does not match is
    a warning on the page, since the portal cannot judge the match for certain.
    """
    profile = profile_for(user)
    if profile is None or profile.immigration_status not in (
        ImmigrationStatus.F1,
        ImmigrationStatus.J1,
    ):
        return None
    if profile.full_time_terms_completed >= MIN_FULL_TIME_TERMS:
        return None
    if FirstYearOverride.objects.filter(student=user).exists():
        return None
    return FIRST_YEAR_REFUSAL
