"""Every write of the authorization app: profiles, cases, checklist steps, decisions.

Cases change state only through `_transition`, which checks ALLOWED_TRANSITIONS on a row
read with select_for_update (two advisors, or an advisor and the student, may act on one
case at once) and writes a CaseStatusChange. Notifications go into the outbox inside the
same transaction; `notify` queues delivery on commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from itertools import islice
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from authorization import checklists, profile_changes
from authorization.documents import private_storage, validate_pdf
from authorization.eligibility import (
    ROUTE_ACADEMIC_TRAINING,
    ROUTE_CONSULT_ISO,
    ROUTE_CPT,
    ROUTE_LABELS,
    ROUTE_PRE_COMPLETION_OPT,
    assess,
    needs_authorization,
)
from authorization.forecast import STATUS_AT_RISK, STATUS_TOO_LATE, RouteEstimate
from authorization.models import (
    AuthorizationCase,
    CaseState,
    CaseStatusChange,
    ChecklistItem,
    FirstYearOverride,
    ForecastStatus,
    ImmigrationProfile,
    InvalidTransition,
)
from authorization.selectors import case_forecast, estimates, holidays_covering
from microintern.accounts.models import ISO_ADVISORS_GROUP, User
from microintern.notifications.services import notify

logger = logging.getLogger(__name__)

FORECAST_BATCH = 500
# What the daily re-check reads of a case to forecast it and compare with what it stored.
FORECAST_FIELDS = (
    "state",
    "route",
    "start_date",
    "opened_at",
    "submitted_at",
    "authorized_from",
    "forecast_status",
    "at_risk",
)

PROFILE_FIELDS = (
    "immigration_status",
    "degree_level",
    "full_time_terms_completed",
    "majors",
    "curriculum_has_internship_subject",
    "coursework_complete",
    "internship_is_thesis_based",
)


@transaction.atomic
def immigration_profile_save(*, student: User, answers: dict[str, Any]) -> ImmigrationProfile:
    """Create or update the student's own immigration profile. Those who listen for a
    profile given (offers: a student who accepted before saying their status gets their
    checklist now) are told inside the same transaction."""
    if not student.is_student:
        raise PermissionDenied("Only students have an immigration profile.")
    profile = ImmigrationProfile.objects.filter(student=student).first()
    profile = profile or ImmigrationProfile(student=student)
    for field in PROFILE_FIELDS:
        if field in answers:
            setattr(profile, field, answers[field])
    profile.full_clean()
    profile.save()
    profile_changes.profile_given(student)
    return profile


@transaction.atomic
def case_move_start(*, case: AuthorizationCase, start_date: dt.date) -> AuthorizationCase:
    """The case's start date follows the start the two sides agreed (the caller: offers, when
    an arrangement is confirmed). The forecast is recomputed, and the student and the ISO
    advisors are told if the new date puts the case at risk."""
    case = _locked(case)
    if case.start_date == start_date or not case.is_active:
        return case
    case.start_date = start_date
    case.save(update_fields=["start_date"])
    _refresh_forecast(case)
    return case


def iso_advisors() -> list[User]:
    return list(
        User.objects.filter(is_active=True, is_staff=True, groups__name=ISO_ADVISORS_GROUP)
        .distinct()
        .order_by("pk")
    )


def _require_iso_advisor(user: User) -> None:
    if not (user.is_authenticated and user.is_iso_advisor):
        raise PermissionDenied("Only ISO advisors can do this.")


def _case_url(case: AuthorizationCase, *, for_advisor: bool) -> str:
    if for_advisor:
        return reverse("admin:authorization_authorizationcase_change", args=[case.pk])
    return reverse("authorization:mine")


def _notify_all(case: AuthorizationCase, kind: str, event: str, context: dict[str, Any]) -> None:
    """The student and every ISO advisor, each with the page they act on."""
    notify(
        recipient=case.student,
        kind=kind,
        dedup_key=f"{kind}:{event}:student",
        context={**context, "for_advisor": False},
        url=_case_url(case, for_advisor=False),
    )
    for advisor in iso_advisors():
        notify(
            recipient=advisor,
            kind=kind,
            dedup_key=f"{kind}:{event}:advisor:{advisor.pk}",
            context={**context, "for_advisor": True},
            url=_case_url(case, for_advisor=True),
        )


def _tell_advisors_submitted(case: AuthorizationCase, item: ChecklistItem) -> None:
    """The ISO advisors act next on a submitted request (the student needs no email)."""
    for advisor in iso_advisors():
        notify(
            recipient=advisor,
            kind="authorization_case_submitted",
            dedup_key=f"authorization_case_submitted:{case.pk}:advisor:{advisor.pk}",
            context={"case": case, "item": item},
            url=_case_url(case, for_advisor=True),
        )


def case_open_for_acceptance(
    *,
    student: User,
    start_date: dt.date,
    accepted_at: dt.datetime,
    posting_is_global: bool = False,
) -> AuthorizationCase | None:
    """Open the authorization case the moment an offer is accepted.

    The offers service calls this inside its acceptance transaction. Returns None when the
    student needs no authorization (citizen, permanent resident, MISTI, no immigration
    profile) or no route is open to them (ineligible: the offer page warns before they
    accept). Each call opens a new case: the caller keeps the link and calls once per
    acceptance (offers: Offer.authorization_case, under the offer's row lock).
    """
    profile = ImmigrationProfile.objects.filter(student=student).first()
    if profile is None:
        return None
    route = assess(profile.to_status(), posting_is_global=posting_is_global).route
    if not needs_authorization(route):
        return None
    case = _create_case(
        student=student, route=route, start_date=start_date, accepted_at=accepted_at
    )
    _notify_all(
        case,
        "authorization_case_opened",
        str(case.pk),
        {"case": case, "items": list(case.items.all())},
    )
    return case


def _create_case(
    *,
    student: User,
    route: str,
    start_date: dt.date,
    accepted_at: dt.datetime,
) -> AuthorizationCase:
    case = AuthorizationCase(
        student=student,
        route=route,
        start_date=start_date,
        opened_at=accepted_at,
    )
    case.full_clean()
    case.save()
    opened_on = timezone.localdate(accepted_at)
    _add_steps(case, route=route, after_position=0, opened_on=opened_on)
    CaseStatusChange.objects.create(
        case=case,
        from_state="",
        to_state=CaseState.OPEN,
        changed_by=student,
        changed_at=accepted_at,
    )
    _refresh_forecast(case, today=opened_on)
    return case


def _locked(case: AuthorizationCase) -> AuthorizationCase:
    return AuthorizationCase.objects.select_for_update().select_related("student").get(pk=case.pk)


def _transition(
    case: AuthorizationCase, to: str, *, by: User | None, note: str = ""
) -> AuthorizationCase:
    """Move a locked case to `to`; the caller holds the transaction."""
    case.ensure_can_transition(to)
    now = timezone.now()
    before = case.state
    case.state = to
    fields = ["state"]
    if to == CaseState.SUBMITTED:
        case.submitted_at = now
        fields.append("submitted_at")
    if to in (CaseState.AUTHORIZED, CaseState.DENIED):
        case.decided_at = now
        fields.append("decided_at")
    case.save(update_fields=fields)
    CaseStatusChange.objects.create(
        case=case, from_state=before, to_state=to, changed_by=by, changed_at=now, note=note
    )
    return case


def _add_steps(
    case: AuthorizationCase, *, route: str, after_position: int, opened_on: dt.date
) -> list[ChecklistItem]:
    """Copy the route's steps into the case's checklist, after the steps it already has."""
    return ChecklistItem.objects.bulk_create(
        ChecklistItem(
            case=case,
            key=step.key,
            title=step.title,
            position=after_position + offset,
            due_date=checklists.due_date(step, start_date=case.start_date, opened_on=opened_on),
            submits=step.submits,
        )
        for offset, step in enumerate(checklists.steps_for(route), start=1)
    )


def _forecast_outcome(
    case: AuthorizationCase,
    *,
    today: dt.date,
    route_estimates: dict[str, RouteEstimate] | None = None,
    holidays: frozenset[dt.date] | None = None,
) -> tuple[str, bool]:
    """The forecast status and at-risk flag the case should store today."""
    result = case_forecast(case, today=today, route_estimates=route_estimates, holidays=holidays)
    if result is not None:
        return result.status, result.status in (STATUS_AT_RISK, STATUS_TOO_LATE)
    return ForecastStatus.NOT_APPLICABLE, bool(
        case.state == CaseState.AUTHORIZED
        and case.authorized_from
        and case.authorized_from > case.start_date
    )


def _refresh_forecast(
    case: AuthorizationCase,
    *,
    today: dt.date | None = None,
    route_estimates: dict[str, RouteEstimate] | None = None,
    holidays: frozenset[dt.date] | None = None,
) -> bool:
    """Recompute the stored forecast; True when the case has just become at risk."""
    today = today or timezone.localdate()
    was_at_risk = case.at_risk
    case.forecast_status, case.at_risk = _forecast_outcome(
        case, today=today, route_estimates=route_estimates, holidays=holidays
    )
    case.forecast_checked_at = timezone.now()
    case.save(update_fields=["forecast_status", "at_risk", "forecast_checked_at"])
    became_at_risk = case.at_risk and not was_at_risk
    if became_at_risk:
        _notify_all(
            case,
            "authorization_at_risk",
            f"{case.pk}:{case.start_date.isoformat()}:{case.forecast_status}",
            {"case": case},
        )
    return became_at_risk


def _student_item(item: ChecklistItem, student: User) -> tuple[AuthorizationCase, ChecklistItem]:
    case = _locked(item.case)
    if case.student_id != student.pk:
        raise PermissionDenied("This is not your checklist.")
    if not case.is_active:
        raise ValidationError("This case is closed; its checklist can no longer change.")
    return case, ChecklistItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def checklist_item_mark_done(
    *, item: ChecklistItem, student: User, done: bool = True
) -> ChecklistItem:
    """The student ticks (or unticks) a step of their own active case."""
    case, item = _student_item(item, student)
    if not done and item.is_verified:
        raise ValidationError("Your ISO advisor has verified this step; it stays done.")
    if not done and item.submits and case.state != CaseState.OPEN:
        raise ValidationError(
            "Your application counts as submitted; ask your ISO advisor if that was a mistake."
        )
    if done and item.submits and not item.done_at:
        _ensure_filing_window_open(case)
    item.done_at = (item.done_at or timezone.now()) if done else None
    item.save(update_fields=["done_at"])
    if done and item.submits and case.state == CaseState.OPEN:
        _transition(case, CaseState.SUBMITTED, by=student, note=f"Done: {item.title}")
        _tell_advisors_submitted(case, item)
    _refresh_forecast(case)
    return item


def _ensure_filing_window_open(case: AuthorizationCase) -> None:
    """A route with a filing window (OPT: USCIS takes form I-765 at most 90 days before the
    start date) cannot be marked filed before the window opens: such a filing is refused by
    USCIS, and the forecast would count from the wrong day."""
    estimate = estimates().get(case.route)
    limit = estimate.earliest_filing_days_before_start if estimate else None
    if limit is None:
        return
    opens = case.start_date - dt.timedelta(days=limit)
    today = timezone.localdate()
    if today < opens:
        raise ValidationError(
            f"USCIS accepts this application at most {limit} days before your start date "
            f"({case.start_date:%b} {case.start_date.day}, {case.start_date.year}), so you "
            f"can file from {opens:%b} {opens.day}, {opens.year}, in {(opens - today).days} "
            "days. Tick this step once you have filed; a filing before then is refused."
        )


def checklist_item_attach_document(
    *, item: ChecklistItem, student: User, upload: UploadedFile
) -> ChecklistItem:
    """Store a PDF for a step; the previous file, if any, is removed once this commits."""
    validate_pdf(upload)
    new_name = ""
    try:
        with transaction.atomic():
            _, item = _student_item(item, student)
            old_name = item.document.name
            item.document.save("document.pdf", upload, save=False)
            new_name = item.document.name
            item.document_uploaded_at = timezone.now()
            item.save(update_fields=["document", "document_uploaded_at"])
            if old_name:
                transaction.on_commit(lambda: private_storage.delete(old_name))
    except Exception:
        if new_name:  # the row did not change: do not leave the new file behind
            private_storage.delete(new_name)
        raise
    return item


@transaction.atomic
def checklist_item_verify(*, item: ChecklistItem, advisor: User) -> ChecklistItem:
    """An ISO advisor confirms a step; a verified step counts as done."""
    _require_iso_advisor(advisor)
    case = _locked(item.case)
    item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    if item.is_verified:
        return item
    now = timezone.now()
    item.verified_at, item.verified_by = now, advisor
    item.done_at = item.done_at or now
    item.save(update_fields=["verified_at", "verified_by", "done_at"])
    if item.submits and case.state == CaseState.OPEN:
        _transition(case, CaseState.SUBMITTED, by=advisor, note=f"Verified: {item.title}")
    notify(
        recipient=case.student,
        kind="authorization_item_verified",
        dedup_key=f"authorization_item_verified:{item.pk}",
        context={"case": case, "item": item},
        url=_case_url(case, for_advisor=False),
    )
    _refresh_forecast(case)
    return item


@transaction.atomic
def case_mark_submitted(*, case: AuthorizationCase, by: User, note: str = "") -> AuthorizationCase:
    """An ISO advisor records that the application went in (when no step was ticked for it)."""
    _require_iso_advisor(by)
    case = _locked(case)
    _transition(case, CaseState.SUBMITTED, by=by, note=note)
    _refresh_forecast(case)
    return case


@transaction.atomic
def case_record_decision(
    *,
    case: AuthorizationCase,
    advisor: User,
    authorized: bool,
    authorized_from: dt.date | None = None,
    authorized_until: dt.date | None = None,
    note: str = "",
) -> AuthorizationCase:
    """Record the outcome: authorized for a period, or denied."""
    _require_iso_advisor(advisor)
    case = _locked(case)
    if authorized:
        if not authorized_from or not authorized_until:
            raise ValidationError("An authorization needs the first and the last day it covers.")
        if authorized_until < authorized_from:
            raise ValidationError("The authorization cannot end before it begins.")
    to = CaseState.AUTHORIZED if authorized else CaseState.DENIED
    _transition(case, to, by=advisor, note=note)
    case.authorized_from = authorized_from if authorized else None
    case.authorized_until = authorized_until if authorized else None
    case.decision_note = note
    case.save(update_fields=["authorized_from", "authorized_until", "decision_note"])
    notify(
        recipient=case.student,
        kind="authorization_decided",
        dedup_key=f"authorization_decided:{case.pk}",
        context={"case": case},
        url=_case_url(case, for_advisor=False),
    )
    _refresh_forecast(case)
    return case


@transaction.atomic
def case_withdraw(*, case: AuthorizationCase, by: User, note: str = "") -> AuthorizationCase:
    """The student (or an ISO advisor for them) stops the process, e.g. the offer fell through."""
    if case.student_id != by.pk:
        _require_iso_advisor(by)
    case = _locked(case)
    _transition(case, CaseState.WITHDRAWN, by=by, note=note)
    _refresh_forecast(case)
    return case


def authorization_cases_refresh_forecasts(*, today: dt.date | None = None) -> int:
    """Re-check every active case (time passes, estimates change); returns how many became
    at risk.

    The daily run reads the estimates and the holidays once, computes every forecast from
    rows read in batches, and stamps the unchanged cases with one UPDATE per batch. Only a
    case whose forecast changed is locked, recomputed under its lock (an advisor may have
    moved it meanwhile) and saved, each in its own transaction, so one failure does not undo
    the others and a quiet day costs a handful of queries whatever the number of cases.
    """
    today = today or timezone.localdate()
    active = AuthorizationCase.objects.active()
    bounds = active.aggregate(
        first_submitted=Min("submitted_at"),
        last_opened=Max("opened_at"),
        last_start=Max("start_date"),
    )
    if bounds["last_opened"] is None:
        return 0
    route_estimates = estimates()
    holidays = holidays_covering(
        [today, timezone.localdate(bounds["last_opened"]), bounds["last_start"]]
        + ([timezone.localdate(bounds["first_submitted"])] if bounds["first_submitted"] else [])
    )
    rows = active.only(*FORECAST_FIELDS).order_by("pk").iterator(chunk_size=FORECAST_BATCH)
    changed: list[int] = []
    while batch := list(islice(rows, FORECAST_BATCH)):
        unchanged = []
        for case in batch:
            outcome = _forecast_outcome(
                case, today=today, route_estimates=route_estimates, holidays=holidays
            )
            (unchanged if outcome == (case.forecast_status, case.at_risk) else changed).append(
                case.pk
            )
        AuthorizationCase.objects.filter(pk__in=unchanged).update(
            forecast_checked_at=timezone.now()
        )
    count = 0
    for pk in changed:
        with transaction.atomic():
            case = AuthorizationCase.objects.select_for_update().filter(pk=pk).first()
            if case is not None and case.is_active:
                count += _refresh_forecast(
                    case, today=today, route_estimates=route_estimates, holidays=holidays
                )
    return count


__all__ = [
    "InvalidTransition",
    "authorization_cases_refresh_forecasts",
    "case_mark_submitted",
    "case_open_for_acceptance",
    "case_record_decision",
    "case_withdraw",
    "checklist_item_attach_document",
    "checklist_item_mark_done",
    "checklist_item_verify",
    "immigration_profile_save",
]


@transaction.atomic
def first_year_override_grant(*, student: User, advisor: User, reason: str) -> FirstYearOverride:
    """An ISO advisor lets a first-year student apply, with the reason on record."""
    _require_iso_advisor(advisor)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the first-year rule does not apply."})
    override, _ = FirstYearOverride.objects.update_or_create(
        student=student, defaults={"granted_by": advisor, "reason": reason.strip()}
    )
    return override


# The routes an advisor may settle a "talk to your ISO advisor" case on: those with a checklist.
CONFIRMABLE_ROUTES = (ROUTE_CPT, ROUTE_PRE_COMPLETION_OPT, ROUTE_ACADEMIC_TRAINING)


@transaction.atomic
def case_confirm_route(
    *, case: AuthorizationCase, advisor: User, route: str, note: str = ""
) -> AuthorizationCase:
    """An ISO advisor settles the route of a case the rules could not decide ("talk to your
    ISO advisor"): the meeting step counts as verified, the route's own steps join the
    checklist after it, and the case is open again until the student applies."""
    _require_iso_advisor(advisor)
    case = _locked(case)
    if not case.is_active:
        raise ValidationError("This case is closed; its route can no longer change.")
    if case.route != ROUTE_CONSULT_ISO:
        raise ValidationError(
            f"This case already follows {case.route_label}; only a case waiting for an ISO "
            "advisor's decision can have its route confirmed."
        )
    if route not in CONFIRMABLE_ROUTES:
        raise ValidationError(
            "Choose CPT, pre-completion OPT or Academic Training. If the student needs no "
            "authorization after all, withdraw the case instead."
        )
    now = timezone.now()
    items = list(case.items.select_for_update().order_by("position"))
    for item in items:
        if not item.is_verified:  # the conversation these steps asked for has happened
            item.verified_at, item.verified_by = now, advisor
            item.done_at = item.done_at or now
            item.save(update_fields=["verified_at", "verified_by", "done_at"])
    added = _add_steps(
        case,
        route=route,
        after_position=max((item.position for item in items), default=0),
        opened_on=timezone.localdate(now),
    )
    case.route = route
    case.save(update_fields=["route"])
    message = f"Route confirmed: {ROUTE_LABELS[route]}. {note.strip()}".strip()
    if case.state == CaseState.SUBMITTED:
        _transition(case, CaseState.OPEN, by=advisor, note=message)
    else:
        CaseStatusChange.objects.create(
            case=case,
            from_state=case.state,
            to_state=case.state,
            changed_by=advisor,
            changed_at=now,
            note=message,
        )
    notify(
        recipient=case.student,
        kind="authorization_route_confirmed",
        dedup_key=f"authorization_route_confirmed:{case.pk}",
        context={"case": case, "items": added, "note": note.strip()},
        url=_case_url(case, for_advisor=False),
    )
    _refresh_forecast(case)
    return case
