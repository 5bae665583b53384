"""Organizations (employers), their members and the invitations that add colleagues."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


def _normalize_domain(domain: str) -> str:
    domain = domain.strip().lower().rstrip(".")
    return domain[4:] if domain.startswith("www.") else domain


def domains_match(email_domain: str, website_domain: str) -> bool:
    """True when the email domain is the website's domain or one of its subdomains (or the
    reverse: mail.example.com for example.com)."""
    a, b = _normalize_domain(email_domain), _normalize_domain(website_domain)
    if not a or not b:
        return False
    return a == b or a.endswith("." + b) or b.endswith("." + a)


class Organization(models.Model):
    """An employer. New ones start unverified: their postings cannot be published until CAPD
    staff verify them."""

    name = models.CharField(max_length=200)
    website = models.URLField(blank=True)
    email_domain = models.CharField(
        max_length=253, blank=True, help_text="The domain of the members' email addresses."
    )
    description = models.TextField(blank=True)
    verified = models.BooleanField(default=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="organization_name_ci_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def website_domain(self) -> str:
        return _normalize_domain(urlsplit(self.website).hostname or "") if self.website else ""

    def member_domains(self) -> set[str]:
        """Domains of the members' addresses (uses prefetched memberships when present)."""
        domains = {
            m.user.email.rsplit("@", 1)[-1].lower() for m in self.memberships.all() if m.user_id
        }
        if self.email_domain:
            domains.add(self.email_domain.lower())
        return domains

    def mismatched_domains(self) -> list[str]:
        """Member email domains that do not belong to the website: a known fraud signal."""
        website = self.website_domain
        if not website:
            return sorted(self.member_domains())
        return sorted(d for d in self.member_domains() if not domains_match(d, website))


class Membership(models.Model):
    """An employer user belongs to exactly one organization."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    is_alumni = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} at {self.organization} ({self.get_role_display()})"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class OrganizationInvitation(models.Model):
    """An owner invites a colleague by email; the colleague, signed in as an employer with
    that address and no organization yet, accepts it and becomes a member."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the email went out.")
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.organization}"
