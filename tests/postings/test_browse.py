"""The students' list and detail pages: search, each filter, who sees what, saving."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from postings.models import FieldOfStudy, Posting, SavedPosting, SavedSearch
from tests.postings import factories

pytestmark = pytest.mark.django_db
LIST = reverse("postings:list")


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


def titles(response) -> list[str]:
    return [p.title for p in response.context["postings"]]


def test_it_sends_visitors_to_the_login_page(client, cycle):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_it_sends_visitors_to_login_from_a_posting(client, cycle):
    posting = factories.PublishedPostingFactory()
    response = client.get(reverse("postings:detail", args=[posting.pk]))
    assert response.status_code == 302


def test_it_lists_only_published_open_postings(student_client, cycle):
    factories.PublishedPostingFactory(title="Open one")
    factories.DraftPostingFactory(title="A draft")
    factories.SubmittedPostingFactory(title="In review")
    factories.ClosedPostingFactory(title="Closed one")
    expired = factories.PublishedPostingFactory(title="Expired")
    Posting.objects.filter(pk=expired.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    assert titles(student_client.get(LIST)) == ["Open one"]


def test_it_finds_every_posting_with_micro_intern(student_client, cycle):
    factories.PublishedPostingFactory(title="Robot arm calibration")
    factories.PublishedPostingFactory(title="Museum archive")
    assert len(titles(student_client.get(LIST, {"q": "micro-intern"}))) == 2


def test_it_searches_titles(student_client, cycle):
    factories.PublishedPostingFactory(title="Robot arm calibration")
    factories.PublishedPostingFactory(title="Museum archive")
    assert titles(student_client.get(LIST, {"q": "robot"})) == ["Robot arm calibration"]


def test_it_searches_descriptions(student_client, cycle):
    factories.PublishedPostingFactory(title="One", description="Work on glaciers and ice cores.")
    factories.PublishedPostingFactory(title="Two")
    assert titles(student_client.get(LIST, {"q": "glaciers"})) == ["One"]


def test_it_searches_organization_names(student_client, cycle, org_b):
    factories.PublishedPostingFactory(title="One", organization=org_b)
    factories.PublishedPostingFactory(title="Two")
    assert titles(student_client.get(LIST, {"q": "harbor"})) == ["One"]


def test_it_searches_fields_of_study(student_client, cycle):
    physics = FieldOfStudy.objects.get(name="Physics")
    factories.PublishedPostingFactory(title="One", fields=[physics])
    factories.PublishedPostingFactory(title="Two")
    assert titles(student_client.get(LIST, {"q": "physics"})) == ["One"]


def test_it_filters_alumni_hosts(student_client, cycle):
    factories.PublishedPostingFactory(
        title="Hosted", alumni_host=True, alumni_host_name="Ada", alumni_class_year=2001
    )
    factories.PublishedPostingFactory(title="Not hosted")
    assert titles(student_client.get(LIST, {"alumni": "on"})) == ["Hosted"]


def test_it_filters_paid_postings(student_client, cycle):
    factories.PublishedPostingFactory(title="Paid")
    factories.PublishedPostingFactory(
        title="Unpaid", is_paid=False, pay_amount=None, unpaid_approved=True
    )
    assert titles(student_client.get(LIST, {"paid": "on"})) == ["Paid"]


@pytest.mark.parametrize("location", ["remote", "onsite", "hybrid"])
def test_it_filters_by_location_type(student_client, cycle, location):
    for kind in ["remote", "onsite", "hybrid"]:
        factories.PublishedPostingFactory(title=kind, location_type=kind, city="Boston")
    assert titles(student_client.get(LIST, {"location": location})) == [location]


def test_it_filters_global_postings(student_client, cycle):
    factories.PublishedPostingFactory(title="Abroad", is_global=True, country="Japan")
    factories.PublishedPostingFactory(title="Here")
    assert titles(student_client.get(LIST, {"scope": "global"})) == ["Abroad"]


def test_it_filters_domestic_postings(student_client, cycle):
    factories.PublishedPostingFactory(title="Abroad", is_global=True, country="Japan")
    factories.PublishedPostingFactory(title="Here")
    assert titles(student_client.get(LIST, {"scope": "domestic"})) == ["Here"]


def test_it_filters_by_field_of_study(student_client, cycle):
    biology = FieldOfStudy.objects.get(name="Biology")
    factories.PublishedPostingFactory(title="Bio", fields=[biology])
    factories.PublishedPostingFactory(title="Other")
    assert titles(student_client.get(LIST, {"field": biology.slug})) == ["Bio"]


def test_it_filters_deadlines_within_n_days(student_client, cycle):
    factories.PublishedPostingFactory(title="Soon", deadline=timezone.now() + dt.timedelta(days=2))
    factories.PublishedPostingFactory(
        title="Later", deadline=timezone.now() + dt.timedelta(days=20)
    )
    assert titles(student_client.get(LIST, {"within": "7"})) == ["Soon"]


def test_it_combines_search_and_filters(student_client, cycle):
    factories.PublishedPostingFactory(
        title="Robot hosted", alumni_host=True, alumni_host_name="A", alumni_class_year=1999
    )
    factories.PublishedPostingFactory(title="Robot plain")
    response = student_client.get(LIST, {"q": "micro-intern", "alumni": "on"})
    assert titles(response) == ["Robot hosted"]


def test_it_sorts_by_deadline(student_client, cycle):
    factories.PublishedPostingFactory(
        title="Later", deadline=timezone.now() + dt.timedelta(days=20)
    )
    factories.PublishedPostingFactory(
        title="Sooner", deadline=timezone.now() + dt.timedelta(days=3)
    )
    assert titles(student_client.get(LIST, {"sort": "deadline"})) == ["Sooner", "Later"]


def test_it_sorts_by_newest(student_client, cycle):
    factories.PublishedPostingFactory(
        title="Old", published_at=timezone.now() - dt.timedelta(days=5)
    )
    factories.PublishedPostingFactory(title="New", published_at=timezone.now())
    assert titles(student_client.get(LIST, {"sort": "newest"})) == ["New", "Old"]


def test_it_paginates_keeping_the_filters_in_the_links(student_client, cycle):
    factories.PublishedPostingFactory.create_batch(
        21, alumni_host=True, alumni_host_name="A", alumni_class_year=1990
    )
    response = student_client.get(LIST, {"alumni": "on"})
    assert len(response.context["postings"]) == 20
    assert "alumni=on&amp;page=2" in response.content.decode()
    assert len(student_client.get(LIST, {"alumni": "on", "page": "2"}).context["postings"]) == 1


def test_it_ignores_invalid_filter_values(student_client, cycle):
    factories.PublishedPostingFactory(title="One")
    response = student_client.get(LIST, {"within": "999", "sort": "nonsense"})
    assert response.status_code == 200


def test_it_shows_a_posting_with_its_badges_and_deadline(student_client, cycle):
    posting = factories.PublishedPostingFactory(
        title="Alumni robots",
        alumni_host=True,
        alumni_host_name="Ada Lovelace",
        alumni_class_year=1995,
        pay_amount=Decimal("20.00"),
    )
    factories.PostingMaterialFactory(posting=posting, label="Writing sample")
    body = student_client.get(reverse("postings:detail", args=[posting.pk])).content.decode()
    assert "Alumni host" in body and "Ada Lovelace, class of 1995" in body
    assert "Paid 20 USD/h" in body
    assert "Micro-internship" in body
    assert "Writing sample" in body and "Resume" in body and "Cover letter" in body
    local = timezone.localtime(posting.deadline)
    assert local.strftime("%Z") in body  # EST or EDT, the zone is written out
    assert "days left" in body


def test_it_labels_an_unpaid_posting_and_points_to_capd(student_client, cycle):
    posting = factories.PublishedPostingFactory(
        is_paid=False, pay_amount=None, unpaid_approved=True
    )
    body = student_client.get(reverse("postings:detail", args=[posting.pk])).content.decode()
    assert "Unpaid: talk to CAPD first" in body
    assert "capd-microinterns@example.edu" in body


def test_it_labels_a_global_posting_with_misti_guidance(student_client, cycle):
    posting = factories.PublishedPostingFactory(is_global=True, country="Japan")
    body = student_client.get(reverse("postings:detail", args=[posting.pk])).content.decode()
    assert "Global: MISTI" in body
    assert "misti@example.edu" in body


def test_it_sanitizes_markdown_descriptions(student_client, cycle):
    posting = factories.PublishedPostingFactory(
        description_format="markdown",
        description=(
            "## Goals\n\n* **Learn**\n\n<script>alert(1)</script><img src=x onerror=alert(1)>"
        ),
    )
    body = student_client.get(reverse("postings:detail", args=[posting.pk])).content.decode()
    assert "<strong>Learn</strong>" in body
    assert "<h4>Goals</h4>" in body
    assert "<script>alert" not in body and "onerror" not in body


def test_it_escapes_plain_text_descriptions(student_client, cycle):
    posting = factories.PublishedPostingFactory(description="<b>bold</b>\n\nSecond paragraph")
    body = student_client.get(reverse("postings:detail", args=[posting.pk])).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in body
    assert "<p>Second paragraph</p>" in body


@pytest.mark.parametrize(
    "factory",
    [
        factories.DraftPostingFactory,
        factories.SubmittedPostingFactory,
        factories.ChangesRequestedPostingFactory,
        factories.RejectedPostingFactory,
        factories.ClosedPostingFactory,
    ],
)
def test_it_hides_unpublished_postings_from_students(student_client, cycle, factory):
    posting = factory()
    assert student_client.get(reverse("postings:detail", args=[posting.pk])).status_code == 404


def test_it_hides_another_organizations_draft_from_an_employer(
    client, cycle, other_employer, org_a
):
    posting = factories.DraftPostingFactory(organization=org_a)
    client.force_login(other_employer)
    assert client.get(reverse("postings:detail", args=[posting.pk])).status_code == 404


def test_it_shows_a_draft_to_its_organizations_members(client, cycle, employer, org_a):
    posting = factories.DraftPostingFactory(organization=org_a)
    client.force_login(employer)
    assert client.get(reverse("postings:detail", args=[posting.pk])).status_code == 200


def test_it_shows_a_draft_to_capd_staff(client, cycle, staff, org_a):
    posting = factories.DraftPostingFactory(organization=org_a)
    client.force_login(staff)
    assert client.get(reverse("postings:detail", args=[posting.pk])).status_code == 200


def test_it_shows_capd_staff_a_link_to_the_posting_in_the_admin(client, cycle, staff, org_a):
    posting = factories.SubmittedPostingFactory(organization=org_a)
    client.force_login(staff)
    page = client.get(reverse("postings:detail", args=[posting.pk])).content.decode()
    assert "Open in the staff admin" in page


def test_it_hides_a_draft_from_an_iso_advisor(client, cycle, org_a, iso_advisor):
    posting = factories.DraftPostingFactory(organization=org_a)
    client.force_login(iso_advisor)
    assert client.get(reverse("postings:detail", args=[posting.pk])).status_code == 404


def test_it_hides_a_draft_from_a_staff_account_in_no_group(client, cycle, org_a):
    posting = factories.DraftPostingFactory(organization=org_a)
    client.force_login(factories.UserFactory(role="staff", is_staff=True))
    assert client.get(reverse("postings:detail", args=[posting.pk])).status_code == 404


def test_it_shows_a_global_draft_to_a_misti_manager(client, cycle, org_a, misti_manager):
    posting = factories.DraftPostingFactory(organization=org_a, is_global=True)
    client.force_login(misti_manager)
    assert client.get(reverse("postings:detail", args=[posting.pk])).status_code == 200


def test_it_hides_a_domestic_draft_from_a_misti_manager(client, cycle, org_a, misti_manager):
    posting = factories.DraftPostingFactory(organization=org_a, is_global=False)
    client.force_login(misti_manager)
    assert client.get(reverse("postings:detail", args=[posting.pk])).status_code == 404


def test_it_shows_an_iso_advisor_a_published_posting_without_its_status(
    client, cycle, org_a, iso_advisor
):
    posting = factories.PublishedPostingFactory(organization=org_a)
    client.force_login(iso_advisor)
    page = client.get(reverse("postings:detail", args=[posting.pk])).content.decode()
    assert "Open in the staff admin" not in page


def test_it_shows_published_postings_to_other_employers(client, cycle, other_employer, org_a):
    posting = factories.PublishedPostingFactory(organization=org_a)
    client.force_login(other_employer)
    assert client.get(reverse("postings:detail", args=[posting.pk])).status_code == 200


def test_it_saves_a_posting_for_a_student(student_client, student, cycle):
    posting = factories.PublishedPostingFactory()
    student_client.post(reverse("postings:save", args=[posting.pk]))
    assert SavedPosting.objects.filter(user=student, posting=posting).exists()


def test_it_unsaves_on_a_second_toggle(student_client, student, cycle):
    posting = factories.PublishedPostingFactory()
    student_client.post(reverse("postings:save", args=[posting.pk]))
    student_client.post(reverse("postings:save", args=[posting.pk]))
    assert not SavedPosting.objects.filter(user=student).exists()


def test_it_never_saves_on_get(student_client, student, cycle):
    posting = factories.PublishedPostingFactory()
    response = student_client.get(reverse("postings:save", args=[posting.pk]))
    assert response.status_code == 405
    assert not SavedPosting.objects.exists()


def test_it_cannot_save_a_posting_it_cannot_see(student_client, cycle):
    posting = factories.DraftPostingFactory()
    assert student_client.post(reverse("postings:save", args=[posting.pk])).status_code == 404


def test_it_lists_saved_postings(student_client, student, cycle):
    saved = factories.SavedPostingFactory(user=student)
    body = student_client.get(reverse("postings:saved")).content.decode()
    assert saved.posting.title in body


def test_it_saves_a_search_with_its_filters_and_frequency(student_client, student, cycle):
    student_client.post(
        reverse("postings:search_save"),
        {
            "query_string": "q=robot&alumni=on&page=3",
            "frequency": "daily",
            "name": "",
        },
    )
    search = SavedSearch.objects.get(user=student)
    assert (search.query_string, search.frequency, search.name) == (
        "q=robot&alumni=on",
        "daily",
        "“robot”",
    )


def test_it_saves_the_same_search_once(student_client, student, cycle):
    for frequency in ("daily", "weekly"):
        student_client.post(
            reverse("postings:search_save"), {"query_string": "alumni=on", "frequency": frequency}
        )
    assert SavedSearch.objects.get(user=student).frequency == "weekly"


def test_it_deletes_a_saved_search(student_client, student, cycle):
    search = factories.SavedSearchFactory(user=student)
    student_client.post(reverse("postings:search_delete", args=[search.pk]))
    assert not SavedSearch.objects.exists()


def test_it_does_not_delete_another_students_search(student_client, cycle):
    search = factories.SavedSearchFactory()
    response = student_client.post(reverse("postings:search_delete", args=[search.pk]))
    assert response.status_code == 404
    assert SavedSearch.objects.filter(pk=search.pk).exists()


def test_it_shows_each_posting_once_to_an_employer_of_a_large_organization(
    client, cycle, employer, org_a
):
    factories.MembershipFactory(organization=org_a)
    factories.MembershipFactory(organization=org_a)
    posting = factories.PublishedPostingFactory(organization=org_a)
    factories.DraftPostingFactory(organization=org_a)
    assert Posting.objects.visible_to(employer).filter(pk=posting.pk).count() == 1
    client.force_login(employer)
    assert client.get(reverse("postings:detail", args=[posting.pk])).status_code == 200
    assert len(client.get(LIST).context["postings"]) == 1


def test_it_shows_nothing_to_an_inactive_user(cycle, student):
    factories.PublishedPostingFactory()
    student.is_active = False
    assert not Posting.objects.visible_to(student).exists()


def test_the_list_marks_the_postings_a_student_applied_to(client, student, cycle):
    from tests.applications.factories import ApplicationFactory

    applied, other = factories.PublishedPostingFactory.create_batch(2)
    ApplicationFactory(student=student, posting=applied)
    client.force_login(student)

    text = client.get(reverse("postings:list")).content.decode()

    card_of = {p: text.split(p.title, 1)[1].split("</li>", 1)[0] for p in (applied, other)}
    assert "Applied" in card_of[applied]
    assert "Applied" not in card_of[other]
