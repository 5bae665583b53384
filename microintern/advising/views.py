"""The student's advising pages: book, my appointments, one appointment (move, cancel, its
invitation). Only students have appointments: everyone else gets 404 here, and CAPD staff
work with appointments in the admin. Actions are POST only; a GET never books."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from microintern.advising import selectors, services
from microintern.advising.calendar import appointment_ics, ics_content_type, ics_filename
from microintern.advising.forms import BookingForm, CancelForm, MoveForm, SlotFilterForm
from microintern.advising.models import (
    AdvisingError,
    AdvisingSlot,
    Appointment,
    AppointmentStatus,
    Topic,
)

SLOTS_PER_PAGE = 20
APPOINTMENTS_PER_PAGE = 20
MOVE_CHOICES = 12


def _student_or_404(request: HttpRequest) -> None:
    if not request.user.is_student:
        raise Http404("Advising appointments are for students.")


def _own_appointment_or_404(request: HttpRequest, pk: int) -> Appointment:
    return get_object_or_404(Appointment.objects.visible_to(request.user).for_pages(), pk=pk)


def _when(slot: AdvisingSlot) -> str:
    return f"{timezone.localtime(slot.start):%a %b %-d, %Y, %-I:%M %p %Z}"


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdecimal() and len(value) <= 6 else 1


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    _student_or_404(request)
    student = request.user
    source = request.POST if request.method == "POST" else request.GET
    posting_id = source.get("posting", "")
    about_choices = selectors.about_choices(
        student,
        posting_id=int(posting_id) if posting_id.isdecimal() and len(posting_id) < 18 else None,
    )
    advisers = [(str(a.pk), str(a)) for a in selectors.advisers_with_open_slots()]
    initial = {name: source.get(name, "") for name in ("topic", "format", "adviser")}
    initial["about"] = source.get("about") or selectors.about_value_for(student, source)
    filters = SlotFilterForm({**initial}, about_choices=about_choices, adviser_choices=advisers)
    topic = filters.value("topic")
    about = filters.value("about")
    booking = BookingForm(
        request.POST if request.method == "POST" else None,
        initial={"topic": topic, "about": about},
    )
    if request.method == "POST" and booking.is_valid():
        data = booking.cleaned_data
        slot = AdvisingSlot.objects.select_related("adviser").filter(pk=data["slot"]).first()
        try:
            if slot is None:
                raise AdvisingError("That time does not exist any more. Choose an open time.")
            appointment = services.appointment_book(
                student=student,
                slot=slot,
                topic=data["topic"],
                message=data["message"],
                about=selectors.resolve_about(student, data["about"]),
            )
        except PermissionDenied:
            raise Http404("Advising appointments are for students.") from None
        except AdvisingError as exc:
            booking.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Appointment booked for {_when(appointment.slot)}. The calendar invitation "
                "is on this page and in your email.",
            )
            return redirect("advising:detail", pk=appointment.pk)
    slots_page = None
    if topic and topic != Topic.WORK_AUTHORIZATION:
        adviser = filters.value("adviser")
        slots = selectors.open_slots(
            topic=topic,
            format=filters.value("format"),
            adviser_id=int(adviser) if adviser else None,
        )
        slots_page = Paginator(slots, SLOTS_PER_PAGE).get_page(_page_number(request))
    status = 400 if request.method == "POST" else 200
    context = {
        "filters": filters,
        "booking": booking,
        "topic": topic,
        "topic_label": Topic(topic).label if topic else "",
        "about": about,
        "slots_page": slots_page,
        "chosen_slot": str(source.get("slot", "")),
        "iso_message": services.ISO_MESSAGE,
        "booking_cutoff_hours": settings.ADVISING_BOOKING_CUTOFF_HOURS,
        "max_upcoming": settings.ADVISING_MAX_UPCOMING_APPOINTMENTS,
        "query_without_page": _query_without_page(filters),
    }
    return render(request, "advising/book.html", context, status=status)


def _query_without_page(filters: SlotFilterForm) -> str:
    return urlencode(
        {name: filters.value(name) for name in ("topic", "about", "format", "adviser")}
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    _student_or_404(request)
    now = timezone.now()
    own = Appointment.objects.visible_to(request.user).for_pages()
    upcoming = list(own.upcoming(now).order_by("slot__start", "pk"))
    others = own.exclude(pk__in=[a.pk for a in upcoming]).order_by("-slot__start", "-pk")
    page = Paginator(others, APPOINTMENTS_PER_PAGE).get_page(_page_number(request))
    return render(
        request,
        "advising/mine.html",
        {
            "upcoming": upcoming,
            "page": page,
            "max_upcoming": settings.ADVISING_MAX_UPCOMING_APPOINTMENTS,
        },
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _own_appointment_or_404(request, pk)
    can_change = appointment.student_can_change()
    move_slots = []
    if can_change:
        move_slots = list(
            selectors.open_slots(topic=appointment.topic, ignoring=appointment.pk).exclude(
                pk=appointment.slot_id
            )[:MOVE_CHOICES]
        )
    context = {
        "appointment": appointment,
        "slot": appointment.slot,
        "can_change": can_change,
        "move_slots": move_slots,
        "cancel_form": CancelForm(),
        "change_cutoff_hours": settings.ADVISING_CHANGE_CUTOFF_HOURS,
        "cancelled_by_adviser": appointment.status == AppointmentStatus.CANCELLED
        and appointment.cancelled_by_id != appointment.student_id,
    }
    return render(request, "advising/detail.html", context)


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _own_appointment_or_404(request, pk)
    form = MoveForm(request.POST)
    slot = None
    if form.is_valid():
        slot = (
            AdvisingSlot.objects.select_related("adviser")
            .filter(pk=form.cleaned_data["slot"])
            .first()
        )
    if slot is None:
        messages.error(request, "Choose one of the open times.")
        return redirect("advising:detail", pk=appointment.pk)
    try:
        services.appointment_move(appointment=appointment, slot=slot, by=request.user)
    except AdvisingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Appointment moved to {_when(slot)}. You and your adviser have a new invitation.",
        )
    return redirect("advising:detail", pk=appointment.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _own_appointment_or_404(request, pk)
    form = CancelForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        services.appointment_cancel(appointment=appointment, by=request.user, message=message)
    except PermissionDenied:
        raise Http404("Not your appointment.") from None
    except AdvisingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Appointment cancelled; your adviser was told.")
    return redirect("advising:detail", pk=appointment.pk)


@login_required
@require_GET
def ics(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _own_appointment_or_404(request, pk)
    response = HttpResponse(
        appointment_ics(appointment),
        content_type=f"{ics_content_type(appointment)}; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(True, ics_filename(appointment))
    response["X-Content-Type-Options"] = "nosniff"
    return response
