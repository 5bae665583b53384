from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by the `heartbeat` task: proof that a worker consumed a message from the broker.

    One row per worker host name, updated in place, so the table never grows.
    """

    hostname = models.CharField(max_length=255, unique=True)
    beats = models.PositiveBigIntegerField(default=0)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.hostname} at {self.last_seen:%Y-%m-%d %H:%M:%S %Z}"


class ProgramSettings(models.Model):
    """Values CAPD staff change without a deploy: the minimum wage, contacts, grace periods.

    A single row (pk=1), edited in the admin; `ProgramSettings.load()` creates it with the
    defaults on first use.
    """

    minimum_wage_hourly = models.DecimalField(
        "minimum wage (USD per hour)",
        max_digits=6,
        decimal_places=2,
        default=15.00,
        help_text="The Massachusetts minimum wage. Paid postings must reach it.",
    )
    capd_contact_name = models.CharField(max_length=120, default="Tavi Sookhoo")
    capd_contact_email = models.EmailField(
        default="capd-microinterns@example.edu",
        help_text="Students considering an unpaid micro-internship talk to this person first.",
    )
    misti_contact_email = models.EmailField(
        default="misti@example.edu", help_text="For global (abroad) micro-internships."
    )
    iso_employment_url = models.URLField(
        "ISO employment page", default="https://iso.mit.edu/employment/"
    )
    undecided_close_days = models.PositiveSmallIntegerField(
        default=14,
        help_text=(
            "Days after a posting closes before undecided applications close as not selected."
        ),
    )
    offers_require_held_interview = models.BooleanField(
        "offers follow a held interview",
        default=True,
        help_text=(
            "Employers interview every candidate they consider: an offer to an applicant with "
            "no held interview needs the employer's reason. Untick to let offers go without "
            "one (the employer may still say why)."
        ),
    )

    class Meta:
        verbose_name = "program settings"
        verbose_name_plural = "program settings"

    def __str__(self) -> str:
        return "Program settings"

    def save(self, *args: object, **kwargs: object) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> ProgramSettings:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj
