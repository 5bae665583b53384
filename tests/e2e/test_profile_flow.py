"""In a real browser: a new student fills in their profile from the name in the navigation,
uploads a resume once, applies to two postings without picking a file again, and the
employer sees the student's major and class year on the applicant list."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from applications.models import Application, MaterialRole
from microintern.accounts.models import Document, Role
from tests.applications.factories import pdf_bytes
from tests.factories import UserFactory
from tests.postings import factories

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "correct horse battery"
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(django_settings.VAR_DIR) / "screenshots"


# Kept in this module, as in test_applications_flow.py, beside the shared conftest.
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and os.environ.get("CI") != "true":
        pytest.skip(f"no Chromium at {CHROMIUM}")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def _sign_in(browser, live_server, email):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + reverse("account_login"))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    return page


def _photograph(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"profile-flow-{name}.png"), full_page=True)


def test_a_new_student_applies_twice_with_one_upload(browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    factories.current_cycle()
    organization = factories.OrganizationFactory(name="Kendall Robotics E2E")
    employer = factories.EmployerFactory(
        email="boss@example.com",
        full_name="Dana Boss",
        password=PASSWORD,
        membership__organization=organization,
    )
    first, second = (
        factories.PublishedPostingFactory(organization=organization, created_by=employer, title=t)
        for t in ("Robot arm calibration", "Warehouse telemetry")
    )
    # A new student: an account and nothing else (no profile, no documents).
    student = UserFactory(
        email="newcomer@example.edu", full_name="Nia Newcomer", role=Role.STUDENT, password=PASSWORD
    )

    # The name in the navigation opens the profile; the student fills it in.
    page = _sign_in(browser, live_server, student.email)
    page.get_by_role("link", name="Profile and account of Nia").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Your profile").is_visible()
    page.get_by_label("Preferred name (optional)").fill("Nia")
    page.get_by_label("Pronouns (optional)").fill("they/them")
    page.get_by_label("Major(s)").select_option(["Physics", "Mathematics"])
    page.get_by_label("Minor (optional)").select_option("Economics")
    page.get_by_label("Class year").fill("2028")
    page.get_by_label("Expected graduation term").select_option("june")
    page.get_by_label("Short summary").fill("I like magnets and clean data.")
    page.get_by_label("GitHub (optional)").fill("https://github.com/nia")
    _photograph(page, "profile")
    page.get_by_role("button", name="Save my profile").click()
    page.wait_for_load_state()
    assert "Your profile is saved." in page.content()

    page.get_by_role("link", name="Preview as employer").click()
    page.wait_for_load_state()
    assert "Mathematics, Physics" in page.content()
    _photograph(page, "preview")

    # allauth's account pages sit in the same layout, one click away.
    page.get_by_role("link", name="Email addresses").click()
    page.wait_for_load_state()
    assert page.get_by_role("navigation", name="Your account").is_visible()
    _photograph(page, "email")

    # One resume upload, in the document library.
    page.get_by_role("link", name="Documents").click()
    page.wait_for_load_state()
    page.get_by_label("What is it?").select_option("resume")
    page.get_by_label("Name (optional)").fill("Resume for robotics")
    page.set_input_files(
        "#id_file",
        files=[{"name": "nia-resume.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()
    assert "“Resume for robotics” is in your documents." in page.content()
    _photograph(page, "documents")

    # Two applications, no file picked: the default resume is already chosen.
    for number, posting in enumerate((first, second), start=1):
        page.goto(live_server.url + reverse("postings:detail", args=[posting.pk]))
        page.get_by_role("link", name="Apply").click()
        page.wait_for_load_state()
        assert page.get_by_label("Resume for robotics (nia-resume.pdf").is_checked()
        page.get_by_label("Cover letter", exact=True).fill(f"Letter number {number}.")
        if number == 1:
            _photograph(page, "apply")
        page.get_by_role("button", name="Send my application").click()
        page.wait_for_load_state()
        assert "Application sent" in page.content()

    assert Document.objects.filter(student=student).count() == 1
    sent = Application.objects.filter(student=student)
    assert sent.count() == 2
    for application in sent:
        resume = application.materials.get(role=MaterialRole.RESUME)
        assert resume.original_name == "nia-resume.pdf"

    # The employer sees the major and the class year on the applicant list.
    boss = _sign_in(browser, live_server, employer.email)
    boss.goto(live_server.url + reverse("applications:applicants", args=[first.pk]))
    row = boss.get_by_role("row", name="Nia Newcomer")
    assert "Mathematics, Physics" in row.inner_text()
    assert "Class of 2028" in row.inner_text()
    _photograph(boss, "applicants")
    boss.get_by_role("link", name="Nia Newcomer").click()
    boss.wait_for_load_state()
    assert "Profile when they applied" in boss.content()
    _photograph(boss, "applicant")
