"""In a real browser: an F-1 student answers the immigration questions, sees CPT guidance on
a posting in her major and a field warning on one outside it, accepts an offer and gets the
CPT checklist; the ISO advisor verifies one step in the admin; the employer sees only that
work authorization is pending, never the route, the checklist or the status behind it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from authorization.models import AuthorizationCase, ChecklistItem, ImmigrationProfile
from offers.models import OfferStatus
from tests.factories import ISOAdvisorFactory
from tests.offers import factories
from tests.postings.factories import FieldOfStudyFactory, current_cycle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw"
MAJOR = "Mechanical Engineering"
FIELD_WARNING = "Authorization requires the work to relate directly to your major"
CPT = "Curricular Practical Training (CPT)"
FIRST_STEP = "Confirm the internship subject"


@pytest.fixture
def cast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STAFF_MFA_REQUIRED = False
    cycle = current_cycle()
    mechanical = FieldOfStudyFactory(name=MAJOR)
    chemical = FieldOfStudyFactory(name="Chemical Engineering")
    organization = factories.OrganizationFactory(name="Gearworks Lab", verified=True)
    employer = factories.EmployerFactory(
        email="host@gearworks.example.com",
        full_name="Hana Host",
        password=PASSWORD,
        membership__organization=organization,
    )
    # An international student with no immigration profile yet (and no general profile, so
    # the majors field starts empty and the student types it).
    student = factories.StudentFactory(
        email="priya@example.edu", full_name="Priya Raman", password=PASSWORD, profile=None
    )
    advisor = ISOAdvisorFactory(
        email="irene@example.edu", full_name="Irene Okafor", password=PASSWORD
    )
    in_major = factories.PublishedPostingFactory(
        organization=organization,
        created_by=employer,
        title="Gearbox test rig",
        fields=[mechanical],
    )
    off_major = factories.PublishedPostingFactory(title="Catalyst bench study", fields=[chemical])
    application = factories.OfferedApplicationFactory(posting=in_major, student=student)
    offer = factories.PendingOfferFactory(
        application=application,
        start_date=cycle.iap_start,
        end_date=cycle.iap_start + dt.timedelta(days=10),
    )
    return {
        "cycle": cycle,
        "employer": employer,
        "student": student,
        "advisor": advisor,
        "in_major": in_major,
        "off_major": off_major,
        "offer": offer,
    }


def sign_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}{reverse('account_login')}")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def test_it_takes_an_international_student_from_profile_to_a_verified_step(
    page: Page, live_server, cast
):
    base = live_server.url
    cycle, offer = cast["cycle"], cast["offer"]
    assert cycle.iap_start <= offer.start_date <= offer.end_date <= cycle.iap_end
    assert offer.deadline > timezone.now()

    # (1) The student answers the immigration questions.
    sign_in(page, base, cast["student"].email)
    page.goto(f"{base}{reverse('authorization:mine')}")
    page.get_by_role("link", name="Answer the questions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your immigration status")
    page.get_by_label("F-1 student visa").check()
    page.get_by_label("Undergraduate", exact=True).check()
    page.get_by_label("Full-time terms completed in the US").fill("3")
    page.get_by_label("Major field(s) of study").fill(MAJOR)
    page.get_by_label("My degree program has an internship or experiential learning").check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    route = page.get_by_role("region", name="Your route")
    expect(route).to_contain_text(CPT)
    expect(
        page.get_by_text("Your checklist opens here the moment you accept an offer.")
    ).to_be_visible()
    profile = ImmigrationProfile.objects.get(student=cast["student"])
    assert profile.immigration_status == "f1"
    assert profile.degree_level == "undergraduate"
    assert profile.full_time_terms_completed == Decimal("3")
    assert profile.majors == MAJOR
    assert profile.curriculum_has_internship_subject is True
    assert not AuthorizationCase.objects.exists()

    # (2) A posting in her major: CPT guidance, no field warning.
    page.goto(f"{base}{reverse('postings:detail', args=[cast['in_major'].pk])}")
    guidance = page.get_by_role(
        "complementary", name="Work authorization for this micro-internship"
    )
    expect(guidance).to_be_visible()
    expect(guidance).to_contain_text(CPT)
    expect(guidance).not_to_contain_text(FIELD_WARNING)
    expect(guidance.get_by_role("alert")).to_have_count(0)

    # (3) A posting in another field: the warning.
    page.goto(f"{base}{reverse('postings:detail', args=[cast['off_major'].pk])}")
    guidance = page.get_by_role(
        "complementary", name="Work authorization for this micro-internship"
    )
    expect(guidance.get_by_role("alert")).to_contain_text(FIELD_WARNING)

    # (4) She accepts the pending offer through its confirmation page.
    page.goto(f"{base}{reverse('offers:detail', args=[offer.pk])}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your offer from Gearworks Lab")
    page.get_by_role("link", name="Review and accept").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accept the offer for")
    page.get_by_role("button", name="Yes, accept this offer").click()
    expect(page.get_by_text("You accepted the offer for “Gearbox test rig”")).to_be_visible()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    case = AuthorizationCase.objects.get(student=cast["student"], accepted_offer=offer)
    assert case.route == "cpt"
    assert case.start_date == cycle.iap_start
    items = list(case.items.order_by("position"))
    assert [i.key for i in items] == [
        "confirm_subject",
        "support_letter",
        "submit_request",
        "receive_i20",
    ]
    assert all(i.verified_at is None for i in items)

    # (4b) The cycle is closed for her: another posting's page says why before she tries.
    page.goto(f"{base}{reverse('postings:detail', args=[cast['off_major'].pk])}")
    expect(page.get_by_text("so you cannot apply").first).to_be_visible()
    # (4c) The arrangement: she cannot start until the authorization is recorded.
    page.goto(f"{base}{reverse('offers:arrangement', args=[offer.pk])}")
    gate = page.get_by_role("alert").filter(has_text="Cannot start")
    expect(gate).to_contain_text("Cannot start until work authorization is recorded")

    page.goto(f"{base}{reverse('authorization:mine')}")
    checklist = page.get_by_role("region", name="Your authorization checklist")
    expect(checklist).to_contain_text(FIRST_STEP)
    expect(checklist).to_contain_text("Submit your CPT request to the ISO")
    expect(checklist.get_by_text("Verified by the ISO")).to_have_count(0)

    # (5) The ISO advisor verifies the first step in the admin, after a confirmation page.
    sign_in(page, base, cast["advisor"].email)
    page.goto(f"{base}{reverse('admin:authorization_checklistitem_changelist')}")
    row = page.locator("#result_list tbody tr", has_text=FIRST_STEP)
    expect(row).to_have_count(1)
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option("verify_selected")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify these checklist items?")
    expect(page.locator("#content")).to_contain_text(FIRST_STEP)
    page.get_by_role("button", name="Yes, verify").click()
    expect(page.get_by_text("1 item(s) verified.")).to_be_visible()
    first = ChecklistItem.objects.get(pk=items[0].pk)
    assert first.verified_at is not None
    assert first.verified_by == cast["advisor"]
    assert ChecklistItem.objects.filter(case=case, verified_at__isnull=False).count() == 1

    # (6) The employer sees "pending" and nothing behind it.
    sign_in(page, base, cast["employer"].email)
    page.goto(f"{base}{reverse('offers:detail', args=[offer.pk])}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Offer to Priya Raman")
    accepted = page.get_by_role("region", name="Accepted")
    expect(accepted).to_contain_text("Work authorization: pending.")
    text = page.locator("body").inner_text()
    for secret in ("CPT", "F-1", "Curricular", FIRST_STEP, "Verified", "checklist", MAJOR):
        assert secret not in text, f"the employer's offer page shows {secret!r}"

    page.goto(f"{base}{reverse('offers:arrangement', args=[offer.pk])}")
    expect(page.get_by_text("Work authorization: pending.")).to_be_visible()
    text = page.locator("body").inner_text()
    for secret in ("CPT", "F-1", "Curricular", FIRST_STEP, "Verified", "checklist", MAJOR):
        assert secret not in text, f"the employer's arrangement page shows {secret!r}"

    # (7) The ISO advisor records the authorization in the admin (submitted, then authorized
    # from the start date); the student's arrangement no longer says she cannot start.
    sign_in(page, base, cast["advisor"].email)
    cases = f"{base}{reverse('admin:authorization_authorizationcase_changelist')}"
    for action, button in (("mark_submitted", "Yes, mark submitted"), ("record_authorized", None)):
        page.goto(cases)
        page.locator("#result_list tbody tr", has_text="Priya Raman").locator(
            "input.action-select"
        ).check()
        page.locator("select[name=action]").select_option(action)
        page.get_by_role("button", name="Go").click()
        if button:
            page.get_by_role("button", name=button).click()
        else:
            page.get_by_label("Authorized from").fill(cycle.iap_start.isoformat())
            page.get_by_label("Authorized until").fill(cycle.iap_end.isoformat())
            page.get_by_role("button", name="Record authorized").click()
            expect(page.get_by_text("1 case(s) recorded as authorized.")).to_be_visible()
    case.refresh_from_db()
    assert case.state == "authorized"
    sign_in(page, base, cast["student"].email)
    page.goto(f"{base}{reverse('offers:arrangement', args=[offer.pk])}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arranging")
    expect(page.get_by_text("Cannot start")).to_have_count(0)
