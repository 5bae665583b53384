"""The outbox: one row per recipient and event, written in the business transaction.

The row is at once the in-app inbox item and the email's delivery record. Its dedup_key is
unique, so an event can never produce a second notification, however often a sweep or a
retried task runs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from microintern.notifications import kinds


class EmailState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    RETRY = "retry", "Will be retried"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Not sent (turned off)"
    DIGEST = "digest", "Waiting for the daily digest"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: settings.AUTH_USER_MODEL) -> NotificationQuerySet:
        """The user's in-app inbox: sign-in links and codes are emails only."""
        return self.filter(recipient=user).exclude(kind__in=kinds.secret_keys())

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def due_for_delivery(self, now: object) -> NotificationQuerySet:
        return self.filter(
            email_state__in=[EmailState.PENDING, EmailState.RETRY], next_attempt_at__lte=now
        )


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=64, db_index=True)
    dedup_key = models.CharField(max_length=255, unique=True)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="The page that acts on it.")
    to_email = models.EmailField(
        blank=True, help_text="Sent to this address instead of the recipient's (allauth's emails)."
    )
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_content = models.TextField(blank=True)
    attachment_mimetype = models.CharField(max_length=100, blank=True)

    email_state = models.CharField(
        max_length=16, choices=EmailState.choices, default=EmailState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The admin's list in its default order, newest first (read backwards).
            models.Index(fields=["created_at", "id"], name="notification_created_idx"),
            # The outbox sweep: only undelivered rows, by due time.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(email_state__in=["pending", "retry"]),
                name="notification_due_idx",
            ),
            models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx"),
            # The outbox sweep's requeue of claims abandoned by a dead worker.
            models.Index(
                fields=["claimed_at"],
                condition=Q(email_state="sending"),
                name="notification_sending_idx",
            ),
            # The digest sweep: who has alerts waiting.
            models.Index(
                fields=["recipient"],
                condition=Q(email_state="digest"),
                name="notification_digest_idx",
            ),
            # The admin index's count of emails that failed, and the list it links to: only
            # the failed rows, not the whole table.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(email_state="failed"),
                name="notification_failed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id}: {self.subject}"


class NotificationPreference(models.Model):
    """A user's choices: which kinds not to receive by email, and digest or immediate alerts."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_off = models.JSONField(
        default=list, blank=True, help_text="Kinds whose email the user turned off."
    )
    daily_digest = models.BooleanField(
        default=False, help_text="Send alerts as one email a day instead of one each."
    )

    def __str__(self) -> str:
        return f"Preferences of {self.user}"
