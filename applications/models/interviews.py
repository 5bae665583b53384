"""Interviews: the employer offers time slots to applicants, a student books one."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from applications.models.applications import Application, ApplicationError
from postings.models import Posting

# A student may move a booked interview to another free slot until 12 hours before it
# starts: the employer has planned the day by then, and a late change must be a
# cancellation with a message instead.
MOVE_CUTOFF = dt.timedelta(hours=12)


class InterviewError(ApplicationError):
    """Booking, moving or cancelling is not possible (the message says why)."""


class SlotTaken(InterviewError):
    def __init__(self) -> None:
        super().__init__(
            "Someone else booked that time a moment ago. Choose another of the times offered."
        )


class InterviewFormat(models.TextChoices):
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone call"
    ONSITE = "onsite", "On-site"


class InterviewSlot(models.Model):
    """A time the employer offers to one or more applicants of a posting."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="interview_slots")
    offered_to = models.ManyToManyField(Application, related_name="offered_slots")
    start = models.DateTimeField()
    end = models.DateTimeField()
    format = models.CharField(max_length=10, choices=InterviewFormat.choices)
    location = models.CharField(
        "link or place",
        max_length=300,
        help_text="The video link, the phone number to call, or the address.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="interview_slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.start)
        return f"{when:%b %-d, %Y %-I:%M %p %Z} ({self.get_format_display()})"


class InterviewStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"


class InterviewQuerySet(models.QuerySet["Interview"]):
    def held(self, now: dt.datetime | None = None) -> InterviewQuerySet:
        """Interviews that took place. The portal records no attendance, so this is the
        honest reading of what it knows: booked, never cancelled, and the slot has ended by
        `now`. (A no-show that nobody cancelled counts as held; one still under way does not.)
        """
        now = now or timezone.now()
        return self.filter(status=InterviewStatus.BOOKED, slot__end__lte=now)


class Interview(models.Model):
    """A booking of one slot by one application. `uid` and `sequence` are the calendar
    invitation's identity: a move keeps the UID and raises SEQUENCE (RFC 5545)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    slot = models.ForeignKey(InterviewSlot, on_delete=models.PROTECT, related_name="interviews")
    status = models.CharField(
        max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.BOOKED
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    booked_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_message = models.TextField(blank=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["slot__start", "pk"]
        constraints = [
            # A slot is booked at most once: the second of two simultaneous bookings fails
            # here even if the row lock were forgotten.
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status="booked"),
                name="interview_one_booking_per_slot",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="booked"),
                name="interview_one_booking_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"Interview for application {self.application_id} at {self.slot}"

    @property
    def is_booked(self) -> bool:
        return self.status == InterviewStatus.BOOKED

    def student_can_move(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.is_booked and self.slot.start - now > MOVE_CUTOFF
