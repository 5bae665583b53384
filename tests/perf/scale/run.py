"""The scale benchmark: `make bench-scale` (SCALE=small, the default, or SCALE=university).

Resets the PostgreSQL database named by DATABASE_URL (its name must contain "bench": the
schema is dropped), migrates, seeds at the scale, then measures, with the production settings
(tests/perf/scale/settings.py, DEBUG off):
1. each page's query count and server time, every admin changelist (measure.py);
2. throughput: gunicorn (gunicorn.conf.py: 2 x cores + 1 sync workers) serving a bare view and
   /postings/, each under the same closed-loop load from locust, in the same run;
3. the Sep 16 burst: 100 signed-in students searching, reading and applying with a PDF
   (some double-submitting), for a minute; errors, p95/p99, duplicate applications, and the
   workers' memory;
4. each beat sweep's first run over the seeded backlog and its steady run.
Writes the table to docs/bench-scale-<scale>.md and prints it.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.perf.scale.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tests.perf.scale import measure, seed  # noqa: E402

LOAD_USERS = 20
LOAD_SECONDS = 20
BURST_USERS = 100
BURST_SECONDS = 60


def reset_database() -> None:
    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor != "postgresql" or "bench" not in name:
        sys.exit(
            f"bench-scale resets its database: DATABASE_URL must name a PostgreSQL database "
            f"whose name contains 'bench' (got {connection.vendor} {name!r})."
        )
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_MAX_REQUESTS": "0"}
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "microintern.wsgi", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare", timeout=1)
            return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    sys.exit(f"gunicorn did not start: see {log}")


def signed_in_sessions(count: int, path: Path) -> None:
    """Sessions of `count` students, as a sign-in leaves them, one session key per line.
    The burst is of students already signed in (sessions last weeks): 100 sign-ins at once
    would measure the password hash (the cost the hasher is chosen for), not the pages."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from microintern.accounts.models import User

    students = User.objects.filter(role="student").order_by("pk")[40 : 40 + count]
    keys = []
    for student in students:
        session = SessionStore()
        session[SESSION_KEY] = str(student.pk)
        session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
        session[HASH_SESSION_KEY] = student.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    path.write_text("\n".join(keys) + "\n")


def worker_rss_mb(master: int) -> list[float]:
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master):
            sizes.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
    return sorted(sizes)


def locust(
    locust_bin: str, port: int, user_class: str, users: int, seconds: int, out: Path
) -> dict[str, str]:
    prefix = out / user_class
    subprocess.run(
        [
            locust_bin,
            "-f",
            str(ROOT / "tests/perf/scale/locustfile.py"),
            "--headless",
            "--only-summary",
            "-u",
            str(users),
            "-r",
            str(min(users, 25)),
            "-t",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            user_class,
        ],
        cwd=ROOT,
        env={**os.environ, "BENCH_SESSIONS": str(out / "sessions.txt")},
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=(out / f"{user_class}.log").open("w"),
    )
    with open(f"{prefix}_stats.csv") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    return rows["Aggregated"]


def server_errors(out: Path, user_class: str) -> int:
    path = out / f"{user_class}_failures.csv"
    if not path.exists():
        return 0
    with path.open() as failures:
        return sum(int(row["Occurrences"]) for row in csv.DictReader(failures))


def duplicate_applications() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM applications_application "
            "GROUP BY student_id, posting_id HAVING count(*) > 1) d"
        )
        return cursor.fetchone()[0]


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return (
        f"{os.cpu_count()} cores ({model}), {int(memory) // 1024 // 1024} GiB, "
        f"PostgreSQL {pg.split()[0]}, Python {platform.python_version()}"
    )


