"""Organizations: created at sign-up, verified by staff, joined by invitation."""

from __future__ import annotations

import logging

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from microintern.accounts.models import User
from microintern.notifications.services import header_text, notify, render_plain_text
from postings.models import (
    Membership,
    Organization,
    OrganizationInvitation,
    Posting,
)
from postings.services.postings import posting_refresh_search

logger = logging.getLogger(__name__)


class OrganizationNameTaken(Exception):
    """Someone signed up with the name of an organization that already exists."""


def organization_name_taken(name: str) -> bool:
    """Whether an organization already has this name, whatever its case (the unique index
    on lower(name) is the final word; this is the friendly check before it)."""
    return Organization.objects.filter(name__iexact=" ".join(name.split())).exists()


# --- organizations ----------------------------------------------------------------------------
@transaction.atomic
def organization_create_for_owner(*, owner: User, name: str, website: str = "") -> Organization:
    """A new employer creates its organization, unverified, and becomes its owner.

    Joining an existing organization needs an invitation from a member; otherwise anybody
    could attach themselves to a verified employer.
    """
    name = " ".join(name.split())
    if organization_name_taken(name):
        raise OrganizationNameTaken(name)
    domain = owner.email.rsplit("@", 1)[-1].lower()
    # The website lets CAPD hold the members' email domains against it before verifying.
    organization = Organization(name=name, email_domain=domain, website=website.strip())
    organization.full_clean(validate_constraints=False)  # the name was checked just above
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as exc:
        # Two sign-ups with the same new name at once both pass the check above; the unique
        # index lets one through and the other lands here.
        raise OrganizationNameTaken(name) from exc
    Membership.objects.create(organization=organization, user=owner, role=Membership.Role.OWNER)
    return organization


@transaction.atomic
def organization_verify(
    *, organization: Organization, by: User, verified: bool = True
) -> Organization:
    if not by.is_staff:
        raise PermissionDenied("Only CAPD staff verify organizations.")
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.verified == verified:
        return organization  # nothing changed, nobody to tell
    now = timezone.now()
    organization.verified = verified
    organization.verified_at = now if verified else None
    organization.save(update_fields=["verified", "verified_at"])
    for membership in Membership.objects.filter(organization=organization).select_related("user"):
        if not membership.user.is_active:
            continue
        notify(
            recipient=membership.user,
            kind="organization_verification",
            dedup_key=(
                f"organization:{organization.pk}:verified-{verified}:{now:%Y%m%dT%H%M%S%f}"
                f":user-{membership.user_id}"
            ),
            context={
                "organization": organization,
                "verified": verified,
                "capd_contact": settings.CAPD_CONTACT_EMAIL,
            },
            url=reverse("postings:dashboard"),
        )
    return organization


@transaction.atomic
def organization_invite(
    *, organization: Organization, by: User, email: str
) -> OrganizationInvitation:
    """An owner invites a colleague; the colleague accepts on the invitation page."""
    if not Membership.objects.filter(
        organization=organization, user=by, role=Membership.Role.OWNER
    ).exists():
        raise PermissionDenied("Only an organization's owner invites colleagues.")
    email = email.strip().lower()
    if Membership.objects.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": "This person already belongs to an organization."})
    invitation, created = OrganizationInvitation.objects.get_or_create(
        organization=organization, email=email, accepted_at=None, defaults={"invited_by": by}
    )
    if created:
        transaction.on_commit(lambda: queue_invitation_email(invitation.pk))
    return invitation


def open_invitation_for(email: str) -> OrganizationInvitation | None:
    """The oldest invitation waiting for this address, if any (sign-up uses it)."""
    return (
        OrganizationInvitation.objects.filter(email__iexact=email.strip(), accepted_at=None)
        .select_related("organization")
        .order_by("created_at")
        .first()
    )


SEND_INVITATION_TASK = "postings.send_invitation"  # registered in postings/tasks.py


def queue_invitation_email(invitation_id: int) -> None:
    try:
        # By the task's registered name: tasks.py calls these services, so importing it
        # here would close a loop.
        current_app.tasks[SEND_INVITATION_TASK].delay(invitation_id)
    except Exception:  # broker down: the owner still sees the link on the dashboard
        logger.warning("Could not queue invitation email %s", invitation_id)


def invitation_send(*, invitation_id: int) -> bool:
    """Email the invitation. Claims the row first, so a task run twice sends one email."""
    claimed = OrganizationInvitation.objects.filter(
        pk=invitation_id, sent_at=None, accepted_at=None
    ).update(sent_at=timezone.now())
    if not claimed:
        return False
    invitation = OrganizationInvitation.objects.select_related("organization", "invited_by").get(
        pk=invitation_id
    )
    context = {
        "invitation": invitation,
        "accept_url": settings.SITE_URL + reverse("postings:invitation", args=[invitation.token]),
        "signup_url": settings.SITE_URL + reverse("account_signup"),
    }
    # Subject and text are plain text: "Smith & Sons" must not arrive as "Smith &amp; Sons".
    subject = header_text(render_plain_text("emails/organization_invitation/subject.txt", context))
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_plain_text("emails/organization_invitation/body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
    message.attach_alternative(
        render_to_string("emails/organization_invitation/body.html", context), "text/html"
    )
    try:
        message.send(fail_silently=False)
    except Exception:
        # Give the claim back: the next run of the task tries again.
        OrganizationInvitation.objects.filter(pk=invitation_id).update(sent_at=None)
        raise
    return True


@transaction.atomic
def invitation_accept(*, invitation: OrganizationInvitation, user: User) -> Membership:
    invitation = OrganizationInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation was already used.")
    if not user.is_employer or user.email.lower() != invitation.email.lower():
        raise PermissionDenied("This invitation is for another address.")
    if Membership.objects.filter(user=user).exists():
        raise ValidationError("You already belong to an organization.")
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return Membership.objects.create(
        organization=invitation.organization, user=user, role=Membership.Role.MEMBER
    )


def organization_refresh_search(*, organization: Organization) -> int:
    """After a rename: the organization's postings carry its name in their search document."""
    count = 0
    for posting in Posting.objects.filter(organization=organization).select_related("organization"):
        posting_refresh_search(posting=posting)
        count += 1
    return count
