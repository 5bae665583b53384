"""A real SMTP server on loopback that keeps what it receives (aiosmtpd).

Tests use `SMTPSink` as a context manager; the production smoke test runs it as a process:
`python -m tests.smtp_sink --port 8025 --folder var/smoke-mail` writes each message to a file.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import signal
import socket
import threading
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, folder: Path | None) -> None:
        self.messages: list[EmailMessage] = []
        self.folder = folder
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
            if self.folder is not None:
                name = f"{time.time_ns()}-{len(self.messages)}.eml"
                (self.folder / name).write_bytes(envelope.content)
        return "250 Message accepted for delivery"


class SMTPSink:
    def __init__(self, port: int | None = None, folder: Path | None = None) -> None:
        self.port = port or free_port()
        self.handler = _Handler(folder)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        with self.handler.lock:
            return list(self.handler.messages)

    @property
    def email_url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self) -> SMTPSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--folder", type=Path, required=True)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with SMTPSink(args.port, args.folder):
        stop.wait()


if __name__ == "__main__":
    main()
