"""Every write of the advising app: publishing availability, booking, moving, cancelling and
recording appointments.

Each runs in one transaction on rows read with `select_for_update`. The student's and the
adviser's user rows are locked first, in that order: the adviser's lock makes two bookings of
the same adviser (the last slot, or two overlapping slots) wait for each other, and the
student's lock keeps the limit of upcoming appointments true under two tabs clicking at once.
A partial unique constraint on held slots catches what a lock cannot (SQLite has no row
locks). Notifications go into the outbox in the same transaction and are delivered after
commit; both sides get the calendar invitation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Interview
from microintern.accounts.models import CAPD_STAFF_GROUP, User
from microintern.advising.calendar import appointment_ics, ics_content_type, ics_filename
from microintern.advising.models import (
    BOOKABLE_TOPICS,
    HOLDING,
    AdvisingError,
    AdvisingSlot,
    Appointment,
    AppointmentStatus,
    OfficeHours,
    SlotTaken,
    Topic,
)
from microintern.notifications.services import notify
from offers.models import Offer
from postings.models import Posting

ISO_MESSAGE = (
    "Work authorization questions (CPT, OPT, Academic Training) are answered by the "
    "international students office (ISO), not by CAPD: write to your ISO advisor."
)


def booking_cutoff() -> dt.timedelta:
    return dt.timedelta(hours=settings.ADVISING_BOOKING_CUTOFF_HOURS)


def change_cutoff() -> dt.timedelta:
    return dt.timedelta(hours=settings.ADVISING_CHANGE_CUTOFF_HOURS)


def is_adviser(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or user.in_group(CAPD_STAFF_GROUP))
    )


@dataclass(frozen=True)
class About:
    """What an appointment is about: at most one of these, and only the student's own."""

    posting: Posting | None = None
    application: Application | None = None
    interview: Interview | None = None
    offer: Offer | None = None


def _check_about(student: User, about: About) -> None:
    chosen = [thing for thing in (about.posting, about.application, about.interview, about.offer)]
    if sum(thing is not None for thing in chosen) > 1:
        raise AdvisingError("Choose one application, interview or offer, or none.")
    if about.application is not None and about.application.student_id != student.pk:
        raise AdvisingError("That application is not yours. Choose one of your own, or none.")
    if about.interview is not None and about.interview.application.student_id != student.pk:
        raise AdvisingError("That interview is not yours. Choose one of your own, or none.")
    if about.offer is not None and about.offer.student_id != student.pk:
        raise AdvisingError("That offer is not yours. Choose one of your own, or none.")
    if (
        about.posting is not None
        and not Posting.objects.published().filter(pk=about.posting.pk).exists()
    ):
        raise AdvisingError("That posting is not open. Choose one of your applications, or none.")


def _lock_users(*users: User) -> None:
    ids = [user.pk for user in users]
    # Always in this order (the caller's), so two services never wait on each other in a loop.
    for pk in ids:
        User.objects.select_for_update().filter(pk=pk).first()


def _open_or_raise(slot: AdvisingSlot, *, topic: str, now: dt.datetime, ignoring: int | None):
    """Read the slot again under its lock and say why it cannot be booked, if it cannot."""
    slot = AdvisingSlot.objects.select_for_update().select_related("adviser").get(pk=slot.pk)
    if slot.start <= now:
        raise AdvisingError("That time has passed. Choose another of the open times.")
    if slot.start - now <= booking_cutoff():
        hours = settings.ADVISING_BOOKING_CUTOFF_HOURS
        raise AdvisingError(
            f"Booking closes {hours} hours before an appointment. Choose a later time."
        )
    if topic not in slot.topic_list:
        raise AdvisingError("That time is not for this topic. Choose another of the open times.")
    holders = Appointment.objects.filter(slot=slot, status__in=HOLDING)
    if ignoring is not None:
        holders = holders.exclude(pk=ignoring)
    if holders.exists():
        raise SlotTaken()
    is_open = AdvisingSlot.objects.open(now=now, ignoring=ignoring).filter(pk=slot.pk).exists()
    if not is_open:
        raise AdvisingError(
            "The adviser is no longer available at that time. Choose another of the open times."
        )
    return slot


