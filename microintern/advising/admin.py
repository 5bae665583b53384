"""Advising for CAPD staff: publish one-off slots, weekly office hours (saved, they make
their slots) and busy periods; see one's own day and week, or every adviser's appointments,
with filters; record held or no-show with a private note; cancel with a message. States
change only through the services. ISO advisors and MISTI managers hold no permission here
(microintern/accounts/groups.py)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from microintern.advising import services
from microintern.advising.models import (
    BOOKABLE_TOPICS,
    HOLDING,
    TRANSITIONS,
    AdvisingError,
    AdvisingSlot,
    Appointment,
    AppointmentStatus,
    BusyPeriod,
    OfficeHours,
    Topic,
)
from microintern.advising.periods import day_bounds, week_bounds
from microintern.core.admin_actions import confirmation_page, run_each
from microintern.core.admin_privacy import ImmigrationPrivacyMixin


class TopicsField(forms.MultipleChoiceField):
    """The topics a time serves, ticked; stored as comma-separated keys."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: object) -> None:
        kwargs.pop("max_length", None)
        super().__init__(
            choices=[(key, Topic(key).label) for key in BOOKABLE_TOPICS],
            help_text="Work authorization questions go to the ISO advisors, never to CAPD.",
            **kwargs,
        )

    def prepare_value(self, value: object) -> object:
        if isinstance(value, str):
            return [key for key in value.split(",") if key]
        return value

    def clean(self, value: object) -> str:
        chosen = super().clean(value) or []
        return ",".join(key for key in BOOKABLE_TOPICS if key in chosen)


class AvailabilityForm(forms.ModelForm):
    topics = TopicsField(label="Topics")


def _local(value: dt.datetime | None) -> str:
    return f"{timezone.localtime(value):%a %b %-d, %Y, %-I:%M %p %Z}" if value else ""


@admin.register(AdvisingSlot)
class AdvisingSlotAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    form = AvailabilityForm
    list_display = ["when", "adviser", "length_minutes", "format", "topics_served", "held"]
    list_filter = [("adviser", admin.RelatedOnlyFieldListFilter), "format", "length_minutes"]
    list_select_related = ["adviser"]
    search_fields = ["adviser__email", "adviser__full_name", "location"]
    ordering = ["start"]
    fields = ["adviser", "start", "length_minutes", "format", "location", "topics", "office_hours"]
    readonly_fields = ["office_hours"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AdvisingSlot]:
        held = Appointment.objects.filter(slot=OuterRef("pk"), status__in=HOLDING)
        return super().get_queryset(request).annotate(is_held=Exists(held))

    def get_readonly_fields(self, request: HttpRequest, obj: AdvisingSlot | None = None):
        if obj is not None and getattr(obj, "is_held", False):
            # Booked: its time belongs to the invitation both sides have. Cancel or let the
            # student move it instead.
            return [*self.readonly_fields, "adviser", "start", "length_minutes"]
        return self.readonly_fields

    @admin.display(description="when", ordering="start")
    def when(self, obj: AdvisingSlot) -> str:
        return _local(obj.start)

    @admin.display(description="topics")
    def topics_served(self, obj: AdvisingSlot) -> str:
        return obj.topic_labels()

    @admin.display(description="booked", boolean=True)
    def held(self, obj: AdvisingSlot) -> bool:
        return obj.is_held


