"""Issue 11: a NUL byte in an admin address answers 400, before any query.

On PostgreSQL `/admin/postings/posting/?q=%00` answered 500 ("A string literal cannot contain
NUL (0x00) characters"). SQLite accepts NUL, so these tests assert what the page answers
and that no query touched the model's table: the request never reached the database.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.fixtures import Settings

from microintern.accounts.models import User

pytestmark = pytest.mark.django_db

POSTINGS = reverse("admin:postings_posting_changelist")


@pytest.fixture(autouse=True)
def _mfa_not_required(settings: Settings) -> None:
    settings.STAFF_MFA_REQUIRED = False


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "status=%00",
        "organization__id__exact=%00",
        "q=robot%00--",
        "%00=1",
        "o=1%00",
        "_changelist_filters=status%3D%00",
    ],
)
def test_it_answers_400_to_a_nul_byte_in_a_posting_list_filter(
    client: Client, staff: User, query: str
) -> None:
    client.force_login(staff)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{POSTINGS}?{query}")

    assert response.status_code == 400
    assert not any("postings_posting" in q["sql"] for q in queries.captured_queries)


def test_it_answers_400_to_a_nul_byte_in_an_object_address(client: Client, staff: User) -> None:
    client.force_login(staff)

    response = client.get("/admin/postings/posting/1%00/change/")

    assert response.status_code == 400


def test_it_answers_400_on_every_admin_list(client: Client, superuser: User) -> None:
    # A superuser, because only a superuser opens every list: each one must refuse the NUL
    # byte itself, not behind a 403 that a staff member would get first.
    client.force_login(superuser)
    urls = [
        reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist")
        for m in admin.site._registry
    ]

    answers = {url: client.get(url, {"q": "\x00", "id__exact": "\x00"}).status_code for url in urls}

    assert set(answers.values()) == {400}


def test_it_answers_400_on_the_admin_index_and_autocomplete(client: Client, staff: User) -> None:
    client.force_login(staff)

    index = client.get(reverse("admin:index"), {"x": "\x00"})
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "postings", "model_name": "posting", "field_name": "x", "term": "\x00"},
    )

    assert (index.status_code, autocomplete.status_code) == (400, 400)


def test_it_still_answers_the_same_list_without_the_nul_byte(client: Client, staff: User) -> None:
    client.force_login(staff)

    response = client.get(POSTINGS, {"q": "robot", "status": "published"})

    assert response.status_code == 200
