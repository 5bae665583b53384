"""Views, split by audience: student, employer, arrangements."""

from offers.views.arrangements import arrangement, arrangement_confirm
from offers.views.employer import extend, extension_answer, rescind
from offers.views.student import accept, decline, detail, extension_request

__all__ = [
    "accept",
    "arrangement",
    "arrangement_confirm",
    "decline",
    "detail",
    "extend",
    "extension_answer",
    "extension_request",
    "rescind",
]
