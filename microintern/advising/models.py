"""CAPD advising: the times advisers publish (slots, weekly office hours, busy periods) and
the appointments students book in them.

A slot is one bookable time of one adviser. Weekly office hours are a recipe that generates
slots over a date range (services.office_hours_generate). A slot is open when it is in the
future, nobody holds it, and nothing blocks it: a holiday (the cycle's Holiday table), a busy
period of its adviser, or another appointment of its adviser at an overlapping time.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from applications.models import Application, Interview
from microintern.accounts.models import CAPD_STAFF_GROUP, User
from microintern.cycles.models import Holiday
from offers.models import Offer
from postings.models import Posting


class AdvisingError(Exception):
    """Booking, moving, cancelling or recording is not possible (the message says why)."""


class SlotTaken(AdvisingError):
    def __init__(self) -> None:
        super().__init__(
            "Someone else booked that time a moment ago. Choose another of the open times."
        )


class Topic(models.TextChoices):
    APPLICATION_REVIEW = "application_review", "Application review"
    INTERVIEW_PREPARATION = "interview_preparation", "Interview preparation"
    OFFER_DECISION = "offer_decision", "Deciding on an offer"
    # Shown so that a student who picks it is pointed to the ISO; never booked with CAPD.
    WORK_AUTHORIZATION = "work_authorization", "Work authorization question"


BOOKABLE_TOPICS = [
    Topic.APPLICATION_REVIEW,
    Topic.INTERVIEW_PREPARATION,
    Topic.OFFER_DECISION,
]


class AppointmentFormat(models.TextChoices):
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone call"
    IN_PERSON = "in_person", "In person"


class Length(models.IntegerChoices):
    MIN_15 = 15, "15 minutes"
    MIN_30 = 30, "30 minutes"
    MIN_45 = 45, "45 minutes"


LOCATION_HELP = "The video link, the phone number the adviser calls from, or the room."
TOPICS_HELP = "Comma-separated topic keys; the admin shows them as boxes to tick."


def capd_advisers() -> Q:
    return Q(groups__name=CAPD_STAFF_GROUP, is_active=True, is_staff=True)


def topics_errors(topics: str) -> list[str]:
    chosen = [key for key in topics.split(",") if key]
    if not chosen:
        return ["Choose at least one topic."]
    if any(key not in BOOKABLE_TOPICS for key in chosen):
        return ["Work authorization questions go to the ISO advisors; choose CAPD topics only."]
    return []


class AvailabilityFields(models.Model):
    """What a one-off slot and weekly office hours share."""

    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to=capd_advisers(),
    )
    length_minutes = models.PositiveSmallIntegerField(
        "length", choices=Length.choices, default=Length.MIN_30
    )
    format = models.CharField(max_length=10, choices=AppointmentFormat.choices)
    location = models.CharField("link, phone or room", max_length=300, help_text=LOCATION_HELP)
    topics = models.CharField(
        max_length=120,
        default=",".join(BOOKABLE_TOPICS),
        help_text=TOPICS_HELP,
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        errors = {}
        if self.location is not None and not self.location.strip():
            errors["location"] = "Give the video link, the phone number or the room."
        if problems := topics_errors(self.topics or ""):
            errors["topics"] = problems
        if errors:
            raise ValidationError(errors)

    @property
    def topic_list(self) -> list[str]:
        return [key for key in self.topics.split(",") if key]

    def topic_labels(self) -> str:
        return ", ".join(Topic(key).label for key in self.topic_list if key in Topic.values)


class OfficeHours(AvailabilityFields):
    """Weekly office hours: one weekday, a time window, over a date range. Saving them in the
    admin generates the slots (services.office_hours_generate)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField(help_text="Eastern time.")
    end_time = models.TimeField(help_text="Eastern time; the last slot ends by then.")
    first_date = models.DateField()
    last_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "weekly office hours"
        verbose_name_plural = "weekly office hours"
        ordering = ["first_date", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_date__gte=models.F("first_date")),
                name="office_hours_last_date_after_first",
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="office_hours_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_weekday_display()}s {self.start_time:%-I:%M %p}–{self.end_time:%-I:%M %p}, "
            f"{self.first_date:%b %-d} to {self.last_date:%b %-d, %Y}"
        )

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.first_date and self.last_date:
            if self.last_date < self.first_date:
                errors["last_date"] = "The last date comes before the first."
            elif (self.last_date - self.first_date).days > 366:
                errors["last_date"] = "Publish office hours for at most a year at a time."
        if self.start_time and self.end_time:
            if self.end_time <= self.start_time:
                errors["end_time"] = "The end comes before the start."
            elif self.length_minutes and _minutes(self.end_time) - _minutes(self.start_time) < int(
                self.length_minutes
            ):
                errors["end_time"] = "The window is shorter than one appointment."
        if errors:
            raise ValidationError(errors)


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


