"""/healthz for load balancers and monitors.

503 when the database or broker is down (take the machine out of rotation); 200 with
"status": "degraded" when the worker or beat is late (pages work, emails and sweeps wait).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from pytest_django.fixtures import Settings

from microintern.core import health
from microintern.core.models import WorkerHeartbeat
from microintern.core.tasks import heartbeat

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


def worker_seen(seconds_ago: int) -> None:
    WorkerHeartbeat.objects.create(
        hostname="celery@web1",
        beats=1,
        last_seen=timezone.now() - dt.timedelta(seconds=seconds_ago),
    )


def beat_ticked(seconds_ago: int) -> None:
    PeriodicTask.objects.filter(name="Worker heartbeat").update(
        last_run_at=timezone.now() - dt.timedelta(seconds=seconds_ago)
    )


@pytest.fixture
def background_alive() -> None:
    worker_seen(30)
    beat_ticked(90)


@pytest.mark.usefixtures("background_alive")
def test_it_reports_healthy_when_every_component_answers(client: Client) -> None:
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": {"ok": True, "detail": "ok"},
        "broker": {"ok": True, "detail": "ok"},
        "worker": {"ok": True, "detail": "ok", "age_seconds": 30},
        "beat": {"ok": True, "detail": "ok", "age_seconds": 90},
    }


def test_it_is_served_at_healthz(client: Client) -> None:
    assert reverse("health") == "/healthz"


def test_it_is_never_cached(client: Client) -> None:
    response = client.get(reverse("health"))

    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.usefixtures("background_alive", "broker_down")
def test_it_reports_unavailable_when_the_broker_is_down(client: Client) -> None:
    response = client.get(reverse("health"))

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"]["ok"], body["broker"]["ok"]) == (
        "unavailable",
        True,
        False,
    )


@pytest.mark.usefixtures("database_down")
def test_it_reports_unavailable_when_the_database_is_down(client: Client) -> None:
    response = client.get(reverse("health"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == {"ok": False, "detail": "OperationalError"}
    assert body["broker"]["ok"] is True


def test_it_is_degraded_when_the_worker_is_late(client: Client, settings: Settings) -> None:
    worker_seen(settings.HEALTH_WORKER_MAX_AGE_SECONDS + 60)
    beat_ticked(90)

    response = client.get(reverse("health"))

    assert response.status_code == 200  # pages still work: keep it in rotation
    body = response.json()
    assert body["status"] == "degraded"
    assert body["worker"]["ok"] is False
    assert body["worker"]["age_seconds"] == settings.HEALTH_WORKER_MAX_AGE_SECONDS + 60
    assert body["beat"]["ok"] is True


def test_it_is_degraded_when_beat_is_late(client: Client, settings: Settings) -> None:
    worker_seen(30)
    beat_ticked(settings.HEALTH_BEAT_MAX_AGE_SECONDS + 1)

    body = client.get(reverse("health")).json()

    assert body["status"] == "degraded"
    assert (body["worker"]["ok"], body["beat"]["ok"]) == (True, False)


def test_it_is_degraded_before_any_worker_has_run(client: Client) -> None:
    body = client.get(reverse("health")).json()

    assert body["status"] == "degraded"
    assert body["worker"] == {"ok": False, "detail": "no heartbeat yet"}
    assert body["beat"] == {"ok": False, "detail": "no schedule has run yet"}


def test_a_heartbeat_makes_the_worker_healthy_again(client: Client) -> None:
    worker_seen(3600)

    heartbeat.apply()  # what a live worker does every minute

    assert client.get(reverse("health")).json()["worker"]["ok"] is True


def test_it_reports_a_missing_filesystem_broker_folder(settings: Settings, tmp_path) -> None:
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "gone"),
        "data_folder_out": str(tmp_path / "gone"),
        "processed_folder": str(tmp_path / "processed"),
        "control_folder": str(tmp_path / "control"),
    }

    assert health.broker() == health.Component(False, "broker folder missing")


def test_it_refuses_post(client: Client) -> None:
    response = client.post(reverse("health"))

    assert response.status_code == 405


def test_it_answers_head_for_monitors(client: Client) -> None:
    assert client.head(reverse("health")).status_code == 200
