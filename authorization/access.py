"""Who may see immigration data, and the log of everyone but the student who looks.

The student sees their own data; ISO advisors and superusers see everybody's; nobody else
sees any of it, CAPD staff included. Every time someone other than the student opens a
profile, a case or a document, or is refused one, an AccessLogEntry is written.
"""

from __future__ import annotations

import time

from allauth.account.adapter import get_adapter as get_account_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest

from authorization.models import AccessLogEntry
from microintern.accounts.models import User
from microintern.core.admin_privacy import sees_immigration_data


def can_see_immigration_data(user: User | object) -> bool:
    """ISO advisors and superusers, for any student (the student's own access is separate).
    The rule lives in microintern.core.admin_privacy, which the other apps' admins use."""
    return sees_immigration_data(user)


def may_view_student_data(user: User | object, student: User) -> bool:
    return getattr(user, "pk", None) == student.pk or can_see_immigration_data(user)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as allauth's rate limits see it: REMOTE_ADDR, unless the
    deployment says which proxies to trust (TRUSTED_PROXY_COUNT or TRUSTED_CLIENT_IP_HEADER).
    X-Forwarded-For is never believed on its own: a client can write anything there."""
    try:
        return get_account_adapter().get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        # No address at all, or fewer forwarded hops than the proxies we trust: a client
        # forging the header. The log keeps the connection's own address.
        return request.META.get("REMOTE_ADDR") or None


def log_access(
    request: HttpRequest,
    *,
    student: User | None,
    object_type: str,
    object_id: object = "",
    action: str = "view",
    allowed: bool,
) -> AccessLogEntry | None:
    """Write one entry, unless the one looking is the student themself."""
    actor = request.user
    if not actor.is_authenticated:
        return None
    if student is not None and actor.pk == student.pk:
        return None
    return AccessLogEntry.objects.create(
        actor=actor,
        actor_email=actor.email,
        student=student,
        student_email=student.email if student is not None else "",
        object_type=object_type,
        object_id=str(object_id or ""),
        action=action,
        allowed=allowed,
        ip_address=client_ip(request),
        path=request.get_full_path()[:500],
    )


def refused_looks_per_minute() -> int:
    # Read at each call so that a deployment (or a test) can change it without a restart.
    return int(getattr(settings, "IMMIGRATION_REFUSED_LOOKS_PER_MINUTE", 10))


def count_refused_look(user: User) -> int:
    """Count one more refused look at immigration data by `user` in this clock minute and
    return how many there have been. A fixed window in the cache (shared by every web
    machine when the cache is Redis): a staff account that keeps knocking is slowed down
    without a table of its own."""
    key = f"immigration-refused-looks:{user.pk}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=120)
        return 1
