"""The arrangement (the November step): dates, hours, place and supervisor, agreed by both."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from offers.models.offers import Offer, OfferError


class ArrangementStatus(models.TextChoices):
    TO_ARRANGE = "to_arrange", "To arrange"
    PROPOSED = "proposed", "Proposed, waiting for confirmation"
    CONFIRMED = "confirmed", "Confirmed by both"


A = ArrangementStatus
# One side proposes, the other confirms. A new proposal (a counter-proposal, or any change
# after confirmation) needs the other side's confirmation again.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    A.TO_ARRANGE: frozenset({A.PROPOSED}),
    A.PROPOSED: frozenset({A.PROPOSED, A.CONFIRMED}),
    A.CONFIRMED: frozenset({A.PROPOSED}),
}


class ArrangementError(OfferError):
    pass


class InvalidArrangementTransition(ArrangementError):
    def __init__(self, from_status: str, to_status: str) -> None:
        self.from_status, self.to_status = from_status, to_status
        if from_status == A.CONFIRMED and to_status == A.CONFIRMED:
            message = "The arrangement is already confirmed."
        elif to_status == A.CONFIRMED:
            message = "There is no proposal to confirm yet."
        else:
            message = f"An arrangement that is {A(from_status).label.lower()} cannot change so."
        super().__init__(message)


class WorkMode(models.TextChoices):
    ON_SITE = "on_site", "On site"
    REMOTE = "remote", "Remote"
    HYBRID = "hybrid", "Hybrid"


class ArrangementQuerySet(models.QuerySet["Arrangement"]):
    def visible_to(self, user: settings.AUTH_USER_MODEL) -> ArrangementQuerySet:
        """Those of the offers the user sees (`OfferQuerySet.visible_to`): the student's
        own and the employer organization's; no staff role sees any on the front end."""
        return self.filter(offer__in=Offer.objects.visible_to(user))

    def unconfirmed(self) -> ArrangementQuerySet:
        return self.exclude(status=A.CONFIRMED)


class Arrangement(models.Model):
    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="arrangement")
    status = models.CharField(max_length=12, choices=A.choices, default=A.TO_ARRANGE)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    work_mode = models.CharField(max_length=10, choices=WorkMode.choices, blank=True)
    place = models.CharField(
        "place", max_length=200, blank=True, help_text="The address, or the tool for remote work."
    )
    supervisor_name = models.CharField(max_length=150, blank=True)
    supervisor_email = models.EmailField(blank=True)
    notes = models.TextField(blank=True)
    # Staff only: dates outside the cycle's IAP window are allowed for this arrangement.
    outside_iap_allowed = models.BooleanField("dates outside IAP allowed by staff", default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # "student" or "employer": the side that must not confirm its own proposal.
    proposed_side = models.CharField(max_length=10, blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArrangementQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=models.F("end_date")),
                name="arrangement_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="arrangement_status")]

    def __str__(self) -> str:
        return f"Arrangement for offer {self.offer_id}"

    def can_transition(self, to_status: str) -> bool:
        return to_status in ALLOWED_TRANSITIONS[self.status]

    def ensure_can_transition(self, to_status: str) -> None:
        if not self.can_transition(to_status):
            raise InvalidArrangementTransition(self.status, to_status)

    def awaits_confirmation_from(self, side: str) -> bool:
        """The other side of the latest proposal (a side never confirms its own)."""
        return self.status == A.PROPOSED and self.proposed_side not in ("", side)


class ArrangementStatusChange(models.Model):
    arrangement = models.ForeignKey(
        Arrangement, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=12, choices=A.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=A.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Arrangement {self.arrangement_id}: {self.from_status} -> {self.to_status}"


class ArrangementReminder(models.Model):
    """One weekly arrangement reminder sent (counted to escalate to CAPD after three)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="arrangement_reminders")
    week = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "week"], name="arrangement_reminder_once")
        ]

    def __str__(self) -> str:
        return f"Arrangement reminder {self.week} for offer {self.offer_id}"
