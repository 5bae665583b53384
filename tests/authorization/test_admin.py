"""The ISO advisors' admin: cases at risk first, actions with a confirmation page."""

from __future__ import annotations

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from authorization import services
from authorization.models import AuthorizationCase, CaseState, ChecklistItem
from tests.authorization.helpers import make_profile, open_case
from tests.factories import StudentFactory

CASES_URL = reverse("admin:authorization_authorizationcase_changelist")
ITEMS_URL = reverse("admin:authorization_checklistitem_changelist")


def test_it_lists_cases_at_risk_first(client: Client, case: AuthorizationCase, iso_advisor) -> None:
    opt_student = StudentFactory(email="opt@example.edu")
    make_profile(opt_student, curriculum_has_internship_subject=False)
    at_risk = open_case(opt_student)
    client.force_login(iso_advisor)

    response = client.get(CASES_URL)

    assert [c.pk for c in response.context["cl"].result_list] == [at_risk.pk, case.pk]
    assert "0/4 done, 0 verified" in response.content.decode()


def test_it_asks_before_verifying_items(
    client: Client, case: AuthorizationCase, iso_advisor
) -> None:
    item = case.items.first()
    client.force_login(iso_advisor)

    response = client.post(
        ITEMS_URL, {"action": "verify_selected", ACTION_CHECKBOX_NAME: [item.pk], "index": 0}
    )

    assert response.status_code == 200
    assert "Verify these checklist items?" in response.content.decode()
    item.refresh_from_db()
    assert item.verified_at is None


def test_it_verifies_items_once_confirmed(
    client: Client, case: AuthorizationCase, iso_advisor
) -> None:
    item = case.items.first()
    client.force_login(iso_advisor)

    response = client.post(
        ITEMS_URL, {"action": "verify_selected", ACTION_CHECKBOX_NAME: [item.pk], "confirm": "yes"}
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.verified_by == iso_advisor


def test_it_offers_no_verify_action_to_a_superuser(client: Client, case, superuser) -> None:
    client.force_login(superuser)

    response = client.get(ITEMS_URL)

    assert "verify_selected" not in response.content.decode()


def test_it_asks_for_the_dates_before_recording_an_authorization(
    client: Client, case: AuthorizationCase, iso_advisor
) -> None:
    services.case_mark_submitted(case=case, by=iso_advisor)
    client.force_login(iso_advisor)

    response = client.post(
        CASES_URL, {"action": "record_authorized", ACTION_CHECKBOX_NAME: [case.pk], "index": 0}
    )

    assert response.status_code == 200
    assert 'type="date"' in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


def test_it_records_an_authorization_once_confirmed(
    client: Client, case: AuthorizationCase, iso_advisor
) -> None:
    services.case_mark_submitted(case=case, by=iso_advisor)
    client.force_login(iso_advisor)

    response = client.post(
        CASES_URL,
        {
            "action": "record_authorized",
            ACTION_CHECKBOX_NAME: [case.pk],
            "confirm": "yes",
            "authorized_from": "2027-01-06",
            "authorized_until": "2027-01-31",
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.AUTHORIZED


def test_it_asks_before_recording_a_denial_then_keeps_the_note(
    client: Client, case: AuthorizationCase, iso_advisor
) -> None:
    services.case_mark_submitted(case=case, by=iso_advisor)
    client.force_login(iso_advisor)
    chosen = {"action": "record_denied", ACTION_CHECKBOX_NAME: [case.pk]}

    asked = client.post(CASES_URL, chosen)
    case.refresh_from_db()
    assert asked.status_code == 200
    assert "Record these cases as denied?" in asked.content.decode()
    assert case.state == CaseState.SUBMITTED

    done = client.post(CASES_URL, {**chosen, "confirm": "yes", "note": "Filed too late."})
    case.refresh_from_db()
    assert done.status_code == 302
    assert (case.state, case.decision_note) == (CaseState.DENIED, "Filed too late.")


def test_it_reports_a_refused_transition(
    client: Client, case: AuthorizationCase, iso_advisor
) -> None:
    client.force_login(iso_advisor)

    response = client.post(
        CASES_URL,
        {
            "action": "record_authorized",
            ACTION_CHECKBOX_NAME: [case.pk],
            "confirm": "yes",
            "authorized_from": "2027-01-06",
            "authorized_until": "2027-01-31",
        },
        follow=True,
    )

    assert "cannot become authorized" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.OPEN


def test_it_shows_the_checklist_inline(
    client: Client, case: AuthorizationCase, iso_advisor
) -> None:
    client.force_login(iso_advisor)

    response = client.get(reverse("admin:authorization_authorizationcase_change", args=[case.pk]))

    assert "Get the CPT support letter from your department" in response.content.decode()


def test_it_lets_iso_advisors_edit_the_route_estimates(client: Client, iso_advisor) -> None:
    from authorization.models import RouteEstimateSetting

    setting = RouteEstimateSetting.objects.get(route="pre_completion_opt")
    client.force_login(iso_advisor)

    response = client.get(
        reverse("admin:authorization_routeestimatesetting_change", args=[setting.pk])
    )

    assert response.status_code == 200
    assert "out of date" in response.content.decode()


def test_it_does_not_let_anyone_add_cases_in_the_admin(client: Client, superuser) -> None:
    client.force_login(superuser)

    assert client.get(reverse("admin:authorization_authorizationcase_add")).status_code == 403
    assert ChecklistItem.objects.count() == 0


def test_it_answers_a_malformed_id_as_django_does(client: Client, iso_advisor) -> None:
    client.force_login(iso_advisor)

    response = client.get("/admin/authorization/authorizationcase/not-a-number/change/")

    assert response.status_code == 302  # "does not exist", back to the admin index


def test_an_advisor_verifies_a_done_step_from_the_case_page(
    client: Client, case: AuthorizationCase, iso_advisor, intl_student
) -> None:
    item = case.items.order_by("position").first()
    services.checklist_item_mark_done(item=item, student=intl_student)
    client.force_login(iso_advisor)
    case_page = reverse("admin:authorization_authorizationcase_change", args=[case.pk])
    verify = reverse("admin:authorization_checklistitem_verify", args=[item.pk])

    assert verify in client.get(case_page).content.decode()  # the link, on the case page
    asked = client.get(verify)  # a GET asks and changes nothing
    assert "Verify this checklist item?" in asked.content.decode()
    item.refresh_from_db()
    assert item.verified_at is None

    response = client.post(verify, {"confirm": "yes"})

    assert response.status_code == 302 and response["Location"] == case_page
    item.refresh_from_db()
    assert item.verified_by == iso_advisor
    assert case.items.filter(verified_at__isnull=False).count() == 1  # only that step


def test_capd_staff_cannot_verify_a_step(
    client: Client, case: AuthorizationCase, staff, intl_student
) -> None:
    item = case.items.order_by("position").first()
    services.checklist_item_mark_done(item=item, student=intl_student)
    client.force_login(staff)

    response = client.post(
        reverse("admin:authorization_checklistitem_verify", args=[item.pk]), {"confirm": "yes"}
    )

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.verified_at is None
