"""The roof's one table: the record of every export taken from the admin, since an export
carries students' names and outcomes out of the portal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from microintern.cycles.models import RecruitingCycle


class ExportKind(models.TextChoices):
    POSTINGS = "postings", "Postings"
    OUTCOMES = "outcomes", "Outcomes per student (first-destination)"


class Export(models.Model):
    cycle = models.ForeignKey(RecruitingCycle, on_delete=models.PROTECT, related_name="exports")
    kind = models.CharField(max_length=10, choices=ExportKind.choices)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.cycle.name}"
