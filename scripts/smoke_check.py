"""The production smoke test's browser-less user: signs in through the real forms, walks what
each role reaches from the navigation, and fails on any 5xx.

Run by scripts/smoke.sh against gunicorn on loopback, with the production settings. Only the
standard library: it is a client, like a browser, and knows nothing of the project's code.

    python scripts/smoke_check.py --base http://127.0.0.1:8400 --phase normal
    python scripts/smoke_check.py --base ... --phase redis-down   (sign-in and a few pages)
    python scripts/smoke_check.py --base ... --phase smtp-down    (sign-up, password reset)

Exit status 0 when every check held; otherwise each failure is printed and the status is 1.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.cookiejar
import json
import os
import re
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

DEMO_PASSWORD = "microintern-demo"
STUDENTS_AND_EMPLOYERS = ["student@example.edu", "intl-student@example.edu", "employer@example.com"]
STAFF = ["staff@example.edu", "iso@example.edu"]
# Never followed: they change state on POST only, but a walk has no business signing out.
SKIP = re.compile(r"^/(accounts/logout|static/|media/)|\.ics$|/download|\.csv$|export")
MAX_PAGES_PER_ROLE = 120

failures: list[str] = []


def fail(message: str) -> None:
    failures.append(message)
    print(f"  FAIL {message}", flush=True)


class SecureCookiesOverLoopback(http.cookiejar.DefaultCookiePolicy):
    """The TLS proxy is played by an X-Forwarded-Proto header, so the session cookie (Secure
    in production) travels over plain HTTP on loopback."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return True

    def set_ok(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return super().set_ok(cookie, request) or cookie.secure


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.stylesheets: list[str] = []
        self.inputs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.stylesheets.append(a["href"] or "")
        if tag == "input" and a.get("name"):
            self.inputs[a["name"] or ""] = a.get("value") or ""
        if tag == "input" and a.get("id") == "authenticator_secret":
            self.inputs["__totp_secret"] = a.get("value") or ""


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.origin = "https://" + urllib.parse.urlsplit(self.base).netloc
        self.jar = http.cookiejar.CookieJar(policy=SecureCookiesOverLoopback())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(
        self, path: str, data: dict[str, str] | None = None, *, follow: bool = True
    ) -> tuple[int, str, dict[str, str], str]:
        """(status, body, headers, final path); follows redirects inside the site."""
        url = self.base + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        for _ in range(10):
            request = urllib.request.Request(url, data=body)  # noqa: S310 (http on loopback)
            request.add_header("X-Forwarded-Proto", "https")  # what the TLS proxy sets
            request.add_header("User-Agent", "portal-smoke-test")
            if body is not None:
                request.add_header("Origin", self.origin)
                request.add_header("Referer", self.origin + path)
            started = time.monotonic()
            try:
                response = self.opener.open(request, timeout=30)
                status, headers = response.status, dict(response.headers)
                text = response.read().decode(errors="replace")
            except urllib.error.HTTPError as exc:
                status, headers = exc.code, dict(exc.headers)
                text = exc.read().decode(errors="replace")
            elapsed = time.monotonic() - started
            if elapsed > 5:
                # Reported, not failed: on a busy 2-core CI machine a cold worker can take
                # this long. Outage waits are bounded in the code (tests/notifications).
                print(f"  SLOW {path}: {elapsed:.1f} s", flush=True)
            location = headers.get("Location")
            if follow and status in (301, 302, 303, 307, 308) and location:
                target = urllib.parse.urlsplit(urllib.parse.urljoin(url, location))
                if target.netloc and target.netloc != urllib.parse.urlsplit(self.base).netloc:
                    return status, text, headers, location
                path = target.path + (f"?{target.query}" if target.query else "")
                url, body = self.base + path, None
                continue
            return status, text, headers, path
        raise RuntimeError(f"too many redirects from {path}")

    def get(self, path: str) -> tuple[int, str, dict[str, str], str]:
        return self.request(path)

    def form_post(self, path: str, fields: dict[str, str]) -> tuple[int, str, dict[str, str], str]:
        status, page, _, final = self.get(path)
        if status != 200:
            fail(f"GET {path} before posting: {status}")
        parser = Links()
        parser.feed(page)
        token = parser.inputs.get("csrfmiddlewaretoken", "")
        return self.request(final, {"csrfmiddlewaretoken": token, **fields})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # Browser.request follows redirects itself, keeping POST -> GET semantics


def totp_now(secret: str, offset: int = 0) -> str:
    counter = int(time.time()) // 30 + offset
    digest = hmac.new(
        base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    start = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[start : start + 4])[0] & 0x7FFFFFFF) % 10**6
    return f"{value:06d}"


