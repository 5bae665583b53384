"""Uploaded documents: one PDF check for every app, and a handler that stops keeping a file
once it passes the size limit.

Documents are PDFs, checked by content, never by the name or the browser's content type. A
file is accepted when it is within `settings.MAX_UPLOAD_BYTES` (5 MB), starts with `%PDF-`,
pypdf reads at least one page, it carries nothing a PDF reader could run or unpack
(JavaScript, automatic or launch actions, attached files, XFA forms), nothing else is packed
around the PDF (a web page, an archive, a second document), and, when clamd is configured,
the virus scanner finds it clean. Every refusal is a sentence a student can act on; the
callers store nothing when there is one.
"""

from __future__ import annotations

import io
import logging
import re
import socket
import struct

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

logger = logging.getLogger(__name__)

PDF_SIGNATURE = b"%PDF-"

REPRINT = "Print it to a new PDF and upload that."
JAVASCRIPT = f"This PDF contains JavaScript, which we do not accept. {REPRINT}"
ACTIONS = (
    "This PDF runs actions by itself (when it opens, or on a page or form field), which we "
    f"do not accept. {REPRINT}"
)
LAUNCH = f"This PDF tries to start other programs, which we do not accept. {REPRINT}"
ATTACHMENTS = f"This PDF has files attached inside it, which we do not accept. {REPRINT}"
XFA = f"This PDF is an XFA form, which we do not accept. {REPRINT}"
SMUGGLED = (
    "This file has something other than a PDF packed into it (a web page, an archive or a "
    f"second document), which we do not accept. {REPRINT}"
)
INFECTED = (
    "Our virus scanner found something harmful in this file, so we did not keep it. Check "
    "your computer with an up-to-date virus scanner and upload a clean copy."
)
SCANNER_DOWN = (
    "We could not check this file for viruses right now; please try again in a few minutes."
)

# Names that mean active or hidden content, whether they appear as a key (/JS, /AA, /XFA,
# /EmbeddedFiles, /JavaScript in the /Names tree) or as a value (/S /JavaScript, /S /Launch,
# /Type /EmbeddedFile, /Subtype /FileAttachment). The first match in this order decides the
# message.
FORBIDDEN_NAMES: dict[str, str] = {
    "/JavaScript": JAVASCRIPT,
    "/JS": JAVASCRIPT,
    "/Launch": LAUNCH,
    "/AA": ACTIONS,
    "/EmbeddedFiles": ATTACHMENTS,
    "/EmbeddedFile": ATTACHMENTS,
    "/FileAttachment": ATTACHMENTS,
    "/XFA": XFA,
}

# The end of every well-formed PDF: the trailer's pointer to the cross-reference table and
# %%EOF, then nothing but whitespace as PDF defines it (NUL included).
TRAILER_TAIL = re.compile(rb"startxref\s+\d+\s*%%EOF[\x00\t\n\x0c\r ]*\Z")
# Stream bodies are binary (compressed page content, images, fonts): searching them for
# names or markup would refuse good files by chance. The parsed walk reads what matters in
# them (object streams); the raw scan below only reads the PDF syntax around them.
STREAM_BODY = re.compile(rb"stream(?:\r\n|\n|\r).*?endstream", re.DOTALL)
# A name token: a slash and the regular characters after it (PDF 32000-1, 7.3.5). Matching the
# whole token means /AAPL is not /AA.
NAME_TOKEN = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# What another program would find in a polyglot: markup a browser renders, the headers of a
# ZIP archive, or the start of a second PDF. None of them belongs in PDF syntax outside a
# stream (hex strings hold only hex digits, so "<s", "<h", "<!" never start one).
FOREIGN_MARKERS = re.compile(
    rb"<(?:html|script|svg|body|iframe|embed|object|!doctype|\?xml)\b|PK\x03\x04|PK\x05\x06|%PDF-",
    re.IGNORECASE,
)


def max_upload_bytes() -> int:
    return int(settings.MAX_UPLOAD_BYTES)


