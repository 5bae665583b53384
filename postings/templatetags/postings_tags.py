"""Showing a posting: its description (sanitized), badges and pay."""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from django import template
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from postings.models import DescriptionFormat, Posting

register = template.Library()

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "code",
    "pre",
    "hr",
}


@register.filter
def posting_description(posting: Posting) -> SafeString:
    """Plain text becomes paragraphs (escaped); Markdown is rendered, then sanitized by nh3
    so that no HTML from an employer reaches the page (no scripts, styles or attributes
    except safe links). Headings start at h3: the page owns h1 and h2."""
    if posting.description_format == DescriptionFormat.MARKDOWN:
        html = markdown_lib.markdown(posting.description, extensions=["sane_lists"])
        for level in (2, 1):  # shift # and ## below the page's own headings
            html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(
                f"</h{level}>", f"</h{level + 2}>"
            )
        cleaned = nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes={"a": {"href", "title"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="nofollow noopener noreferrer",
        )
        return mark_safe(cleaned)  # noqa: S308 - sanitized by nh3 just above
    return mark_safe(linebreaks(posting.description, autoescape=True))  # noqa: S308 - escaped


@register.filter
def usd(value: object) -> str:
    """20.00 -> "20", 17.50 -> "17.50"."""
    if value is None:
        return ""
    text = f"{value:.2f}"
    return text[:-3] if text.endswith(".00") else text
