"""The list and detail pages run a fixed number of queries, whatever the page holds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from microintern.core.models import ProgramSettings
from postings.models import FieldOfStudy
from tests.postings import factories

pytestmark = pytest.mark.django_db

# The list page, for a signed-in student:
#  1. the session            2. the user                 3. unread notifications (nav)
#  4. count of the results   5. the page of postings (with their organizations)
#  6. the page's fields of study (one prefetch)          7. which of them the student saved
#  8. which of them the student applied to               9. the field-of-study choices, on
#     the first request only: they are cached (postings.choices) until one changes
LIST_QUERIES = 9
# The detail page, for a signed-in student:
#  1. session  2. user  3. unread notifications  4. the posting (organization, cycle)
#  5. its fields of study  6. its materials  7. program settings (contacts)  8. saved or not
#  9. the student's application to it ("Apply" or "View your application")
# 10. the student's immigration profile (the work-authorization guidance)
# 11. the student's accepted application in the cycle (an acceptance closes the cycle)
DETAIL_QUERIES = 11


def make_postings(count: int) -> None:
    fields = list(FieldOfStudy.objects.all()[:3])
    for posting in factories.PublishedPostingFactory.create_batch(count, fields=fields):
        factories.PostingMaterialFactory(posting=posting)


@pytest.mark.parametrize("count", [1, 20])
def test_it_lists_postings_in_a_fixed_number_of_queries(
    client, student, cycle, django_assert_num_queries, count
):
    make_postings(count)
    client.force_login(student)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("postings:list"), {"q": "micro-intern", "alumni": ""})
    assert len(response.context["postings"]) == count


@pytest.mark.parametrize("count", [1, 20])
def test_it_keeps_the_count_with_filters(client, student, cycle, django_assert_num_queries, count):
    make_postings(count)
    field = FieldOfStudy.objects.first()
    client.force_login(student)
    # The chosen field of study is found among the choices: no lookup by its slug.
    with django_assert_num_queries(LIST_QUERIES):
        client.get(reverse("postings:list"), {"field": field.slug, "paid": "on", "sort": "newest"})


def test_the_filter_choices_are_read_once_for_every_student(
    client, student, cycle, django_assert_num_queries
):
    make_postings(3)
    client.force_login(student)
    client.get(reverse("postings:list"))
    with django_assert_num_queries(LIST_QUERIES - 1):
        response = client.get(reverse("postings:list"), {"q": "micro-intern"})
    assert len(response.context["postings"]) == 3


def test_a_new_field_of_study_is_a_choice_at_once(client, student, cycle):
    client.force_login(student)
    client.get(reverse("postings:list"))
    FieldOfStudy.objects.create(name="Quantum Gardening", slug="quantum-gardening")

    response = client.get(reverse("postings:list"), {"field": "quantum-gardening"})

    assert '<option value="quantum-gardening" selected>Quantum Gardening</option>' in (
        response.content.decode()
    )
    assert not response.context["ignored_filters"]


def test_a_removed_field_of_study_is_no_longer_a_choice(client, student, cycle):
    client.force_login(student)
    client.get(reverse("postings:list"))
    FieldOfStudy.objects.get(slug="biology").delete()

    response = client.get(reverse("postings:list"), {"field": "biology"})

    assert 'value="biology"' not in response.content.decode()
    assert [item.name for item in response.context["ignored_filters"]] == ["field"]


@pytest.mark.parametrize("materials", [0, 10])
def test_it_shows_a_posting_in_a_fixed_number_of_queries(
    client, student, cycle, django_assert_num_queries, materials
):
    posting = factories.PublishedPostingFactory(fields=list(FieldOfStudy.objects.all()[:5]))
    factories.PostingMaterialFactory.create_batch(materials, posting=posting)
    ProgramSettings.load()  # the row exists in every real database (created on first use)
    client.force_login(student)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(reverse("postings:detail", args=[posting.pk]))
    assert response.status_code == 200


def test_students_running_the_same_search_share_its_count(
    client, student, other_student, cycle, django_assert_num_queries
):
    make_postings(3)
    client.force_login(student)
    client.get(reverse("postings:list"), {"paid": "on"})
    client.force_login(other_student)
    client.get(reverse("postings:list"))  # this student's session and flags, read once

    # Neither the choices nor the count: both are cached.
    with django_assert_num_queries(LIST_QUERIES - 2):
        response = client.get(reverse("postings:list"), {"paid": "on", "sort": "newest"})
    assert response.context["page"].paginator.count == 3


def test_a_posting_published_since_counts_at_once(client, student, cycle):
    make_postings(2)
    client.force_login(student)
    assert client.get(reverse("postings:list")).context["page"].paginator.count == 2

    factories.PublishedPostingFactory()

    response = client.get(reverse("postings:list"))
    assert response.context["page"].paginator.count == len(response.context["postings"]) == 3
