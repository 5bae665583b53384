"""People: one User per email address, with a role, and the student's general profile."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

# Staff groups: membership is what grants access to sensitive areas, not the role field.
ISO_ADVISORS_GROUP = "ISO advisors"
MISTI_MANAGERS_GROUP = "MISTI program managers"
CAPD_STAFF_GROUP = "CAPD staff"
STAFF_GROUPS = (CAPD_STAFF_GROUP, ISO_ADVISORS_GROUP, MISTI_MANAGERS_GROUP)


class Role(models.TextChoices):
    STUDENT = "student", "Student"
    EMPLOYER = "employer", "Employer"
    STAFF = "staff", "CAPD staff"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True, role=Role.STAFF)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """The login is the email address; there is no username."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STUDENT)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_student(self) -> bool:
        return self.role == Role.STUDENT

    @property
    def is_employer(self) -> bool:
        return self.role == Role.EMPLOYER

    def in_group(self, name: str) -> bool:
        # Cached per instance: templates and checks ask several times per request.
        cache = self.__dict__.setdefault("_group_names", None)
        if cache is None:
            cache = set(self.groups.values_list("name", flat=True))
            self.__dict__["_group_names"] = cache
        return name in cache

    @property
    def is_iso_advisor(self) -> bool:
        return self.is_active and self.is_staff and self.in_group(ISO_ADVISORS_GROUP)

    @property
    def works_in_admin(self) -> bool:
        """A staff account in one of the staff groups, or a superuser: the admin is where
        their work is. Staff status alone is not a role."""
        if not self.is_active or not self.is_staff:
            return False
        return self.is_superuser or any(self.in_group(name) for name in STAFF_GROUPS)


class DegreeLevel(models.TextChoices):
    UNDERGRADUATE = "undergraduate", "Undergraduate"
    MASTERS = "masters", "Master's"
    PHD = "phd", "PhD"


class GraduationTerm(models.TextChoices):
    FEBRUARY = "february", "February"
    JUNE = "june", "June"
    SEPTEMBER = "september", "September"


# Only web addresses a browser opens as a page: no javascript:, data: or mailto: links.
web_address = URLValidator(
    schemes=["http", "https"], message="Enter a web address starting with https://."
)


def _link(verbose_name: str) -> models.URLField:
    return models.URLField(verbose_name, max_length=300, blank=True, validators=[web_address])


class StudentProfile(models.Model):
    """What employers and the portal need to know about a student; immigration data lives
    elsewhere (authorization app), never here.

    Majors are names from the fields-of-study list (kept in postings, registered with
    microintern/accounts/fields_of_study.py), comma-separated as the authorization
    profile keeps them; a name the list later drops stays on the profile."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="student_profile")
    preferred_name = models.CharField(max_length=150, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    degree_level = models.CharField(
        max_length=16, choices=DegreeLevel.choices, default=DegreeLevel.UNDERGRADUATE
    )
    field_of_study = models.CharField("major(s)", max_length=300, blank=True)
    minor = models.CharField(max_length=100, blank=True)
    class_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    graduation_term = models.CharField(
        "expected graduation term", max_length=16, choices=GraduationTerm.choices, blank=True
    )
    summary = models.TextField(max_length=1000, blank=True)
    portfolio_url = _link("portfolio")
    github_url = _link("GitHub")
    linkedin_url = _link("LinkedIn")
    notify_new_postings = models.BooleanField(
        "tell me about new postings in my fields", default=False
    )
    # When the new-postings sweep (postings/reminders.py) last looked for this student.
    new_postings_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["new_postings_alerted_at"],
                condition=models.Q(notify_new_postings=True),
                name="profile_new_postings_due",
            )
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def major_list(self) -> list[str]:
        return [m.strip() for m in self.field_of_study.replace(";", ",").split(",") if m.strip()]

    def snapshot(self) -> dict[str, Any]:
        """What an employer sees, as plain data: stored with each application when it is
        sent, so that later edits never rewrite what the employer received. Never anything
        of the immigration profile."""
        return {
            "name": self.preferred_name or self.user.full_name or self.user.email,
            "pronouns": self.pronouns,
            "degree_level": self.get_degree_level_display(),
            "majors": self.major_list(),
            "minor": self.minor,
            "class_year": self.class_year,
            "graduation_term": self.get_graduation_term_display() if self.graduation_term else "",
            "summary": self.summary,
            "links": [
                {"label": label, "url": url}
                for label, url in (
                    ("Portfolio", self.portfolio_url),
                    ("GitHub", self.github_url),
                    ("LinkedIn", self.linkedin_url),
                )
                if url
            ],
        }


class DocumentKind(models.TextChoices):
    RESUME = "resume", "Resume"
    COVER_LETTER = "cover_letter", "Cover letter"
    OTHER = "other", "Other document"


def library_document_path(instance: models.Model, filename: str) -> str:
    """A name the server chooses: nothing of the uploaded name reaches the file system."""
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class DocumentQuerySet(models.QuerySet["Document"]):
    def visible_to(self, user: User) -> DocumentQuerySet:
        """A student sees their own library; nobody else sees anyone's, staff included (an
        employer sees the copies sent with applications, which live in applications)."""
        if not user.is_authenticated or not user.is_active or not user.is_student:
            return self.none()
        return self.filter(student=user)


class Document(models.Model):
    """A PDF in a student's library, uploaded once and chosen when applying. Applying copies
    the file into the application, so replacing or deleting it here never changes what an
    employer received."""

    student = models.ForeignKey(User, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    name = models.CharField(max_length=120)
    file = models.FileField(upload_to=library_document_path, max_length=255)
    original_name = models.CharField(max_length=150)
    size = models.PositiveIntegerField(default=0)
    is_default = models.BooleanField("default resume", default=False)
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-is_default", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=models.Q(is_default=True),
                name="document_one_default_per_student",
            ),
            models.CheckConstraint(
                condition=~models.Q(is_default=True) | models.Q(kind="resume"),
                name="document_default_is_a_resume",
            ),
        ]
        indexes = [models.Index(fields=["student", "kind"], name="document_student_kind")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


def profile_snapshot(user: User) -> dict[str, Any]:
    """The snapshot of a student's profile; a student without one shows just their name."""
    profile = StudentProfile.objects.filter(user=user).select_related("user").first()
    if profile is None:
        return {"name": user.full_name or user.email, "majors": [], "links": []}
    return profile.snapshot()
