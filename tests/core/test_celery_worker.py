"""A real worker process takes a message from the real broker and writes to the test database.

No eager mode: this is the one test that proves the web process, the broker and a worker are
wired together the way `make run` and production run them.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from pathlib import Path

import pytest
from celery import current_app
from django.utils import timezone

from microintern.core.models import WorkerHeartbeat
from microintern.core.tasks import heartbeat
from tests.worker import running_worker

WAIT_FOR_HEARTBEAT = 30  # seconds; a cold worker start takes 2 to 5 here


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


@pytest.mark.django_db(transaction=True)
def test_it_runs_a_task_in_a_separate_worker_process(tmp_path: Path) -> None:
    assert not current_app.conf.task_always_eager, "the task would run here, not in a worker"
    hostname = f"pytest-{uuid.uuid4().hex[:8]}@localhost"
    sent_at = timezone.now()
    with running_worker(hostname, tmp_path / "worker.log") as worker:
        heartbeat.delay()
        row = wait_for_heartbeat(worker, hostname)

    assert row.last_seen >= sent_at
    assert row.beats >= 1
