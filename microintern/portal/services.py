"""Writes for sign-up: what a new user gets when they join the portal."""

from __future__ import annotations

from django.db import transaction

from microintern.accounts.models import Role, StudentProfile, User
from postings.services import invitation_accept, open_invitation_for, organization_create_for_owner


@transaction.atomic
def user_onboard(
    *, user: User, role: str, organization_name: str = "", organization_website: str = ""
) -> User:
    """Give a freshly created user what their role needs: a student profile, or an
    organization of which they are the owner."""
    user.role = role
    user.save(update_fields=["role"])
    if role == Role.STUDENT:
        StudentProfile.objects.get_or_create(user=user)
    elif role == Role.EMPLOYER:
        invitation = open_invitation_for(user.email)
        if invitation is not None:  # a colleague invited this address: join, don't create
            invitation_accept(invitation=invitation, user=user)
        else:
            organization_create_for_owner(
                owner=user, name=organization_name, website=organization_website
            )
    return user
