"""The recruiting cycle's key dates and the institute's holidays. Staff edit both."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst


class RecruitingCycleQuerySet(models.QuerySet["RecruitingCycle"]):
    def current(self) -> RecruitingCycle | None:
        return self.filter(is_current=True).first()


@dataclass(frozen=True)
class KeyDate:
    key: str
    date: dt.date
    end: dt.date | None
    title: str
    summary: str


class RecruitingCycle(models.Model):
    """One academic year's micro-internship cycle (defaults from CAPD's page)."""

    name = models.CharField(max_length=40, unique=True, help_text='For example "IAP 2027".')
    postings_open = models.DateField(help_text="Postings go live; students begin applying.")
    interviews_begin = models.DateField(help_text="Employers begin interviewing.")
    offers_begin = models.DateField(help_text="Employers extend offers.")
    arrangements_begin = models.DateField(
        help_text="Employers contact interns to arrange the work."
    )
    iap_start = models.DateField(
        "IAP starts", help_text="First day of the micro-internship window."
    )
    iap_end = models.DateField("IAP ends", help_text="Last day of the micro-internship window.")
    is_current = models.BooleanField(default=False)

    objects = RecruitingCycleQuerySet.as_manager()

    class Meta:
        ordering = ["-iap_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_cycle"
            ),
            models.CheckConstraint(
                condition=Q(postings_open__lte=models.F("interviews_begin"))
                & Q(interviews_begin__lte=models.F("offers_begin"))
                & Q(offers_begin__lte=models.F("arrangements_begin"))
                & Q(arrangements_begin__lte=models.F("iap_start"))
                & Q(iap_start__lte=models.F("iap_end")),
                name="cycle_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        order = [
            ("postings_open", self.postings_open),
            ("interviews_begin", self.interviews_begin),
            ("offers_begin", self.offers_begin),
            ("arrangements_begin", self.arrangements_begin),
            ("iap_start", self.iap_start),
            ("iap_end", self.iap_end),
        ]
        for (_, earlier), (field, later) in zip(order, order[1:], strict=False):
            if earlier and later and later < earlier:
                label = self._meta.get_field(field).verbose_name
                raise ValidationError(
                    {field: f"{capfirst(label)} must not come before the previous key date."}
                )

    def window_errors(
        self,
        start: dt.date | None,
        end: dt.date | None,
        *,
        fields: tuple[str, str] = ("start_date", "end_date"),
        inside_iap: bool = True,
        note: str = "",
    ) -> dict[str, list[str]]:
        """The January window rule, for postings, offers and arrangements alike: both dates
        inside IAP (unless `inside_iap` is off: staff allowed other dates) and the end not
        before the start. Errors by field, empty when the dates are fine; `note` is added to
        each window message (who can allow other dates)."""
        window = f"{self.iap_start:%b} {self.iap_start.day} to {self.iap_end:%b} {self.iap_end.day}"
        errors: dict[str, list[str]] = {}
        for field, what, day in ((fields[0], "start", start), (fields[1], "end", end)):
            if inside_iap and day is not None and not self.iap_start <= day <= self.iap_end:
                message = (
                    f"Choose a{'n' if what == 'end' else ''} {what} date inside IAP (the IAP "
                    f"window is {window}, {self.iap_end.year})."
                )
                errors.setdefault(field, []).append(f"{message} {note}".strip())
        if start is not None and end is not None and end < start:
            errors.setdefault(fields[1], []).append(
                "The end date comes before the start date: choose a later end date."
            )
        return errors

    @classmethod
    def defaults_for_iap_year(cls, iap_year: int) -> dict[str, dt.date]:
        """CAPD's published dates for the cycle whose IAP falls in January of iap_year."""
        year = iap_year - 1
        return {
            "name": f"IAP {iap_year}",
            "postings_open": dt.date(year, 9, 16),
            "interviews_begin": dt.date(year, 10, 11),
            "offers_begin": dt.date(year, 10, 25),
            "arrangements_begin": dt.date(year, 11, 1),
            "iap_start": dt.date(iap_year, 1, 6),
            "iap_end": dt.date(iap_year, 1, 31),
        }

    def key_dates(self) -> list[KeyDate]:
        return [
            KeyDate(
                "postings_open",
                self.postings_open,
                None,
                "Postings go live",
                "Micro-internships appear and students begin applying. "
                "Deadlines vary: apply early.",
            ),
            KeyDate(
                "interviews_begin",
                self.interviews_begin,
                None,
                "Interviews begin",
                "Employers begin interviewing candidates. Dates are recommendations.",
            ),
            KeyDate(
                "offers_begin",
                self.offers_begin,
                None,
                "Offers go out",
                "Students have 5 to 7 business days to decide.",
            ),
            KeyDate(
                "arrangements_begin",
                self.arrangements_begin,
                None,
                "Arrangements",
                "Employers contact their interns to agree dates, hours and place.",
            ),
            KeyDate(
                "iap",
                self.iap_start,
                self.iap_end,
                "IAP: the micro-internship",
                "Students do the work during the Independent Activities Period.",
            ),
        ]

    def current_stage(self, today: dt.date | None = None) -> str:
        """The key of the latest key date that has passed, "before" or "after"."""
        today = today or timezone.localdate()
        if today < self.postings_open:
            return "before"
        if today > self.iap_end:
            return "after"
        stage = "postings_open"
        for key_date in self.key_dates():
            if today >= key_date.date:
                stage = key_date.key
        return stage


class Holiday(models.Model):
    """A day the institute is closed: it does not count as a business day."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%b %-d, %Y})"
