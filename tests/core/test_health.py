"""/healthz for load balancers and monitors: 200 only when the database and broker answer."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from microintern.core import health

pytestmark = pytest.mark.django_db

CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def broker_down(settings: Settings) -> None:
    settings.CELERY_BROKER_URL = CLOSED_PORT_BROKER
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(health.connection, "cursor", refuse)


def test_it_reports_healthy_when_database_and_broker_answer(client: Client) -> None:
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_it_is_served_at_healthz(client: Client) -> None:
    assert reverse("health") == "/healthz"


def test_it_is_never_cached(client: Client) -> None:
    response = client.get(reverse("health"))

    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.usefixtures("broker_down")
def test_it_reports_unavailable_when_the_broker_is_down(client: Client) -> None:
    response = client.get(reverse("health"))

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"]) == ("unavailable", "ok")
    assert body["broker"] != "ok"


@pytest.mark.usefixtures("database_down")
def test_it_reports_unavailable_when_the_database_is_down(client: Client) -> None:
    response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "OperationalError",
        "broker": "ok",
    }


def test_it_reports_a_missing_filesystem_broker_folder(settings: Settings, tmp_path) -> None:
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "gone"),
        "data_folder_out": str(tmp_path / "gone"),
        "processed_folder": str(tmp_path / "processed"),
        "control_folder": str(tmp_path / "control"),
    }

    assert health.broker_ok() == (False, "broker folder missing")


def test_it_refuses_post(client: Client) -> None:
    response = client.post(reverse("health"))

    assert response.status_code == 405


def test_it_answers_head_for_monitors(client: Client) -> None:
    assert client.head(reverse("health")).status_code == 200
