"""Each pytest-xdist worker gets its own Redis database and its own VAR_DIR.

`make test` runs the suite in one worker process per core (pytest-xdist). pytest-django
already gives each worker its own test database (test_portal_gw0, test_portal_gw1); what it
cannot separate is what the settings read from the environment:

- Redis: the cache and the Celery broker share REDIS_URL. Two workers on one Redis database
  would empty each other's cache between a test's requests (tests/conftest.py clears it
  before every test) and a Celery worker started by one test could take the other's tasks
  and run them against the wrong database. Worker n uses database base + n + 1.
- VAR_DIR: the SQLite test database, the filesystem broker's folders, uploaded files and
  screenshots; each worker writes under VAR_DIR/gw<n>/.

Loaded with `-p tests.parallel` (pyproject.toml's addopts), so this module runs before
pytest-django imports the settings; a conftest.py would be too late. Without xdist (a plain
`pytest tests/...`), it changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REDIS_DATABASES = 16  # Redis's default `databases`


def worker_redis_url(url: str, worker: int) -> str:
    """`url` pointed at database base + worker + 1 (wrapping within Redis's 16)."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    database = (base + worker + 1) % REDIS_DATABASES
    return urlunsplit(parts._replace(path=f"/{database}"))


def isolate_worker(environ: MutableMapping[str, str], worker_id: str) -> None:
    worker = int(worker_id.removeprefix("gw"))
    if environ.get("REDIS_URL"):
        environ["REDIS_URL"] = worker_redis_url(environ["REDIS_URL"], worker)
    base = Path(environ.get("VAR_DIR") or Path(__file__).resolve().parents[1] / "var")
    environ["VAR_DIR"] = str(base / worker_id)


_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER:
    isolate_worker(os.environ, _WORKER)
