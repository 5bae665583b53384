"""Which off-campus work-authorization route a student is likely to need, and why.

The rules come from CAPD's guidance for international students (DOMAIN.md, "International
students: off-campus work authorization"). They live here, in one pure function, so the
offer page, the checklist and the ISO advisors' admin all tell a student the same thing, and
so the rules can be read and tested without a database.

The portal guides; it never authorizes. An ISO advisor has the final word, so every answer
says so, and anything the rules do not clearly cover is sent to the ISO rather than guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ROUTE_NONE = "none"
ROUTE_CPT = "cpt"
ROUTE_PRE_COMPLETION_OPT = "pre_completion_opt"
ROUTE_ACADEMIC_TRAINING = "academic_training"
ROUTE_MISTI = "misti"
ROUTE_INELIGIBLE = "ineligible"
ROUTE_CONSULT_ISO = "consult_iso"

ROUTES: tuple[str, ...] = (
    ROUTE_NONE,
    ROUTE_CPT,
    ROUTE_PRE_COMPLETION_OPT,
    ROUTE_ACADEMIC_TRAINING,
    ROUTE_MISTI,
    ROUTE_INELIGIBLE,
    ROUTE_CONSULT_ISO,
)

ROUTE_LABELS: dict[str, str] = {
    ROUTE_NONE: "No authorization needed",
    ROUTE_CPT: "Curricular Practical Training (CPT)",
    ROUTE_PRE_COMPLETION_OPT: "Pre-completion Optional Practical Training (OPT)",
    ROUTE_ACADEMIC_TRAINING: "Academic Training (AT)",
    ROUTE_MISTI: "Global micro-internship through MISTI",
    ROUTE_INELIGIBLE: "Not eligible for off-campus work authorization",
    ROUTE_CONSULT_ISO: "Talk to your ISO advisor",
}

# Routes where the student must obtain something before starting work. consult_iso counts:
# until an advisor settles the route, the student cannot assume they may start.
_ROUTES_NEEDING_AUTHORIZATION = frozenset(
    {ROUTE_CPT, ROUTE_PRE_COMPLETION_OPT, ROUTE_ACADEMIC_TRAINING, ROUTE_CONSULT_ISO}
)

IMMIGRATION_STATUSES = ("citizen", "permanent_resident", "f1", "j1", "other")
DEGREE_LEVELS = ("undergraduate", "masters", "phd")
_GRADUATE_LEVELS = frozenset({"masters", "phd"})

# "A minimum of one academic year (two full terms)" in the US before off-campus work.
MIN_FULL_TIME_TERMS = 2

_ISO_FINAL_WORD = (
    "Your ISO advisor has the final word on your eligibility, so please confirm with them "
    "before you accept an offer."
)


@dataclass(frozen=True)
class StudentStatus:
    """What the student told us; every field is the student's own answer, unverified."""

    immigration_status: str
    degree_level: str
    full_time_terms_completed: float
    curriculum_has_internship_subject: bool
    coursework_complete: bool
    internship_is_thesis_based: bool


@dataclass(frozen=True)
class Assessment:
    route: str
    reasons: list[str]

    @property
    def label(self) -> str:
        return ROUTE_LABELS[self.route]


def needs_authorization(route: str) -> bool:
    """True when the student may not start work until something is approved or confirmed."""
    return route in _ROUTES_NEEDING_AUTHORIZATION


