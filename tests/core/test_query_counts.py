"""Every page runs the same number of queries with 5 rows as with 50, and at most 12.

Each test fills the page's lists with 5 rows, counts the queries of one request, adds 45 more
rows and counts again: a template loop, a `__str__` or a filter that touches a relation per
row makes the second count larger. The lists are paginated, so 50 rows also cross a page.
The benchmark (make bench-scale) measures the same pages at university scale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationStatusChange
from authorization.models import ChecklistItem
from microintern.notifications.models import Notification
from postings import choices
from postings.models import FieldOfStudy, PostingStatus, PostingStatusChange
from tests.applications import factories as app_factories
from tests.authorization.helpers import open_case
from tests.offers import factories as offer_factories
from tests.postings import factories as posting_factories

pytestmark = pytest.mark.django_db

FEW, MANY = 5, 50
MOST = 12


def queries(client: Client, url: str, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200, response.status_code
    return len(captured.captured_queries)


def assert_flat(client: Client, url: str, grow: Callable[[int], None], data=None) -> int:
    """The page's queries with FEW rows and with MANY rows: equal, and at most MOST."""
    grow(FEW)
    queries(client, url, data)  # warm the caches a first request fills (program settings...)
    few = queries(client, url, data)
    grow(MANY - FEW)
    many = queries(client, url, data)
    assert few == many <= MOST, (few, many)
    return many


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


# --- home, for each role --------------------------------------------------------------------


def test_it_shows_the_anonymous_home_in_a_fixed_number_of_queries(client, cycle):
    assert_flat(
        client, reverse("home"), lambda n: posting_factories.PublishedPostingFactory.create_batch(n)
    )


def test_it_shows_the_students_home_in_a_fixed_number_of_queries(client, student, cycle):
    def grow(n: int) -> None:
        for _ in range(n):
            offer_factories.PendingOfferFactory(application__student=student)
            app_factories.InterviewingApplicationFactory(student=student)

    assert_flat(login(client, student), reverse("home"), grow)


def test_it_shows_the_employers_home_in_a_fixed_number_of_queries(client, employer, org_a, posting):
    def grow(n: int) -> None:
        for _ in range(n):
            app_factories.SubmittedApplicationFactory(
                posting=posting_factories.PublishedPostingFactory(
                    organization=org_a, created_by=employer
                )
            )
            offer_factories.ArrangementFactory(offer__application__posting=posting)
            offer_factories.ExtensionRequestFactory(
                offer=offer_factories.PendingOfferFactory(application__posting=posting)
            )

    assert_flat(login(client, employer), reverse("home"), grow)


def test_it_bounds_the_employers_to_do_list_and_keeps_it_to_its_organization(
    client, employer, org_a, org_b, posting
):
    elsewhere = posting_factories.PublishedPostingFactory(organization=org_b)
    offer_factories.ArrangementFactory(offer__application__posting=elsewhere)
    for _ in range(15):
        offer_factories.ArrangementFactory(offer__application__posting=posting)
    to_do = login(client, employer).get(reverse("home")).context["to_do"]
    arrangements = [item for item in to_do if "/arrangement/" in item.url]
    assert len(arrangements) == 10
    assert all(elsewhere.title not in item.text for item in to_do)


# --- postings -------------------------------------------------------------------------------


def grow_postings(n: int) -> None:
    fields = list(FieldOfStudy.objects.all()[:3])
    for posting in posting_factories.PublishedPostingFactory.create_batch(
        n, fields=fields, title="Robots to calibrate"
    ):
        posting_factories.PostingMaterialFactory(posting=posting)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"q": "robots"},
        {"q": "micro-intern"},
        {"q": "robots", "paid": "on", "scope": "domestic"},
        {"alumni": "on", "location": "remote", "sort": "newest"},
    ],
    ids=["plain", "keyword", "label", "keyword-and-filters", "filters"],
)
def test_it_lists_postings_in_a_fixed_number_of_queries(client, student, cycle, data, monkeypatch):
    # The search's count is shared for a minute (postings.choices), and the new postings
    # start a new count: counted on every request here, so both requests do the same work.
    monkeypatch.setattr(choices, "COUNT_SECONDS", 0)
    assert_flat(login(client, student), reverse("postings:list"), grow_postings, data)


def test_it_shows_a_posting_to_its_employer_in_a_fixed_number_of_queries(client, employer, posting):
    def grow(n: int) -> None:
        for _ in range(n):
            posting_factories.PostingMaterialFactory(posting=posting)
            PostingStatusChange.objects.create(
                posting=posting, from_status="", to_status=PostingStatus.PUBLISHED, by=employer
            )

    assert_flat(login(client, employer), reverse("postings:detail", args=[posting.pk]), grow)


def test_it_shows_the_saved_page_in_a_fixed_number_of_queries(client, student, cycle):
    made = iter(range(1000))

    def grow(n: int) -> None:
        for _ in range(n):
            posting_factories.SavedPostingFactory(user=student)
            posting_factories.SavedSearchFactory(
                user=student, query_string=f"q=robot{next(made)}&field=999"
            )

    assert_flat(login(client, student), reverse("postings:saved"), grow)


