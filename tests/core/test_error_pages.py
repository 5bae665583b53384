"""The error pages are the portal's own: they say what happened and where to go next."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_errors(settings) -> None:
    settings.DEBUG = False  # with DEBUG on, Django shows its technical pages instead
    settings.STAFF_MFA_REQUIRED = False  # a student is refused the admin, MFA or not


def test_a_missing_page_says_so_and_offers_a_way_on(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "We could not find that page" in text
    assert 'href="/accounts/login/"' in text


def test_a_refusal_says_what_to_do(client: Client, student) -> None:
    client.force_login(student)
    response = client.get("/admin/", follow=True)  # the admin is for staff only
    assert response.status_code == 403
    assert "You cannot do that here" in response.content.decode()


def test_an_expired_form_is_explained_and_changes_nothing(student) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    response = client.post("/notifications/read-all")
    assert response.status_code == 403
    assert "That form had expired" in response.content.decode()


def test_a_server_error_page_renders_without_a_request_context() -> None:
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
