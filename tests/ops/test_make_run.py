"""`make run` in a pseudo-terminal, as a developer runs it: one Ctrl-C stops everything.

Every process `make run` starts inherits a marker in its environment, so the test finds them
all in /proc (the worker runs in a process group of its own) and checks none is left.
"""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.smtp_sink import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not (ROOT / ".venv" / "bin" / "python").exists(), reason="needs the project's .venv"
)


def processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker.encode() in environ:
            found.append(int(entry.name))
    return found


def wait_for(url: str, timeout: float) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


class Terminal:
    """Reads the pseudo-terminal all the time, as a terminal does, so the child never
    blocks on a full buffer."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.chunks: list[bytes] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.chunks.append(chunk)

    @property
    def text(self) -> str:
        return b"".join(self.chunks).decode(errors="replace")


def test_one_ctrl_c_stops_web_worker_and_beat_within_ten_seconds(tmp_path: Path) -> None:
    marker = f"MAKE_RUN_TEST={uuid.uuid4().hex}"
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL", "SITE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {"PORT": str(port), "VAR_DIR": str(tmp_path), "DEBUG": "true"}
    env[marker.split("=")[0]] = marker.split("=")[1]
    (tmp_path / "worker.log").write_text("a line from an earlier run\n")
    pid, fd = pty.fork()
    if pid == 0:  # the child: make run, as if typed in a terminal
        os.chdir(ROOT)
        os.execvpe("make", ["make", "--no-print-directory", "run"], env)
    terminal = Terminal(fd)
    try:
        home = wait_for(f"http://127.0.0.1:{port}/", timeout=240)
        assert b"Micro-internships" in home
        deadline = time.monotonic() + 60
        while len(processes_with(marker)) < 3 and time.monotonic() < deadline:
            time.sleep(0.5)  # web, worker, beat (and the pool) have all started
        assert len(processes_with(marker)) >= 3
        second = subprocess.run(
            ["bash", "scripts/run-local.sh"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert second.returncode == 1  # a second beat is impossible
        assert "already running" in second.stderr

        os.write(fd, b"\x03")  # Ctrl-C
        stopped_by = time.monotonic() + 10
        while processes_with(marker) and time.monotonic() < stopped_by:
            time.sleep(0.25)
        left = processes_with(marker)
    finally:
        for leftover in processes_with(marker):
            os.kill(leftover, signal.SIGKILL)
        os.waitpid(pid, 0)
        terminal.thread.join(timeout=5)
        output = terminal.text
        os.close(fd)

    assert left == [], f"still running after 10 s: {left}\n{output[-2000:]}"
    assert f"http://127.0.0.1:{port}/" in output  # SITE_URL follows PORT
    assert "Stopped web, worker and beat." in output
    log = (tmp_path / "worker.log").read_text()
    assert log.startswith("a line from an earlier run\n")  # appended, not truncated
    assert "make run starts the worker" in log
