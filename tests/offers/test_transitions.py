"""The transition maps: every decision on an offer is final; arrangements go to arrange ->
proposed -> confirmed, and back to proposed on any change."""

import pytest

from offers.models import (
    ALLOWED_TRANSITIONS,
    ARRANGEMENT_TRANSITIONS,
    ArrangementStatus,
    InvalidTransition,
    Offer,
    OfferStatus,
)

S, A = OfferStatus, ArrangementStatus


def test_it_lets_a_pending_offer_become_accepted_declined_expired_or_rescinded():
    assert ALLOWED_TRANSITIONS[S.PENDING] == {S.ACCEPTED, S.DECLINED, S.EXPIRED, S.RESCINDED}


@pytest.mark.parametrize("final", [S.ACCEPTED, S.DECLINED, S.EXPIRED, S.RESCINDED])
def test_it_keeps_every_decision_final(final):
    assert ALLOWED_TRANSITIONS[final] == frozenset()


def test_it_raises_a_named_error_with_a_clear_message_for_a_second_acceptance():
    offer = Offer(status=S.ACCEPTED)
    with pytest.raises(InvalidTransition, match="already accepted"):
        offer.ensure_can_transition(S.ACCEPTED)


def test_it_lets_a_confirmed_arrangement_go_back_to_proposed_only():
    assert ARRANGEMENT_TRANSITIONS[A.CONFIRMED] == {A.PROPOSED}
    assert ARRANGEMENT_TRANSITIONS[A.TO_ARRANGE] == {A.PROPOSED}
    assert A.CONFIRMED in ARRANGEMENT_TRANSITIONS[A.PROPOSED]
