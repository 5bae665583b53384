"""Factories for offers and arrangements: one subclass per state. Users (tests/factories.py),
organizations, postings and applications come through tests/applications/factories.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from offers.deadlines import decision_deadline
from offers.models import (
    Arrangement,
    ArrangementStatus,
    ExtensionRequest,
    Offer,
    OfferStatus,
    WorkMode,
)
from tests.applications.factories import (  # noqa: F401 (re-exported for the tests)
    EmployerFactory,
    HeldInterviewFactory,
    InterviewedApplicationFactory,
    InterviewFactory,
    InterviewingApplicationFactory,
    MembershipFactory,
    OfferedApplicationFactory,
    OrganizationFactory,
    PublishedPostingFactory,
    StaffFactory,
    StudentFactory,
    SubmittedApplicationFactory,
    UnderReviewApplicationFactory,
)


class OfferFactory(factory.django.DjangoModelFactory):
    """A pending offer extended now, on an application already marked offered."""

    class Meta:
        model = Offer

    application = factory.SubFactory(OfferedApplicationFactory)
    student = factory.SelfAttribute("application.student")
    cycle = factory.SelfAttribute("application.posting.cycle")
    status = OfferStatus.PENDING
    pay_hourly = Decimal("20.00")
    start_date = factory.LazyAttribute(lambda o: o.cycle.iap_start)
    end_date = factory.LazyAttribute(lambda o: o.cycle.iap_start + dt.timedelta(days=10))
    hours_per_week = 15
    decision_window_days = 5
    decision_days_total = factory.SelfAttribute("decision_window_days")
    extended_at = factory.LazyFunction(timezone.now)
    deadline = factory.LazyAttribute(
        lambda o: decision_deadline(o.extended_at, o.decision_days_total)
    )


class PendingOfferFactory(OfferFactory):
    pass


class AcceptedOfferFactory(OfferFactory):
    status = OfferStatus.ACCEPTED
    application = factory.SubFactory(OfferedApplicationFactory, status="hired")
    decided_at = factory.LazyFunction(timezone.now)


class DeclinedOfferFactory(OfferFactory):
    status = OfferStatus.DECLINED
    decided_at = factory.LazyFunction(timezone.now)


class ExpiredOfferFactory(OfferFactory):
    status = OfferStatus.EXPIRED
    extended_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=20))
    decided_at = factory.LazyFunction(timezone.now)


class ExtensionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExtensionRequest

    offer = factory.SubFactory(PendingOfferFactory)
    requested_by = factory.SelfAttribute("offer.student")
    reason = "I have another interview on Friday."
    days_requested = 2
    previous_deadline = factory.SelfAttribute("offer.deadline")


class ArrangementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arrangement

    offer = factory.SubFactory(AcceptedOfferFactory)
    status = ArrangementStatus.TO_ARRANGE
    start_date = factory.SelfAttribute("offer.start_date")
    end_date = factory.SelfAttribute("offer.end_date")
    hours_per_week = 15


class ProposedArrangementFactory(ArrangementFactory):
    status = ArrangementStatus.PROPOSED
    work_mode = WorkMode.REMOTE
    place = "Zoom and Slack"
    supervisor_name = "Pat Supervisor"
    supervisor_email = "pat@example.com"
    proposed_side = "employer"
    proposed_at = factory.LazyFunction(timezone.now)


class ConfirmedArrangementFactory(ProposedArrangementFactory):
    status = ArrangementStatus.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
