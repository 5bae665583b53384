"""A bad filter value on the list page drops that filter alone, and the page says which:
the other filters still apply, and the search never widens to everything in silence."""

from __future__ import annotations

import pytest
from django.urls import reverse

from postings.models import FieldOfStudy
from tests.postings import factories

pytestmark = pytest.mark.django_db
LIST = reverse("postings:list")


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


def titles(response) -> set[str]:
    return {p.title for p in response.context["postings"]}


def notice(response) -> str:
    page = response.content.decode()
    start = page.find('<div class="alert alert-warning" role="status">')
    return page[start : page.find("</div>", start)] if start >= 0 else ""


@pytest.fixture
def paid_and_unpaid(cycle):
    factories.PublishedPostingFactory(title="Paid remote", location_type="remote")
    factories.PublishedPostingFactory(
        title="Unpaid remote", location_type="remote", is_paid=False, unpaid_approved=True
    )
    factories.PublishedPostingFactory(title="Paid on site", location_type="onsite")


def test_an_unknown_field_of_study_is_ignored_and_the_other_filters_kept(
    student_client, paid_and_unpaid
):
    response = student_client.get(LIST, {"field": "no-such-field", "location": "remote"})
    assert response.status_code == 200
    assert titles(response) == {"Paid remote", "Unpaid remote"}
    assert "Field of study “no-such-field”" in notice(response)


def test_a_checkbox_with_a_nonsense_value_is_ignored_not_taken_as_yes(
    student_client, paid_and_unpaid
):
    response = student_client.get(LIST, {"paid": "banana", "location": "remote"})
    assert titles(response) == {"Paid remote", "Unpaid remote"}
    assert "Paid only “banana”" in notice(response)


def test_an_unknown_location_is_dropped_and_the_known_one_kept(student_client, paid_and_unpaid):
    response = student_client.get(LIST, {"location": ["remote", "moon"]})
    assert titles(response) == {"Paid remote", "Unpaid remote"}
    assert "Location “moon”" in notice(response)


def test_every_bad_value_is_named(student_client, paid_and_unpaid):
    response = student_client.get(LIST, {"within": "999", "sort": "nonsense", "paid": "on"})
    assert titles(response) == {"Paid remote", "Paid on site"}
    assert "Deadline “999”" in notice(response) and "Sort by “nonsense”" in notice(response)


def test_valid_filters_show_no_notice(student_client, paid_and_unpaid):
    field = FieldOfStudy.objects.first()
    response = student_client.get(LIST, {"field": field.slug, "paid": "on"})
    assert notice(response) == ""


def test_the_page_links_and_the_saved_search_leave_the_bad_value_out(
    student_client, paid_and_unpaid
):
    response = student_client.get(LIST, {"field": "no-such-field", "paid": "on"})
    assert response.context["query_string"] == "paid=on"
    assert response.context["save_form"]["query_string"].value() == "paid=on"


def test_the_filters_shown_are_those_in_effect(student_client, paid_and_unpaid):
    page = student_client.get(LIST, {"paid": "banana"}).content.decode()
    assert 'id="id_paid" checked' not in page
