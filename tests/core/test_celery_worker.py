"""A real worker process takes a message from the real broker and writes to the test database.

No eager mode: this is the one test that proves the web process, the broker and a worker are
wired together the way `make run` and production run them.
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings
from django.db import connection
from django.utils import timezone

from microintern.core.models import WorkerHeartbeat
from microintern.core.tasks import heartbeat

PROJECT_DIR = Path(__file__).resolve().parents[2]
CELERY = PROJECT_DIR / ".venv" / "bin" / "celery"
WAIT_FOR_HEARTBEAT = 30  # seconds; a cold worker start takes 2 to 5 here


def database_url_of_test_database() -> str:
    """DATABASE_URL for the database this test runs against (not the one settings name)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}{port}/{db['NAME']}"
    )


def worker_environment() -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "microintern.settings"
    env["DATABASE_URL"] = database_url_of_test_database()
    # The same broker as this process: Redis when REDIS_URL is set (it passes through),
    # otherwise the filesystem broker's folders under the same VAR_DIR.
    env["VAR_DIR"] = str(settings.VAR_DIR)
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # only the browser tests need it
    return env


def wait_for_heartbeat(worker: subprocess.Popen[bytes], hostname: str) -> WorkerHeartbeat:
    deadline = time.monotonic() + WAIT_FOR_HEARTBEAT
    while time.monotonic() < deadline:
        row = WorkerHeartbeat.objects.filter(hostname=hostname).first()
        if row is not None:
            return row
        if worker.poll() is not None:
            pytest.fail(f"the worker exited with {worker.returncode} before the heartbeat")
        time.sleep(0.25)
    pytest.fail(f"no heartbeat from {hostname} within {WAIT_FOR_HEARTBEAT} s")


def stop(worker: subprocess.Popen[bytes]) -> None:
    """Warm shutdown (SIGTERM), and a kill if that hangs."""
    if worker.poll() is None:
        worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=15)


@pytest.mark.django_db(transaction=True)
def test_it_runs_a_task_in_a_separate_worker_process(tmp_path: Path) -> None:
    assert not current_app.conf.task_always_eager, "the task would run here, not in a worker"
    hostname = f"pytest-{uuid.uuid4().hex[:8]}@localhost"
    log = tmp_path / "worker.log"
    with log.open("wb") as log_file:  # the child keeps its own copy of the descriptor
        worker = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "microintern",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-Q",
                "celery",
                "--loglevel=INFO",
                "-n",
                hostname,
            ],
            cwd=PROJECT_DIR,
            env=worker_environment(),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    sent_at = timezone.now()
    try:
        heartbeat.delay()

        row = wait_for_heartbeat(worker, hostname)
    finally:
        stop(worker)
        # Captured by pytest, and shown only when the test fails.
        print(log.read_text(errors="replace")[-5000:])

    assert row.last_seen >= sent_at
    assert row.beats >= 1
