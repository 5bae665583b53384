"""No page answers 500, whoever asks and whatever they send.

The demo data is loaded once; then every URL of the project (the admin and allauth have
their own tests) is requested by each kind of user with the ids of the demo's objects of
the kind the URL names, and one that does not exist: GETs with nonsense and edge-case query
parameters, a POST with nothing and POSTs of nonsense and edge-case fields. Each must
answer with a page, a redirect, 400 (a form with its errors), 403, 404 or 405; never 500.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from microintern.accounts.models import User
from microintern.notifications.unsubscribe import unsubscribe_token
from microintern.portal.demo import seed

DEMO_USERS = [
    None,  # signed out
    "student@example.edu",
    "intl-student@example.edu",
    "employer@example.com",
    "staff@example.edu",
    "iso@example.edu",
]
MISSING = "999999"
MAX_PER_KIND = 8
# Which objects' ids fill a route's argument: the first pattern that matches the route wins.
ARGUMENT_SOURCES = [
    (r"^/postings/searches/<", "postings.SavedSearch"),
    (r"^/postings/invitations/<", "postings.OrganizationInvitation"),
    (r"^/postings/<", "postings.Posting"),
    (r"^/profile/documents/<", "accounts.Document"),
    (r"^/applications/interviews/<", "applications.Interview"),
    (r"^/applications/documents/<", "applications.SubmittedMaterial"),
    (r"^/applications/postings/<", "postings.Posting"),
    (r"^/applications/<", "applications.Application"),
    (r"^/offers/extension-requests/<", "offers.ExtensionRequest"),
    (r"^/offers/applications/<", "applications.Application"),
    (r"^/offers/<", "offers.Offer"),
    (r"^/authorization/cases/<", "authorization.AuthorizationCase"),
    (r"^/authorization/items/<", "authorization.ChecklistItem"),
    (r"^/advising/<", "advising.Appointment"),
    (r"^/notifications/unsubscribe/<", "unsubscribe"),
    (r"^/notifications/<", "notifications.Notification"),
]
NONSENSE_QUERY = {
    "q": "micro\x00intern'--",
    "page": "-1",
    "sort": "zzz",
    "location_type": "moon",
    "field": "abc",
    "paid": "maybe",
    "status": "bogus",
    "next": "https://evil.example.com/",
}
NONSENSE_FORM = {
    **NONSENSE_QUERY,
    "reason": "\x00" * 3,
    "days": "-3",
    "ids": ["abc", "999999"],
    "applications": ["abc", "²", "99999999999999999999999"],
    "action": "explode",
    "to_status": "hired",
    "slot": "²",
    "start": "31/31/2026",
    "end": "yesterday",
    "start_date": "2026-02-30",
    "end_date": "0000-00-00",
    "hours_per_week": "1e9",
    "pay_hourly": "NaN",
    "decision_window_days": "99",
    "accept": "yes",
    "answer": "perhaps",
    "email": "not-an-email",
    "role": "owner",
    "body": "x" * 20000,
    "text": "\x00",
    "url": "javascript:alert(1)",
    "done": "sometimes",
    "read": "2",
    "frequency": "hourly",
    "title": "",
    "confirm": "yes",
    "topic": "work_authorization",
    "about": "application-999999",
    "adviser": "²",
    "posting": "٣",
    "interview": "-1",
}

# Values at the edges of what the fields parse: huge numbers, odd digits, far-off dates.
EDGE_FORM = {
    "q": "robot " * 800,
    "page": "99999999999999999999",
    "pay_hourly": "Infinity",
    "pay_amount": "1e999",
    "hours_per_week": "99999999999999999999",
    "openings": "-1",
    "days": "٣",
    "decision_window_days": "1e3",
    "deadline": "9999-12-31T23:59",
    "start_date": "99999-01-01",
    "end_date": "0001-01-01",
    "iap_start": "2026-02-29",
    "full_time_terms_completed": "NaN",
    "reason": "x" * 100_000,
    "email": "a@" + "b" * 300 + ".edu",
    "applications": ["0", "-1", "٣"],
    "slot": "99999999999999999999",
    "topic": "interview_preparation",
    "about": "interview-99999999999999999999",
    "message": "x" * 100_000,
    "offer": "1e9",
}


def project_urls() -> Iterator[str]:
    """Every route outside the admin and allauth, with each int or str argument filled."""

    def walk(patterns: list, prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin" or "allauth" in str(pattern.urlconf_name):
                    continue
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    for route in walk(get_resolver().url_patterns, "/"):
        if "<" not in route:
            yield route
            continue
        for value in [*argument_values(route), MISSING]:
            yield re.sub(r"<(int|str):\w+>", value, route)


def unsubscribe_tokens() -> list[str]:
    """Signed links of the demo's users: for a kind one may turn off, and for one nobody may."""
    users = User.objects.order_by("pk").values_list("pk", flat=True)[:MAX_PER_KIND]
    return [
        unsubscribe_token(user_id=pk, kind=kind)
        for pk in users
        for kind in ("saved_search_alert", "offer_extended")
    ]


