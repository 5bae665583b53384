"""No browser or proxy keeps a copy of a page for a signed-in user: Cache-Control: no-store."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from microintern.accounts.models import User

pytestmark = pytest.mark.django_db

SIGNED_IN_PAGES = [
    "home",
    "postings:list",
    "applications:mine",
    "notifications:inbox",
    "authorization:mine",
    "account_email",
]


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_it_tells_caches_not_to_store_a_students_page(
    client: Client, student: User, name: str
) -> None:
    client.force_login(student)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert {"no-store", "private"} <= cache_directives(response)


def test_it_tells_caches_not_to_store_an_employers_dashboard(
    client: Client, employer: User
) -> None:
    client.force_login(employer)

    response = client.get(reverse("postings:dashboard"))

    assert {"no-store", "private"} <= cache_directives(response)


def test_it_tells_caches_not_to_store_a_redirect_for_a_signed_in_user(
    client: Client, student: User
) -> None:
    client.force_login(student)

    response = client.get(reverse("postings:dashboard"))  # students get 404 here

    assert {"no-store", "private"} <= cache_directives(response)


def test_it_leaves_a_visitors_home_page_alone(client: Client) -> None:
    response = client.get(reverse("home"))

    assert "no-store" not in cache_directives(response)


def test_it_keeps_the_cache_control_a_view_chose(client: Client, student: User) -> None:
    client.force_login(student)

    response = client.get(reverse("health"))  # never_cache: max-age=0, no-cache, no-store...

    assert "max-age=0" in cache_directives(response)