def wait_for_next_totp_window() -> None:
    # A code is accepted once: the next sign-in needs the next 30-second window's code.
    time.sleep(30 - time.time() % 30 + 1)


def sign_in(browser: Browser, email: str, password: str) -> str:
    status, page, _, final = browser.form_post(
        "/accounts/login/", {"login": email, "password": password}
    )
    if status != 200:
        fail(f"sign-in as {email}: {status}")
    return final


def check_static(browser: Browser, page: str, checked: set[str]) -> None:
    parser = Links()
    parser.feed(page)
    for href in parser.stylesheets:
        path = urllib.parse.urlsplit(href).path
        if path in checked or not path.startswith("/static/"):
            continue
        checked.add(path)
        if not re.search(r"\.[0-9a-f]{12}\.css$", path):
            fail(f"stylesheet without a hashed name: {path}")
        status, _, headers, _ = browser.get(path)
        if status != 200:
            fail(f"{path}: {status}")
        elif "immutable" not in headers.get("Cache-Control", ""):
            fail(f"{path}: not cached for long ({headers.get('Cache-Control')})")


def walk(browser: Browser, role: str, start: str, *, admin: bool) -> int:
    """GET every same-site page reachable from `start` within two clicks; returns the count."""
    seen: set[str] = set()
    static_checked: set[str] = set()
    frontier = [start]
    for _depth in range(3):
        next_frontier: list[str] = []
        for path in frontier:
            if path in seen or len(seen) >= MAX_PAGES_PER_ROLE:
                continue
            seen.add(path)
            status, page, headers, _ = browser.get(path)
            if status >= 500:
                fail(f"{role}: GET {path} answered {status}")
                continue
            if "text/html" not in headers.get("Content-Type", ""):
                continue
            check_static(browser, page, static_checked)
            parser = Links()
            parser.feed(page)
            for href in parser.hrefs:
                parts = urllib.parse.urlsplit(urllib.parse.urljoin(browser.base + path, href))
                if parts.netloc != urllib.parse.urlsplit(browser.base).netloc:
                    continue
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if SKIP.search(parts.path) or target in seen:
                    continue
                if parts.path.startswith("/admin/") != admin and parts.path != "/":
                    continue  # the front end for students and employers, the admin for staff
                if admin and (parts.query or not re.fullmatch(r"/admin/(\w+/\w+/)?", parts.path)):
                    continue  # staff: the index and every changelist, not every row or filter
                next_frontier.append(target)
        frontier = next_frontier
    return len(seen)


def set_up_mfa(browser: Browser, email: str, password: str) -> str:
    """Staff must have TOTP in production: set it up through allauth's own pages."""
    status, page, _, final = browser.get("/accounts/2fa/totp/activate/")
    if final.startswith("/accounts/reauthenticate/"):  # allauth asks for the password again
        status, page, _, final = browser.form_post(final, {"password": password})
    parser = Links()
    parser.feed(page)
    secret = parser.inputs.get("__totp_secret", "")
    if status != 200 or not secret:
        fail(f"{email}: no TOTP set-up page ({status} at {final})")
        return ""
    status, _, _, final = browser.request(
        final,
        {
            "csrfmiddlewaretoken": parser.inputs.get("csrfmiddlewaretoken", ""),
            "code": totp_now(secret),
        },
    )
    if status != 200:
        fail(f"{email}: activating TOTP answered {status}")
    return secret


