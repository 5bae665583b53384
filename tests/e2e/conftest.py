"""Browser tests: Debian's Chromium driven by Playwright, with axe on every page visited.

- No browser download: `CHROMIUM_PATH` or /usr/bin/chromium. Without it the browser tests
  are skipped with a visible reason, except with `CI=true`, where they fail instead.
- Every document that the test's `page` loads (`checked_page` is the same page, by a name
  that says so) is checked with axe-core (once per distinct page) and, with
  E2E_SCREENSHOTS=1, photographed, full page, into var/screenshots/<test>-<n>.png;
  audit.py explains how this avoids racing the test. A
  violation of impact "serious" or "critical" fails the test at teardown, listing rule,
  impact and the first elements. Tests of the audit itself opt out with `no_page_audit`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page

from tests.e2e.audit import PageAudit, screenshot_name
from tests.validators import running_in_ci

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# ORM calls the tests and the live server make from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> Path:
    return Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options, pointed at the system Chromium."""
    executable = chromium_path()
    if not (executable.is_file() and os.access(executable, os.X_OK)):
        if running_in_ci():
            pytest.fail(
                f"Chromium not found at {executable}: with CI=true the browser tests must run "
                "(install chromium or set CHROMIUM_PATH).",
                pytrace=False,
            )
        pytest.skip(
            f"Chromium not found at {executable}; browser tests skipped "
            "(install chromium or set CHROMIUM_PATH)."
        )
    return {**browser_type_launch_args, "executable_path": str(executable), "args": CHROMIUM_ARGS}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "no_page_audit: the test audits pages itself (tests of the audit)"
    )


@pytest.fixture
def page_audit(page: Page, request: pytest.FixtureRequest) -> Iterator[PageAudit]:
    screenshot_dir = Path(settings.VAR_DIR) / "screenshots"
    screenshot_dir.mkdir(parents=True, exist_ok=True)
    audit = PageAudit(
        page=page, test_name=screenshot_name(request.node.name), screenshot_dir=screenshot_dir
    )
    audit.start()
    yield audit
    audit.finish()


@pytest.fixture(autouse=True)
def _audit_every_page(request: pytest.FixtureRequest) -> None:
    """Whoever uses Playwright's `page` here gets the audit, even without asking for it."""
    if "page" in request.fixturenames and not request.node.get_closest_marker("no_page_audit"):
        request.getfixturevalue("page_audit")


@pytest.fixture
def checked_page(page: Page, page_audit: PageAudit) -> Page:
    """Playwright's page, audited with axe and photographed after every navigation."""
    return page
