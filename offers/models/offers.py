"""An offer extended from an application, its status history, extension requests and
reneging cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from applications.models import Application
from microintern.cycles.models import RecruitingCycle
from offers.deadlines import MAX_DECISION_DAYS, MIN_DECISION_DAYS, business_days_left


class OfferError(Exception):
    """Base of the errors the offer services raise; the message is shown to the user as is."""


class OfferStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    RESCINDED = "rescinded", "Rescinded"


S = OfferStatus
# The only ways an offer's status may change. Every decision is final: the recruiting
# guidelines say no reneging. Staff alone may undo an acceptance, through
# `offer_reverse_acceptance`, which uses STAFF_REVERSALS below, never this map.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.ACCEPTED, S.DECLINED, S.EXPIRED, S.RESCINDED}),
    S.ACCEPTED: frozenset(),
    S.DECLINED: frozenset(),
    S.EXPIRED: frozenset(),
    S.RESCINDED: frozenset(),
}
STAFF_REVERSALS: dict[str, frozenset[str]] = {S.ACCEPTED: frozenset({S.PENDING, S.DECLINED})}
FINAL_STATUSES = frozenset(status for status, targets in ALLOWED_TRANSITIONS.items() if not targets)


class InvalidTransition(OfferError):
    def __init__(self, from_status: str, to_status: str) -> None:
        self.from_status, self.to_status = from_status, to_status
        messages = {
            S.ACCEPTED: "This offer was already accepted.",
            S.DECLINED: "This offer was already declined.",
            S.EXPIRED: "This offer expired: its decision deadline passed.",
            S.RESCINDED: "The employer rescinded this offer.",
        }
        super().__init__(
            messages.get(from_status)
            or f"An offer that is {S(from_status).label.lower()} cannot become "
            f"{S(to_status).label.lower()}."
        )


class DeadlinePassed(OfferError):
    def __init__(self, action: str = "accepted") -> None:
        super().__init__(
            f"The decision deadline has passed: this offer can no longer be {action}; it expires."
        )


class AnotherOfferAccepted(OfferError):
    def __init__(self) -> None:
        super().__init__(
            "You have already accepted another offer in this cycle; this one can no longer be "
            "accepted."
        )


class OfferQuerySet(models.QuerySet["Offer"]):
    def visible_to(self, user: settings.AUTH_USER_MODEL) -> OfferQuerySet:
        """Who sees an offer (and its authorization status) on the front end:

        - a student: their own;
        - an employer: those on its organization's postings;
        - CAPD staff, MISTI program managers and superusers: none here; they work in the
          admin, where the group's permissions decide;
        - ISO advisors: none: they see the authorization case, not the offer.

        Staff status grants nothing by itself: `is_staff` is not a role.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_employer:
            return self.filter(application__posting__organization__memberships__user=user)
        return self.filter(student=user)

    def pending(self) -> OfferQuerySet:
        return self.filter(status=S.PENDING)

    def accepted(self) -> OfferQuerySet:
        return self.filter(status=S.ACCEPTED)

    def due_to_expire(self, now: dt.datetime) -> OfferQuerySet:
        return self.filter(status=S.PENDING, deadline__lte=now)


