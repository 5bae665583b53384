"""Production sends a Content-Security-Policy without 'unsafe-inline': a page template with an
inline style attribute or an inline script would silently lose it there. Emails are exempt
(mail clients need inline styles, and no CSP applies to them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PAGES = sorted(p for p in TEMPLATES.rglob("*.html") if "emails" not in p.parts)
INLINE_STYLE = re.compile(r"\sstyle=\"")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


@pytest.mark.parametrize("template", PAGES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_it_has_no_inline_style_or_script(template: Path) -> None:
    text = template.read_text()
    assert not INLINE_STYLE.search(text), 'use a class in static/css instead of style="..."'
    assert not INLINE_SCRIPT.search(text), "load scripts from static/ (CSP script-src 'self')"
