"""People: one User per email address, with a role, and the student's general profile."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

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


class StudentProfile(models.Model):
    """What employers and the portal need to know about a student; immigration data lives
    elsewhere (authorization app), never here."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="student_profile")
    degree_level = models.CharField(
        max_length=16, choices=DegreeLevel.choices, default=DegreeLevel.UNDERGRADUATE
    )
    field_of_study = models.CharField("major / field of study", max_length=120, blank=True)
    class_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Profile of {self.user}"
