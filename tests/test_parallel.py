"""tests/parallel.py: each pytest-xdist worker on its own Redis database and VAR_DIR."""

from __future__ import annotations

from pathlib import Path

from tests.parallel import isolate_worker, worker_redis_url


def test_each_worker_gets_the_next_redis_databases_after_the_one_named() -> None:
    assert worker_redis_url("redis://127.0.0.1:6379/0", 0) == "redis://127.0.0.1:6379/1"
    assert worker_redis_url("redis://127.0.0.1:6379/0", 1) == "redis://127.0.0.1:6379/2"
    assert worker_redis_url("redis://:secret@cache:6380/3", 0) == "redis://:secret@cache:6380/4"
    assert worker_redis_url("redis://127.0.0.1:6379", 0) == "redis://127.0.0.1:6379/1"
    assert worker_redis_url("redis://127.0.0.1:6379/15", 0) == "redis://127.0.0.1:6379/0"


def test_a_worker_writes_under_its_own_var_dir_and_keeps_sqlite_without_redis(
    tmp_path: Path,
) -> None:
    environ = {"VAR_DIR": str(tmp_path)}

    isolate_worker(environ, "gw1")

    assert environ == {"VAR_DIR": str(tmp_path / "gw1")}  # no REDIS_URL appears


def test_two_workers_never_share_a_redis_database_or_a_folder(tmp_path: Path) -> None:
    first = {"VAR_DIR": str(tmp_path), "REDIS_URL": "redis://127.0.0.1:6379/2"}
    second = dict(first)

    isolate_worker(first, "gw0")
    isolate_worker(second, "gw1")

    assert first["REDIS_URL"] != second["REDIS_URL"] != "redis://127.0.0.1:6379/2"
    assert first["VAR_DIR"] != second["VAR_DIR"]
