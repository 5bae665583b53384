"""Staff groups and what each may do in the admin.

Immigration data (the authorization app) belongs to the ISO advisors alone: CAPD staff get
every other app's permissions and none of it. Re-applied after every migration so that new
models of later issues are covered without anybody remembering to tick boxes.

No group ever holds a permission of NEVER_GRANTED_APPS: groups and permissions (auth), the
admin log, sessions, content types and second factors (mfa) are for superusers, since each
lets a holder grant themselves more; so are the beat schedules (django_celery_beat), the
system's clock. The accounts app's permissions that CAPD staff hold are
narrowed in the user admin (microintern/accounts/admin.py): staff accounts, access fields and
passwords stay with superusers.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from microintern.accounts.models import CAPD_STAFF_GROUP, ISO_ADVISORS_GROUP, MISTI_MANAGERS_GROUP

IMMIGRATION_APPS = ["authorization"]
CAPD_STAFF_APPS = [
    "portal",
    "accounts",
    "account",
    "cycles",
    "core",
    "postings",
    "applications",
    "offers",
    "notifications",
    "advising",  # CAPD's own appointments: not ISO advisors', not MISTI managers'
]
# ISO advisors work on authorization cases and may look people up, nothing else.
ISO_EXTRA = Q(content_type__app_label="accounts", codename__startswith="view_")
MISTI_APPS = ["postings"]
# The beat schedules are the system's clock, not CAPD's calendar: a disabled sweep would
# silently stop expiring offers and sending reminders. Superusers keep them.
NEVER_GRANTED_APPS = [
    "auth",
    "admin",
    "sessions",
    "contenttypes",
    "mfa",
    "usersessions",
    "django_celery_beat",
]


def ensure_staff_groups() -> dict[str, Group]:
    groups = {}
    for name, query in (
        (CAPD_STAFF_GROUP, Q(content_type__app_label__in=CAPD_STAFF_APPS)),
        (ISO_ADVISORS_GROUP, Q(content_type__app_label__in=IMMIGRATION_APPS) | ISO_EXTRA),
        (MISTI_MANAGERS_GROUP, Q(content_type__app_label__in=MISTI_APPS)),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(query).exclude(content_type__app_label__in=NEVER_GRANTED_APPS)
        )
        groups[name] = group
    return groups
