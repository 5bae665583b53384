"""Every page is accessible, for everyone, in every state: axe-core finds nothing serious.

The flows' tests (the other files here) check the pages they pass through; this one checks
every page of the URL walk (tests/page_walk.py: the front end, allauth's pages, the admin) as
each demo user sees it, in the states the demo would not show by itself (an inbox with read
and unread notifications, a checklist with a step overdue beside a done and a verified one).
One browser, one context per user, each page loaded once from the live server and checked
by axe-core (pinned in package.json, `npm ci`) where it was loaded. A "serious" or "critical"
violation fails the test, naming the user, the page, the rule and the first elements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import Client, RequestFactory
from playwright.sync_api import Browser, BrowserContext, Page
from pytest_django.fixtures import Settings

from applications.models import ApplicationStatus
from authorization.eligibility import ROUTE_LABELS
from authorization.models import ForecastStatus
from microintern.portal.demo import seed
from tests.page_walk import (
    ANONYMOUS,
    WALKED_USERS,
    add_every_state,
    distinct,
    html_pages,
    signed_in_client,
    site_urls,
)
from tests.validators import Document, axe_script, blocking_violations

pytestmark = [pytest.mark.e2e, pytest.mark.no_page_audit, pytest.mark.django_db(transaction=True)]

# Starts axe on the page without waiting for it; COLLECT_AXE waits for its answer. Only the
# violations are asked for: the full report also lists every element that passed each rule.
START_AXE = """() => { window.__axeRun = new Promise(resolve => setTimeout(
    () => resolve(axe.run(document, { resultTypes: ['violations'] })), 0)); }"""
COLLECT_AXE = "() => window.__axeRun.then(results => results.violations)"
# Every badge and button colour of the palette, each status partial with every value it
# takes, on white and on the light backgrounds the pages put them on (a done checklist step,
# an unread notification, an active table row).
BADGE_GALLERY = """{% extends "base.html" %}{% block content %}<h1>Every badge</h1>
{% for background in backgrounds %}<section class="{{ background }} p-3 mb-2">
  <h2 class="h5">On {{ background }}</h2>
  {% for status in forecast_statuses %}
    {% include "authorization/_forecast_status.html" %}{% endfor %}
  {% for route, label in routes %}{% include "authorization/_route_badge.html" %}{% endfor %}
  {% for status, label in application_statuses %}
    {% include "applications/_status.html" %}{% endfor %}
  <span class="badge text-bg-success">Verified by the ISO</span>
  <span class="badge text-bg-primary">Done</span> <span class="badge text-bg-danger">Overdue</span>
  <span class="badge bg-secondary">Closed</span> <span class="badge bg-brand">New</span>
  {% for badge in posting_badges %}<span class="badge {{ badge }}">{{ badge }}</span>{% endfor %}
  <p class="text-body-secondary small">Muted text <a href="#x">and a link</a></p>
  {% for button in buttons %}
    <button class="btn btn-sm {{ button }}" type="button">{{ button }}</button>{% endfor %}
</section>{% endfor %}{% endblock %}"""
BACKGROUNDS = ["bg-white", "bg-light", "list-group-item-light", "table-active"]
POSTING_BADGES = ["badge-label", "badge-alumni", "badge-paid", "badge-unpaid", "badge-global"]
POSTING_BADGES += ["badge-location", "badge-saved"]
BUTTONS = ["btn-primary", "btn-outline-primary", "btn-outline-secondary", "btn-outline-danger"]
BUTTONS += ["btn-secondary", "btn-success", "btn-danger", "btn-link"]
LOW_CONTRAST_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Grey</title></head>
<body><main><h1>Grey</h1><p id="faint" style="color:#bbb">Hard to read</p></main></body></html>"""


def browser_context_for(
    new_context: Callable[..., BrowserContext], client: Client, base_url: str
) -> BrowserContext:
    """A browser context signed in as the client's user (its session cookie), with axe-core
    in every document (an init script is not subject to the page's Content-Security-Policy)."""
    context = new_context()
    context.add_init_script(path=axe_script())
    cookie = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
    if cookie is not None:
        context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": base_url, "httpOnly": True}]
        )
    return context


