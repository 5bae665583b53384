"""Races that row locks settle: each ends in exactly one final state and one notification
per event. PostgreSQL only (SQLite serializes every write, so there is no race to test)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from applications.acceptance import CycleClosedByAcceptance
from applications.models import Application
from applications.services import application_submit
from microintern.notifications.models import Notification
from offers import services
from offers.models import Arrangement, Offer, OfferError, OfferStatus
from tests.applications.factories import pdf_upload
from tests.offers import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Row-lock races need PostgreSQL: run with DATABASE_URL=postgres://...")


def run_together(*calls: Callable[[], str]) -> list[str]:
    """Start the calls at the same moment (a barrier) in threads; each returns an outcome."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call: Callable[[], str]) -> None:
        try:
            barrier.wait()
            outcomes.append(call())
        except OfferError as exc:
            outcomes.append(f"refused: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_it_accepts_the_same_offer_once_when_clicked_twice_at_once():
    offer = factories.PendingOfferFactory()
    student = offer.student

    def accept() -> str:
        services.offer_accept(offer=Offer.objects.get(pk=offer.pk), by=student)
        return "accepted"

    outcomes = run_together(accept, accept)
    assert outcomes[0] == "accepted"
    assert "already accepted" in outcomes[1]
    assert offer.status_changes.filter(to_status=OfferStatus.ACCEPTED).count() == 1
    assert Arrangement.objects.filter(offer=offer).count() == 1
    assert Notification.objects.filter(kind="offer_accepted").count() == len(
        offer.application.posting.organization.memberships.all()
    )


def test_it_accepts_one_of_two_offers_of_one_student_accepted_at_once():
    first = factories.PendingOfferFactory()
    student = first.student
    second = factories.PendingOfferFactory(
        application=factories.OfferedApplicationFactory(student=student)
    )
    for offer in (first, second):
        factories.MembershipFactory(organization=offer.application.posting.organization)

    def accept(pk: int) -> Callable[[], str]:
        def call() -> str:
            services.offer_accept(offer=Offer.objects.get(pk=pk), by=student)
            return "accepted"

        return call

    outcomes = run_together(accept(first.pk), accept(second.pk))
    assert outcomes[0] == "accepted"
    assert "already accepted another offer" in outcomes[1]
    statuses = sorted(Offer.objects.values_list("status", flat=True))
    assert statuses == [OfferStatus.ACCEPTED, OfferStatus.DECLINED]
    assert Notification.objects.filter(kind="offer_accepted").count() == 1
    assert Notification.objects.filter(kind="offer_declined").count() == 1


def test_it_ends_an_accept_racing_the_expiry_sweep_in_one_final_state():
    offer = factories.PendingOfferFactory()
    factories.MembershipFactory(organization=offer.application.posting.organization)
    student = offer.student
    just_before = offer.deadline - dt.timedelta(seconds=1)
    just_after = offer.deadline + dt.timedelta(seconds=1)

    def accept() -> str:
        services.offer_accept(offer=Offer.objects.get(pk=offer.pk), by=student, now=just_before)
        return "accepted"

    def sweep() -> str:
        return "expired" if services.offers_expire_due(now=just_after) else "nothing to expire"

    outcomes = run_together(accept, sweep)
    offer.refresh_from_db()
    assert outcomes in (
        ["accepted", "nothing to expire"],
        ["expired", "refused: This offer expired: its decision deadline passed."],
    )
    final_changes = offer.status_changes.exclude(to_status=OfferStatus.PENDING)
    assert final_changes.count() == 1
    assert final_changes.get().to_status == offer.status
    expected = {"offer_accepted": 1, "offer_expired": 0}
    if offer.status == OfferStatus.EXPIRED:
        expected = {"offer_accepted": 0, "offer_expired": 2}
    for kind, count in expected.items():
        assert Notification.objects.filter(kind=kind).count() == count


def test_applying_while_accepting_never_leaves_an_open_application_beside_the_acceptance():
    refused = withdrawn = 0
    for _ in range(50):
        offer = factories.PendingOfferFactory()
        student = offer.student
        elsewhere = factories.PublishedPostingFactory()
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def accept() -> None:
            try:
                barrier.wait()
                services.offer_accept(offer=Offer.objects.get(pk=offer.pk), by=student)
            except BaseException as exc:  # reported below: a thread must not die silently
                errors.append(exc)
            finally:
                connections.close_all()

        def apply() -> None:
            nonlocal refused
            try:
                barrier.wait()
                application_submit(
                    posting=elsewhere,
                    student=student,
                    resume=pdf_upload(),
                    cover_letter_text="Dear team, I would like to help.",
                )
            except CycleClosedByAcceptance:
                refused += 1
            except BaseException as exc:
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=accept), threading.Thread(target=apply)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        assert Offer.objects.get(pk=offer.pk).status == OfferStatus.ACCEPTED
        open_beside = Application.objects.open().filter(student=student, posting=elsewhere)
        assert not open_beside.exists()
        withdrawn += Application.objects.filter(student=student, posting=elsewhere).count()
    assert refused + withdrawn == 50  # each round: refused, or applied first and withdrawn
