"""`{{ session.user_agent|device_name }}`: "Chrome on macOS" for the signed-in devices page.

The raw user-agent string means nothing to a student deciding which session to end;
ua-parser (Browserscope's rules, kept up to date) names the browser and the system.
"""

from __future__ import annotations

from django import template
from ua_parser import parse

register = template.Library()

# ua-parser's names for systems, in the words their users know them by.
SYSTEM_NAMES = {"Mac OS X": "macOS"}


@register.filter
def device_name(user_agent: str) -> str:
    """The browser and the system ("Firefox on Windows"), whichever is known, or "An unknown
    browser" for an empty or unrecognised string."""
    result = parse(user_agent or "")
    browser = result.user_agent.family if result.user_agent else ""
    system = result.os.family if result.os else ""
    system = SYSTEM_NAMES.get(system, system)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "An unknown browser"