def table(headers: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def main() -> None:
    global seed_scale
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=sorted(seed.SCALES), default="small")
    parser.add_argument("--locust", default=str(ROOT / "var/bench-venv/bin/locust"))
    parser.add_argument("--skip-load", action="store_true", help="no gunicorn, no locust")
    parser.add_argument("--skip-sweeps", action="store_true", help="no beat sweeps")
    args = parser.parse_args()
    seed_scale = seed.SCALES[args.scale]
    out = ROOT / "var/bench" / args.scale
    out.mkdir(parents=True, exist_ok=True)
    report: list[str] = []

    started = time.perf_counter()
    reset_database()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    counts = seed.seed(seed_scale)
    seed.analyze()
    seeded = time.perf_counter()
    call_command("collectstatic", verbosity=0, interactive=False)
    print(f"seeded {counts} in {seeded - migrated:.0f} s", flush=True)

    report.append(f"# Scale benchmark: {args.scale}")
    report.append("")
    report.append(
        f"{dt.date.today().isoformat()}, {machine()}. Production settings (DEBUG "
        "off); `make bench-scale SCALE=" + args.scale + "`."
    )
    report.append("")
    report.append(
        "Seeded: "
        + ", ".join(f"{n:,} {label}" for label, n in counts.items())
        + f", in {seeded - migrated:.0f} s (migrations {migrated - started:.0f} s)."
    )
    report.append("")

    pages = measure.measure_pages()
    report.append("## Pages (server time through Django's test client, 20 GETs each)")
    report.append("")
    report += table(
        ["page", "queries", "p50 ms", "p95 ms", "KB", "status"],
        [[t.label, t.queries, t.p50_ms, t.p95_ms, t.size_kb, t.status] for t in pages],
    )
    report.append("")
    print("\n".join(report), flush=True)

    lists = measure.measure_changelists()
    report.append(
        "## Admin changelists (5 GETs each; CAPD staff, else an ISO advisor, else a superuser)"
    )
    report.append("")
    report += table(
        ["changelist", "queries", "p50 ms", "p95 ms", "KB", "status"],
        [[t.label, t.queries, t.p50_ms, t.p95_ms, t.size_kb, t.status] for t in lists],
    )
    report.append("")

    if not args.skip_load:
        signed_in_sessions(BURST_USERS, out / "sessions.txt")
        port = free_port()
        server = start_gunicorn(port, out / "gunicorn.log")
        try:
            bare = locust(args.locust, port, "BareView", LOAD_USERS, LOAD_SECONDS, out)
            listing = locust(args.locust, port, "PostingsList", LOAD_USERS, LOAD_SECONDS, out)
            rss_before = worker_rss_mb(server.pid)
            burst = locust(args.locust, port, "SepSixteenStudent", BURST_USERS, BURST_SECONDS, out)
            rss_after = worker_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
        ratio = float(listing["Requests/s"]) / float(bare["Requests/s"])
        report.append(
            f"## Throughput (gunicorn, {len(rss_after)} workers; locust, "
            f"{LOAD_USERS} users without pauses, {LOAD_SECONDS} s each)"
        )
        report.append("")
        report += table(
            ["URL", "requests/s", "p50 ms", "p95 ms", "failures"],
            [
                [
                    "bare view (`HttpResponse`)",
                    round(float(bare["Requests/s"]), 1),
                    bare["50%"],
                    bare["95%"],
                    bare["Failure Count"],
                ],
                [
                    "/postings/",
                    round(float(listing["Requests/s"]), 1),
                    listing["50%"],
                    listing["95%"],
                    listing["Failure Count"],
                ],
            ],
        )
        report.append("")
        report.append(
            f"/postings/ serves {100 * ratio:.1f}% of the bare view's requests per second."
        )
        report.append("")
        report.append(
            f"## The Sep 16 burst ({BURST_USERS} signed-in students, {BURST_SECONDS} s: "
            "search, read, apply with a PDF, one in ten twice, my applications)"
        )
        report.append("")
        report += table(
            [
                "requests",
                "requests/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "failures",
                "duplicate applications",
                "worker RSS MB (before → after)",
            ],
            [
                [
                    burst["Request Count"],
                    round(float(burst["Requests/s"]), 1),
                    burst["50%"],
                    burst["95%"],
                    burst["99%"],
                    server_errors(out, "SepSixteenStudent"),
                    duplicate_applications(),
                    f"{max(rss_before, default=0)} → {max(rss_after, default=0)}",
                ]
            ],
        )
        report.append("")

    if not args.skip_sweeps:
        sweeps = measure.measure_sweeps()
        report.append("## Beat sweeps (each schedule's task, run as the worker runs it)")
        report.append("")
        report += table(
            ["sweep", "first run: queries", "seconds", "result", "steady run: queries", "seconds"],
            [
                [s.label, s.first_queries, s.first_s, s.first_result, s.steady_queries, s.steady_s]
                for s in sweeps
            ],
        )
        report.append("")
    skipped = [name for name, on in (("load", args.skip_load), ("sweeps", args.skip_sweeps)) if on]
    if skipped:
        report.append(f"Not measured in this run: {', '.join(skipped)}.")
        report.append("")
    report.append(f"Whole run: {time.perf_counter() - started:.0f} s.")
    text = "\n".join(report) + "\n"
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / f"docs/bench-scale-{args.scale}.md").write_text(text)
    print(text)


seed_scale = seed.SCALES["small"]

if __name__ == "__main__":
    main()
