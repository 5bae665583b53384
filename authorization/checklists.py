"""The steps of each work-authorization route, as the student works through them.

Pure data, no database: the services copy these into ChecklistItem rows when a case opens,
so a later edit here changes new cases only, never a checklist a student is already using.

Due dates count back from the start date. The offsets leave room for the processing times in
the staff-edited route estimates (OPT up to 120 days, CPT and AT about two weeks); a case
opened late gets its overdue steps due on the day it opens, not in the past.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from authorization.eligibility import (
    ROUTE_ACADEMIC_TRAINING,
    ROUTE_CONSULT_ISO,
    ROUTE_CPT,
    ROUTE_PRE_COMPLETION_OPT,
)


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    days_before_start: int
    # Ticking this step means the application has gone in: the case moves to "submitted".
    submits: bool = False


CHECKLISTS: dict[str, tuple[Step, ...]] = {
    ROUTE_CPT: (
        Step(
            "confirm_subject",
            "Confirm the internship subject with your department's program administrator",
            35,
        ),
        Step("support_letter", "Get the CPT support letter from your department", 28),
        Step("submit_request", "Submit your CPT request to the ISO", 21, submits=True),
        Step("receive_i20", "Receive your I-20 with the CPT endorsement", 3),
    ),
    ROUTE_PRE_COMPLETION_OPT: (
        Step("iso_recommendation", "Request the OPT recommendation from your ISO advisor", 100),
        Step("receive_i20", "Receive your I-20 with the OPT recommendation", 95),
        Step(
            "file_i765",
            "File form I-765 with USCIS and pay the fee (no earlier than 90 days before you start)",
            90,
            submits=True,
        ),
        Step("receipt_notice", "Record the USCIS receipt notice", 75),
        Step("ead", "Record your Employment Authorization Document (EAD card)", 0),
    ),
    ROUTE_ACADEMIC_TRAINING: (
        Step(
            "request_at_letter",
            "Request the Academic Training letter from the ISO, with your offer letter",
            21,
            submits=True,
        ),
        Step("receive_at", "Receive your Academic Training authorization", 3),
    ),
    # The rules could not pick a route: the first step is the conversation that does.
    ROUTE_CONSULT_ISO: (
        Step(
            "meet_iso",
            "Meet your ISO advisor to confirm which work-authorization route applies to you",
            30,
            submits=True,
        ),
    ),
}


def steps_for(route: str) -> tuple[Step, ...]:
    return CHECKLISTS.get(route, ())


def due_date(step: Step, *, start_date: dt.date, opened_on: dt.date) -> dt.date:
    """Counted back from the start date, but never before the day the case opened."""
    return max(start_date - dt.timedelta(days=step.days_before_start), opened_on)