def _notify_both(appointment: Appointment, kind: str, *, by: User | None, message: str = ""):
    attachment = (
        ics_filename(appointment),
        appointment_ics(appointment),
        ics_content_type(appointment),
    )
    adviser = appointment.slot.adviser
    for recipient, url in (
        (appointment.student, reverse("advising:detail", args=[appointment.pk])),
        (adviser, reverse("admin:advising_appointment_change", args=[appointment.pk])),
    ):
        notify(
            recipient=recipient,
            kind=kind,
            dedup_key=f"advising:{kind}:{appointment.pk}:{appointment.sequence}:{recipient.pk}",
            context={
                "appointment": appointment,
                "slot": appointment.slot,
                "adviser": adviser,
                "student": appointment.student,
                "by": by,
                "message": message,
                "for_student": recipient.pk == appointment.student_id,
            },
            url=url,
            attachment=attachment,
        )


@transaction.atomic
def appointment_book(
    *,
    student: User,
    slot: AdvisingSlot,
    topic: str,
    message: str,
    about: About | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """A student books one open slot. A slot booked a moment ago raises SlotTaken; every other
    refusal is an AdvisingError whose message says why. Nothing is written on a refusal."""
    now = now or timezone.now()
    about = about or About()
    if not (student.is_authenticated and student.is_active and student.is_student):
        raise PermissionDenied("Only students book advising appointments.")
    if topic == Topic.WORK_AUTHORIZATION:
        raise AdvisingError(ISO_MESSAGE)
    if topic not in BOOKABLE_TOPICS:
        raise AdvisingError("Choose what the appointment is about.")
    if not message.strip():
        raise AdvisingError("Say in a sentence or two what you would like help with.")
    _check_about(student, about)
    _lock_users(student, slot.adviser)
    limit = settings.ADVISING_MAX_UPCOMING_APPOINTMENTS
    if Appointment.objects.filter(student=student).upcoming(now).count() >= limit:
        raise AdvisingError(
            f"You have {limit} upcoming appointments, the most at a time. Cancel or move one "
            "of them, or book again after the next one."
        )
    slot = _open_or_raise(slot, topic=topic, now=now, ignoring=None)
    appointment = Appointment(
        slot=slot,
        student=student,
        topic=topic,
        message=message.strip(),
        posting=about.posting,
        application=about.application,
        interview=about.interview,
        offer=about.offer,
        booked_at=now,
    )
    appointment.full_clean(exclude=["slot", "student", "posting", "application", "interview"])
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError:
        raise SlotTaken() from None
    _notify_both(appointment, "advising_booked", by=student)
    return appointment


def _lock_appointment(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot__adviser", "student")
        .get(pk=appointment.pk)
    )


@transaction.atomic
def appointment_move(
    *, appointment: Appointment, slot: AdvisingSlot, by: User, now: dt.datetime | None = None
) -> Appointment:
    """The student moves a booked appointment to another open slot serving its topic, until
    the change cut-off. The invitation keeps its UID with a higher SEQUENCE."""
    now = now or timezone.now()
    if by.pk != appointment.student_id:
        raise PermissionDenied("Only the student moves their appointment.")
    _lock_users(by, slot.adviser)
    appointment = _lock_appointment(appointment)
    if not appointment.is_booked:
        raise AdvisingError(
            f"This appointment is {appointment.get_status_display().lower()}; book a new one."
        )
    if not appointment.student_can_change(now):
        hours = settings.ADVISING_CHANGE_CUTOFF_HOURS
        raise AdvisingError(
            f"Appointments can be moved or cancelled up to {hours} hours before they start. "
            f"Write to CAPD at {settings.CAPD_CONTACT_EMAIL} instead."
        )
    if slot.pk == appointment.slot_id:
        raise AdvisingError("That is already the time of your appointment.")
    new_slot = _open_or_raise(slot, topic=appointment.topic, now=now, ignoring=appointment.pk)
    appointment.slot = new_slot
    appointment.sequence += 1
    try:
        with transaction.atomic():
            appointment.save(update_fields=["slot", "sequence"])
    except IntegrityError:
        raise SlotTaken() from None
    _notify_both(appointment, "advising_moved", by=by)
    return appointment


@transaction.atomic
def appointment_cancel(
    *, appointment: Appointment, by: User, message: str = "", now: dt.datetime | None = None
) -> Appointment:
    """The student cancels until the change cut-off; an adviser (CAPD staff) at any time
    before the end, with a message for the student. Anyone else is refused."""
    now = now or timezone.now()
    appointment = _lock_appointment(appointment)
    by_student = by.pk == appointment.student_id
    if not by_student and not is_adviser(by):
        raise PermissionDenied("Not your appointment.")
    if not appointment.is_booked:
        raise AdvisingError(
            f"This appointment is already {appointment.get_status_display().lower()}."
        )
    if appointment.slot.end <= now:
        raise AdvisingError("This appointment is over; record whether it was held instead.")
    if by_student and not appointment.student_can_change(now):
        hours = settings.ADVISING_CHANGE_CUTOFF_HOURS
        raise AdvisingError(
            f"Appointments can be cancelled up to {hours} hours before they start. "
            f"Write to CAPD at {settings.CAPD_CONTACT_EMAIL} instead."
        )
    appointment.ensure_can_become(AppointmentStatus.CANCELLED)
    appointment.status = AppointmentStatus.CANCELLED
    appointment.sequence += 1
    appointment.cancelled_at = now
    appointment.cancelled_by = by
    appointment.cancel_message = message.strip()[:2000]
    appointment.save(
        update_fields=["status", "sequence", "cancelled_at", "cancelled_by", "cancel_message"]
    )
    _notify_both(appointment, "advising_cancelled", by=by, message=appointment.cancel_message)
    return appointment


@transaction.atomic
def appointment_record_outcome(
    *,
    appointment: Appointment,
    by: User,
    status: str,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """After its start, an adviser records the appointment as held or a no-show, with an
    optional private note (CAPD staff only)."""
    now = now or timezone.now()
    if not is_adviser(by):
        raise PermissionDenied("Only CAPD staff record appointments.")
    if status not in (AppointmentStatus.HELD, AppointmentStatus.NO_SHOW):
        raise AdvisingError("Record the appointment as held or as a no-show.")
    appointment = _lock_appointment(appointment)
    if appointment.slot.start > now:
        raise AdvisingError("This appointment has not started yet; record it afterwards.")
    appointment.ensure_can_become(status)
    appointment.status = status
    appointment.recorded_at = now
    appointment.recorded_by = by
    fields = ["status", "recorded_at", "recorded_by"]
    if note is not None:
        appointment.private_note = note.strip()
        fields.append("private_note")
    appointment.save(update_fields=fields)
    return appointment


@transaction.atomic
def appointment_note_save(*, appointment: Appointment, by: User, note: str) -> Appointment:
    if not is_adviser(by):
        raise PermissionDenied("Only CAPD staff write advising notes.")
    appointment = _lock_appointment(appointment)
    appointment.private_note = note.strip()
    appointment.save(update_fields=["private_note"])
    return appointment


@transaction.atomic
def office_hours_generate(*, office_hours: OfficeHours, now: dt.datetime | None = None) -> int:
    """Make the slots of weekly office hours: every matching weekday of the range, one slot
    per length from the start time while it ends by the end time, in the future, and not
    overlapping a slot the adviser has already. Safe to run again (it makes only what is
    missing). Holidays and busy periods are not skipped here but block the slots when
    students look, so that a holiday removed later reopens them. Returns how many it made."""
    now = now or timezone.now()
    length = dt.timedelta(minutes=int(office_hours.length_minutes))
    zone = timezone.get_current_timezone()
    starts = []
    day = office_hours.first_date
    while day <= office_hours.last_date:
        if day.weekday() == office_hours.weekday:
            start = dt.datetime.combine(day, office_hours.start_time, tzinfo=zone)
            window_end = dt.datetime.combine(day, office_hours.end_time, tzinfo=zone)
            while start + length <= window_end:
                if start > now:
                    starts.append(start)
                start += length
        day += dt.timedelta(days=1)
    if not starts:
        return 0
    existing = list(
        AdvisingSlot.objects.filter(
            adviser=office_hours.adviser, start__lt=starts[-1] + length, end__gt=starts[0]
        ).values_list("start", "end")
    )
    new = [
        AdvisingSlot(
            adviser=office_hours.adviser,
            office_hours=office_hours,
            start=start,
            end=start + length,
            date=start.date(),
            length_minutes=office_hours.length_minutes,
            format=office_hours.format,
            location=office_hours.location,
            topics=office_hours.topics,
        )
        for start in starts
        if not any(start < end and start + length > begin for begin, end in existing)
    ]
    AdvisingSlot.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
