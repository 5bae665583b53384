"""Immigration data, route estimates, authorization cases with their checklists, and the
access log.

Everything here is sensitive: only the student, ISO advisors and superusers see it (see
authorization/access.py). Writes go through authorization/services.py.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from authorization import eligibility
from authorization.documents import document_upload_to, private_storage
from authorization.forecast import RouteEstimate
from microintern.accounts.models import DegreeLevel


class ImmigrationStatus(models.TextChoices):
    CITIZEN = "citizen", "US citizen"
    PERMANENT_RESIDENT = "permanent_resident", "US permanent resident (green card)"
    F1 = "f1", "F-1 student visa"
    J1 = "j1", "J-1 exchange visitor visa"
    OTHER = "other", "Another status"


VISA_STATUSES = frozenset({ImmigrationStatus.F1, ImmigrationStatus.J1, ImmigrationStatus.OTHER})


def validate_half_terms(value: Decimal) -> None:
    if value is not None and (value * 2) % 1:
        raise ValidationError("Count whole or half terms, for example 2 or 2.5.")


class ImmigrationProfile(models.Model):
    """The student's own answers, unverified; the rules in eligibility.assess read them."""

    student = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="immigration_profile"
    )
    immigration_status = models.CharField(max_length=24, choices=ImmigrationStatus.choices)
    degree_level = models.CharField(max_length=16, choices=DegreeLevel.choices)
    full_time_terms_completed = models.DecimalField(
        "full-time terms completed in the US",
        max_digits=3,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(30), validate_half_terms],
        help_text="Fall and spring terms you were enrolled full time in the US. "
        "Count a half term as .5.",
    )
    majors = models.CharField(
        "major field(s) of study",
        max_length=300,
        blank=True,
        help_text="Separate several majors with commas, e.g. “Mechanical Engineering, Physics”.",
    )
    curriculum_has_internship_subject = models.BooleanField(
        "My degree program has an internship or experiential learning subject that counts "
        "toward graduation, and I can take it",
        default=False,
    )
    coursework_complete = models.BooleanField(
        "I have completed all my coursework; only my thesis remains", default=False
    )
    internship_is_thesis_based = models.BooleanField(
        "This internship is based on my thesis course", default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(full_time_terms_completed__gte=0), name="immigration_terms_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Immigration profile of {self.student}"

    @property
    def needs_visa_answers(self) -> bool:
        return self.immigration_status in VISA_STATUSES

    def major_list(self) -> list[str]:
        return [m.strip() for m in self.majors.replace(";", ",").split(",") if m.strip()]

    def to_status(self) -> eligibility.StudentStatus:
        return eligibility.StudentStatus(
            immigration_status=self.immigration_status,
            degree_level=self.degree_level,
            full_time_terms_completed=float(self.full_time_terms_completed),
            curriculum_has_internship_subject=self.curriculum_has_internship_subject,
            coursework_complete=self.coursework_complete,
            internship_is_thesis_based=self.internship_is_thesis_based,
        )


TIMED_ROUTE_CHOICES = [
    (route, eligibility.ROUTE_LABELS[route])
    for route in (
        eligibility.ROUTE_CPT,
        eligibility.ROUTE_PRE_COMPLETION_OPT,
        eligibility.ROUTE_ACADEMIC_TRAINING,
    )
]

FEE_HELP = (
    "USD. For OPT this is the USCIS fee for form I-765: 470 online and 520 on paper since "
    "April 1, 2024. CAPD's page still says 410 USD, which is out of date. Leave empty when the "
    "route has no fee."
)


class FirstYearOverride(models.Model):
    """An ISO advisor's recorded exception to the first-year rule for one student.

    Without it, a student who told us they have completed fewer than two full-time terms in
    the US cannot apply (they would not get off-campus work authorization).
    """

    student = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="first_year_override"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(help_text="Why the first-year rule does not apply to this student.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"First-year exception for {self.student}"


class RouteEstimateSetting(models.Model):
    """How long a route takes and what it costs; ISO advisors edit these in the admin."""

    route = models.CharField(max_length=24, choices=TIMED_ROUTE_CHOICES, unique=True)
    min_days = models.PositiveSmallIntegerField(help_text="Shortest usual processing time.")
    max_days = models.PositiveSmallIntegerField(help_text="Longest usual processing time.")
    business_days = models.BooleanField(
        default=False,
        help_text="Count business days (Mon-Fri without holidays), not calendar days.",
    )
    earliest_filing_days_before_start = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The application can be filed at most this many days before the start date "
        "(USCIS: 90 days for OPT). Empty when there is no such limit.",
    )
    lead_days = models.PositiveSmallIntegerField(
        default=0, help_text="Calendar days the student needs to gather documents before filing."
    )
    fee_online_usd = models.DecimalField(
        "fee, filed online (USD)", max_digits=7, decimal_places=2, null=True, blank=True,
        help_text=FEE_HELP,
    )  # fmt: skip
    fee_paper_usd = models.DecimalField(
        "fee, filed on paper (USD)", max_digits=7, decimal_places=2, null=True, blank=True,
        help_text=FEE_HELP,
    )  # fmt: skip
    notes = models.TextField(blank=True, help_text="Where the figures come from, and when.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["route"]
        verbose_name = "route estimate"

    def __str__(self) -> str:
        return eligibility.ROUTE_LABELS.get(self.route, self.route)

    def clean(self) -> None:
        try:
            self.to_estimate()
        except (ValueError, TypeError) as exc:
            raise ValidationError(str(exc)) from exc

    def to_estimate(self) -> RouteEstimate:
        return RouteEstimate(
            route=self.route,
            min_days=self.min_days,
            max_days=self.max_days,
            business_days=self.business_days,
            earliest_filing_days_before_start=self.earliest_filing_days_before_start,
            lead_days=self.lead_days,
        )


class InvalidTransition(Exception):
    """A case was asked to move to a state its current state does not lead to."""


class CaseState(models.TextChoices):
    OPEN = "open", "Open: steps to do"
    SUBMITTED = "submitted", "Submitted: waiting for the decision"
    AUTHORIZED = "authorized", "Authorized"
    DENIED = "denied", "Denied"
    WITHDRAWN = "withdrawn", "Withdrawn"


ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseState.OPEN: frozenset({CaseState.SUBMITTED, CaseState.WITHDRAWN}),
    # submitted -> open: only when an ISO advisor confirms the route of a "talk to your ISO
    # advisor" case (the meeting was its submission; the route's own steps come next).
    CaseState.SUBMITTED: frozenset(
        {CaseState.OPEN, CaseState.AUTHORIZED, CaseState.DENIED, CaseState.WITHDRAWN}
    ),
    CaseState.AUTHORIZED: frozenset(),
    CaseState.DENIED: frozenset(),
    CaseState.WITHDRAWN: frozenset(),
}
ACTIVE_STATES = (CaseState.OPEN, CaseState.SUBMITTED)

CASE_ROUTE_CHOICES = [
    *TIMED_ROUTE_CHOICES,
    (eligibility.ROUTE_CONSULT_ISO, eligibility.ROUTE_LABELS[eligibility.ROUTE_CONSULT_ISO]),
]


class ForecastStatus(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    TOO_LATE = "too_late", "Too late for the start date"
    NOT_APPLICABLE = "not_applicable", "No estimate"


class AuthorizationCaseQuerySet(models.QuerySet["AuthorizationCase"]):
    def active(self) -> AuthorizationCaseQuerySet:
        return self.filter(state__in=ACTIVE_STATES)

    def for_student(self, user: object) -> AuthorizationCaseQuerySet:
        return self.filter(student=user)


class AuthorizationCase(models.Model):
    """One student's work authorization for one accepted offer, opened at acceptance (the
    offer holds the link: Offer.authorization_case)."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="authorization_cases"
    )
    route = models.CharField(max_length=24, choices=CASE_ROUTE_CHOICES)
    start_date = models.DateField(help_text="The agreed (or proposed) first day of work.")
    state = models.CharField(max_length=16, choices=CaseState.choices, default=CaseState.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    authorized_from = models.DateField(null=True, blank=True)
    authorized_until = models.DateField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    # Stored, not computed per page: the admin sorts and filters by it, and the forecast
    # needs Python date arithmetic over the holiday table. Services refresh it on every
    # change and authorization_cases_refresh_forecasts() re-checks active cases daily.
    forecast_status = models.CharField(
        max_length=16, choices=ForecastStatus.choices, default=ForecastStatus.NOT_APPLICABLE
    )
    at_risk = models.BooleanField(default=False, db_index=True)
    forecast_checked_at = models.DateTimeField(null=True, blank=True)

    objects = AuthorizationCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-at_risk", "start_date", "pk"]
        verbose_name = "authorization case"
        indexes = [models.Index(fields=["state", "start_date"], name="authz_case_state_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(authorized_until__isnull=True)
                | Q(authorized_from__isnull=True)
                | Q(authorized_until__gte=models.F("authorized_from")),
                name="authz_case_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()} for {self.student}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def route_label(self) -> str:
        return eligibility.ROUTE_LABELS.get(self.route, self.route)

    def can_transition(self, to: str) -> bool:
        return to in ALLOWED_TRANSITIONS.get(self.state, frozenset())

    def ensure_can_transition(self, to: str) -> None:
        if not self.can_transition(to):
            raise InvalidTransition(
                f"A case that is {self.get_state_display().split(':')[0].lower()} cannot become "
                f"{CaseState(to).label.split(':')[0].lower()}."
            )


class ChecklistItem(models.Model):
    case = models.ForeignKey(AuthorizationCase, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    due_date = models.DateField()
    submits = models.BooleanField(
        default=False, help_text="Doing this step means the application has been submitted."
    )
    done_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    document = models.FileField(
        storage=private_storage, upload_to=document_upload_to, blank=True, max_length=200
    )
    document_uploaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "position"]
        verbose_name = "checklist item"
        constraints = [
            models.UniqueConstraint(fields=["case", "key"], name="authz_item_key_once_per_case"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class CaseStatusChange(models.Model):
    case = models.ForeignKey(AuthorizationCase, on_delete=models.CASCADE, related_name="history")
    from_state = models.CharField(max_length=16, choices=CaseState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=CaseState.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "changed_at", "pk"]
        verbose_name = "case status change"

    def __str__(self) -> str:
        return f"{self.from_state or 'new'} → {self.to_state}"


class AppendOnlyError(Exception):
    """The access log is evidence: rows are written once and never changed or deleted."""


class AccessLogQuerySet(models.QuerySet["AccessLogEntry"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("Access log entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Access log entries cannot be deleted.")


class AccessLogEntry(models.Model):
    """Someone other than the student opened (or tried to open) a student's immigration data."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Copied so that the entry still says who and whose after an account is deleted.
    actor_email = models.EmailField()
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    student_email = models.EmailField(blank=True)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=40)
    allowed = models.BooleanField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"

    def __str__(self) -> str:
        verb = "opened" if self.allowed else "was refused"
        return (
            f"{self.actor_email} {verb} {self.object_type} {self.object_id} of {self.student_email}"
        )

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Access log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Access log entries cannot be deleted.")
