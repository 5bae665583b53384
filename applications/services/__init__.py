"""Every write to applications and interviews goes through here.

Views, admin actions, tasks, the demo seed and the offers app call these functions, so each
rule lives in one place.
"""

from django.core.exceptions import PermissionDenied, ValidationError

from applications.models import (
    AlreadyApplied,
    ApplicationError,
    InterviewError,
    InvalidTransition,
    SlotTaken,
)
from applications.services.applications import (
    MOVE_TARGETS,
    application_close_after_lapsed_offer,
    application_mark_hired,
    application_mark_offered,
    application_move,
    application_note_add,
    application_reject,
    application_staff_reopen,
    application_withdraw,
    applications_close_undecided,
)
from applications.services.interviews import (
    SlotSpec,
    free_slots_for,
    interview_book,
    interview_cancel,
    interview_move,
    interview_slots_offer,
)
from applications.services.submissions import MaterialAnswer, application_submit

__all__ = [
    "MOVE_TARGETS",
    "AlreadyApplied",
    "ApplicationError",
    "InterviewError",
    "InvalidTransition",
    "MaterialAnswer",
    "PermissionDenied",
    "SlotSpec",
    "SlotTaken",
    "ValidationError",
    "application_close_after_lapsed_offer",
    "application_mark_hired",
    "application_mark_offered",
    "application_move",
    "application_note_add",
    "application_reject",
    "application_submit",
    "application_staff_reopen",
    "application_withdraw",
    "applications_close_undecided",
    "free_slots_for",
    "interview_book",
    "interview_cancel",
    "interview_move",
    "interview_slots_offer",
]
