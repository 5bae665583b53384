"""A real worker process, on the real broker (Redis in CI), delivers an email from a sweep.

The notification is written as if the broker had been down when it was created: no delivery
task exists for it, and only the outbox sweep can find it.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from microintern.accounts.models import User
from microintern.notifications.models import EmailState, Notification
from microintern.notifications.services import render_email
from microintern.notifications.tasks import sweep_outbox
from tests.core.test_celery_worker import CELERY, PROJECT_DIR, stop, worker_environment

WAIT_FOR_EMAIL = 40  # seconds


@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_a_lost_notification_from_the_sweep(tmp_path: Path) -> None:
    user = User.objects.create_user("dana@example.edu", "pw", full_name="Dana Example")
    subject, text, html = render_email("test_message", {"recipient": user, "url": ""})
    notification = Notification.objects.create(
        recipient=user,
        kind="test_message",
        dedup_key=f"worker:{uuid.uuid4()}",
        subject=subject,
        body_text=text,
        body_html=html,
        email_state=EmailState.PENDING,
        next_attempt_at=timezone.now(),
    )
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = worker_environment()
    env["EMAIL_URL"] = f"filemail:///{mail_dir}"
    hostname = f"pytest-mail-{uuid.uuid4().hex[:8]}@localhost"
    log = tmp_path / "worker.log"
    with log.open("wb") as log_file:
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
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        sweep_outbox.delay()
        deadline = time.monotonic() + WAIT_FOR_EMAIL
        while time.monotonic() < deadline:
            notification.refresh_from_db()
            if notification.email_state == EmailState.SENT:
                break
            if worker.poll() is not None:
                pytest.fail(f"the worker exited with {worker.returncode}")
            time.sleep(0.25)
    finally:
        stop(worker)
        print(log.read_text(errors="replace")[-5000:])

    assert notification.email_state == EmailState.SENT
    emails = [path.read_text() for path in mail_dir.iterdir()]
    assert len(emails) == 1
    assert "To: dana@example.edu" in emails[0]
    assert "Subject: Test message from the micro-internship portal" in emails[0]
