"""An application: one per student per posting, its materials, its status and history."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

# Re-exported: applications' callers import it from here.
from microintern.core.files import clean_display_name as clean_display_name
from postings.models import Posting, PostingMaterial


class ApplicationError(Exception):
    """Base of the errors the application pipeline raises (shown to the user as they are)."""


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFERED = "offered", "Offered"
    HIRED = "hired", "Hired"
    NOT_SELECTED = "not_selected", "Not selected"
    WITHDRAWN = "withdrawn", "Withdrawn"


S = ApplicationStatus
FINAL_STATUSES = frozenset({S.HIRED, S.NOT_SELECTED, S.WITHDRAWN})
# The only ways an application's status may change. The employer moves it forward or closes
# it as not selected while it is open; the student may withdraw until hired. An offer never
# goes back to interviewing: the offers app rescinds or lets it expire instead.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.UNDER_REVIEW, S.NOT_SELECTED, S.WITHDRAWN}),
    S.UNDER_REVIEW: frozenset({S.INTERVIEWING, S.OFFERED, S.NOT_SELECTED, S.WITHDRAWN}),
    S.INTERVIEWING: frozenset({S.OFFERED, S.NOT_SELECTED, S.WITHDRAWN}),
    S.OFFERED: frozenset({S.HIRED, S.NOT_SELECTED, S.WITHDRAWN}),
    S.HIRED: frozenset(),
    S.NOT_SELECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
# Waiting for the employer's decision: what the undecided sweep closes. An offered
# application waits for the student (the offers app's deadline handles it).
UNDECIDED_STATUSES = frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.INTERVIEWING})
# "Move to the next stage" on the applicant list. Offers are made through the offers app.
EMPLOYER_NEXT_STAGE: dict[str, str] = {
    S.SUBMITTED: S.UNDER_REVIEW,
    S.UNDER_REVIEW: S.INTERVIEWING,
}


class InvalidTransition(ApplicationError):
    """The transition map does not allow this change of status."""

    def __init__(self, from_status: str, to_status: str) -> None:
        self.from_status, self.to_status = from_status, to_status
        super().__init__(
            f"An application that is {S(from_status).label.lower()} cannot become "
            f"{S(to_status).label.lower()}."
        )


class AlreadyApplied(ApplicationError):
    """A second application to the same posting; carries the first one."""

    def __init__(self, application: Application) -> None:
        self.application = application
        super().__init__("You have already applied to this posting.")


class NotEligible(ApplicationError):
    """The student may not apply: the first-year rule of off-campus work authorization."""


class ApplicationQuerySet(models.QuerySet["Application"]):
    def visible_to(self, user: settings.AUTH_USER_MODEL) -> ApplicationQuerySet:
        """Who sees an application (its materials, interviews and the employer's notes) on
        the front end:

        - a student: their own;
        - an employer: those to its organization's postings;
        - CAPD staff, MISTI program managers and superusers: none here; they work in the
          admin, where the group's permissions decide;
        - ISO advisors: none, anywhere: they see authorization cases, not applications.

        Staff status grants nothing by itself: `is_staff` is not a role.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_employer:
            return self.filter(posting__organization__memberships__user=user)
        return self.filter(student=user)

    def undecided(self) -> ApplicationQuerySet:
        return self.filter(status__in=UNDECIDED_STATUSES)

    def open(self) -> ApplicationQuerySet:
        return self.exclude(status__in=FINAL_STATUSES)


class Application(models.Model):
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="applications")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    status = models.CharField(max_length=20, choices=S.choices, default=S.SUBMITTED)
    cover_letter_text = models.TextField(blank=True)
    # The student's profile as it was when they applied (StudentProfile.snapshot()): what the
    # employer sees, so that later edits never rewrite history. Never immigration data.
    profile_snapshot = models.JSONField(default=dict, blank=True)
    # When the student ticked that they read CAPD's advice on unpaid work (unpaid postings).
    unpaid_guidance_read_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "posting"], name="application_one_per_student_posting"
            ),
        ]
        indexes = [
            models.Index(fields=["posting", "status"], name="application_posting_status"),
            # The default order of the admin list and the student's list: without it, sorting
            # 200,000 applications spilled to disk on every page.
            models.Index(fields=["-submitted_at", "-id"], name="application_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.student} → {self.posting.title}"

    def can_transition(self, to_status: str) -> bool:
        return to_status in ALLOWED_TRANSITIONS[self.status]

    def ensure_can_transition(self, to_status: str) -> None:
        if not self.can_transition(to_status):
            raise InvalidTransition(self.status, to_status)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def can_withdraw(self) -> bool:
        return self.can_transition(S.WITHDRAWN)


def private_document_path(instance: models.Model, filename: str) -> str:
    """A name the server chooses: nothing of the uploaded name reaches the file system."""
    return f"applications/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class MaterialRole(models.TextChoices):
    RESUME = "resume", "Resume"
    COVER_LETTER = "cover_letter", "Cover letter"
    EXTRA = "extra", "Extra material"


class SubmittedMaterial(models.Model):
    """What the student sent: a PDF, a text answer or a link. Files are private: they have
    no URL and are served only by the download view, which checks who asks."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    role = models.CharField(max_length=16, choices=MaterialRole.choices)
    posting_material = models.ForeignKey(
        PostingMaterial, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=150)
    file = models.FileField(upload_to=private_document_path, max_length=255, blank=True)
    original_name = models.CharField(max_length=150, blank=True)
    size = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.label} of application {self.application_id}"


class ApplicationStatusChange(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=S.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=S.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    # Shown to the student (a "not selected" message, a withdrawal reason).
    message_to_student = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        get_latest_by = "at"

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status or 'new'} -> {self.to_status}"


class ApplicationNote(models.Model):
    """The employer's private notes on an applicant: never shown to the student."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note on application {self.application_id}"
