"""Every email this app sends renders (subject, text, HTML) without a template error."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from applications import services
from microintern.notifications.models import EmailState, Notification
from tests.applications.factories import pdf_upload


def test_it_renders_every_kind_it_sends(posting, student, employer):
    application = services.application_submit(
        posting=posting, student=student, resume=pdf_upload(), cover_letter_text="Hi"
    )
    services.application_move(applications=application, by=employer, to_status="interviewing")
    start = timezone.now() + dt.timedelta(days=3)
    first, second = services.interview_slots_offer(
        posting=posting,
        applications=[application],
        slots=[
            services.SlotSpec(start, start + dt.timedelta(minutes=30), "phone", "+1 617 555 0100"),
            services.SlotSpec(
                start + dt.timedelta(hours=2), start + dt.timedelta(hours=3), "onsite", "1 Main St"
            ),
        ],
        by=employer,
    )
    interview = services.interview_book(application=application, slot=first, by=student)
    services.interview_move(interview=interview, slot=second, by=student)
    services.interview_cancel(interview=interview, by=employer, message="Sorry")
    services.application_reject(applications=application, by=employer, message="Thanks")
    sent = Notification.objects.all()
    assert {n.kind for n in sent} == {
        "application_received",
        "application_status_changed",
        "interview_booked",
        "interview_moved",
        "interview_cancelled",
    }
    for notification in sent:
        assert notification.email_state != EmailState.FAILED, notification.last_error
        assert notification.subject and notification.body_text and notification.body_html
        assert "{{" not in notification.body_text and "{%" not in notification.subject
