"""Every page is valid HTML, for everyone: the Nu Html Checker (vnu) finds no error.

The demo is seeded, given the states its pages would not show by themselves
(tests/page_walk.py), and every page that each demo user reaches by the URL walk (the front
end, allauth's pages, the admin) is checked in one run of the checker. Needs Java and
`npm ci` (tests/validators.py); skipped without them, failed without them in CI.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from microintern.portal.demo import seed
from tests.page_walk import (
    ANONYMOUS,
    MISTI_MANAGER,
    SUPERUSER,
    add_every_state,
    distinct,
    walk_every_role,
)
from tests.validators import Document, java_and_vnu, vnu_errors

pytestmark = pytest.mark.django_db
DESCRIPTION = re.compile(r'<meta name="description" content="[^"]{20,}">')


def test_every_page_every_role_reaches_is_valid_html_with_a_description(
    settings: Settings, tmp_path: Path
) -> None:
    """One walk (it costs most of the time) for the two things every page must have."""
    java_and_vnu()  # skip before seeding when the checker is missing
    settings.STAFF_MFA_REQUIRED = False  # the demo staff have no TOTP device
    seed.run()
    add_every_state()

    pages = walk_every_role()

    roles = {page.role for page in pages}
    assert {ANONYMOUS, "student@example.edu", "iso@example.edu", MISTI_MANAGER, SUPERUSER} <= roles
    assert len(pages) > 300  # the walk reached the front end and the admin for each role
    assert any(page.url.startswith("/admin/") for page in pages)
    errors = vnu_errors(distinct(pages, seen=set()), tmp_path)
    assert not errors, f"The Nu Html Checker found {len(errors)} error(s):\n" + "\n".join(errors)
    # Search engines and link previews read it (Lighthouse asks for it).
    undescribed = [f"{page.role} {page.url}" for page in pages if not DESCRIPTION.search(page.html)]
    assert undescribed == []


def test_the_checker_reports_an_invalid_page(tmp_path: Path) -> None:
    """The check above can fail: a page with a known error is reported, naming its address."""
    invalid = Document(
        role="student@example.edu",
        url="/broken/",
        html='<!DOCTYPE html><html lang="en"><head><title>x</title></head><body>'
        '<time datetime="2026-12-01T20:39:37.691615-05:00">now</time>'
        "<table><tbody><tr><td>1</td></tr></tbody><thead></thead></table></body></html>",
    )
    valid = Document(
        role=ANONYMOUS,
        url="/fine/",
        html='<!DOCTYPE html><html lang="en"><head><title>y</title></head><body></body></html>',
    )

    errors = vnu_errors([valid, invalid], tmp_path)

    assert len(errors) == 2
    assert all(error.startswith("- student@example.edu /broken/, line 1: ") for error in errors)
    assert "fraction of a second" in errors[0]
    assert "“thead” not allowed" in errors[1]
