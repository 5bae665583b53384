"""The list's cards are cached (postings.choices.with_cards): shared by everyone, changed at
once when what they show changes, and never carrying one reader's badges to another."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from postings.models import FieldOfStudy
from tests.postings import factories

pytestmark = pytest.mark.django_db
CARD = "postings/_card_body.html"


def list_page(client, **query):
    return client.get(reverse("postings:list"), query)


def rendered_cards(response) -> int:
    return sum(template.name == CARD for template in response.templates)


def card_of(response, posting) -> str:
    """The HTML of one posting's card, from its title to the end of its list item."""
    html = response.content.decode()
    start = html.index(reverse("postings:detail", args=[posting.pk]))
    return html[start : html.index("</div></li>", start)]


def test_the_second_reader_gets_the_same_cards_without_rendering_them(
    client, student, other_student, cycle
):
    factories.PublishedPostingFactory.create_batch(3, fields=list(FieldOfStudy.objects.all()[:2]))
    client.force_login(student)
    first = list_page(client)
    client.force_login(other_student)

    second = list_page(client)

    assert rendered_cards(first) == 3
    assert rendered_cards(second) == 0
    postings = second.context["postings"]
    assert [card_of(second, p) for p in postings] == [card_of(first, p) for p in postings]
    assert "Fields: " in card_of(second, postings[0])


def test_each_reader_sees_only_their_own_saved_and_applied_badges_on_a_cached_card(
    client, student, other_student, cycle
):
    posting = factories.PublishedPostingFactory()
    factories.SavedPostingFactory(user=student, posting=posting)
    Application.objects.create(posting=posting, student=student)
    client.force_login(student)
    mine = card_of(list_page(client), posting)
    client.force_login(other_student)

    theirs = list_page(client)

    assert rendered_cards(theirs) == 0  # the card came from the cache
    assert "Saved</span>" in mine and "Applied</span>" in mine
    assert "Saved</span>" not in card_of(theirs, posting)
    assert "Applied</span>" not in card_of(theirs, posting)


def test_a_change_to_what_a_card_shows_appears_at_once(client, student, cycle):
    field = FieldOfStudy.objects.order_by("name").first()
    posting = factories.PublishedPostingFactory(fields=[field], country="United States")
    client.force_login(student)
    list_page(client)

    posting.country = "Portugal"
    posting.save()
    assert "Portugal" in card_of(list_page(client), posting)

    posting.organization.name = "Renamed Robotics"
    posting.organization.save()
    assert "Renamed Robotics" in card_of(list_page(client), posting)

    field.name = "Renamed field"
    field.save()
    assert "Renamed field" in card_of(list_page(client), posting)

    other = FieldOfStudy.objects.exclude(pk=field.pk).order_by("name").first()
    posting.fields_of_study.set([other])
    card = card_of(list_page(client), posting)
    assert other.name in card and "Renamed field" not in card


def test_the_days_left_count_down_the_next_day(client, student, cycle):
    posting = factories.PublishedPostingFactory(
        deadline=timezone.now().replace(microsecond=0) + dt.timedelta(days=10, hours=1)
    )
    client.force_login(student)
    today = card_of(list_page(client), posting)

    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        tomorrow = card_of(list_page(client), posting)

    days = (timezone.localdate(posting.deadline) - timezone.localdate()).days
    assert f"({days} days left)" in today
    assert f"({days - 1} days left)" in tomorrow
