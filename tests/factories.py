"""One factory per model, with a subclass per state that tests ask for by name.

These are the only user factories: tests/postings/factories.py and the folders' factories
import them from here. The people every test shares are in tests/cast.py.
"""

from __future__ import annotations

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from microintern.accounts.groups import ensure_staff_groups
from microintern.accounts.models import (
    CAPD_STAFF_GROUP,
    ISO_ADVISORS_GROUP,
    MISTI_MANAGERS_GROUP,
    Role,
    StudentProfile,
    User,
)
from microintern.cycles.models import Holiday, RecruitingCycle
from postings.models import Membership, Organization

DEMO_PASSWORD = "microintern-demo"


class UserFactory(DjangoModelFactory):
    """A user with a password and a verified primary email address.

    `UserFactory(email_verified=False)` gives the state right after sign-up: the address is
    on record but unconfirmed, so allauth will not let the person in.
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.edu")
    full_name = factory.Faker("name")
    role = Role.STUDENT

    @factory.post_generation
    def password(user: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        user.set_password(extracted or DEMO_PASSWORD)
        if create:
            user.save(update_fields=["password"])

    @factory.post_generation
    def email_verified(user: User, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create:
            EmailAddress.objects.create(
                user=user, email=user.email, verified=extracted is not False, primary=True
            )


class StudentProfileFactory(DjangoModelFactory):
    class Meta:
        model = StudentProfile

    user = factory.SubFactory(UserFactory, role=Role.STUDENT)
    field_of_study = "Computer Science"
    class_year = 2028


class StudentFactory(UserFactory):
    email = factory.Sequence(lambda n: f"student{n}@example.edu")
    role = Role.STUDENT
    profile = factory.RelatedFactory(StudentProfileFactory, factory_related_name="user")


class OrganizationFactory(DjangoModelFactory):
    """A new organization: unverified until CAPD staff verify it."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Employer {n} Inc.")
    website = factory.LazyAttribute(lambda o: f"https://{o.email_domain}")
    email_domain = factory.Sequence(lambda n: f"employer{n}.example.com")
    verified = False


class VerifiedOrganizationFactory(OrganizationFactory):
    verified = True
    verified_at = factory.LazyFunction(lambda: dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC))


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(VerifiedOrganizationFactory)
    user = factory.SubFactory(UserFactory, role=Role.EMPLOYER)
    role = Membership.Role.MEMBER


class EmployerFactory(UserFactory):
    """An employer who owns a verified organization of their own.

    `EmployerFactory(membership__organization=org, membership__role=Membership.Role.MEMBER)`
    puts them in `org` instead; `EmployerFactory(membership=None)` gives an employer in no
    organization yet (invited, say), since a user belongs to at most one.
    """

    email = factory.Sequence(lambda n: f"recruiter{n}@employer.example.com")
    role = Role.EMPLOYER
    membership = factory.RelatedFactory(
        MembershipFactory, factory_related_name="user", role=Membership.Role.OWNER
    )


class StaffGroupMembershipFactory(DjangoModelFactory):
    """A user's place in one of the staff groups (the groups are kept by ensure_staff_groups)."""

    class Meta:
        model = User.groups.through

    class Params:
        group_name = CAPD_STAFF_GROUP

    group = factory.LazyAttribute(lambda o: ensure_staff_groups()[o.group_name])


class StaffFactory(UserFactory):
    """CAPD staff: staff status and the "CAPD staff" group."""

    email = factory.Sequence(lambda n: f"staff{n}@example.edu")
    role = Role.STAFF
    is_staff = True
    staff_group = factory.RelatedFactory(StaffGroupMembershipFactory, factory_related_name="user")


class ISOAdvisorFactory(StaffFactory):
    email = factory.Sequence(lambda n: f"iso{n}@example.edu")
    staff_group = factory.RelatedFactory(
        StaffGroupMembershipFactory, factory_related_name="user", group_name=ISO_ADVISORS_GROUP
    )


class MISTIManagerFactory(StaffFactory):
    """A MISTI program manager: staff status and the "MISTI program managers" group."""

    email = factory.Sequence(lambda n: f"misti{n}@example.edu")
    staff_group = factory.RelatedFactory(
        StaffGroupMembershipFactory, factory_related_name="user", group_name=MISTI_MANAGERS_GROUP
    )


class SuperuserFactory(UserFactory):
    """For the tests that are about superusers, and only those: staff tests sign in as
    members of their group (a superuser in a test hides every permission bug)."""

    email = factory.Sequence(lambda n: f"admin{n}@example.edu")
    role = Role.STAFF
    is_staff = True
    is_superuser = True


def _cycle_default(field: str) -> factory.LazyAttribute:
    return factory.LazyAttribute(lambda o: RecruitingCycle.defaults_for_iap_year(o.iap_year)[field])


class RecruitingCycleFactory(DjangoModelFactory):
    """The current cycle, with CAPD's published dates for IAP `iap_year` (2027 by default)."""

    class Meta:
        model = RecruitingCycle

    class Params:
        iap_year = 2027

    name = _cycle_default("name")
    postings_open = _cycle_default("postings_open")
    interviews_begin = _cycle_default("interviews_begin")
    offers_begin = _cycle_default("offers_begin")
    arrangements_begin = _cycle_default("arrangements_begin")
    iap_start = _cycle_default("iap_start")
    iap_end = _cycle_default("iap_end")
    is_current = True


def iap_2027_cycle() -> RecruitingCycle:
    """The current cycle with CAPD's published dates for IAP 2027, the same row however often
    it is asked for (postings open Sep 16, 2026; IAP runs Jan 6 to 31, 2027)."""
    defaults = RecruitingCycle.defaults_for_iap_year(2027)
    cycle, _ = RecruitingCycle.objects.get_or_create(
        name=defaults.pop("name"), defaults={**defaults, "is_current": True}
    )
    return cycle


class PastRecruitingCycleFactory(RecruitingCycleFactory):
    class Params:
        iap_year = 2026

    is_current = False


class HolidayFactory(DjangoModelFactory):
    """A day staff closed the institute. By default in 2040, clear of the migrated table."""

    class Meta:
        model = Holiday

    date = factory.Sequence(lambda n: dt.date(2040, 3, 1) + dt.timedelta(days=n))
    name = "Institute closed"
