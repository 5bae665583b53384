"""Every page of the site as each demo user sees it: the walk that the validators run over.

The front end's URLs come from the no-500 walk (tests/core/test_no_server_errors.py: every
route, its arguments filled with the demo's objects); allauth's pages without an argument and
the admin's (index, each app, each registered model's list, add page and its first row's
change, history and delete pages, the funnel and the charts) are added here. Each demo user
asks for each of them with a plain GET; a page is what answers 200 with HTML. Redirects, 403s
and 404s are the role matrix's business (tests/core/test_role_matrix.py), not the validators'.

`add_every_state` adds to the demo the states its pages would otherwise never show: inboxes
with read and unread notifications side by side, and the international student's checklist
with a step in each state (verified by the ISO, done, overdue, still to do), and the demo
student's advising appointments held and cancelled beside the booked one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from authorization.models import ChecklistItem
from microintern.accounts.models import User
from microintern.cycles.models import RecruitingCycle
from microintern.notifications.models import Notification
from tests.advising import factories as advising_factories
from tests.core.test_no_server_errors import DEMO_USERS, MISSING, project_urls
from tests.factories import MISTIManagerFactory, SuperuserFactory
from tests.validators import Document

ANONYMOUS = "anonymous"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
# The admin's pages of one row: its first rows, by primary key.
ADMIN_ROW_PAGES = ("change", "history", "delete")


def allauth_urls() -> Iterator[str]:
    """allauth's pages that take no argument (sign-in, sign-up, password reset, email, MFA)."""

    def walk(patterns: list, prefix: str, inside: bool) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                nested = inside or "allauth" in str(pattern.urlconf_name)
                if pattern.namespace != "admin":
                    yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), nested)
            elif inside and isinstance(pattern, URLPattern) and "<" not in str(pattern.pattern):
                yield prefix + str(pattern.pattern)

    yield from walk(get_resolver().url_patterns, "/", False)


def admin_urls() -> Iterator[str]:
    yield reverse("admin:index")
    yield reverse("admin:password_change")
    app_labels = sorted({model._meta.app_label for model in admin.site._registry})
    for app_label in app_labels:
        yield reverse("admin:app_list", kwargs={"app_label": app_label})
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{name}_changelist")
        yield reverse(f"{name}_add")
        first = model._base_manager.order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            for page in ADMIN_ROW_PAGES:
                yield reverse(f"{name}_{page}", args=[first])
    for pk in RecruitingCycle.objects.order_by("pk").values_list("pk", flat=True):
        yield reverse("admin:cycles_recruitingcycle_funnel", args=[pk])
        yield reverse("admin:cycles_recruitingcycle_charts", args=[pk])


def site_urls() -> list[str]:
    """Every URL of the walk, each once, in a stable order."""
    # The no-500 walk also asks for an object that does not exist: always a 404 here.
    front_end = [url for url in project_urls() if f"/{MISSING}/" not in url]
    # The booking page lists open times once a topic is chosen; the ISO's answer for one.
    front_end += [
        reverse("advising:book") + "?topic=interview_preparation",
        reverse("advising:book") + "?topic=work_authorization",
    ]
    return list(dict.fromkeys([*front_end, *allauth_urls(), *admin_urls()]))


def signed_in_client(email: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def html_pages(client: Client, role: str, urls: Iterable[str]) -> Iterator[Document]:
    for url in urls:
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("text/html"):
            yield Document(role=role, url=url, html=response.content.decode(response.charset))


def distinct(documents: Iterable[Document], seen: set[str]) -> list[Document]:
    """The documents whose HTML is not in `seen` (which learns them): a page that is the same
    as one before it, but for the CSRF token every form carries (new each time), is left
    out."""
    kept = []
    for document in documents:
        html = CSRF_TOKEN.sub("", document.html)
        if html not in seen:
            seen.add(html)
            kept.append(document)
    return kept


# Roles the demo has no login for, walked too: a MISTI program manager (a member of the real
# group) and a superuser (the pages only superusers reach: groups, second factors, beat).
MISTI_MANAGER = "misti-manager@example.edu"
SUPERUSER = "root@example.edu"
WALKED_USERS = [*DEMO_USERS, MISTI_MANAGER, SUPERUSER]


def add_walk_only_roles() -> None:
    MISTIManagerFactory(email=MISTI_MANAGER, full_name="Mo Misti")
    SuperuserFactory(email=SUPERUSER, full_name="Ada Admin")


def walk_every_role() -> list[Document]:
    """The HTML of every page each role reaches. Staff MFA must be off (the demo staff
    have no TOTP device), or the staff see only the MFA pages."""
    urls = site_urls()
    pages: list[Document] = []
    for email in WALKED_USERS:
        pages += html_pages(signed_in_client(email), email or ANONYMOUS, urls)
    return pages


def add_every_state() -> None:
    """States the demo's pages do not show by themselves, added to the seeded demo (and the
    roles it has no login for)."""
    add_walk_only_roles()
    now = timezone.now()
    # Inboxes: every other notification read, so that each page of an inbox has both.
    for user_id in Notification.objects.values_list("recipient_id", flat=True).distinct():
        ids = list(
            Notification.objects.filter(recipient_id=user_id)
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids[::2]).update(read_at=now)
        Notification.objects.filter(pk__in=ids[1::2]).update(read_at=None)
    # The checklist: beside the demo's verified and done steps (and those still to do), one
    # overdue.
    undone = ChecklistItem.objects.filter(done_at__isnull=True).order_by("case_id", "position")
    overdue = undone.first()
    assert overdue is not None and undone.count() > 1, "the demo's checklist has steps to do"
    assert ChecklistItem.objects.filter(verified_at__isnull=False).exists()
    assert ChecklistItem.objects.filter(done_at__isnull=False, verified_at__isnull=True).exists()
    overdue.due_date = timezone.localdate() - dt.timedelta(days=3)
    overdue.save(update_fields=["due_date"])
    # Advising: beside the demo's booked appointment, a held one and one CAPD cancelled.
    student = User.objects.get(email="student@example.edu")
    adviser = User.objects.get(email="staff@example.edu")
    advising_factories.HeldAppointmentFactory(student=student, slot__adviser=adviser)
    advising_factories.CancelledAppointmentFactory(
        student=student, slot__adviser=adviser, cancelled_by=adviser, cancel_message="I am ill."
    )