class BusyPeriod(models.Model):
    """A time an adviser is away or busy: no slot of theirs overlapping it is open."""

    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to=capd_advisers(),
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="busy_period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.start)
        return f"{self.adviser}: busy from {start:%b %-d, %Y %-I:%M %p %Z}"

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The end comes before the start."})


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"
    HELD = "held", "Held"
    NO_SHOW = "no_show", "No-show"


# The one map of what may follow what. A booked appointment is cancelled, or once its time
# has come, recorded as held or a no-show; an outcome may be corrected, never undone.
TRANSITIONS: dict[str, frozenset[str]] = {
    AppointmentStatus.BOOKED: frozenset(
        {AppointmentStatus.CANCELLED, AppointmentStatus.HELD, AppointmentStatus.NO_SHOW}
    ),
    AppointmentStatus.HELD: frozenset({AppointmentStatus.NO_SHOW}),
    AppointmentStatus.NO_SHOW: frozenset({AppointmentStatus.HELD}),
    AppointmentStatus.CANCELLED: frozenset(),
}
# The statuses that hold a slot: a cancelled appointment frees it.
HOLDING = [AppointmentStatus.BOOKED, AppointmentStatus.HELD, AppointmentStatus.NO_SHOW]


class SlotQuerySet(models.QuerySet["AdvisingSlot"]):
    def serving(self, topic: str) -> SlotQuerySet:
        # Topic keys are distinct words, none inside another: a substring test is exact.
        return self.filter(topics__contains=topic)

    def open(
        self,
        *,
        now: dt.datetime | None = None,
        not_before: dt.datetime | None = None,
        ignoring: int | None = None,
    ) -> SlotQuerySet:
        """Slots a student may book: starting after `not_before` (now plus the booking
        cut-off, say), not held by an appointment, not on a holiday, not in a busy period of
        the adviser and not overlapping another appointment of the adviser. `ignoring` is
        the id of an appointment being moved, which blocks nothing."""
        now = now or timezone.now()
        not_before = not_before or now
        held = Appointment.objects.filter(slot=OuterRef("pk"), status__in=HOLDING)
        busy = BusyPeriod.objects.filter(
            adviser=OuterRef("adviser"), start__lt=OuterRef("end"), end__gt=OuterRef("start")
        )
        other_appointment = Appointment.objects.filter(
            slot__adviser=OuterRef("adviser"),
            status__in=HOLDING,
            slot__start__lt=OuterRef("end"),
            slot__end__gt=OuterRef("start"),
        ).exclude(slot=OuterRef("pk"))
        if ignoring is not None:
            held = held.exclude(pk=ignoring)
            other_appointment = other_appointment.exclude(pk=ignoring)
        holiday = Holiday.objects.filter(date=OuterRef("date"))
        return self.filter(start__gt=not_before).exclude(
            Exists(held) | Exists(busy) | Exists(other_appointment) | Exists(holiday)
        )


