"""Postings: the micro-internships employers offer, with their lifecycle and history."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from microintern.accounts.models import CAPD_STAFF_GROUP, MISTI_MANAGERS_GROUP
from microintern.core.models import ProgramSettings
from microintern.cycles.models import RecruitingCycle
from postings.text_search import document_terms

from .organizations import Membership, Organization

MICRO_INTERNSHIP_LABEL = "Micro-internship"
# Words every posting's search document carries, so that searching "micro-intern" (what
# CAPD tells students to type) finds every posting in the portal.
LABEL_KEYWORDS = "micro-internship micro-intern microinternship"
US_NAMES = {"us", "u.s.", "usa", "u.s.a.", "united states", "united states of america"}


class PostingError(Exception):
    """Base of the errors a posting's lifecycle raises."""


class InvalidTransition(PostingError):
    """The transition map does not allow this change of status."""

    def __init__(self, from_status: str, to_status: str) -> None:
        self.from_status, self.to_status = from_status, to_status
        super().__init__(
            f"A {PostingStatus(from_status).label.lower()} posting cannot become "
            f"{PostingStatus(to_status).label.lower()}."
        )


class PublishRefused(PostingError):
    """The map allows publishing, but a rule does not (unverified organization, unpaid
    without staff approval, deadline passed)."""


class PostingNotEditable(PostingError):
    """Rejected and closed postings are final."""


class PostingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    CLOSED = "closed", "Closed"


S = PostingStatus
# The only ways a posting's status may change. A published posting whose terms are edited
# goes back to review (published -> submitted); closing covers the deadline, a filled posting
# and the employer withdrawing it.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.CLOSED}),
    S.SUBMITTED: frozenset({S.PUBLISHED, S.CHANGES_REQUESTED, S.REJECTED, S.CLOSED}),
    S.CHANGES_REQUESTED: frozenset({S.SUBMITTED, S.CLOSED}),
    S.PUBLISHED: frozenset({S.SUBMITTED, S.CLOSED}),
    S.REJECTED: frozenset(),
    S.CLOSED: frozenset(),
}
EDITABLE_STATUSES = frozenset({S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.PUBLISHED})


class CloseReason(models.TextChoices):
    DEADLINE = "deadline", "Deadline passed"
    FILLED = "filled", "Filled"
    WITHDRAWN = "withdrawn", "Withdrawn by the employer"


class LocationType(models.TextChoices):
    REMOTE = "remote", "Remote"
    ONSITE = "onsite", "On-site"
    HYBRID = "hybrid", "Hybrid"


class PayUnit(models.TextChoices):
    HOUR = "hour", "Per hour"
    STIPEND = "stipend", "Total stipend"


class DescriptionFormat(models.TextChoices):
    PLAIN = "plain", "Plain text"
    MARKDOWN = "markdown", "Markdown"


class FieldOfStudy(models.Model):
    """A field students filter by; staff keep the list in the admin."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "fields of study"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


def moderates_all_postings(user: settings.AUTH_USER_MODEL) -> bool:
    """CAPD staff (with staff status, as the admin asks) and superusers."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (user.is_staff and user.in_group(CAPD_STAFF_GROUP))


def manages_global_postings(user: settings.AUTH_USER_MODEL) -> bool:
    """MISTI program managers (with staff status), who own the global postings."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.in_group(MISTI_MANAGERS_GROUP)
    )


def moderates_posting(user: settings.AUTH_USER_MODEL, posting: Posting) -> bool:
    """Whether the posting's status and history are the user's business as staff."""
    return moderates_all_postings(user) or (posting.is_global and manages_global_postings(user))


class PostingQuerySet(models.QuerySet["Posting"]):
    def published(self) -> PostingQuerySet:
        """Published and still open for applications."""
        return self.filter(status=S.PUBLISHED, deadline__gt=timezone.now())

    def submitted(self) -> PostingQuerySet:
        return self.filter(status=S.SUBMITTED)

    def of_organization(self, organization: Organization) -> PostingQuerySet:
        return self.filter(organization=organization)

    def visible_to(self, user: settings.AUTH_USER_MODEL) -> PostingQuerySet:
        """Who sees a posting on the front end:

        - visitors who are not signed in: none;
        - students, ISO advisors and any other signed-in account: published, open ones;
        - an employer: those, and every state of its organization's own;
        - CAPD staff and superusers: every posting in every state (they moderate them; the
          admin gives them the same rows);
        - MISTI program managers: published ones, and every state of the global postings
          they administer.

        Staff status grants nothing by itself: `is_staff` is not a role.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if moderates_all_postings(user):
            return self.all()
        open_now = Q(status=S.PUBLISHED, deadline__gt=timezone.now())
        if manages_global_postings(user):
            return self.filter(open_now | Q(is_global=True))
        if user.is_employer:
            # A subquery, not a join through memberships: a join would repeat each posting
            # once per member of its organization.
            own = Membership.objects.filter(user=user).values("organization_id")
            return self.filter(open_now | Q(organization_id__in=own))
        return self.filter(open_now)


