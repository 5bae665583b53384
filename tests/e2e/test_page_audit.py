"""The audit that every browser test relies on: it must catch what it claims to catch."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.audit import PageAudit

pytestmark = [pytest.mark.e2e, pytest.mark.no_page_audit]

SITE = "http://audit.invalid"
PAGES = {
    "/inaccessible": """<!DOCTYPE html><html><head><title>Bad</title></head><body><main>
        <button></button>
        <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
        </main></body></html>""",
    "/one": """<!DOCTYPE html><html lang="en"><head><title>One</title></head><body><main>
        <h1>One</h1><a href="/two">Go to page two</a></main></body></html>""",
    "/two": """<!DOCTYPE html><html lang="en"><head><title>Two</title></head><body><main>
        <h1>Two</h1></main></body></html>""",
}


@pytest.fixture
def served() -> list[str]:
    """The paths the fake site served, in order."""
    return []


@pytest.fixture
def site(page: Page, served: list[str]) -> Page:
    def serve(route: Route) -> None:
        path = route.request.url.removeprefix(SITE)
        served.append(path)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=PAGES[path])

    page.context.route(f"{SITE}/**", serve)
    return page


@pytest.fixture
def audit(site: Page, tmp_path: Path) -> PageAudit:
    audit = PageAudit(page=site, test_name="selftest", screenshot_dir=tmp_path)
    audit.start()
    return audit


def test_it_fails_a_page_with_critical_violations_naming_rule_and_element(
    site: Page, audit: PageAudit
) -> None:
    site.goto(f"{SITE}/inaccessible")

    with pytest.raises(pytest.fail.Exception) as failure:
        audit.finish()

    message = str(failure.value)
    assert "serious or critical violation" in message
    assert f"{SITE}/inaccessible: button-name (critical)" in message
    assert "image-alt (critical)" in message
    assert "html-has-lang (serious)" in message
    assert "Elements: button" in message


def test_it_checks_and_photographs_each_page_of_a_visit(
    site: Page, audit: PageAudit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tests.e2e.audit.SCREENSHOTS", True)  # as E2E_SCREENSHOTS=1 does
    site.goto(f"{SITE}/one")
    site.get_by_role("link", name="Go to page two").click()  # at once, right after the load
    expect(site.get_by_role("heading", name="Two")).to_be_visible()

    audit.finish()

    assert audit.checked_urls == [f"{SITE}/one", f"{SITE}/two"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["selftest-1.png", "selftest-2.png"]
    assert all(p.stat().st_size > 1000 for p in tmp_path.iterdir())


def test_it_checks_copies_without_asking_the_server_again(
    site: Page, audit: PageAudit, served: list[str]
) -> None:
    site.goto(f"{SITE}/one")
    site.goto(f"{SITE}/one")

    audit.finish()

    assert audit.checked_urls == [f"{SITE}/one"]  # the same HTML twice: checked once
    assert served == ["/one", "/one"]


def test_it_checks_a_page_seen_again_unchanged_once(site: Page, audit: PageAudit) -> None:
    site.goto(f"{SITE}/one")
    site.goto(f"{SITE}/two")
    site.goto(f"{SITE}/one")

    audit.finish()

    assert audit.checked_urls == [f"{SITE}/one", f"{SITE}/two"]