class AdvisingSlot(AvailabilityFields):
    """One bookable time of one adviser: a one-off, or generated from office hours."""

    start = models.DateTimeField()
    end = models.DateTimeField(editable=False)
    # The Eastern date of `start`, kept so that a holiday blocks the slot in one indexed join.
    date = models.DateField(editable=False, db_index=True)
    office_hours = models.ForeignKey(
        OfficeHours, on_delete=models.CASCADE, null=True, blank=True, related_name="slots"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = "advising slot"
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["start", "adviser"], name="advising_slot_start_adviser")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="advising_slot_ends_after_start"
            ),
            # Office hours generated twice make the same slots once.
            models.UniqueConstraint(fields=["adviser", "start"], name="advising_slot_unique_start"),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.start)
        return f"{when:%a %b %-d, %Y %-I:%M %p %Z} with {self.adviser} ({self.length_minutes} min)"

    def save(self, *args: object, **kwargs: object) -> None:
        self.end = self.start + dt.timedelta(minutes=int(self.length_minutes))
        self.date = timezone.localtime(self.start).date()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "end", "date"}
        super().save(*args, **kwargs)


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def visible_to(self, user: User) -> AppointmentQuerySet:
        """The site's scope: a student sees their own appointments and nobody else does.
        CAPD staff work with appointments in the admin (its permissions decide there);
        employers, ISO advisors and other students see none of them here."""
        if not (user.is_authenticated and user.is_active and user.is_student):
            return self.none()
        return self.filter(student=user)

    def upcoming(self, now: dt.datetime | None = None) -> AppointmentQuerySet:
        now = now or timezone.now()
        return self.filter(status=AppointmentStatus.BOOKED, slot__start__gt=now)

    def for_pages(self) -> AppointmentQuerySet:
        return self.select_related(
            "slot__adviser",
            "posting__organization",
            "application__posting__organization",
            "interview__slot",
            "interview__application__posting__organization",
            "offer__application__posting__organization",
        )


class Appointment(models.Model):
    """A student's booking of one slot. `uid` and `sequence` are the invitation's identity:
    a move keeps the UID and raises SEQUENCE (RFC 5545)."""

    slot = models.ForeignKey(AdvisingSlot, on_delete=models.PROTECT, related_name="appointments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advising_appointments"
    )
    topic = models.CharField(max_length=30, choices=Topic.choices)
    # What it is about, at most one of them and only the student's own (services check).
    posting = models.ForeignKey(
        Posting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    interview = models.ForeignKey(
        Interview, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField("what the student wants help with", max_length=2000)
    status = models.CharField(
        max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    booked_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_message = models.TextField(blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # CAPD staff only: never rendered on a student's or an employer's page.
    private_note = models.TextField(
        "adviser's private note", blank=True, help_text="Seen by CAPD staff only."
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["slot__start", "pk"]
        constraints = [
            # A slot is held at most once: the second of two simultaneous bookings fails here
            # even if the row lock were forgotten (SQLite has no row locks).
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=HOLDING),
                name="advising_one_appointment_per_slot",
            ),
            models.CheckConstraint(
                condition=(
                    Q(posting__isnull=True, application__isnull=True, interview__isnull=True)
                    | Q(posting__isnull=True, application__isnull=True, offer__isnull=True)
                    | Q(posting__isnull=True, interview__isnull=True, offer__isnull=True)
                    | Q(application__isnull=True, interview__isnull=True, offer__isnull=True)
                ),
                name="advising_about_one_thing",
            ),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.slot.start)
        return f"{self.get_topic_display()} for {self.student}, {when:%b %-d, %Y %-I:%M %p %Z}"

    @property
    def is_booked(self) -> bool:
        return self.status == AppointmentStatus.BOOKED

    def ensure_can_become(self, status: str) -> None:
        if status not in TRANSITIONS[self.status]:
            raise AdvisingError(
                f"A {self.get_status_display().lower()} appointment cannot become "
                f"{AppointmentStatus(status).label.lower()}."
            )

    def student_can_change(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        cutoff = dt.timedelta(hours=settings.ADVISING_CHANGE_CUTOFF_HOURS)
        return self.is_booked and self.slot.start - now > cutoff

    def about(self) -> object | None:
        return self.interview or self.offer or self.application or self.posting

    def about_label(self) -> str:
        if self.interview_id:
            interview = self.interview
            when = timezone.localtime(interview.slot.start)
            return (
                f"Your interview for “{interview.application.posting.title}” "
                f"({when:%b %-d, %-I:%M %p %Z})"
            )
        if self.offer_id:
            posting = self.offer.application.posting
            return f"Your offer for “{posting.title}” from {posting.organization.name}"
        if self.application_id:
            posting = self.application.posting
            return f"Your application to “{posting.title}” ({posting.organization.name})"
        if self.posting_id:
            return f"The posting “{self.posting.title}” ({self.posting.organization.name})"
        return ""