@admin.register(OfficeHours)
class OfficeHoursAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    form = AvailabilityForm
    list_display = ["__str__", "adviser", "length_minutes", "format"]
    list_filter = [("adviser", admin.RelatedOnlyFieldListFilter), "weekday", "format"]
    list_select_related = ["adviser"]
    fields = [
        "adviser",
        "weekday",
        "start_time",
        "end_time",
        "first_date",
        "last_date",
        "length_minutes",
        "format",
        "location",
        "topics",
    ]

    def save_model(self, request: HttpRequest, obj: OfficeHours, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        made = services.office_hours_generate(office_hours=obj)
        self.message_user(
            request,
            f"{made} slot(s) made for these office hours (holidays and busy periods keep "
            "theirs closed to students).",
            messages.SUCCESS,
        )


@admin.register(BusyPeriod)
class BusyPeriodAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = ["adviser", "start", "end", "reason"]
    list_filter = [("adviser", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["adviser"]


class MineFilter(admin.SimpleListFilter):
    title = "adviser"
    parameter_name = "mine"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("1", "Mine")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Appointment]):
        if self.value() == "1":
            return queryset.filter(slot__adviser=request.user)
        return queryset


class WhenFilter(admin.SimpleListFilter):
    """The adviser's day and week: today, this week, next week; and what is left to record."""

    title = "when"
    parameter_name = "when"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [
            ("today", "Today"),
            ("week", "This week"),
            ("next_week", "Next week"),
            ("upcoming", "Upcoming"),
            ("to_record", "Past, held or no-show not recorded"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Appointment]):
        now = timezone.now()
        value = self.value()
        if value in ("today", "week", "next_week"):
            start, end = {
                "today": lambda: day_bounds(now),
                "week": lambda: week_bounds(now),
                "next_week": lambda: week_bounds(now, 1),
            }[value]()
            return queryset.filter(slot__start__gte=start, slot__start__lt=end).exclude(
                status=AppointmentStatus.CANCELLED
            )
        if value == "upcoming":
            return queryset.filter(status=AppointmentStatus.BOOKED, slot__start__gt=now)
        if value == "to_record":
            return queryset.filter(status=AppointmentStatus.BOOKED, slot__start__lte=now)
        return queryset


class AppointmentForm(forms.ModelForm):
    outcome = forms.ChoiceField(
        label="Record",
        required=False,
        choices=[
            ("", "Nothing yet"),
            (AppointmentStatus.HELD, "Held"),
            (AppointmentStatus.NO_SHOW, "No-show"),
        ],
        help_text="Once the appointment's time has come.",
    )

    class Meta:
        model = Appointment
        fields = ["private_note"]

    def clean_outcome(self) -> str:
        outcome = self.cleaned_data["outcome"]
        if outcome and self.instance.pk and self.instance.slot.start > timezone.now():
            raise forms.ValidationError(
                "This appointment has not started yet; record it afterwards."
            )
        if outcome and outcome not in TRANSITIONS[self.instance.status]:
            raise forms.ValidationError(
                f"A {self.instance.get_status_display().lower()} appointment cannot be recorded so."
            )
        return outcome


class CancelForm(forms.Form):
    message = forms.CharField(
        label="Message to the student",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


@admin.register(Appointment)
class AppointmentAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    form = AppointmentForm
    list_display = ["when", "student", "adviser", "topic", "about", "format", "status"]
    list_filter = [
        MineFilter,
        WhenFilter,
        "status",
        "topic",
        ("slot__adviser", admin.RelatedOnlyFieldListFilter),
        "slot__format",
    ]
    list_select_related = [
        "slot__adviser",
        "student",
        "posting",
        "application__posting",
        "interview__application__posting",
        "offer__application__posting",
    ]
    search_fields = [
        "student__email",
        "student__full_name",
        "slot__adviser__email",
        "slot__adviser__full_name",
    ]
    ordering = ["slot__start", "pk"]
    fields = [
        "when",
        "student",
        "adviser",
        "topic",
        "about",
        "format",
        "location",
        "message",
        "status",
        "booked_at",
        "sequence",
        "cancelled_at",
        "cancelled_by",
        "cancel_message",
        "recorded_at",
        "recorded_by",
        "outcome",
        "private_note",
    ]
    readonly_fields = [
        "when",
        "student",
        "adviser",
        "topic",
        "about",
        "format",
        "location",
        "message",
        "status",
        "booked_at",
        "sequence",
        "cancelled_at",
        "cancelled_by",
        "cancel_message",
        "recorded_at",
        "recorded_by",
    ]
    actions = ["mark_held", "mark_no_show", "cancel_with_message"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Appointment]:
        return super().get_queryset(request).select_related(*self.list_select_related)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # students book on the site

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # cancel instead: the student is told and their calendar updated

    @admin.display(description="when", ordering="slot__start")
    def when(self, obj: Appointment) -> str:
        return _local(obj.slot.start)

    @admin.display(description="adviser", ordering="slot__adviser__full_name")
    def adviser(self, obj: Appointment) -> str:
        return str(obj.slot.adviser)

    @admin.display(description="about (linked application)")
    def about(self, obj: Appointment) -> str:
        if obj.interview_id:
            return f"Interview: {obj.interview.application.posting.title}"
        if obj.offer_id:
            return f"Offer: {obj.offer.application.posting.title}"
        if obj.application_id:
            return f"Application: {obj.application.posting.title}"
        if obj.posting_id:
            return f"Posting: {obj.posting.title}"
        return "–"

    @admin.display(description="format", ordering="slot__format")
    def format(self, obj: Appointment) -> str:
        return obj.slot.get_format_display()

    @admin.display(description="link, phone or room")
    def location(self, obj: Appointment) -> str:
        return obj.slot.location

    def save_model(self, request: HttpRequest, obj: Appointment, form, change: bool) -> None:
        """Through the services: an outcome, or just the private note; never the status by
        hand."""
        outcome = form.cleaned_data.get("outcome")
        note = form.cleaned_data.get("private_note", "")
        try:
            if outcome:
                services.appointment_record_outcome(
                    appointment=obj, by=request.user, status=outcome, note=note
                )
            elif "private_note" in form.changed_data:
                services.appointment_note_save(appointment=obj, by=request.user, note=note)
        except (AdvisingError, PermissionDenied) as exc:
            self.message_user(request, f"Not changed: {exc}", messages.ERROR)
        obj.refresh_from_db()

    def _record(self, request: HttpRequest, queryset: QuerySet[Appointment], status: str):
        run_each(
            self,
            request,
            list(queryset),
            lambda appointment: services.appointment_record_outcome(
                appointment=appointment, by=request.user, status=status
            ),
            refusals=(AdvisingError,),
            done_message="{count} appointment(s) recorded as "
            + AppointmentStatus(status).label.lower()
            + ".",
        )

    @admin.action(description="Record as held")
    def mark_held(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        self._record(request, queryset, AppointmentStatus.HELD)

    @admin.action(description="Record as no-show")
    def mark_no_show(self, request: HttpRequest, queryset: QuerySet[Appointment]) -> None:
        self._record(request, queryset, AppointmentStatus.NO_SHOW)

    @admin.action(description="Cancel, with a message to the student")
    def cancel_with_message(
        self, request: HttpRequest, queryset: QuerySet[Appointment]
    ) -> HttpResponse | None:
        appointments = list(queryset)
        form = CancelForm(request.POST if "confirm" in request.POST else None)
        if "confirm" in request.POST and form.is_valid():
            run_each(
                self,
                request,
                appointments,
                lambda appointment: services.appointment_cancel(
                    appointment=appointment, by=request.user, message=form.cleaned_data["message"]
                ),
                refusals=(AdvisingError,),
                done_message="{count} appointment(s) cancelled; each student was told.",
            )
            return None
        return confirmation_page(
            self,
            request,
            objects=appointments,
            action="cancel_with_message",
            title="Cancel appointments: confirm",
            crumb="Cancel appointments",
            form=form,
        )
