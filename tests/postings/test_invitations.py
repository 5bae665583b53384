"""An owner invites a colleague by email; the colleague joins at sign-up or by accepting."""

from __future__ import annotations

import pytest

from microintern.accounts.models import Role
from microintern.portal.forms import PortalSignupForm
from microintern.portal.services import user_onboard
from postings import services
from postings.models import Membership, Organization, OrganizationInvitation
from tests.postings import factories

pytestmark = pytest.mark.django_db


def test_it_queues_the_invitation_email_after_commit(
    employer, org_a, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(services.organizations, "queue_invitation_email", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.organization_invite(
            organization=org_a, by=employer, email="New@Example.com"
        )
    assert queued == [invitation.pk]
    assert invitation.email == "new@example.com"


def test_it_sends_the_invitation_once(employer, org_a, mailoutbox):
    invitation = OrganizationInvitation.objects.create(
        organization=org_a, email="new@example.com", invited_by=employer
    )
    assert services.invitation_send(invitation_id=invitation.pk) is True
    assert services.invitation_send(invitation_id=invitation.pk) is False
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new@example.com"]
    assert invitation.token in mailoutbox[0].body
    assert org_a.name in mailoutbox[0].subject


def test_it_writes_the_organizations_name_as_typed_in_the_subject_and_text(
    employer, org_a, mailoutbox
):
    org_a.name = "Smith & O'Neil Robotics"
    org_a.save(update_fields=["name"])
    invitation = OrganizationInvitation.objects.create(
        organization=org_a, email="new@example.com", invited_by=employer
    )
    services.invitation_send(invitation_id=invitation.pk)
    (sent,) = mailoutbox
    assert "Smith & O'Neil Robotics" in sent.subject
    assert "for Smith & O'Neil Robotics on the" in sent.body
    assert "Smith &amp; O&#x27;Neil Robotics" in sent.alternatives[0][0]  # HTML, escaped once


def test_it_lets_an_invited_employer_sign_up_without_an_organization_name(employer, org_a):
    OrganizationInvitation.objects.create(organization=org_a, email="new@example.com")
    form = PortalSignupForm(
        data={
            "role": Role.EMPLOYER,
            "full_name": "New Colleague",
            "email": "new@example.com",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        }
    )
    assert form.is_valid(), form.errors


def test_it_joins_the_inviting_organization_at_sign_up(employer, org_a):
    OrganizationInvitation.objects.create(organization=org_a, email="new@example.com")
    user = factories.UserFactory(email="new@example.com", role=Role.EMPLOYER)
    user_onboard(user=user, role=Role.EMPLOYER)
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role) == (org_a, Membership.Role.MEMBER)
    assert Organization.objects.count() == 1
    assert OrganizationInvitation.objects.get().accepted_at is not None


def test_it_still_creates_an_organization_for_an_uninvited_employer(db):
    user = factories.UserFactory(email="founder@startup.example", role=Role.EMPLOYER)
    user_onboard(user=user, role=Role.EMPLOYER, organization_name="Startup  Inc")
    membership = Membership.objects.get(user=user)
    assert (membership.organization.name, membership.role) == ("Startup Inc", "owner")
    assert membership.organization.verified is False


def test_it_refuses_an_invitation_used_twice(employer, org_a):
    invitation = OrganizationInvitation.objects.create(organization=org_a, email="new@example.com")
    first = factories.UserFactory(email="new@example.com", role=Role.EMPLOYER)
    services.invitation_accept(invitation=invitation, user=first)
    with pytest.raises(services.ValidationError):
        services.invitation_accept(invitation=invitation, user=first)
