"""Staff: reversing an acceptance (reopens what it closed) and recording reneging cases,
as services and as admin actions; the admin lists with their filters."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from applications.models import ApplicationStatus
from authorization.models import AuthorizationCase, CaseState
from offers import services
from offers.models import Arrangement, OfferStatus, RenegingCase
from tests.authorization.helpers import make_profile
from tests.offers import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(offer, student):
    return services.offer_accept(offer=offer, by=student)


def test_reversal_to_pending_reopens_the_offer_with_a_fresh_deadline(accepted, staff):
    before = accepted.deadline
    services.offer_reverse_acceptance(
        offer=accepted, by=staff, to_status=OfferStatus.PENDING, note="Recorded by mistake."
    )
    accepted.refresh_from_db()
    assert accepted.status == OfferStatus.PENDING and accepted.deadline >= before


def test_reversal_takes_the_application_out_of_hired(accepted, staff):
    services.offer_reverse_acceptance(
        offer=accepted, by=staff, to_status=OfferStatus.DECLINED, note="The student reneged."
    )
    accepted.application.refresh_from_db()
    assert accepted.application.status == ApplicationStatus.WITHDRAWN


def test_reversal_removes_the_arrangement_and_withdraws_the_authorization_case(
    student, staff, posting
):
    make_profile(student)
    offer = factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(posting=posting, student=student)
    )
    services.offer_accept(offer=offer, by=student)
    services.offer_reverse_acceptance(
        offer=offer, by=staff, to_status=OfferStatus.PENDING, note="Mistake."
    )
    assert not Arrangement.objects.filter(offer=offer).exists()
    assert AuthorizationCase.objects.get(accepted_offer=offer).state == CaseState.WITHDRAWN


def test_reversal_reopens_the_applications_and_offers_the_acceptance_closed(
    student, staff, posting, org_b
):
    offer = factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(posting=posting, student=student)
    )
    elsewhere = factories.PublishedPostingFactory(organization=org_b, title="Elsewhere")
    open_application = factories.InterviewingApplicationFactory(posting=elsewhere, student=student)
    third = factories.PublishedPostingFactory(organization=org_b, title="Third")
    other_offer = factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(posting=third, student=student)
    )
    services.offer_accept(offer=offer, by=student)
    open_application.refresh_from_db()
    other_offer.refresh_from_db()
    assert open_application.status == ApplicationStatus.WITHDRAWN
    assert other_offer.status == OfferStatus.DECLINED

    services.offer_reverse_acceptance(
        offer=offer, by=staff, to_status=OfferStatus.DECLINED, note="The student reneged."
    )

    open_application.refresh_from_db()
    other_offer.refresh_from_db()
    other_offer.application.refresh_from_db()
    assert open_application.status == ApplicationStatus.INTERVIEWING
    assert other_offer.status == OfferStatus.PENDING
    assert other_offer.application.status == ApplicationStatus.OFFERED
    assert other_offer.deadline > other_offer.extended_at


def test_reversal_leaves_applications_the_student_withdrew_alone(student, staff, posting, org_b):
    from applications.services import application_withdraw

    offer = factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(posting=posting, student=student)
    )
    elsewhere = factories.PublishedPostingFactory(organization=org_b, title="Elsewhere")
    own_choice = factories.InterviewingApplicationFactory(posting=elsewhere, student=student)
    application_withdraw(application=own_choice, by=student, reason="Not for me.")
    services.offer_accept(offer=offer, by=student)
    services.offer_reverse_acceptance(
        offer=offer, by=staff, to_status=OfferStatus.DECLINED, note="The student reneged."
    )
    own_choice.refresh_from_db()
    assert own_choice.status == ApplicationStatus.WITHDRAWN


def test_only_staff_reverse_an_acceptance(accepted, employer):
    with pytest.raises(PermissionDenied):
        services.offer_reverse_acceptance(
            offer=accepted, by=employer, to_status=OfferStatus.PENDING, note="No."
        )


def test_staff_record_a_reneging_case(accepted, staff):
    case = services.reneging_case_record(
        offer=accepted, by=staff, reason_code="accepted_other", notes="Told CAPD by email."
    )
    assert case.recorded_by == staff


def test_the_admin_action_records_a_reneging_case(client, accepted, staff):
    client.force_login(staff)
    client.post(
        reverse("admin:offers_offer_changelist"),
        {
            "action": "record_reneging",
            "_selected_action": [accepted.pk],
            "confirm": "yes",
            "reason_code": "personal",
            "notes": "Family reasons.",
        },
    )
    assert RenegingCase.objects.get().reason_code == "personal"


def test_the_admin_action_shows_a_confirmation_page_first(client, accepted, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:offers_offer_changelist"),
        {"action": "reverse_to_pending", "_selected_action": [accepted.pk]},
    )
    assert response.status_code == 200 and "confirm" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == OfferStatus.ACCEPTED


def test_a_reversal_that_cannot_reopen_the_application_is_reported_and_changes_nothing(
    client, accepted, staff
):
    from applications.models import Application

    # An inconsistent record (the application is no longer hired): the reversal must refuse.
    Application.objects.filter(pk=accepted.application_id).update(status="not_selected")
    client.force_login(staff)
    response = client.post(
        reverse("admin:offers_offer_changelist"),
        {
            "action": "reverse_to_pending",
            "_selected_action": [accepted.pk],
            "confirm": "yes",
            "note": "Recorded by mistake.",
        },
        follow=True,
    )
    assert "Not changed" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == OfferStatus.ACCEPTED


@pytest.mark.parametrize(
    "url",
    [
        "admin:offers_offer_changelist",
        "admin:offers_extensionrequest_changelist",
        "admin:offers_arrangement_changelist",
        "admin:offers_renegingcase_changelist",
    ],
)
def test_the_admin_lists_render_for_staff(client, accepted, staff, url):
    factories.ExtensionRequestFactory()
    client.force_login(staff)
    assert client.get(reverse(url)).status_code == 200


def test_the_offer_list_filters_offers_expiring_soon(client, offer, staff):
    client.force_login(staff)
    response = client.get(reverse("admin:offers_offer_changelist") + "?deadline=soon")
    assert response.status_code == 200


def test_the_offer_status_is_read_only_in_the_admin(client, offer, staff):
    client.force_login(staff)
    page = client.get(reverse("admin:offers_offer_change", args=[offer.pk])).content.decode()
    assert 'name="status"' not in page