def argument_values(route: str) -> list[str]:
    for pattern, label in ARGUMENT_SOURCES:
        if re.match(pattern, route):
            if label == "unsubscribe":
                return unsubscribe_tokens()
            model = apps.get_model(label)
            field = "token" if label == "postings.OrganizationInvitation" else "pk"
            values = model.objects.order_by("pk").values_list(field, flat=True)[:MAX_PER_KIND]
            return [str(value) for value in values]
    raise AssertionError(f"No demo objects named for {route}: add it to ARGUMENT_SOURCES.")


@pytest.fixture
def demo(db: None) -> None:
    seed.run()


@pytest.mark.django_db
def test_no_url_answers_500_to_anyone_with_any_input(demo: None) -> None:
    urls = list(project_urls())
    assert len(urls) > 150  # the walk found the project's routes and the demo's objects
    failures: list[str] = []
    for email in DEMO_USERS:
        client = Client(raise_request_exception=False)
        if email:
            client.force_login(User.objects.get(email=email))
        for url in urls:
            for method, data in (
                ("get", NONSENSE_QUERY),
                ("get", EDGE_FORM),
                ("post", {}),
                ("post", NONSENSE_FORM),
                ("post", EDGE_FORM),
            ):
                response = getattr(client, method)(url, data)
                if response.status_code >= 500:
                    failures.append(f"{email or 'anonymous'} {method.upper()} {url}: 500")
    assert failures == []


# Writes a GET may make: the immigration-data access log (every look is recorded, by rule),
# sessions and the worker heartbeat.
GET_MAY_WRITE = {"authorization.accesslogentry", "sessions.session", "core.workerheartbeat"}


def database_fingerprint() -> dict[str, str]:
    fingerprint = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in GET_MAY_WRITE or not model._meta.managed:
            continue
        rows = model._base_manager.order_by("pk").values_list()
        fingerprint[label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return fingerprint


@pytest.mark.django_db
def test_no_get_changes_anything(demo: None) -> None:
    urls = list(project_urls())
    clients = []
    for email in DEMO_USERS:  # signing in writes last_login: done before the fingerprint
        client = Client(raise_request_exception=False)
        if email:
            client.force_login(User.objects.get(email=email))
        clients.append(client)
    before = database_fingerprint()
    for client in clients:
        for url in urls:
            client.get(url, NONSENSE_QUERY)
            client.head(url)
    after = database_fingerprint()
    assert [label for label in before if before[label] != after[label]] == []


@pytest.mark.django_db
def test_no_admin_page_answers_500_to_staff_or_advisors(
    demo: None, settings, superuser: User
) -> None:
    """Every registered model's list (with nonsense filters, search and paging), its add page
    and the change page of its first rows, as CAPD staff, an ISO advisor and a superuser."""
    from django.contrib import admin

    settings.STAFF_MFA_REQUIRED = False  # the demo staff have no TOTP device
    users = [User.objects.get(email="staff@example.edu"), User.objects.get(email="iso@example.edu")]
    failures: list[str] = []
    for user in [*users, superuser]:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for model in admin.site._registry:
            name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            changelist = reverse(f"{name}_changelist")
            urls = [
                changelist,
                changelist + "?q=%00robot&o=99&p=99999999999999999999&status__exact=zzz&e=1",
                reverse(f"{name}_add"),
            ]
            for pk in model._base_manager.order_by("pk").values_list("pk", flat=True)[:3]:
                urls.append(reverse(f"{name}_change", args=[pk]))
            for url in urls:
                if client.get(url).status_code >= 500:
                    failures.append(f"{user.email} GET {url}: 500")
    assert failures == []
