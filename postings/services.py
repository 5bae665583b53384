"""Every write to organizations and postings goes through here."""

from __future__ import annotations

from django.db import transaction

from microintern.accounts.models import User
from postings.models import Membership, Organization


class OrganizationNameTaken(Exception):
    """Someone signed up with the name of an organization that already exists."""


@transaction.atomic
def organization_create_for_owner(*, owner: User, name: str) -> Organization:
    """A new employer creates its organization, unverified, and becomes its owner.

    Joining an existing organization needs an invitation from a member (the postings issue);
    otherwise anybody could attach themselves to a verified employer.
    """
    name = " ".join(name.split())
    if Organization.objects.filter(name__iexact=name).exists():
        raise OrganizationNameTaken(name)
    domain = owner.email.rsplit("@", 1)[-1].lower()
    organization = Organization(name=name, email_domain=domain)
    organization.full_clean()
    organization.save()
    Membership.objects.create(organization=organization, user=owner, role=Membership.Role.OWNER)
    return organization
