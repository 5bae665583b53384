"""A global (MISTI) offer raises no OPT or CPT warning: MISTI administers work abroad, and
no authorization checklist opens (DOMAIN.md, International students, rule 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.authorization.helpers import make_profile
from tests.offers import factories

pytestmark = pytest.mark.django_db


def offer_to_opt_student(student, *, is_global: bool):
    make_profile(student, curriculum_has_internship_subject=False)  # pre-completion OPT
    posting = factories.PublishedPostingFactory(is_global=is_global)
    return factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(posting=posting, student=student)
    )


def test_a_global_offer_warns_of_no_authorization_clock(client, student):
    offer = offer_to_opt_student(student, is_global=True)
    client.force_login(student)

    page = client.get(reverse("offers:accept", args=[offer.pk])).content.decode()

    assert "will not arrive" not in page
    assert "Accepting opens your authorization checklist" not in page


def test_a_domestic_offer_still_warns_an_opt_student(client, student):
    offer = offer_to_opt_student(student, is_global=False)
    client.force_login(student)

    page = client.get(reverse("offers:accept", args=[offer.pk])).content.decode()

    assert "Accepting opens your authorization checklist" in page