def load(tab: Page, url: str) -> None:
    response = tab.goto(url, wait_until="load")
    status = response.status if response else None
    assert status == 200, f"{url} answered {status} in the browser, 200 to the walk"


def axe_each(
    context: BrowserContext, base_url: str, documents: Sequence[Document]
) -> Iterator[tuple[Document, list[dict]]]:
    """Each document's axe violations, loaded at its address in `context`.

    Two tabs take turns: while axe runs in one (in Chromium), the next page loads in the
    other (rendered by the live server, in this process), so the two costs overlap instead
    of adding up.
    """
    if not documents:
        return
    current, following = context.new_page(), context.new_page()
    load(current, base_url + documents[0].url)
    for index, document in enumerate(documents):
        current.evaluate(START_AXE)
        if index + 1 < len(documents):
            load(following, base_url + documents[index + 1].url)
        yield document, current.evaluate(COLLECT_AXE)
        current, following = following, current


def test_no_page_any_role_reaches_has_a_serious_accessibility_violation(
    browser: Browser, new_context, live_server, settings: Settings
) -> None:
    axe_script()  # skip before seeding when axe-core is missing
    settings.STAFF_MFA_REQUIRED = False  # the demo staff have no TOTP device
    seed.run()
    add_every_state()
    urls = site_urls()

    checked: list[str] = []
    violations: list[str] = []
    seen: set[str] = set()  # a page that is the same for two users is checked once
    for email in WALKED_USERS:
        client = signed_in_client(email)
        documents = distinct(html_pages(client, email or ANONYMOUS, urls), seen)
        context = browser_context_for(new_context, client, live_server.url)
        for document, found in axe_each(context, live_server.url, documents):
            violations += blocking_violations(f"{document.role} {document.url}", found)
            checked.append(f"{document.role} {document.url}")
        context.close()

    assert len(checked) > 250  # every role's pages, the admin's included
    assert not violations, (
        f"axe found {len(violations)} serious or critical violation(s):\n" + "\n".join(violations)
    )


def test_every_badge_and_button_of_the_palette_is_readable_on_every_background(
    browser: Browser, new_context, live_server
) -> None:
    """States the demo shows one at a time (a forecast too late, a route not eligible, each
    application status), all on one page with the site's styles."""
    request = RequestFactory().get("/badges/")
    request.user = AnonymousUser()
    gallery = (
        engines["django"]
        .from_string(BADGE_GALLERY)
        .render(
            {
                "backgrounds": BACKGROUNDS,
                "forecast_statuses": ForecastStatus.values,
                "routes": ROUTE_LABELS.items(),
                "application_statuses": ApplicationStatus.choices,
                "posting_badges": POSTING_BADGES,
                "buttons": BUTTONS,
            },
            request,
        )
    )
    context = browser_context_for(new_context, Client(), live_server.url)
    context.route(
        f"{live_server.url}/badges/",
        lambda route: route.fulfill(content_type="text/html", body=gallery),
    )
    document = Document(role=ANONYMOUS, url="/badges/", html=gallery)

    [(_, found)] = list(axe_each(context, live_server.url, [document]))

    assert gallery.count('class="badge') > 4 * 25  # the partials rendered every value
    violations = blocking_violations("/badges/", found)
    assert not violations, "\n".join(violations)


def test_the_walk_reports_a_serious_violation_naming_rule_and_element(
    browser: Browser, new_context, live_server
) -> None:
    """The check above can fail: light grey text on white is reported, with its element."""
    context = browser_context_for(new_context, Client(), live_server.url)
    context.route(
        f"{live_server.url}/low-contrast/",
        lambda route: route.fulfill(content_type="text/html", body=LOW_CONTRAST_PAGE),
    )
    documents = [Document(role="student", url="/low-contrast/", html=LOW_CONTRAST_PAGE)] * 2

    results = list(axe_each(context, live_server.url, documents))

    assert len(results) == 2  # each of the two tabs checked its page
    for document, found in results:
        lines = blocking_violations(f"{document.role} {document.url}", found)
        assert len(lines) == 1
        assert lines[0].startswith("- student /low-contrast/: color-contrast (serious)")
        assert lines[0].endswith("Elements: #faint")
