"""What students keep: bookmarked postings and saved searches (alerts go out elsewhere)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .postings import Posting


class SavedPosting(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_postings"
    )
    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="saves")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "posting"], name="one_save_per_posting")
        ]

    def __str__(self) -> str:
        return f"{self.user} saved {self.posting_id}"


class AlertFrequency(models.TextChoices):
    NONE = "none", "No alerts"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class SavedSearch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=150)
    query_string = models.CharField(
        max_length=1000, blank=True, help_text="The list page's filters, as in its URL."
    )
    frequency = models.CharField(
        "alerts", max_length=8, choices=AlertFrequency.choices, default=AlertFrequency.WEEKLY
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "saved searches"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "query_string"], name="one_saved_search_per_query"
            )
        ]

    def __str__(self) -> str:
        return self.name
