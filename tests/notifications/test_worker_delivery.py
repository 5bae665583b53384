"""A real worker process, on the real broker (Redis in CI), delivers an email from a sweep.

The notification is written as if the broker had been down when it was created: no delivery
task exists for it, and only the outbox sweep can find it.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from microintern.accounts.models import User
from microintern.notifications.models import EmailState, Notification
from microintern.notifications.services import render_email
from microintern.notifications.tasks import sweep_outbox
from tests.worker import running_worker, worker_environment

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
    env = worker_environment(EMAIL_URL=f"filemail:///{mail_dir}")
    hostname = f"pytest-mail-{uuid.uuid4().hex[:8]}@localhost"
    with running_worker(hostname, tmp_path / "worker.log", env) as worker:
        sweep_outbox.delay()
        deadline = time.monotonic() + WAIT_FOR_EMAIL
        while time.monotonic() < deadline:
            notification.refresh_from_db()
            if notification.email_state == EmailState.SENT:
                break
            if worker.poll() is not None:
                pytest.fail(f"the worker exited with {worker.returncode}")
            time.sleep(0.25)

    assert notification.email_state == EmailState.SENT
    emails = [path.read_text() for path in mail_dir.iterdir()]
    assert len(emails) == 1
    assert "To: dana@example.edu" in emails[0]
    assert "Subject: Test message from the micro-internship portal" in emails[0]
