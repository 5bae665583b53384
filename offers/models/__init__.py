"""Offers, their status history, extension requests, reneging cases, arrangements, and what
each acceptance closed."""

from offers.models.arrangements import (
    ALLOWED_TRANSITIONS as ARRANGEMENT_TRANSITIONS,
)
from offers.models.arrangements import (
    Arrangement,
    ArrangementError,
    ArrangementReminder,
    ArrangementStatus,
    ArrangementStatusChange,
    InvalidArrangementTransition,
    WorkMode,
)
from offers.models.closures import AcceptanceClosure
from offers.models.offers import (
    ALLOWED_TRANSITIONS,
    FINAL_STATUSES,
    STAFF_REVERSALS,
    AnotherOfferAccepted,
    DeadlinePassed,
    ExtensionRequest,
    ExtensionStatus,
    InvalidTransition,
    Offer,
    OfferError,
    OfferQuerySet,
    OfferStatus,
    OfferStatusChange,
    RenegingCase,
    RenegingReason,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "ARRANGEMENT_TRANSITIONS",
    "FINAL_STATUSES",
    "STAFF_REVERSALS",
    "AcceptanceClosure",
    "AnotherOfferAccepted",
    "Arrangement",
    "ArrangementError",
    "ArrangementReminder",
    "ArrangementStatus",
    "ArrangementStatusChange",
    "DeadlinePassed",
    "ExtensionRequest",
    "ExtensionStatus",
    "InvalidArrangementTransition",
    "InvalidTransition",
    "Offer",
    "OfferError",
    "OfferQuerySet",
    "OfferStatus",
    "OfferStatusChange",
    "RenegingCase",
    "RenegingReason",
    "WorkMode",
]
