"""Demo advising: the demo CAPD staff login (staff@example.edu) is an adviser with office
hours over the next two weeks, and the demo student has an appointment booked with them to
prepare for their interview. Idempotent: office hours are published once per adviser, the
appointment once per student. Through the services, so the invitation and notifications are
the real thing.
"""

from __future__ import annotations

import datetime as dt

from applications.models import Interview, InterviewStatus
from microintern.accounts.models import User
from microintern.advising import services
from microintern.advising.models import (
    BOOKABLE_TOPICS,
    Appointment,
    AppointmentFormat,
    OfficeHours,
    Topic,
)
from microintern.advising.selectors import open_slots

ADVISER = "staff@example.edu"
STUDENT = "student@example.edu"
# (weekday, start, end, format, where)
OFFICE_HOURS = [
    (1, dt.time(10), dt.time(12), AppointmentFormat.VIDEO, "https://meet.example.edu/capd-tavi"),
    (3, dt.time(14), dt.time(16), AppointmentFormat.IN_PERSON, "CAPD, Building 12, Room 170"),
]


def seed_advising(today: dt.date) -> list[str]:
    created: list[str] = []
    adviser = User.objects.filter(email=ADVISER).first()
    student = User.objects.filter(email=STUDENT).first()
    if adviser is None or student is None:
        return created
    if not OfficeHours.objects.filter(adviser=adviser).exists():
        for weekday, start, end, format, where in OFFICE_HOURS:
            hours = OfficeHours(
                adviser=adviser,
                weekday=weekday,
                start_time=start,
                end_time=end,
                first_date=today,
                last_date=today + dt.timedelta(days=14),
                length_minutes=30,
                format=format,
                location=where,
                topics=",".join(BOOKABLE_TOPICS),
            )
            hours.full_clean()
            hours.save()
            services.office_hours_generate(office_hours=hours)
        created.append("advising office hours")
    if not Appointment.objects.filter(student=student).exists():
        slot = open_slots(topic=Topic.INTERVIEW_PREPARATION).filter(adviser=adviser).first()
        interview = (
            Interview.objects.filter(application__student=student, status=InterviewStatus.BOOKED)
            .select_related("application")
            .first()
        )
        if slot is not None:
            services.appointment_book(
                student=student,
                slot=slot,
                topic=Topic.INTERVIEW_PREPARATION,
                message="My first interview: I would like to practise how to talk about my "
                "robotics club project.",
                about=services.About(interview=interview),
            )
            created.append("advising appointment")
    return created
