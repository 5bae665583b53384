"""Hostile files for the upload tests, built the way an attacker would: with pypdf for the
active content, and by gluing bytes together for the polyglots."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)


def one_page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    return writer


def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def name(value: str) -> NameObject:
    return NameObject(value)


def action(kind: str, **entries: str) -> DictionaryObject:
    return DictionaryObject(
        {
            name("/S"): name(kind),
            **{name(f"/{key}"): TextStringObject(value) for key, value in entries.items()},
        }
    )


def clean_pdf() -> bytes:
    return written(one_page())


def javascript_name_tree() -> bytes:
    """Document-level JavaScript in /Names -> /JavaScript (what pypdf's add_js used to write)."""
    writer = one_page()
    writer.add_open_action(JavaScript("app.alert('hello');"))
    return written(writer)


def javascript_open_action() -> bytes:
    writer = one_page()
    writer._root_object[name("/OpenAction")] = action("/JavaScript", JS="app.alert(1)")
    return written(writer)


def uri_open_action() -> bytes:
    """Opens a web page as soon as the PDF opens: no JavaScript, still an automatic action."""
    writer = one_page()
    writer._root_object[name("/OpenAction")] = action("/URI", URI="https://evil.example.com/")
    return written(writer)


def fit_page_open_action() -> bytes:
    """What LaTeX's hyperref writes into nearly every LaTeX CV: open on page 1, fitted."""
    writer = one_page()
    writer._root_object[name("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, name("/Fit")]
    )
    return written(writer)


def page_additional_action() -> bytes:
    """A page /AA that fetches a URL when the page opens."""
    writer = one_page()
    writer.pages[0][name("/AA")] = DictionaryObject(
        {name("/O"): action("/URI", URI="https://evil.example.com/")}
    )
    return written(writer)


def annotation_additional_action() -> bytes:
    writer = one_page()
    widget = DictionaryObject(
        {
            name("/Type"): name("/Annot"),
            name("/Subtype"): name("/Widget"),
            name("/Rect"): ArrayObject([]),
            name("/AA"): DictionaryObject(
                {name("/E"): action("/URI", URI="https://evil.example.com/")}
            ),
        }
    )
    writer.pages[0][name("/Annots")] = ArrayObject([writer._add_object(widget)])
    return written(writer)


def launch_link() -> bytes:
    writer = one_page()
    link = DictionaryObject(
        {
            name("/Type"): name("/Annot"),
            name("/Subtype"): name("/Link"),
            name("/Rect"): ArrayObject([]),
            name("/A"): action("/Launch", F="cmd.exe"),
        }
    )
    writer.pages[0][name("/Annots")] = ArrayObject([writer._add_object(link)])
    return written(writer)


def embedded_file() -> bytes:
    writer = one_page()
    writer.add_attachment("invoice.exe", b"MZ not really a program")
    return written(writer)


def file_attachment_annotation() -> bytes:
    """An attachment hung on a page as an annotation (no /EmbeddedFiles name tree)."""
    writer = one_page()
    note = DictionaryObject(
        {
            name("/Type"): name("/Annot"),
            name("/Subtype"): name("/FileAttachment"),
            name("/Rect"): ArrayObject([]),
        }
    )
    writer.pages[0][name("/Annots")] = ArrayObject([writer._add_object(note)])
    return written(writer)


def xfa_form() -> bytes:
    writer = one_page()
    writer._root_object[name("/AcroForm")] = DictionaryObject(
        {name("/Fields"): ArrayObject([]), name("/XFA"): TextStringObject("<xdp:xdp/>")}
    )
    return written(writer)


def escaped_javascript_names() -> bytes:
    """/JavaScript and /JS spelled with #-escapes in the raw bytes: the same names to a PDF
    reader."""
    return (
        javascript_open_action()
        .replace(b"/JavaScript", b"/Java#53cript")
        .replace(b"/JS ", b"/J#53 ")
    )


def javascript_outside_the_cross_reference_table() -> bytes:
    """A JavaScript action that the cross-reference table does not list: pypdf never reaches
    it, a reader that rebuilds a damaged table might."""
    content = clean_pdf()
    at = content.rindex(b"xref\n0 ")
    hidden = b"9 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n"
    start = int(content.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    body = content[:at] + hidden + content[at:]
    return body.replace(b"startxref\n%d\n" % start, b"startxref\n%d\n" % (start + len(hidden)))


def harmless_name_starting_with_aa() -> bytes:
    """/AAPL is a name of its own (some producers write such keys), not /AA."""
    return clean_pdf().replace(b"/Producer (pypdf)", b"/AAPL (ticker)   ")


def pdf_then_html() -> bytes:
    return clean_pdf() + b"<html><body><script>alert(document.cookie)</script></body></html>\n"


def pdf_then_zip() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("index.html", "<script>alert(1)</script>")
    return clean_pdf() + archive.getvalue()


def pdf_then_pdf() -> bytes:
    return clean_pdf() + clean_pdf()


def svg_behind_pdf_header() -> bytes:
    """An SVG (script and all) between a PDF header and a readable PDF body: a browser that
    sniffs sees an image with a script, pypdf still finds a page."""
    body = clean_pdf().split(b"\n", 1)[1]
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n'
    return b"%PDF-1.4\n" + svg + body


def bytes_before_the_header() -> bytes:
    return b"<!-- hello -->\n" + clean_pdf()


def with_page_content(content: bytes) -> bytes:
    """A one-page PDF whose page content stream holds these bytes, uncompressed."""
    writer = one_page()
    stream = DecodedStreamObject()
    stream.set_data(content)
    writer.pages[0][name("/Contents")] = writer._add_object(stream)
    return written(writer)


def javascript_in_object_stream() -> bytes:
    """A PDF 1.5 whose JavaScript action lives only inside a compressed object stream, so
    the raw bytes show no /JavaScript or /JS at all: only the parsed object tree does."""
    hidden = b"<< /S /JavaScript /JS (app.alert(1)) >>"
    header = b"4 0 "
    packed = zlib.compress(header + hidden)
    parts = [b"%PDF-1.5\n"]
    offsets: dict[int, int] = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = sum(map(len, parts))
        parts.append(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    add(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>")
    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>")
    add(
        5,
        b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream",
    )
    xref_at = sum(map(len, parts))
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 1, offsets[number], 0) for number in (1, 2, 3)]
    rows += [struct.pack(">BIH", 2, 5, 0)]  # object 4: the first object in object stream 5
    rows += [struct.pack(">BIH", 1, offsets[5], 0), struct.pack(">BIH", 1, xref_at, 0)]
    table = b"".join(rows)
    parts.append(
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\n"
    )
    parts.append(b"startxref\n%d\n%%%%EOF\n" % xref_at)
    return b"".join(parts)