class Offer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="offers")
    # Copied from the application so that the database itself can allow at most one accepted
    # offer per student and cycle (see the constraint below).
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offers"
    )
    cycle = models.ForeignKey(RecruitingCycle, on_delete=models.PROTECT, related_name="offers")
    status = models.CharField(max_length=12, choices=S.choices, default=S.PENDING)

    pay_hourly = models.DecimalField(
        "pay (USD per hour)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Empty only for an unpaid posting that staff approved.",
    )
    start_date = models.DateField("proposed start")
    end_date = models.DateField("proposed end")
    hours_per_week = models.PositiveSmallIntegerField()
    message = models.TextField("message to the student", blank=True)
    # Employers interview every candidate they consider (DOMAIN.md, Offers): an offer to an
    # applicant with no held interview carries the employer's reason, for CAPD to read.
    no_interview_reason = models.TextField(
        "why no interview",
        blank=True,
        help_text="The employer's reason for offering without a held interview.",
    )

    decision_window_days = models.PositiveSmallIntegerField(
        "decision window (business days)", help_text="As first extended: 5, 6 or 7."
    )
    decision_days_total = models.PositiveSmallIntegerField(
        "decision window with extensions (business days)"
    )
    extended_at = models.DateTimeField(default=timezone.now)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Computed once from business days, at extension (and again when an extension is
    # granted); stored in UTC like every datetime.
    deadline = models.DateTimeField("decision deadline")
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    rescind_reason = models.TextField(blank=True)
    # The work authorization case the acceptance opened (international students). The link
    # lives here, on the side that calls: offers open cases, authorization knows no offers.
    # RESTRICT, not PROTECT: a case cannot be deleted while its offer points to it, yet
    # deleting a student's account (which cascades to both) still works.
    authorization_case = models.OneToOneField(
        "authorization.AuthorizationCase",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="accepted_offer",
        help_text="The work authorization case this offer's acceptance opened.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["-extended_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "cycle"],
                condition=Q(status="accepted"),
                name="offer_one_accepted_per_student_cycle",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["pending", "accepted"]),
                name="offer_one_live_per_application",
            ),
            models.CheckConstraint(
                condition=Q(decision_window_days__gte=MIN_DECISION_DAYS)
                & Q(decision_window_days__lte=models.F("decision_days_total"))
                & Q(decision_days_total__lte=MAX_DECISION_DAYS),
                name="offer_decision_window_5_to_7",
            ),
            models.CheckConstraint(
                condition=Q(start_date__lte=models.F("end_date")), name="offer_dates_in_order"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="offer_status_deadline"),
            # The admin list's default order and its deadline column: at 100,000 offers an
            # unindexed sort spilled to disk on every page.
            models.Index(fields=["-extended_at", "-id"], name="offer_recent"),
            models.Index(fields=["deadline"], name="offer_deadline"),
        ]

    def __str__(self) -> str:
        return f"Offer to {self.student} for {self.application.posting.title}"

    def can_transition(self, to_status: str) -> bool:
        return to_status in ALLOWED_TRANSITIONS[self.status]

    def ensure_can_transition(self, to_status: str) -> None:
        if not self.can_transition(to_status):
            raise InvalidTransition(self.status, to_status)

    @property
    def is_pending(self) -> bool:
        return self.status == S.PENDING

    def deadline_passed(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.deadline

    def is_open_for_decision(self, now: dt.datetime | None = None) -> bool:
        return self.is_pending and not self.deadline_passed(now)

    def business_days_left(
        self, now: dt.datetime | None = None, holidays: Collection[dt.date] | None = None
    ) -> int:
        return business_days_left(self.deadline, now or timezone.now(), holidays)

    @property
    def extension_days_available(self) -> int:
        return MAX_DECISION_DAYS - self.decision_days_total

    @property
    def organization(self):
        return self.application.posting.organization

    @property
    def posting(self):
        return self.application.posting


class OfferStatusChange(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=S.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=S.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Offer {self.offer_id}: {self.from_status or 'new'} -> {self.to_status}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the employer"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


class ExtensionRequest(models.Model):
    """The student asks for more time; the employer grants some days or refuses. The total
    window never exceeds 7 business days from the extension of the offer."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="extension_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField()
    days_requested = models.PositiveSmallIntegerField("business days asked for")
    status = models.CharField(
        max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    days_granted = models.PositiveSmallIntegerField(default=0)
    answer_note = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    previous_deadline = models.DateTimeField()
    new_deadline = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_offer",
            ),
        ]

    def __str__(self) -> str:
        return f"Extension request on offer {self.offer_id}"


class RenegingReason(models.TextChoices):
    ACCEPTED_OTHER = "accepted_other", "Accepted another opportunity"
    PERSONAL = "personal", "Personal or family reasons"
    ACADEMIC = "academic", "Academic conflict"
    AUTHORIZATION = "authorization", "Work authorization not possible in time"
    NO_SHOW = "no_show", "Did not start, without notice"
    OTHER = "other", "Other"


class RenegingCase(models.Model):
    """CAPD's record of a student going back on an accepted offer (staff only)."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="reneging_cases")
    reason_code = models.CharField(max_length=20, choices=RenegingReason.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"Reneging case on offer {self.offer_id}"