def assess(
    status: StudentStatus,
    *,
    posting_is_global: bool = False,
    field_of_study_matches: bool = True,
) -> Assessment:
    """Apply the rules in order; the first one that decides the route wins."""
    # Rule 1: no US work authorization for citizens and permanent residents.
    if status.immigration_status in ("citizen", "permanent_resident") and not posting_is_global:
        return _result(
            ROUTE_NONE,
            "As a US citizen or permanent resident, you do not need off-campus work "
            "authorization for a micro-internship.",
            final_word=False,
        )

    # Rule 2: global postings go through MISTI for everybody, citizens included, because
    # MISTI administers the whole placement abroad (host-country rules, funding, logistics),
    # not only the paperwork; CPT, OPT and Academic Training are for work in the US.
    if posting_is_global:
        return _result(
            ROUTE_MISTI,
            "This is a global micro-internship, so MISTI administers it rather than the US "
            "work-authorization routes (CPT, OPT or Academic Training).",
            "Please contact MISTI about its processes and requirements for working abroad.",
            final_word=status.immigration_status not in ("citizen", "permanent_resident"),
        )

    # Rule 3: never guess. Anything the rules do not name goes to an advisor.
    unclear = _unclear_answer(status)
    if unclear:
        return _result(ROUTE_CONSULT_ISO, unclear, "An ISO advisor can tell you which route fits.")

    # "an F-1" (said "eff"), "a J-1".
    visa = "an F-1" if status.immigration_status == "f1" else "a J-1"
    reasons = [f"As {visa} student, you need off-campus work authorization before you start."]
    terms = _format_terms(status.full_time_terms_completed)

    # Rule 4: the first-year restriction, for graduate and undergraduate students alike.
    if status.full_time_terms_completed < MIN_FULL_TIME_TERMS:
        return _result(
            ROUTE_INELIGIBLE,
            *reasons,
            f"You have completed {terms} in the US. International students are not eligible "
            "for off-campus work authorization until they have completed one academic year "
            f"({MIN_FULL_TIME_TERMS} full-time terms).",
        )
    reasons.append(
        f"You have completed {terms} in the US, so the first-year restriction does not apply."
    )

    # Rule 5: every route requires the work to relate directly to the major field.
    if not field_of_study_matches:
        return _result(
            ROUTE_INELIGIBLE,
            *reasons,
            "Every off-campus work-authorization route requires the work to relate directly "
            "to your major field of study, and this micro-internship does not appear to.",
        )
    reasons.append(
        "The work relates directly to your major field of study, as every route requires."
    )

    # Rule 6: J-1 students have a single route.
    if status.immigration_status == "j1":
        return _result(
            ROUTE_ACADEMIC_TRAINING, *reasons, "J-1 students apply for Academic Training."
        )

    return _f1_route(status, reasons)


def _f1_route(status: StudentStatus, reasons: list[str]) -> Assessment:
    """Rule 7: CPT when the curriculum allows it, otherwise pre-completion OPT."""
    graduate = status.degree_level in _GRADUATE_LEVELS
    if graduate and status.internship_is_thesis_based:
        # Checked before coursework_complete: the thesis exception is exactly the case of a
        # graduate student with only the thesis left.
        return _result(
            ROUTE_CPT,
            *reasons,
            "Your internship is based on your thesis course, so as a Master's or PhD student "
            "you can use CPT without a separate internship subject.",
        )
    if graduate and status.coursework_complete:
        return _result(
            ROUTE_PRE_COMPLETION_OPT,
            *reasons,
            "You have completed all coursework and only your thesis remains, so CPT is "
            "generally not available to you because the internship is not based on your thesis.",
            *_opt_reasons(),
        )
    if status.coursework_complete:
        # Undergraduates do not normally have "only a thesis left"; rather than pick a
        # route from an answer we do not understand, send the student to an advisor.
        return _result(
            ROUTE_CONSULT_ISO,
            *reasons,
            "You said only a thesis remains in your undergraduate program, which the usual "
            "rules do not cover; an ISO advisor can tell you whether CPT or OPT fits.",
        )
    if status.curriculum_has_internship_subject:
        return _result(
            ROUTE_CPT,
            *reasons,
            "Your degree program has an internship or experiential learning subject that "
            "counts toward graduation, so you can use CPT by taking that subject.",
        )
    why_not_cpt = (
        "Your degree program has no internship or experiential learning subject you can take, "
        "so CPT is not available to you."
    )
    if status.internship_is_thesis_based:
        why_not_cpt = (
            "Your degree program has no internship or experiential learning subject you can "
            "take, and the thesis-based exception applies only to Master's and PhD students, "
            "so CPT is not available to you."
        )
    return _result(ROUTE_PRE_COMPLETION_OPT, *reasons, why_not_cpt, *_opt_reasons())


