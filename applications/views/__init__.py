"""Views, split by audience: student, employer, interviews, private files."""

from applications.views.employer import (
    applicants,
    applicants_action,
    applicants_csv,
    note_add,
    slots_offer,
)
from applications.views.files import document, interview_invitation
from applications.views.interviews import book, cancel, move
from applications.views.student import apply, detail, mine, withdraw

__all__ = [
    "applicants",
    "applicants_action",
    "applicants_csv",
    "apply",
    "book",
    "cancel",
    "detail",
    "document",
    "interview_invitation",
    "mine",
    "move",
    "note_add",
    "slots_offer",
    "withdraw",
]
