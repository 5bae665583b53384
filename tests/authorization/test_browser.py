"""The student's pages in a real Chromium with JavaScript off, and axe on each page.

Self-contained (main's tests/e2e has the shared browser fixtures; these can move there at
merge). Skipped with a reason when Chromium is missing, failing instead with CI=true.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from authorization.models import AuthorizationCase
from tests.authorization.helpers import pdf_bytes

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser() -> Iterator[object]:
    if not CHROMIUM.is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}", pytrace=False)
        pytest.skip(f"Chromium not found at {CHROMIUM}; browser tests skipped.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def logged_in_page(browser: object, live_server: object, user: object, *, javascript: bool):
    client = Client()
    client.force_login(user)
    context = browser.new_context(java_script_enabled=javascript)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def test_it_works_through_the_checklist_without_javascript(
    browser: object, live_server: object, case: AuthorizationCase, intl_student, tmp_path: Path
) -> None:
    page = logged_in_page(browser, live_server, intl_student, javascript=False)
    page.goto(f"{live_server.url}/authorization/")
    first = page.locator("li[id^=item-]").first

    first.get_by_role("button", name="Mark as done").click()
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(pdf_bytes())
    page.locator("li[id^=item-]").first.get_by_label("Add a document").set_input_files(pdf)
    page.locator("li[id^=item-]").first.get_by_role("button", name="Upload").click()

    assert "Your document for" in page.locator(".messages").inner_text()
    item = page.locator("li[id^=item-]").first
    assert item.get_by_text("Done", exact=True).is_visible()
    assert item.get_by_role("link", name="download the PDF").is_visible()


@pytest.mark.parametrize("path", ["/authorization/", "/authorization/profile"])
def test_it_passes_axe_without_serious_violations(
    browser: object, live_server: object, case: AuthorizationCase, intl_student, iap_2027, path: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = logged_in_page(browser, live_server, intl_student, javascript=True)
    page.goto(f"{live_server.url}{path}")

    results = Axe().run(page)

    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert page.locator("h1").count() == 1
