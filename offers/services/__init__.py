"""Every write to offers, extension requests and arrangements goes through here.

Views, admin actions, tasks, the demo seed and the reminders call these functions, so each
rule lives in one place.
"""

from offers.services.arrangements import (
    ArrangementTerms,
    arrangement_confirm,
    arrangement_propose,
    side_of,
)
from offers.services.extensions import extension_answer, extension_request
from offers.services.offers import (
    OfferTerms,
    offer_accept,
    offer_decline,
    offer_extend,
    offer_rescind,
    offers_expire_due,
    validate_terms,
)
from offers.services.reversals import (
    AcceptanceReversal,
    offer_reverse_acceptance,
    reneging_case_record,
)

__all__ = [
    "AcceptanceReversal",
    "ArrangementTerms",
    "OfferTerms",
    "arrangement_confirm",
    "arrangement_propose",
    "extension_answer",
    "extension_request",
    "offer_accept",
    "offer_decline",
    "offer_extend",
    "offer_rescind",
    "offer_reverse_acceptance",
    "offers_expire_due",
    "reneging_case_record",
    "side_of",
    "validate_terms",
]