def test_it_pages_the_saved_postings_and_searches(client, student, cycle):
    posting_factories.SavedPostingFactory.create_batch(25, user=student)
    for i in range(22):
        posting_factories.SavedSearchFactory(user=student, query_string=f"q=robot{i}")
    page = login(client, student).get(reverse("postings:saved"), {"searches": 2})
    assert len(page.context["saves"]) == 20
    assert len(page.context["searches"]) == 2
    html = page.content.decode()
    assert "Saved postings 1–20 of 25" in html and "Saved searches 21–22 of 22" in html
    assert 'href="?searches=2&amp;page=2"' in html  # the next saved postings, searches kept


def test_it_shows_the_employers_dashboard_in_a_fixed_number_of_queries(
    client, employer, org_a, cycle
):
    def grow(n: int) -> None:
        for i in range(n):
            factory = [
                posting_factories.PublishedPostingFactory,
                posting_factories.DraftPostingFactory,
                posting_factories.ChangesRequestedPostingFactory,
            ][i % 3]
            posting = factory(organization=org_a, created_by=employer)
            PostingStatusChange.objects.create(
                posting=posting, to_status=posting.status, by=employer, comment="Looks good"
            )
            app_factories.SubmittedApplicationFactory(posting=posting)

    assert_flat(login(client, employer), reverse("postings:dashboard"), grow)


def test_it_pages_the_employers_dashboard(client, employer, org_a, cycle):
    posting_factories.DraftPostingFactory.create_batch(27, organization=org_a, created_by=employer)
    posting_factories.PublishedPostingFactory.create_batch(
        3, organization=org_a, created_by=employer
    )
    html = login(client, employer).get(reverse("postings:dashboard")).content.decode()
    assert "Postings 1–25 of 30" in html
    assert '<span class="badge bg-secondary">27</span>' in html  # the group's total
    second = client.get(reverse("postings:dashboard"), {"page": 2})
    assert len(second.context["postings"]) == 5


# --- applications ---------------------------------------------------------------------------


def test_it_shows_my_applications_in_a_fixed_number_of_queries(client, student, cycle):
    def grow(n: int) -> None:
        for _ in range(n):
            app_factories.InterviewFactory(
                application=app_factories.InterviewingApplicationFactory(student=student)
            )

    assert_flat(login(client, student), reverse("applications:mine"), grow)


def test_it_pages_my_applications(client, student, cycle):
    app_factories.SubmittedApplicationFactory.create_batch(23, student=student)
    page = login(client, student).get(reverse("applications:mine"), {"page": 2})
    assert len(page.context["applications"]) == 3
    assert "Applications 21–23 of 23" in page.content.decode()


def test_it_shows_an_application_to_its_student_in_a_fixed_number_of_queries(
    client, student, posting
):
    application = app_factories.SubmittedApplicationFactory(student=student, posting=posting)

    def grow(n: int) -> None:
        for _ in range(n):
            ApplicationStatusChange.objects.create(
                application=application, from_status="submitted", to_status="submitted"
            )

    url = reverse("applications:detail", args=[application.pk])
    assert_flat(login(client, student), url, grow)


# --- notifications, offers, authorization ---------------------------------------------------


_made = iter(range(100_000))


def notifications_to(user, n: int, **fields) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind="test",
            dedup_key=f"test:{next(_made)}",
            subject="Something happened",
            body_text="Something happened.",
            url="/",
            to_email=user.email,
            **fields,
        )
        for _ in range(n)
    )


def test_it_shows_the_inbox_in_a_fixed_number_of_queries(client, student):
    def grow(n: int) -> None:
        notifications_to(student, n)

    assert_flat(login(client, student), reverse("notifications:inbox"), grow)


def test_it_shows_an_offer_in_a_fixed_number_of_queries(client, student, cycle):
    offer = offer_factories.PendingOfferFactory(application__student=student)

    def grow(n: int) -> None:
        for _ in range(n):
            ApplicationStatusChange.objects.create(
                application=offer.application, from_status="offered", to_status="offered"
            )
            offer_factories.PendingOfferFactory(application__student=student)

    assert_flat(login(client, student), reverse("offers:detail", args=[offer.pk]), grow)


def test_it_shows_the_students_authorization_in_a_fixed_number_of_queries(client, intl_student):
    case = open_case(intl_student)
    position = iter(range(100, 1000))

    def grow(n: int) -> None:
        for _ in range(n):
            ChecklistItem.objects.create(
                case=case,
                key=f"step-{(p := next(position))}",
                position=p,
                title="Another step",
                due_date=timezone.localdate() + dt.timedelta(days=3),
            )

    assert_flat(login(client, intl_student), reverse("authorization:mine"), grow)


# --- the admin index, for each staff role ----------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "iso_advisor", "misti_manager"])
def test_it_shows_the_admin_index_in_a_fixed_number_of_queries(client, role, request, cycle):
    """The "waiting for you" counts, the funnel link and the app list, as each staff group
    (members of their real groups, not superusers) opens the admin."""
    user = request.getfixturevalue(role)

    def grow(n: int) -> None:
        for _ in range(n):
            posting_factories.SubmittedPostingFactory(is_global=True, cycle=cycle)
            posting_factories.OrganizationFactory(verified=False)
            offer = offer_factories.PendingOfferFactory()
            offer_factories.ExtensionRequestFactory(offer=offer)
        notifications_to(user, n, email_state="failed")

    assert_flat(login(client, user), reverse("admin:index"), grow)
