"""A real Celery worker process for tests: same broker and same test database as the test.

No eager mode: the tests that use it prove the web process, the broker and a worker are
wired together the way `make run` and production run them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parents[1]
# The celery script of the interpreter running the tests, whichever virtualenv that is.
CELERY = Path(sys.executable).parent / "celery"


def database_url_of_test_database() -> str:
    """DATABASE_URL for the database this test runs against (not the one settings name)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}{port}/{db['NAME']}"
    )


def worker_environment(**overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "microintern.settings"
    env["DATABASE_URL"] = database_url_of_test_database()
    # The same broker as this process: Redis when REDIS_URL is set (it passes through),
    # otherwise the filesystem broker's folders under the same VAR_DIR.
    env["VAR_DIR"] = str(settings.VAR_DIR)
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # only the browser tests need it
    env.update(overrides)
    return env


def stop(worker: subprocess.Popen[bytes]) -> None:
    """Warm shutdown (SIGTERM), and a kill if that hangs."""
    if worker.poll() is None:
        worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=15)


@contextmanager
def running_worker(
    hostname: str, log: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a solo-pool worker named `hostname`; stop it on exit and print its log (pytest
    shows it only when the test fails)."""
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
            ],  # fmt: skip
            cwd=PROJECT_DIR,
            env=env or worker_environment(),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        yield worker
    finally:
        stop(worker)
        print(log.read_text(errors="replace")[-5000:])