def mfa_sign_in(browser: Browser, email: str, password: str, secret: str) -> None:
    final = sign_in(browser, email, password)
    if not final.startswith("/accounts/2fa/authenticate"):
        fail(f"{email}: sign-in did not ask for the second factor (landed on {final})")
        return
    status, _, _, final = browser.form_post(final, {"code": totp_now(secret)})
    if status != 200 or final.startswith("/accounts/2fa/"):
        fail(f"{email}: the TOTP code was refused ({status}, {final})")


def phase_normal(base: str, staff_password: str) -> None:
    for email in STUDENTS_AND_EMPLOYERS:
        browser = Browser(base)
        sign_in(browser, email, DEMO_PASSWORD)
        pages = walk(browser, email, "/", admin=False)
        print(f"  {email}: {pages} pages", flush=True)
    staff_browsers = {}
    for email in STAFF:
        browser = Browser(base)
        sign_in(browser, email, staff_password)
        staff_browsers[email] = set_up_mfa(browser, email, staff_password)
    wait_for_next_totp_window()
    for email, secret in staff_browsers.items():
        browser = Browser(base)
        mfa_sign_in(browser, email, staff_password, secret)
        pages = walk(browser, email, "/admin/", admin=True)
        front = walk(browser, email, "/", admin=False)
        print(f"  {email}: {pages} admin pages, {front} front-end pages", flush=True)
    anonymous = Browser(base)
    walk(anonymous, "visitor", "/", admin=False)
    sign_up_and_reset(base, "normal")  # emails for the worker to deliver by SMTP
    status, body, _, _ = anonymous.get("/healthz")
    print(f"  /healthz: {status} {body}", flush=True)
    if status != 200:
        fail(f"/healthz answered {status}: {body}")


def phase_redis_down(base: str) -> None:
    for email in ["student@example.edu", "employer@example.com"]:
        browser = Browser(base)
        final = sign_in(browser, email, DEMO_PASSWORD)
        if final.startswith("/accounts/login"):
            fail(f"{email}: not signed in with Redis down (at {final})")
        for path in ["/", "/postings/", "/notifications/"]:
            status, _, _, _ = browser.get(path)
            if status >= 500:
                fail(f"Redis down: {email} GET {path} answered {status}")
    status, body, _, _ = Browser(base).get("/healthz")
    print(f"  /healthz with Redis down: {status} {body}", flush=True)
    if status != 503 or json.loads(body)["broker"]["ok"]:
        fail(f"/healthz with the broker down answered {status}: {body}")
    sign_up_and_reset(base, "Redis down")


def sign_up_and_reset(base: str, label: str) -> None:
    stamp = int(time.time())
    browser = Browser(base)
    status, page, _, final = browser.form_post(
        "/accounts/signup/",
        {
            "role": "student",
            "full_name": "Smoke Test",
            "email": f"smoke{stamp}@example.edu",
            "organization_name": "",
            "password1": "Correct-Horse-Battery-42",
            "password2": "Correct-Horse-Battery-42",
        },
    )
    if status != 200 or "confirm-email" not in final:
        fail(f"{label}: sign-up answered {status} at {final}")
    status, _, _, final = Browser(base).form_post(
        "/accounts/password/reset/", {"email": "student@example.edu"}
    )
    if status != 200 or "done" not in final:
        fail(f"{label}: password reset answered {status} at {final}")
    print(f"  {label}: sign-up and password reset answered", flush=True)


def phase_smtp_down(base: str) -> None:
    browser = Browser(base)
    sign_in(browser, "student@example.edu", DEMO_PASSWORD)
    status, _, _, _ = browser.get("/")
    if status >= 500:
        fail(f"SMTP down: home answered {status}")
    sign_up_and_reset(base, "SMTP down")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--phase", choices=["normal", "redis-down", "smtp-down"], required=True)
    args = parser.parse_args()
    print(f"== smoke: {args.phase} against {args.base}", flush=True)
    if args.phase == "normal":
        phase_normal(args.base, os.environ["DEMO_STAFF_PASSWORD"])
    elif args.phase == "redis-down":
        phase_redis_down(args.base)
    else:
        phase_smtp_down(args.base)
    if failures:
        print(f"== smoke: {len(failures)} failure(s) in {args.phase}", flush=True)
        return 1
    print(f"== smoke: {args.phase} passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