def pdf_problem(upload: File) -> str | None:
    """Why this upload is not an acceptable PDF, as a sentence a student understands; None
    when it is one."""
    size = upload.size or 0
    limit = max_upload_bytes()
    if size == 0:
        return "The file is empty. Choose the PDF again."
    if size > limit:
        return (
            f"The file is {size / (1024 * 1024):.1f} MB; the limit is "
            f"{limit / (1024 * 1024):.0f} MB. Make it smaller (for example “Save as PDF” "
            "with reduced size) and try again."
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if not content.startswith(PDF_SIGNATURE):
        # Anything before the signature is a polyglot's other half, so the signature must
        # open the file.
        return "This file is not a PDF (whatever its name says). Save or export it as PDF."
    try:
        # Not strict: scanners write slightly malformed PDFs (offsets a few bytes off) that
        # readers open fine. Strictness about what matters lives in the checks below.
        reader = PdfReader(io.BytesIO(content), strict=False)
        pages = len(reader.pages)
        found = names_in_document(reader)
    except Exception:  # pypdf raises many kinds of errors on damaged files
        logger.info("Rejected an upload that pypdf could not read", exc_info=True)
        pages = 0
    if pages < 1:
        return "This file says it is a PDF but cannot be read as one. Export or scan it again."
    syntax = pdf_syntax(content)
    problem = (
        smuggled_content_problem(content, syntax)
        or found_names_problem(found)
        or found_names_problem(raw_names(syntax))
        or virus_scan_problem(content)
    )
    if problem:
        logger.info("Rejected an upload: %s", problem)
    return problem


def pdf_syntax(content: bytes) -> bytes:
    """The file without its stream bodies and without the signature at its start."""
    return STREAM_BODY.sub(b"stream endstream", content[len(PDF_SIGNATURE) :])


def smuggled_content_problem(content: bytes, syntax: bytes) -> str | None:
    """Content outside the PDF structure: anything but whitespace after the trailer's final
    %%EOF, or markers of another format (HTML, SVG, ZIP, a second PDF) in the PDF syntax."""
    if not TRAILER_TAIL.search(content[-1024:]):
        return SMUGGLED
    if FOREIGN_MARKERS.search(syntax):
        return SMUGGLED
    return None


def found_names_problem(names: set[str]) -> str | None:
    for name, problem in FORBIDDEN_NAMES.items():
        if name in names:
            return problem
    if OPEN_ACTION_NOT_A_DESTINATION in names:
        return ACTIONS
    return None


# Stands for a document /OpenAction that does more than show a page (see names_in_document).
OPEN_ACTION_NOT_A_DESTINATION = "/OpenAction (not a destination)"


def names_in_document(reader: PdfReader) -> set[str]:
    """Every name in the parsed object tree, keys and values, including objects that only an
    object stream holds and objects nothing refers to (a reader might still find them).

    A document /OpenAction that only opens a page is kept out: LaTeX's hyperref writes
    `/OpenAction [page /Fit]` into nearly every LaTeX CV, and showing a page runs nothing.
    Any other open action is reported as OPEN_ACTION_NOT_A_DESTINATION.
    """
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    pending: list[PdfObject] = [reader.trailer]
    for generation, numbers in reader.xref.items():
        pending.extend(IndirectObject(number, generation, reader) for number in numbers)
    pending.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    while pending:
        obj = pending.pop()
        if isinstance(obj, IndirectObject):
            reference = (obj.idnum, obj.generation)
            if reference in seen:
                continue
            seen.add(reference)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # streams included: their dictionary
            for key, value in dict.items(obj):
                if key != "/OpenAction":
                    found.add(str(key))
                elif not _is_destination(value):
                    found.add(OPEN_ACTION_NOT_A_DESTINATION)
                pending.append(value)
        elif isinstance(obj, ArrayObject):
            pending.extend(obj)
        elif isinstance(obj, NameObject):
            found.add(str(obj))
    return found


def _is_destination(value: PdfObject) -> bool:
    """A page to show ([page /Fit], a named destination) or a plain GoTo with nothing
    chained after it."""
    target = value.get_object()
    if isinstance(target, DictionaryObject):
        return target.get("/S") == "/GoTo" and "/Next" not in target
    return True


def raw_names(syntax: bytes) -> set[str]:
    """Names in the PDF syntax read straight from the bytes (escapes like /J#53 decoded), as a
    second opinion for whatever a damaged cross-reference table hides from pypdf.

    /OpenAction is not among the names refused here: a raw token cannot tell hyperref's
    harmless "open on page 1" from an action, and the actions it could run are refused by
    their own names (/JS, /Launch) or by the parsed walk."""
    return {
        "/" + NAME_ESCAPE.sub(lambda m: bytes.fromhex(m.group(1).decode()), token).decode("latin-1")
        for token in NAME_TOKEN.findall(syntax)
    }


# --- Virus scanning (clamd) ------------------------------------------------------------------
# Off unless CLAMD_SOCKET or CLAMD_HOST is set. When it is on and clamd cannot answer, uploads
# are refused (fail closed): a scanner that is quietly skipped protects nobody.
CLAMD_CHUNK = 64 * 1024  # well under clamd's StreamMaxLength and its per-chunk limit


class VirusScannerUnavailable(Exception):
    """clamd is configured but did not give a verdict."""


def virus_scan_problem(content: bytes) -> str | None:
    if not (settings.CLAMD_SOCKET or settings.CLAMD_HOST):
        return None
    try:
        verdict = clamd_instream(content)
    except VirusScannerUnavailable:
        logger.error("Refused an upload: the virus scanner (clamd) is unreachable", exc_info=True)
        return SCANNER_DOWN
    if verdict.endswith("FOUND"):
        logger.warning("Refused an upload that clamd flagged: %s", verdict)
        return INFECTED
    if verdict.endswith(": OK"):
        return None
    logger.error("Refused an upload: clamd answered %r", verdict)
    return SCANNER_DOWN


def clamd_instream(content: bytes) -> str:
    """Send the bytes to clamd with its INSTREAM command and return its one-line verdict,
    e.g. "stream: OK" or "stream: Eicar-Test-Signature FOUND".

    The protocol: "zINSTREAM\\0", then chunks each preceded by its length as four big-endian
    bytes, then a zero length; clamd answers one NUL-terminated line and closes.
    """
    try:
        with _clamd_connection() as connection:
            connection.sendall(b"zINSTREAM\0")
            for start in range(0, len(content), CLAMD_CHUNK):
                chunk = content[start : start + CLAMD_CHUNK]
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                received = connection.recv(4096)
                if not received:
                    break
                reply += received
    except OSError as error:  # refused, missing socket, timeout, reset
        raise VirusScannerUnavailable(str(error)) from error
    if not reply:
        raise VirusScannerUnavailable("clamd closed the connection without a verdict")
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def _clamd_connection() -> socket.socket:
    timeout = float(settings.CLAMD_TIMEOUT)
    if settings.CLAMD_SOCKET:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout)
        try:
            connection.connect(settings.CLAMD_SOCKET)
        except OSError:
            connection.close()
            raise
        return connection
    return socket.create_connection(
        (settings.CLAMD_HOST, int(settings.CLAMD_PORT)), timeout=timeout
    )


class OversizedUpload(UploadedFile):
    """Stands in for a file that passed the limit: its size is what arrived, its content
    nothing. pdf_problem() then refuses it with the size in the message."""

    def __init__(self, *, name: str, content_type: str, size: int, charset: str | None) -> None:
        super().__init__(io.BytesIO(b""), name, content_type, size, charset)


class SizeCappedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: passes each chunk on to Django's memory and temporary
    file handlers until the file passes MAX_UPLOAD_BYTES, then keeps nothing more of it.

    The request body is still read to the end (the form's other fields come after), but a
    2 GB upload no longer becomes a 2 GB temporary file. The web server's own body limit
    stays the first line of defence in production.
    """

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received = start + len(raw_data)
        if self.received > max_upload_bytes():
            self.oversized = True
            return None  # the handlers after this one get no more of the file
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.oversized:
            return None  # the next handler (memory or temporary file) returns the file
        return OversizedUpload(
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
        )