def _opt_reasons() -> list[str]:
    # No fee here on purpose: fees change (USCIS raised them in 2024) and are staff-editable
    # settings shown elsewhere.
    return [
        "F-1 students who cannot use CPT apply for pre-completion OPT with form I-765 to USCIS.",
        "Processing can take up to 120 days, and you can file at most 90 days before your "
        "start date, so start the application as soon as you accept an offer.",
    ]


def _unclear_answer(status: StudentStatus) -> str:
    """Why the rules cannot decide, or an empty string when every answer is usable."""
    if status.immigration_status not in ("f1", "j1"):
        return (
            "Your immigration status is not one the portal's rules cover, so it cannot tell "
            "which work-authorization route applies to you."
        )
    if status.degree_level not in DEGREE_LEVELS:
        return (
            "Your degree level is not one the portal's rules cover, so it cannot tell which "
            "work-authorization route applies to you."
        )
    terms = status.full_time_terms_completed
    valid_number = isinstance(terms, int | float) and not isinstance(terms, bool)
    if not valid_number or not math.isfinite(terms) or terms < 0:
        return (
            "The number of full-time terms you have completed does not look right, so the "
            "portal cannot check the first-year rule for you."
        )
    return ""


def _format_terms(terms: float) -> str:
    # 2.0 reads as "2 full-time terms"; 1.5 stays as it is; 1 is singular.
    shown = int(terms) if float(terms).is_integer() else terms
    return f"{shown} full-time term" + ("" if shown == 1 else "s")


def _result(route: str, *reasons: str, final_word: bool = True) -> Assessment:
    return Assessment(route=route, reasons=[*reasons, *([_ISO_FINAL_WORD] if final_word else [])])


TIMED_ROUTES = (ROUTE_PRE_COMPLETION_OPT, ROUTE_CPT, ROUTE_ACADEMIC_TRAINING)


@dataclass(frozen=True)
class RoutesOpen:
    """Which timed routes may be shown to this student, and why each other one is not."""

    shown: tuple[str, ...]
    missing: dict[str, str]


def routes_open(status: StudentStatus, assessment: Assessment) -> RoutesOpen:
    """The forecast never contradicts the verdict: only the routes `assess` leaves open.

    The assessed route alone when it is a timed one; the routes of the student's visa when
    the rules could not decide (consult_iso), for the ISO advisor to choose among; none for
    citizens, first-year students and global postings. Pure, like `assess`.
    """
    route = assessment.route
    if route in TIMED_ROUTES:
        shown: tuple[str, ...] = (route,)
    elif route == ROUTE_CONSULT_ISO and status.immigration_status == "f1":
        shown = (ROUTE_CPT, ROUTE_PRE_COMPLETION_OPT)
    elif route == ROUTE_CONSULT_ISO and status.immigration_status == "j1":
        shown = (ROUTE_ACADEMIC_TRAINING,)
    else:
        shown = ()
    missing = {
        other: _why_route_is_missing(other, route=route, status=status, assessment=assessment)
        for other in TIMED_ROUTES
        if other not in shown
    }
    return RoutesOpen(shown=shown, missing=missing)


def _why_route_is_missing(
    missing: str, *, route: str, status: StudentStatus, assessment: Assessment
) -> str:
    if route == ROUTE_NONE:
        return "You need no work authorization."
    if route == ROUTE_INELIGIBLE:
        return _reason_mentioning(assessment, "not eligible") or "You are not eligible yet."
    if route == ROUTE_MISTI:
        return "Work abroad goes through MISTI, not through these routes."
    if missing == ROUTE_ACADEMIC_TRAINING:
        return "Academic Training is for J-1 students."
    if status.immigration_status == "j1":
        return "CPT and OPT are for F-1 students; J-1 students use Academic Training."
    if status.immigration_status != "f1":
        return "Your ISO advisor will tell you which route applies to you."
    if missing == ROUTE_PRE_COMPLETION_OPT:
        return "You can use CPT, so you do not need pre-completion OPT."
    return _reason_mentioning(assessment, "CPT") or "CPT is not open to you: ask your ISO advisor."


def _reason_mentioning(assessment: Assessment, words: str) -> str:
    """The sentence of the verdict that gives this reason (assess writes one per rule)."""
    return next((reason for reason in assessment.reasons if words in reason), "")
