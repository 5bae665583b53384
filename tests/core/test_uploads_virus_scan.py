"""Uploads: with clamd configured, every file is scanned before anything is stored; a file
clamd flags is refused, and so is every file while clamd cannot be reached (fail closed).
Without the setting nothing is sent anywhere.

The scanner here is a real peer on a real socket: a small thread that speaks clamd's INSTREAM
protocol and answers FOUND for anything holding the EICAR test string.
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from microintern.accounts.models import Document, User
from microintern.core.uploads import pdf_problem
from tests.core import hostile_pdfs

# The industry's harmless test signature, assembled at run time so that a virus scanner on a
# developer's machine does not quarantine this test file.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
INFECTED = "Our virus scanner found something harmful in this file"
SCANNER_DOWN = (
    "We could not check this file for viruses right now; please try again in a few minutes"
)


class FakeClamd:
    """Accepts connections on a listening socket and answers each INSTREAM like clamd."""

    def __init__(self, listener: socket.socket) -> None:
        self.listener = listener
        self.streams: list[bytes] = []
        self.fixed_reply: bytes | None = None  # e.g. clamd's answer when it is overloaded
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # the listener was closed: the test is over
                return
            with connection:
                self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        reader = connection.makefile("rb")
        if reader.read(len(b"zINSTREAM\0")) != b"zINSTREAM\0":
            connection.sendall(b"UNKNOWN COMMAND\0")
            return
        received = b""
        while (length := struct.unpack("!L", reader.read(4))[0]) > 0:
            received += reader.read(length)
        self.streams.append(received)
        verdict = b"stream: Eicar-Test-Signature FOUND" if EICAR in received else b"stream: OK"
        connection.sendall((self.fixed_reply or verdict) + b"\0")

    def close(self) -> None:
        # shutdown() wakes the accept() the thread is blocked in; close() alone would not.
        self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self.thread.join(timeout=5)


@pytest.fixture
def clamd_on_unix_socket(tmp_path: Path, settings) -> Iterator[FakeClamd]:
    path = tmp_path / "clamd.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen()
    settings.CLAMD_SOCKET = str(path)
    settings.CLAMD_HOST = ""
    server = FakeClamd(listener)
    yield server
    server.close()


@pytest.fixture
def clamd_on_tcp(settings) -> Iterator[FakeClamd]:
    listener = socket.create_server(("127.0.0.1", 0))
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST, settings.CLAMD_PORT = listener.getsockname()
    server = FakeClamd(listener)
    yield server
    server.close()


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("cv.pdf", content, content_type="application/pdf")


def infected_pdf() -> bytes:
    # A comment in the page content keeps the signature's bytes as they are.
    return hostile_pdfs.with_page_content(b"% " + EICAR + b"\n")


def test_it_sends_the_whole_file_to_clamd(clamd_on_unix_socket: FakeClamd) -> None:
    content = hostile_pdfs.with_page_content(b"0 0 m " * 30_000)  # several protocol chunks

    pdf_problem(upload(content))

    assert clamd_on_unix_socket.streams == [content]


def test_it_accepts_a_file_clamd_finds_clean(clamd_on_unix_socket: FakeClamd) -> None:
    assert pdf_problem(upload(hostile_pdfs.clean_pdf())) is None


def test_it_refuses_a_file_clamd_finds_a_virus_in(clamd_on_unix_socket: FakeClamd) -> None:
    assert INFECTED in (pdf_problem(upload(infected_pdf())) or "")


def test_it_reaches_clamd_over_tcp_too(clamd_on_tcp: FakeClamd) -> None:
    assert INFECTED in (pdf_problem(upload(infected_pdf())) or "")


@pytest.mark.django_db
def test_it_keeps_nothing_of_a_file_clamd_flags(
    client: Client, student: User, media_root: Path, clamd_on_unix_socket: FakeClamd
) -> None:
    client.force_login(student)

    response = client.post(
        reverse("accounts:documents"), {"kind": "resume", "file": upload(infected_pdf())}
    )

    assert response.status_code == 400
    assert INFECTED in response.content.decode()
    assert not Document.objects.filter(student=student).exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_it_refuses_uploads_while_clamd_is_unreachable(settings, tmp_path: Path) -> None:
    settings.CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")

    assert pdf_problem(upload(hostile_pdfs.clean_pdf())) == SCANNER_DOWN + "."


def test_it_refuses_uploads_when_clamd_answers_an_error(clamd_on_unix_socket: FakeClamd) -> None:
    clamd_on_unix_socket.fixed_reply = b"INSTREAM size limit exceeded. ERROR"

    assert pdf_problem(upload(hostile_pdfs.clean_pdf())) == SCANNER_DOWN + "."


def test_it_logs_an_error_when_clamd_is_unreachable(
    settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings.CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")

    with caplog.at_level(logging.ERROR, logger="microintern.core.uploads"):
        pdf_problem(upload(hostile_pdfs.clean_pdf()))

    assert any(
        record.levelno == logging.ERROR and "clamd" in record.getMessage()
        for record in caplog.records
    )


@pytest.mark.django_db
def test_it_keeps_nothing_while_clamd_is_unreachable(
    client: Client, student: User, media_root: Path, settings, tmp_path: Path
) -> None:
    settings.CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    client.force_login(student)

    response = client.post(
        reverse("accounts:documents"), {"kind": "resume", "file": upload(hostile_pdfs.clean_pdf())}
    )

    assert SCANNER_DOWN in response.content.decode()
    assert not Document.objects.filter(student=student).exists()


def test_it_sends_nothing_anywhere_without_the_setting(
    clamd_on_unix_socket: FakeClamd, settings
) -> None:
    settings.CLAMD_SOCKET = ""

    assert pdf_problem(upload(infected_pdf())) is None
    assert clamd_on_unix_socket.streams == []


def test_it_skips_clamd_for_a_file_it_already_refuses(clamd_on_unix_socket: FakeClamd) -> None:
    pdf_problem(upload(hostile_pdfs.pdf_then_html()))

    assert clamd_on_unix_socket.streams == []