class Posting(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="postings"
    )
    cycle = models.ForeignKey(RecruitingCycle, on_delete=models.PROTECT, related_name="postings")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    duplicated_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=S.choices, default=S.DRAFT, db_index=True)

    title = models.CharField(max_length=200)
    description = models.TextField(
        help_text="What the intern will do and learn. Separate paragraphs with a blank line."
    )
    description_format = models.CharField(
        max_length=10, choices=DescriptionFormat.choices, default=DescriptionFormat.PLAIN
    )
    fields_of_study = models.ManyToManyField(FieldOfStudy, blank=True, related_name="postings")

    alumni_host = models.BooleanField("hosted by an alum", default=False)
    alumni_host_name = models.CharField("alumni host's name", max_length=150, blank=True)
    alumni_class_year = models.PositiveSmallIntegerField(
        "alumni host's class year",
        null=True,
        blank=True,
        validators=[MinValueValidator(1930), MaxValueValidator(2100)],
    )

    location_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.REMOTE
    )
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    is_global = models.BooleanField(
        "global (the work is outside the US)",
        default=False,
        help_text="Global micro-internships are administered by MISTI.",
    )

    is_paid = models.BooleanField("paid", default=True)
    pay_amount = models.DecimalField(
        "pay (USD)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    pay_unit = models.CharField(max_length=10, choices=PayUnit.choices, default=PayUnit.HOUR)
    stipend_hours = models.PositiveIntegerField(
        "estimated total hours",
        null=True,
        blank=True,
        help_text="For a stipend: the hours you expect, to check the minimum wage.",
    )
    unpaid_approved = models.BooleanField(
        "unpaid approved by staff",
        default=False,
        help_text="Set by CAPD staff when they approve an unpaid posting.",
    )

    iap_start = models.DateField("proposed start")
    iap_end = models.DateField("proposed end")
    hours_per_week = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    openings = models.PositiveSmallIntegerField(
        "number of openings", default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    deadline = models.DateTimeField("application deadline")
    application_instructions = models.TextField(blank=True)
    requires_resume = models.BooleanField("resume required", default=True)
    requires_cover_letter = models.BooleanField("cover letter required", default=True)

    close_reason = models.CharField(max_length=10, choices=CloseReason.choices, blank=True)
    # Title, description, organization, fields of study and the label, kept by the services
    # (refresh_search_fields): the column PostgreSQL's full-text search and GIN index read.
    search_document = models.TextField(blank=True, editable=False)
    # The same document as PostgreSQL's english configuration reads it (postings.text_search):
    # what keyword search matches on SQLite, so that both find the same postings.
    search_terms = models.TextField(blank=True, default="", editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = PostingQuerySet.as_manager()

    label = MICRO_INTERNSHIP_LABEL

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [
            # The list page and the expiry sweep: published postings by deadline.
            models.Index(fields=["status", "deadline"], name="posting_status_deadline"),
            models.Index(fields=["status", "submitted_at"], name="posting_status_submitted"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(iap_start__lte=models.F("iap_end")), name="posting_iap_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organization})" if self.organization_id else self.title

    # --- the lifecycle ------------------------------------------------------------------------
    def can_transition(self, to_status: str) -> bool:
        return to_status in ALLOWED_TRANSITIONS[self.status]

    def ensure_can_transition(self, to_status: str) -> None:
        if not self.can_transition(to_status):
            raise InvalidTransition(self.status, to_status)

    def publish_refusals(self, *, now: dt.datetime | None = None) -> list[str]:
        """Why this posting may not be published now (empty when it may)."""
        now = now or timezone.now()
        reasons = []
        if not self.organization.verified:
            reasons.append(f"{self.organization} is not verified yet: verify it first.")
        if not self.is_paid and not self.unpaid_approved:
            reasons.append("It is unpaid: tick “unpaid approved” to publish it.")
        if self.deadline <= now:
            reasons.append("Its application deadline has passed.")
        return reasons

    @property
    def is_open(self) -> bool:
        return self.status == S.PUBLISHED and self.deadline > timezone.now()

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    # --- pay ----------------------------------------------------------------------------------
    def hourly_equivalent(self) -> Decimal | None:
        """USD per hour: the hourly rate, or the stipend over the estimated hours."""
        if not self.is_paid or self.pay_amount is None:
            return None
        if self.pay_unit == PayUnit.HOUR:
            return self.pay_amount
        if not self.stipend_hours:
            return None
        return (self.pay_amount / self.stipend_hours).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def days_left(self) -> int:
        """Whole days from today (Eastern) to the deadline's day; 0 on the last day."""
        return (timezone.localdate(self.deadline) - timezone.localdate()).days

    # --- validation ---------------------------------------------------------------------------
    def clean(self) -> None:
        errors: dict[str, list[str]] = {}

        def add(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        self._clean_host(add)
        self._clean_location(add)
        self._clean_pay(add)
        self._clean_dates(add)
        if errors:
            raise ValidationError(errors)

    def _clean_host(self, add) -> None:
        if self.alumni_host:
            if not self.alumni_host_name.strip():
                add(
                    "alumni_host_name",
                    "Give the alumni host's name, or untick “hosted by an alum”.",
                )
            if not self.alumni_class_year:
                add("alumni_class_year", "Give the alumni host's class year (for example 2009).")

    def _clean_location(self, add) -> None:
        country = self.country.strip().lower()
        if (
            self.location_type in (LocationType.ONSITE, LocationType.HYBRID)
            and not self.city.strip()
        ):
            add("city", "Give the city where the intern works (on-site and hybrid postings).")
        if self.is_global:
            if not country:
                add(
                    "country",
                    "Name the country where the work happens: global postings are outside the US.",
                )
            elif country in US_NAMES:
                add(
                    "country",
                    "Global postings are outside the US: change the country or untick “global”.",
                )
        elif country and country not in US_NAMES:
            add("is_global", "Work outside the US is global: tick “global” (MISTI administers it).")

    def _clean_pay(self, add) -> None:
        if not self.is_paid:
            return
        # A fresh row holds the float default until it is read back: normalise to cents.
        minimum = Decimal(str(ProgramSettings.load().minimum_wage_hourly)).quantize(Decimal("0.01"))
        if self.pay_amount is None:
            add("pay_amount", "Enter the pay in USD, or mark the posting unpaid.")
            return
        if self.pay_unit == PayUnit.STIPEND and not self.stipend_hours:
            add(
                "stipend_hours",
                "Estimate the total hours, so that we can check the stipend against the "
                "minimum wage.",
            )
            return
        hourly = self.hourly_equivalent()
        if hourly is not None and hourly < minimum:
            if self.pay_unit == PayUnit.HOUR:
                add(
                    "pay_amount",
                    f"{hourly:.2f} USD per hour is under the minimum wage of {minimum} USD per "
                    "hour: raise the pay.",
                )
            else:
                add(
                    "pay_amount",
                    f"This stipend works out to {hourly} USD per hour, under the minimum wage "
                    f"of {minimum} USD per hour: raise the stipend or lower the estimated hours.",
                )

    def _clean_dates(self, add) -> None:
        cycle = self.cycle if self.cycle_id else None
        if cycle:
            window = cycle.window_errors(
                self.iap_start, self.iap_end, fields=("iap_start", "iap_end")
            )
            for field, messages in window.items():
                for message in messages:
                    add(field, message)
        elif self.iap_start and self.iap_end and self.iap_end < self.iap_start:
            add("iap_end", "The end date comes before the start date: choose a later end date.")
        if self.deadline:
            if self.deadline <= timezone.now():
                add("deadline", "The application deadline has passed: choose a date in the future.")
            elif self.iap_start and timezone.localdate(self.deadline) >= self.iap_start:
                add(
                    "deadline",
                    "The application deadline must come before the proposed start "
                    f"({self.iap_start:%b %-d, %Y}): choose an earlier date.",
                )

    def refresh_search_fields(self) -> None:
        """Rebuild what keyword search reads from the posting's text, in one UPDATE (no save:
        nothing else about the posting changes, and `updated_at` stays)."""
        self.search_document = self.build_search_document()
        self.search_terms = document_terms(self.search_document)
        Posting.objects.filter(pk=self.pk).update(
            search_document=self.search_document, search_terms=self.search_terms
        )

    def build_search_document(self) -> str:
        fields = " ".join(f.name for f in self.fields_of_study.all()) if self.pk else ""
        return "\n".join(
            part
            for part in (
                self.title,
                self.organization.name,
                fields,
                self.description,
                "alumni host" if self.alumni_host else "",
                LABEL_KEYWORDS,
            )
            if part
        )


class MaterialKind(models.TextChoices):
    FILE = "file", "File upload"
    TEXT = "text", "Text answer"
    LINK = "link", "Link"


class PostingMaterial(models.Model):
    """An application material beyond resume and cover letter (a writing sample...)."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="materials")
    label = models.CharField(
        max_length=150,
        error_messages={"blank": "Give this material a label, for example “Writing sample”."},
    )
    kind = models.CharField(max_length=8, choices=MaterialKind.choices, default=MaterialKind.FILE)
    required = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class PostingStatusChange(models.Model):
    """One row per status change: who, when, from what to what, and why."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=S.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=S.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        get_latest_by = "at"

    def __str__(self) -> str:
        return f"{self.posting_id}: {self.from_status or 'new'} -> {self.to_status}"


class SubmittedPosting(Posting):
    """The moderation queue in the admin: the same rows, seen as CAPD's to-do list."""

    class Meta:
        proxy = True
        verbose_name = "posting awaiting review"
        verbose_name_plural = "postings awaiting review (oldest first)"
