"""Factories for organizations and postings: one subclass per posting state. The user
factories are tests/factories.py's, imported here for the tests that use this module."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from microintern.cycles.models import RecruitingCycle
from postings.models import (
    FieldOfStudy,
    Membership,
    Organization,
    Posting,
    PostingMaterial,
    PostingStatus,
    SavedPosting,
    SavedSearch,
)
from tests.factories import (  # noqa: F401 (re-exported for the tests)
    EmployerFactory,
    ISOAdvisorFactory,
    MISTIManagerFactory,
    StaffFactory,
    StudentFactory,
    SuperuserFactory,
    UserFactory,
)


def current_cycle() -> RecruitingCycle:
    """A current cycle whose IAP starts 40 days from today, so deadlines in the next weeks
    are valid whatever day the tests run."""
    cycle = RecruitingCycle.objects.current()
    if cycle:
        return cycle
    today = timezone.localdate()
    iap_start = today + dt.timedelta(days=40)
    return RecruitingCycle.objects.create(
        name="Test IAP",
        postings_open=today - dt.timedelta(days=60),
        interviews_begin=today - dt.timedelta(days=40),
        offers_begin=today - dt.timedelta(days=30),
        arrangements_begin=today - dt.timedelta(days=20),
        iap_start=iap_start,
        iap_end=iap_start + dt.timedelta(days=25),
        is_current=True,
    )


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organization {n}")
    website = "https://example.com"
    email_domain = "example.com"
    description = "We build things."
    verified = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(EmployerFactory, membership=None)  # this is their membership
    role = Membership.Role.MEMBER


class FieldOfStudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldOfStudy
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Field {n}")


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Posting
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    cycle = factory.LazyFunction(current_cycle)
    title = factory.Sequence(lambda n: f"Data analysis project {n}")
    description = "Help us clean and analyse sensor data.\n\nYou will present your findings."
    location_type = "remote"
    is_paid = True
    pay_amount = Decimal("20.00")
    pay_unit = "hour"
    iap_start = factory.LazyAttribute(lambda o: o.cycle.iap_start)
    iap_end = factory.LazyAttribute(lambda o: o.cycle.iap_start + dt.timedelta(days=10))
    hours_per_week = 15
    openings = 1
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
    application_instructions = "Send your resume and a short cover letter."
    status = PostingStatus.DRAFT

    @factory.post_generation
    def fields(self, create: bool, extracted: list[FieldOfStudy] | None, **kwargs: object) -> None:
        if create and extracted:
            self.fields_of_study.set(extracted)
        if create:
            self.refresh_search_fields()


class DraftPostingFactory(PostingFactory):
    status = PostingStatus.DRAFT


class SubmittedPostingFactory(PostingFactory):
    status = PostingStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class ChangesRequestedPostingFactory(PostingFactory):
    status = PostingStatus.CHANGES_REQUESTED
    submitted_at = factory.LazyFunction(timezone.now)


class PublishedPostingFactory(PostingFactory):
    status = PostingStatus.PUBLISHED
    submitted_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyFunction(timezone.now)


class RejectedPostingFactory(PostingFactory):
    status = PostingStatus.REJECTED
    submitted_at = factory.LazyFunction(timezone.now)


class ClosedPostingFactory(PostingFactory):
    status = PostingStatus.CLOSED
    close_reason = "filled"
    closed_at = factory.LazyFunction(timezone.now)


class PostingMaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostingMaterial

    posting = factory.SubFactory(PostingFactory)
    label = "Writing sample"
    kind = "file"
    required = True


class SavedPostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedPosting

    user = factory.SubFactory(StudentFactory)
    posting = factory.SubFactory(PublishedPostingFactory)


class SavedSearchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedSearch

    user = factory.SubFactory(StudentFactory)
    name = "Robots"
    query_string = "q=robot"
