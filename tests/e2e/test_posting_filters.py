"""In a real browser: on a phone the list of postings starts with the results, the filters
folded behind a summary that counts the active ones; keyboard users get past the filters in
two Tabs; without JavaScript every filter shows. Screenshots at 390 and 1280 px go to
var/screenshots/ (posting-filters-*.png)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from tests.factories import DEMO_PASSWORD
from tests.postings import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Two filters: paid only, and a location (two places ticked are still one filter).
FILTERED = "?q=robot&paid=on&location=remote&location=hybrid"


@pytest.fixture
def catalog(cycle):
    for n in range(6):
        factories.PublishedPostingFactory(
            title=f"Robot project {n}", description="Program robots.", location_type="remote"
        )


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + reverse("account_login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def photograph(page: Page, name: str) -> None:
    """What the first screen shows (the audit also keeps the full page)."""
    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"posting-filters-{name}.png"))


def test_on_a_phone_the_results_come_first(checked_page: Page, live_server, student, catalog):
    page = checked_page
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, student.email)
    page.goto(live_server.url + reverse("postings:list") + FILTERED)

    summary = page.locator("summary", has_text="Filters")
    expect(summary).to_be_visible()
    expect(summary).to_have_text("Filters 2 active")
    expect(page.get_by_label("Paid only")).to_be_hidden()
    first = page.get_by_role("link", name="Robot project 0")
    expect(first).to_be_in_viewport()
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    photograph(page, "390-folded")

    summary.click()  # the student opens them, changes one, and they fold again on reload
    expect(page.get_by_label("Paid only")).to_be_visible()
    photograph(page, "390-open")


def test_the_keyboard_reaches_the_first_result_in_two_tabs(
    checked_page: Page, live_server, student, catalog
):
    page = checked_page
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, student.email)
    page.goto(live_server.url + reverse("postings:list") + FILTERED)
    skip = page.get_by_role("link", name="Skip to results (6)")
    expect(skip).not_to_be_in_viewport()  # out of sight until a keyboard reaches it
    photograph(page, "1280")

    page.get_by_label("Keywords").focus()
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.wait_for_timeout(300)  # Bootstrap's button transition, for the photograph
    photograph(page, "1280-skip-link")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")

    expect(page.get_by_role("link", name="Robot project 0")).to_be_focused()


def test_on_a_wide_screen_every_filter_shows(checked_page: Page, live_server, student, catalog):
    page = checked_page
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, student.email)
    page.goto(live_server.url + reverse("postings:list") + FILTERED)

    expect(page.get_by_label("Paid only")).to_be_visible()
    expect(page.locator("summary", has_text="Filters")).to_be_hidden()


def test_without_javascript_the_filters_stay_open(browser: Browser, live_server, student, catalog):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, student.email)
        page.goto(live_server.url + reverse("postings:list") + FILTERED)

        expect(page.get_by_label("Paid only")).to_be_visible()
        expect(page.get_by_role("link", name="Skip to results (6)")).to_be_visible()
        photograph(page, "390-no-javascript")
    finally:
        context.close()
