"""Who sees and does what: another student, another organization or any staff role (staff
use the admin) gets 404 on the offer page, the arrangement and every offer action; GET never
changes state."""

import pytest
from django.urls import reverse

from authorization.models import AccessLogEntry
from offers.models import Offer, OfferStatus
from tests.authorization.helpers import make_profile
from tests.offers import factories

STUDENT_ACTIONS = ["offers:accept", "offers:decline", "offers:extension_request"]
EMPLOYER_ACTIONS = ["offers:rescind"]
ALL_ACTIONS = [*STUDENT_ACTIONS, *EMPLOYER_ACTIONS]

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


STAFF_ROLES = ["staff", "iso_advisor", "misti_manager", "superuser"]


@pytest.mark.parametrize("who", ["student", "employer"])
def test_it_shows_the_offer_page_to_the_student_and_the_organization(client, offer, request, who):
    response = login(client, request.getfixturevalue(who)).get(
        reverse("offers:detail", args=[offer.pk])
    )
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["other_student", "other_employer", *STAFF_ROLES])
def test_it_answers_404_on_the_offer_page_to_outsiders(client, offer, request, who):
    response = login(client, request.getfixturevalue(who)).get(
        reverse("offers:detail", args=[offer.pk])
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["other_student", "other_employer", *STAFF_ROLES])
@pytest.mark.parametrize("name", ALL_ACTIONS)
def test_it_answers_404_on_every_action_to_outsiders(client, offer, request, who, name):
    response = login(client, request.getfixturevalue(who)).post(
        reverse(name, args=[offer.pk]), {"reason": "x", "days": 1}
    )
    assert response.status_code == 404
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.PENDING


@pytest.mark.parametrize("who", ["other_student", "other_employer", *STAFF_ROLES])
def test_it_answers_404_on_the_arrangement_to_outsiders(client, request, who):
    arrangement = factories.ArrangementFactory()
    response = login(client, request.getfixturevalue(who)).get(
        reverse("offers:arrangement", args=[arrangement.offer_id])
    )
    assert response.status_code == 404


def test_it_answers_404_to_the_employer_on_the_students_accept(client, offer, employer):
    response = login(client, employer).post(reverse("offers:accept", args=[offer.pk]))
    assert response.status_code == 404
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.PENDING


def test_it_answers_404_on_extend_to_another_organization(client, application, other_employer):
    response = login(client, other_employer).get(reverse("offers:extend", args=[application.pk]))
    assert response.status_code == 404


def test_it_answers_404_on_an_extension_answer_to_another_organization(client, other_employer):
    extension = factories.ExtensionRequestFactory()
    response = login(client, other_employer).post(
        reverse("offers:extension_answer", args=[extension.pk]), {"days_granted": 2}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name", ["offers:detail", "offers:accept", "offers:decline", "offers:rescind"]
)
def test_get_never_changes_state(client, offer, student, employer, name):
    who = employer if name == "offers:rescind" else student
    login(client, who).get(reverse(name, args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    assert offer.status_changes.count() == 0


def test_it_sends_anonymous_visitors_to_log_in(client, offer):
    response = client.get(reverse("offers:detail", args=[offer.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_get_on_the_arrangement_and_extend_pages_changes_nothing(
    client, employer, posting, student
):
    arrangement = factories.ArrangementFactory(
        offer=factories.AcceptedOfferFactory(
            application=factories.OfferedApplicationFactory(
                posting=posting, student=student, status="hired"
            )
        )
    )
    application = factories.InterviewingApplicationFactory(posting=posting)
    login(client, employer)
    client.get(reverse("offers:arrangement", args=[arrangement.offer_id]))
    client.get(reverse("offers:extend", args=[application.pk]))
    arrangement.refresh_from_db()
    application.refresh_from_db()
    assert arrangement.status == "to_arrange" and arrangement.status_changes.count() == 0
    assert application.status == "interviewing" and not application.offers.exists()


# --- work authorization: the student, the employer (pending / confirmed / at risk), nobody else


@pytest.fixture
def authorized_pending_arrangement(posting, student):
    """An international student's accepted offer, its arrangement and an open case."""
    from authorization.services import case_open_for_acceptance

    arrangement = factories.ArrangementFactory(
        offer=factories.AcceptedOfferFactory(
            application=factories.OfferedApplicationFactory(
                posting=posting, student=student, status="hired"
            )
        )
    )
    make_profile(student)
    case = case_open_for_acceptance(
        student=student,
        start_date=arrangement.start_date,
        accepted_at=arrangement.offer.decided_at,
    )
    arrangement.offer.authorization_case = case  # the link offer_accept keeps
    arrangement.offer.save(update_fields=["authorization_case"])
    return arrangement


def test_it_tells_the_employer_the_work_authorization_is_pending(
    client, employer, authorized_pending_arrangement
):
    page = login(client, employer).get(
        reverse("offers:arrangement", args=[authorized_pending_arrangement.offer_id])
    )
    assert "Work authorization: pending" in page.content.decode()


@pytest.mark.parametrize("name", ["offers:detail", "offers:arrangement"])
def test_it_shows_capd_staff_no_work_authorization_status(
    client, staff, authorized_pending_arrangement, name
):
    page = login(client, staff).get(reverse(name, args=[authorized_pending_arrangement.offer_id]))
    assert page.status_code == 404
    assert "Work authorization" not in page.content.decode()


@pytest.mark.parametrize("who", STAFF_ROLES)
def test_it_answers_404_to_every_staff_role_on_confirming_an_arrangement(
    client, request, who, authorized_pending_arrangement
):
    response = login(client, request.getfixturevalue(who)).post(
        reverse("offers:arrangement_confirm", args=[authorized_pending_arrangement.offer_id])
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", STAFF_ROLES)
def test_it_scopes_no_offer_to_any_staff_role(request, who, offer):
    assert not Offer.objects.visible_to(request.getfixturevalue(who)).exists()


@pytest.mark.parametrize("name", ["offers:detail", "offers:arrangement"])
def test_the_employers_look_at_the_authorization_status_is_in_the_access_log(
    client, employer, student, authorized_pending_arrangement, name
):
    login(client, employer).get(reverse(name, args=[authorized_pending_arrangement.offer_id]))

    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.student) == (employer, student)
    assert entry.object_type == "authorization status (employer view)"


def test_the_students_own_look_is_not_logged(client, student, authorized_pending_arrangement):
    login(client, student).get(
        reverse("offers:detail", args=[authorized_pending_arrangement.offer_id])
    )

    assert not AccessLogEntry.objects.exists()
