"""Who manages a posting: the one owner of that rule.

An organization's members manage its postings, their applicants, interviews and offers, and
are the employer side that the portal tells about them. Applications and offers ask here;
none of them reads Membership itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied

from microintern.accounts.models import User
from postings.models import Membership, Organization, Posting


def organization_of(user: User) -> Organization | None:
    """The organization an employer belongs to (one query; None for everybody else)."""
    if not user.is_authenticated or not user.is_employer:
        return None
    membership = Membership.objects.filter(user=user).select_related("organization").first()
    return membership.organization if membership else None


def is_member(user: User, organization_id: int) -> bool:
    """`user` belongs to the organization (any role)."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organization_id=organization_id).exists()


def manages(user: User, posting: Posting) -> bool:
    """`user` is an active member of the organization that owns `posting`."""
    return user.is_active and is_member(user, posting.organization_id)


def ensure_member(user: User, organization_id: int, *, what: str = "its postings") -> None:
    """Members only (drafting and editing postings): PermissionDenied for anybody else."""
    if not (user.is_active and is_member(user, organization_id)):
        raise PermissionDenied(f"Only the organization's members manage {what}.")


def ensure_manages(user: User, posting: Posting, *, what: str) -> None:
    """A member, or CAPD staff acting for the organization through the admin (they help
    organizations that cannot use the site); PermissionDenied for anybody else."""
    if not (user.is_active and (user.is_staff or is_member(user, posting.organization_id))):
        raise PermissionDenied(f"Only the organization's members manage {what}.")


def employer_recipients_by_organization(organization_ids: Iterable[int]) -> dict[int, list[User]]:
    """employer_recipients for many organizations in one query (a sweep's batch): the active
    members of each, in the order they joined, with their notification preferences."""
    found: dict[int, list[User]] = defaultdict(list)
    members = (
        Membership.objects.filter(organization_id__in=set(organization_ids), user__is_active=True)
        .select_related("user__notification_preference")
        .order_by("pk")
    )
    for membership in members:
        found[membership.organization_id].append(membership.user)
    return found


def employer_recipients(posting: Posting) -> list[User]:
    """The active members of the posting's organization, in the order they joined: who is
    told about the posting's applicants, interviews and offers."""
    return employer_recipients_by_organization([posting.organization_id])[posting.organization_id]
