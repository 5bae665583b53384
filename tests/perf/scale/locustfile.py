"""Locust scenarios for the scale benchmark (run by run.py, headless, against gunicorn).

`SepSixteenStudent`: the burst when postings open. Each simulated user signs in as its own
seeded student, then searches, reads a posting, applies with a real PDF (one in ten clicks
Submit twice, as people do on a slow page), and opens their applications.
`BareView` and `PostingsList`: one URL each, as fast as they are answered, for throughput.

Runs in its own virtualenv (locust's dependencies stay out of the portal's): it imports
nothing from the portal.
"""

from __future__ import annotations

import itertools
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, constant, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
POSTING_LINK = re.compile(r'href="/postings/(\d+)/"')
# The library resume the apply form pre-selects (after the first upload, every application).
CHOSEN_RESUME = re.compile(r'<input[^>]*name="resume_document"[^>]*value="(\d+)"[^>]*checked')
SESSIONS = os.environ.get("BENCH_SESSIONS", "")
TOPICS = ["robot", "climate", "museum", "finance", "genome", "battery", "ocean", "energy"]
_numbers = itertools.count(1)


def minimal_pdf(text: str) -> bytes:
    """A small valid PDF (what pypdf, the portal's check, opens)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


RESUME = minimal_pdf("Resume of a benchmark student")


class SepSixteenStudent(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        # Each user is a student already signed in (run.py made the sessions): one each.
        keys = Path(SESSIONS).read_text().split()
        key = keys[next(_numbers) % len(keys)]
        self.client.cookies.set("sessionid", key, domain="127.0.0.1", path="/")
        self.seen: list[str] = []

    @task(4)
    def search(self) -> None:
        page = self.client.get(
            f"/postings/?q={random.choice(TOPICS)}&paid=on", name="/postings/?q=…&paid=on"
        )
        self.seen = POSTING_LINK.findall(page.text) or self.seen

    @task(3)
    def micro_intern(self) -> None:
        page = self.client.get("/postings/?q=micro-intern", name="/postings/?q=micro-intern")
        self.seen = POSTING_LINK.findall(page.text) or self.seen

    @task(3)
    def read(self) -> None:
        if self.seen:
            self.client.get(f"/postings/{random.choice(self.seen)}/", name="/postings/[id]/")

    @task(2)
    def apply(self) -> None:
        if not self.seen:
            return
        url = f"/applications/postings/{random.choice(self.seen)}/apply/"
        with self.client.get(url, name="apply form", catch_response=True) as form:
            # 403: the portal's refusal for a student who accepted an offer this cycle (the
            # cycle is closed to them), a right answer, not an error.
            if form.status_code == 403:
                form.success()
                return
        match = CSRF.search(form.text)
        if form.status_code != 200 or match is None:
            return  # applied already (a redirect to the application) or closed
        data = {
            "csrfmiddlewaretoken": match.group(1),
            "cover_letter_text": "I would love to help with this.",
            "unpaid_guidance_read": "on",
        }
        chosen = CHOSEN_RESUME.search(form.text)
        if chosen:  # apply with the resume already in the library, as a student would
            data["resume_document"] = chosen.group(1)
            files = {}
        else:  # the first application: upload it (it joins the library)
            files = {"resume": ("resume.pdf", RESUME, "application/pdf")}
        times = 2 if random.random() < 0.1 else 1  # the double click
        for _ in range(times):
            self.client.post(
                url,
                data=data,
                files=files,
                headers={"Referer": self.host + url},
                name="apply (POST)",
            )

    @task(2)
    def mine(self) -> None:
        self.client.get("/applications/", name="/applications/")


class BareView(HttpUser):
    wait_time = constant(0)

    @task
    def bare(self) -> None:
        self.client.get("/bench/bare", name="bare view")


class PostingsList(HttpUser):
    wait_time = constant(0)

    @task
    def postings(self) -> None:
        self.client.get("/postings/", name="/postings/")
