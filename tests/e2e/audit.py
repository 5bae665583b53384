"""Accessibility (axe-core) and a screenshot for every page a browser test visits.

How it avoids racing the test: the obvious design, running axe on the test's page from a
"load" handler, loses pages. The test goes on as soon as what it waits for is visible, and a
navigation that starts while axe runs destroys the document under it. (Holding the next
navigation in a route handler does not work either: Playwright cannot evaluate in a frame
whose navigation is pending.) So:

1. An init script in every document of the test's page serializes the DOM at its own load
   event and hands it to Python through an exposed function. This happens inside the page,
   synchronously at load, so no later action of the test can get in between, and the
   callback only stores the snapshot.
2. At teardown each snapshot is opened in a separate tab of the same browser context,
   served at its original address (styles and relative links resolve as on the real page),
   photographed and checked with axe. The copy is inert: its scripts, XHR and fetch
   requests are blocked, so it never repeats a request to the server; the snapshot already
   holds the DOM as the page's scripts left it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Route

BLOCKING_IMPACTS = {"serious", "critical"}
NODES_SHOWN = 3
WAIT_FOR_LAST_PAGE_MS = 10_000
SNAPSHOT_FUNCTION = "__microinternAuditSnapshot"
DOCUMENT_ID = "__microinternAuditDocument"
INIT_SCRIPT = f"""(() => {{
    if (window !== window.top) return;
    const id = Date.now().toString(36) + Math.random().toString(36).slice(2);
    Object.defineProperty(window, "{DOCUMENT_ID}", {{ value: id }});
    addEventListener("load", () => {{
        if (!/^https?:/.test(location.href)) return;
        const doctype = document.doctype
            ? new XMLSerializer().serializeToString(document.doctype) : "";
        window.{SNAPSHOT_FUNCTION}(id, location.href, doctype + document.documentElement.outerHTML);
    }});
}})();"""
# Requests the inert copy may not make.
INERT_COPY_BLOCKS = {"script", "xhr", "fetch", "eventsource", "websocket"}


@dataclass(frozen=True)
class Snapshot:
    document_id: str
    url: str
    html: str


# E2E_SCREENSHOTS=1 keeps a full-page screenshot of each checked page under var/screenshots/.
SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS", "") not in ("", "0")
# The CSRF token differs on each render of the same page; it changes nothing axe checks.
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@dataclass
class PageAudit:
    page: Page
    test_name: str
    screenshot_dir: Path
    snapshots: list[Snapshot] = field(default_factory=list)
    checked_urls: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def start(self) -> None:
        """Call before the page's first navigation."""
        self.page.expose_function(SNAPSHOT_FUNCTION, self._store_snapshot)
        self.page.add_init_script(INIT_SCRIPT)

    def _store_snapshot(self, document_id: str, url: str, html: str) -> None:
        self.snapshots.append(Snapshot(document_id, url, html))

    def finish(self) -> None:
        """Check every page visited; fail the test on serious or critical violations. A page
        seen again with the same HTML (a list the test returns to) is checked once."""
        self._wait_for_the_last_page()
        axe = Axe()
        seen: set[tuple[str, int]] = set()
        for number, snapshot in enumerate(self.snapshots, start=1):
            same = (snapshot.url.split("#", 1)[0], hash(CSRF_VALUE.sub("", snapshot.html)))
            if same in seen:
                continue
            seen.add(same)
            try:
                self._check(snapshot, number, axe)
            except Exception as exc:  # an unchecked page must not pass silently
                self.errors.append(f"{snapshot.url}: {type(exc).__name__}: {exc}")
        problems = []
        if self.violations:
            problems.append(
                f"axe found {len(self.violations)} serious or critical violation(s):\n"
                + "\n".join(self.violations)
            )
        if self.errors:
            problems.append("pages that could not be checked:\n" + "\n".join(self.errors))
        if problems:
            pytest.fail("\n\n".join(problems), pytrace=False)

    def _wait_for_the_last_page(self) -> None:
        """The snapshot of the page on screen may still be on its way when the test ends."""
        try:
            self.page.wait_for_load_state("load", timeout=WAIT_FOR_LAST_PAGE_MS)
            document_id, url = self.page.evaluate(f"() => [window.{DOCUMENT_ID}, location.href]")
        except Exception as exc:
            self.errors.append(f"{self.page.url}: {type(exc).__name__}: {exc}")
            return
        if not document_id or not url.startswith(("http://", "https://")):
            return
        waited = 0
        while waited < WAIT_FOR_LAST_PAGE_MS:
            if any(s.document_id == document_id for s in self.snapshots):
                return
            self.page.wait_for_timeout(50)  # lets Playwright deliver the pending snapshot
            waited += 50
        self.errors.append(f"{url}: no snapshot arrived from the page")

    def _check(self, snapshot: Snapshot, number: int, axe: Axe) -> None:
        address = snapshot.url.split("#", 1)[0]

        def serve_copy(route: Route) -> None:
            if route.request.url == address:
                route.fulfill(
                    status=200, content_type="text/html; charset=utf-8", body=snapshot.html
                )
            elif route.request.resource_type in INERT_COPY_BLOCKS:
                route.abort()
            else:
                route.fallback()

        copy = self.page.context.new_page()
        try:
            copy.route("**/*", serve_copy)
            copy.goto(address, wait_until="load")
            if SCREENSHOTS:  # for a person to look at; a CI run has nobody to look
                copy.screenshot(
                    path=self.screenshot_dir / f"{self.test_name}-{number}.png", full_page=True
                )
            results = axe.run(copy)
        finally:
            copy.close()
        self.checked_urls.append(snapshot.url)
        for violation in results.response["violations"]:
            if violation.get("impact") in BLOCKING_IMPACTS:
                self.violations.append(describe(snapshot.url, violation))


def describe(url: str, violation: dict[str, Any]) -> str:
    targets = [", ".join(map(str, node.get("target", []))) for node in violation["nodes"]]
    shown = "; ".join(targets[:NODES_SHOWN])
    more = f" (and {len(targets) - NODES_SHOWN} more)" if len(targets) > NODES_SHOWN else ""
    return (
        f"- {url}: {violation['id']} ({violation['impact']}): {violation['help']}. "
        f"Elements: {shown}{more}"
    )


def screenshot_name(test_name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name).strip("-")
