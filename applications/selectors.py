"""Reads for pages and invitations: an application's timeline, an interview's hosts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from applications.models import ApplicationStatusChange, Interview, InterviewStatus
from microintern.accounts.models import User
from postings.access import employer_recipients


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    title: str
    detail: str = ""


def _when(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%b %-d, %Y, %-I:%M %p %Z}"


def timeline(
    history: list[ApplicationStatusChange], interviews: list[Interview]
) -> list[TimelineEntry]:
    """Status changes and interview events in the order they happened. Only what the
    student may see: status messages and interview messages, never private notes."""
    entries = [
        TimelineEntry(
            at=change.at,
            title="Application sent" if not change.from_status else change.get_to_status_display(),
            detail=change.message_to_student,
        )
        for change in history
    ]
    for interview in interviews:
        moved = " (moved since booking)" if interview.sequence and interview.is_booked else ""
        entries.append(
            TimelineEntry(
                at=interview.booked_at,
                title=f"Interview booked for {_when(interview.slot.start)}{moved}",
            )
        )
        if interview.status == InterviewStatus.CANCELLED and interview.cancelled_at:
            entries.append(
                TimelineEntry(
                    at=interview.cancelled_at,
                    title=f"Interview of {_when(interview.slot.start)} cancelled",
                    detail=interview.cancel_message,
                )
            )
    return sorted(entries, key=lambda entry: entry.at)


def interview_hosts(interview: Interview) -> list[User]:
    """The employer's side of an interview: who organizes it, is invited beside the student,
    and is told of each booking, move and cancellation.

    The member who offered the slot, while they are an active member of the posting's
    organization; otherwise (they left, or CAPD staff offered it) every active member, so
    that someone at the employer hears of it. The first one organizes the invitation.
    One query; the caller loads `slot` and `application__posting` with the interview.
    """
    members = employer_recipients(interview.application.posting)
    offered_by = [user for user in members if user.pk == interview.slot.created_by_id]
    return offered_by or members
