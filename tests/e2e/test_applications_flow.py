"""In a real browser: a student applies with a resume and a cover letter, the employer
moves the application to interviewing and offers two times, the student books one and
downloads the invitation, and the student's timeline shows each step."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from applications.models import Application, Interview
from tests.applications.factories import pdf_bytes
from tests.postings import factories

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "correct horse battery"
# Playwright's sync API runs an event loop in the test thread; the ORM calls here are
# synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


# Kept in this module (not a conftest) so that it merges beside the shared tests/e2e/conftest.
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
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(live_server.url + reverse("account_login"))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    return page


def test_it_runs_from_application_to_a_booked_interview(browser, live_server, settings, tmp_path):
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
    student = factories.StudentFactory(
        email="maya@example.edu", full_name="Maya Chen", password=PASSWORD
    )
    posting = factories.PublishedPostingFactory(
        organization=organization, created_by=employer, title="Robot arm calibration"
    )

    # The student applies with a resume and a typed cover letter.
    page = _sign_in(browser, live_server, student.email)
    page.goto(live_server.url + reverse("postings:detail", args=[posting.pk]))
    page.get_by_role("link", name="Apply").click()
    page.set_input_files(
        "#id_resume",
        files=[{"name": "maya-resume.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    page.get_by_label("Cover letter", exact=True).fill("I calibrated arms in the robotics club.")
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_load_state()
    assert "Application sent" in page.content()
    application = Application.objects.get(student=student)

    # The employer moves it to interviewing and offers two times.
    boss = _sign_in(browser, live_server, employer.email)
    boss.goto(live_server.url + reverse("applications:applicants", args=[posting.pk]))
    boss.get_by_label("Select Maya Chen").check()
    boss.select_option("#id_action", "interviewing")
    boss.get_by_role("button", name="Confirm").click()
    boss.wait_for_load_state()
    assert "1 applicant moved on" in boss.content()
    boss.goto(live_server.url + reverse("applications:slots_offer", args=[posting.pk]))
    boss.get_by_label("Maya Chen").check()
    day = timezone.localdate() + dt.timedelta(days=4)
    for row, hour in ((0, 10), (1, 15)):
        boss.fill(f"#id_slots-{row}-start", f"{day:%Y-%m-%d}T{hour:02d}:00")
        boss.fill(f"#id_slots-{row}-location", "https://meet.example.com/kendall")
    boss.get_by_role("button", name="Offer these times").click()
    boss.wait_for_load_state()
    assert "Offered 2 times" in boss.content()

    # The student books the first time and downloads the invitation.
    page.goto(live_server.url + reverse("applications:detail", args=[application.pk]))
    page.locator("input[name=slot]").first.check()
    page.get_by_role("button", name="Book this time").click()
    page.wait_for_load_state()
    assert "Interview booked for" in page.content()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the calendar invitation (.ics)").click()
    ics = Path(download_info.value.path()).read_text(encoding="utf-8")
    event = next(iter(Calendar.from_ical(ics).walk("VEVENT")))
    interview = Interview.objects.get(application=application)
    assert event.decoded("dtstart").astimezone(dt.UTC) == interview.slot.start.astimezone(dt.UTC)
    assert timezone.localtime(interview.slot.start).hour == 10  # the first time, Eastern

    # The timeline shows every step.
    timeline = page.locator("ol.timeline").inner_text()
    for step in ("Application sent", "Under review", "Interviewing", "Interview booked for"):
        assert step in timeline
