"""The student's pages: the profile form, the work-authorization page, the checklist."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from authorization.models import AuthorizationCase, CaseState, ImmigrationProfile
from microintern.core.models import ProgramSettings
from tests.authorization.helpers import make_profile, open_case
from tests.factories import StudentFactory

ANSWERS = {
    "immigration_status": "f1",
    "degree_level": "undergraduate",
    "full_time_terms_completed": "3",
    "majors": "Mechanical Engineering",
    "curriculum_has_internship_subject": "on",
}


@pytest.fixture
def newcomer(db: None, client: Client):
    user = StudentFactory(email="new@example.edu", profile__field_of_study="Mechanical Engineering")
    client.force_login(user)
    return user


def test_it_saves_the_profile_and_shows_the_route(client: Client, newcomer, iap_2027) -> None:
    response = client.post(reverse("authorization:profile"), ANSWERS, follow=True)

    assert response.redirect_chain[-1][0] == reverse("authorization:mine")
    assert "Curricular Practical Training (CPT)" in response.content.decode()
    assert ImmigrationProfile.objects.get(student=newcomer).majors == "Mechanical Engineering"


def test_it_refuses_a_negative_number_of_terms(client: Client, newcomer) -> None:
    response = client.post(
        reverse("authorization:profile"), {**ANSWERS, "full_time_terms_completed": "-1"}
    )

    assert response.status_code == 200
    assert "greater than or equal to 0" in response.content.decode()
    assert not ImmigrationProfile.objects.exists()


def test_it_ignores_visa_answers_of_a_citizen_and_says_so(client: Client, newcomer) -> None:
    response = client.post(
        reverse("authorization:profile"),
        {**ANSWERS, "immigration_status": "citizen", "coursework_complete": "on"},
        follow=True,
    )

    profile = ImmigrationProfile.objects.get(student=newcomer)
    assert (profile.curriculum_has_internship_subject, profile.coursework_complete) == (
        False,
        False,
    )
    assert "we did not keep these answers" in response.content.decode()
    assert "No authorization needed" in response.content.decode()


def test_it_prefills_degree_and_major_from_the_student_profile(client: Client, newcomer) -> None:
    response = client.get(reverse("authorization:profile"))

    assert response.context["form"].initial["majors"] == "Mechanical Engineering"


def test_it_asks_for_the_profile_first(client: Client, newcomer) -> None:
    response = client.get(reverse("authorization:mine"))

    assert "Answer the questions" in response.content.decode()


def test_it_shows_the_route_reasons_steps_and_iso_link(
    client: Client, intl_student, iap_2027
) -> None:
    ProgramSettings.objects.create(iso_employment_url="https://iso.example.edu/employment/")
    client.force_login(intl_student)

    page = client.get(reverse("authorization:mine")).content.decode()

    assert "Your route" in page
    assert "so the first-year restriction does not apply" in page
    assert "Talk to your ISO advisor about CPT" in page
    assert 'href="https://iso.example.edu/employment/"' in page
    assert page.count("<h1") == 1


def test_it_shows_the_forecast_table_for_the_iap_start(
    client: Client, intl_student, iap_2027, time_machine
) -> None:
    time_machine.move_to("2026-10-25 12:00")
    client.force_login(intl_student)

    response = client.get(reverse("authorization:mine"))

    rows = {row.route: row for row in response.context["table"]}
    assert rows["cpt"].forecast.status == "on_track"
    # The forecast agrees with the verdict: a CPT student is shown CPT only, and told why
    # the other routes are not in the table.
    assert set(rows) == {"cpt"}
    page = response.content.decode()
    assert "You can use CPT, so you do not need pre-completion OPT." in page
    assert "Academic Training is for J-1 students." in page


def test_it_tells_an_opt_student_when_to_file_and_the_fee(
    client: Client, db: None, iap_2027, time_machine
) -> None:
    time_machine.move_to("2026-10-25 12:00")
    user = StudentFactory(email="opt@example.edu")
    make_profile(user, curriculum_has_internship_subject=False)
    client.force_login(user)

    page = client.get(reverse("authorization:mine")).content.decode()

    assert "You can file form I-765 from Oct 25, 2026" in page
    assert "470 USD online or 520 USD on paper" in page
    assert "ask the employer about a later start" in page


def test_it_shows_the_checklist_of_an_open_case(
    client: Client, case: AuthorizationCase, intl_student
) -> None:
    client.force_login(intl_student)

    page = client.get(reverse("authorization:mine")).content.decode()

    assert "Get the CPT support letter from your department" in page
    assert "You cannot start work until the authorization is recorded" in page


def test_it_ticks_a_step_with_a_post(client: Client, case: AuthorizationCase, intl_student) -> None:
    item = case.items.get(key="submit_request")
    client.force_login(intl_student)

    response = client.post(reverse("authorization:item_done", args=[item.pk]))

    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{item.pk}")
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


def test_it_does_not_tick_on_get(client: Client, case: AuthorizationCase, intl_student) -> None:
    client.force_login(intl_student)

    response = client.get(reverse("authorization:item_done", args=[case.items.first().pk]))

    assert response.status_code == 405


def test_it_answers_404_to_another_student_ticking(
    client: Client, case: AuthorizationCase, other_student
) -> None:
    client.force_login(other_student)

    response = client.post(reverse("authorization:item_done", args=[case.items.first().pk]))

    assert response.status_code == 404
    assert case.items.first().done_at is None


def test_it_renders_guidance_for_a_posting_outside_the_major(rf, intl_student) -> None:
    from django.template import Context, Template

    request = rf.get("/")
    request.user = intl_student
    template = Template("{% load authorization_tags %}{% posting_guidance fields False %}")

    html = template.render(Context({"request": request, "fields": ["Marketing"]}))

    assert "Authorization requires the work to relate directly to your major" in html
    assert "Not eligible for off-campus work authorization" not in html
    assert "Curricular Practical Training (CPT)" in html


def test_it_renders_no_guidance_for_an_employer(rf, employer) -> None:
    from django.template import Context, Template

    request = rf.get("/")
    request.user = employer
    template = Template("{% load authorization_tags %}{% posting_guidance fields False %}")

    assert template.render(Context({"request": request, "fields": []})).strip() == ""


def test_it_puts_the_next_unfinished_step_first(
    client: Client, case: AuthorizationCase, intl_student, iap_2027
) -> None:
    client.force_login(intl_student)

    response = client.get(reverse("authorization:mine"))

    assert response.context["steps"][0].startswith(
        "Next on your checklist: Confirm the internship subject"
    )


def test_it_offers_no_blank_choice_among_the_radio_buttons(client: Client, newcomer) -> None:
    response = client.get(reverse("authorization:profile"))

    assert "---------" not in response.content.decode()


def test_it_warns_before_accepting_an_offer_that_opt_comes_too_late(
    rf, db: None, time_machine
) -> None:
    import datetime as dt

    from django.template import Context, Template

    time_machine.move_to("2026-10-25 12:00")
    user = StudentFactory(email="opt@example.edu")
    make_profile(user, curriculum_has_internship_subject=False)
    request = rf.get("/")
    request.user = user
    template = Template("{% load authorization_tags %}{% offer_authorization_forecast start %}")

    html = template.render(Context({"request": request, "start": dt.date(2027, 1, 6)}))

    assert "alert-danger" in html
    assert "which is after your start date of Jan 6, 2027" in html


def test_it_shows_employers_a_single_label(case: AuthorizationCase) -> None:
    from django.template import Context, Template

    template = Template("{% load authorization_tags %}{% employer_authorization_label case %}")

    assert template.render(Context({"case": case})) == "Work authorization pending"


def test_it_does_not_claim_the_field_matches_without_a_posting(
    client: Client, intl_student, iap_2027
) -> None:
    client.force_login(intl_student)

    page = client.get(reverse("authorization:mine")).content.decode()

    assert "The work relates directly to your major" not in page
    assert "apply only for micro-internships in your field" in page


def test_it_loads_the_page_in_a_bounded_number_of_queries(
    client: Client, case: AuthorizationCase, intl_student, iap_2027, django_assert_max_num_queries
) -> None:
    open_case(intl_student)  # a second case must not add queries per item
    ProgramSettings.load()
    client.force_login(intl_student)

    # session, user, profile, cycle, cases, items (one prefetch for all cases), estimates,
    # holidays (once for every forecast), program settings, fees, and the base template's
    # unread-notifications count: 11, however many cases.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("authorization:mine"))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("answers", "label", "step"),
    [
        ({"immigration_status": "citizen"}, "No authorization needed", "Nothing: you can start"),
        ({"immigration_status": "j1"}, "Academic Training (AT)", "Academic Training letter"),
        ({"full_time_terms_completed": 1}, "Not eligible", "cannot get off-campus work"),
        ({"immigration_status": "other"}, "Talk to your ISO advisor", "which route fits"),
    ],
    ids=["citizen", "j1", "first year", "other status"],
)
def test_it_tells_each_student_their_route_and_next_step(
    client: Client, db: None, iap_2027, answers: dict, label: str, step: str
) -> None:
    user = StudentFactory(email="s@example.edu")
    make_profile(user, **answers)
    client.force_login(user)

    page = client.get(reverse("authorization:mine")).content.decode()

    assert label in page
    assert step in page
