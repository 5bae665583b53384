"""Organizations and their members. Postings themselves arrive with the postings issue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


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
