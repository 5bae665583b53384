"""The case's link to its offer survives every migration that moved it: 0006 turned the case's
plain offer number into a foreign key; offers 0003-0004 + authorization 0007 moved the link to the
offer (Offer.authorization_case). Tested forward and back, reading through each state's models.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from offers.models import Offer
from tests.authorization.helpers import make_profile, open_case
from tests.factories import StudentFactory, iap_2027_cycle

BEFORE_FK = [("authorization", "0005_item_due_schedule")]
FK_ON_CASE = [("authorization", "0006_case_offer_foreign_key")]
BEFORE_MOVE = [("offers", "0002_sweep_schedules")]  # unapplies authorization 0007 too


def latest() -> list[tuple[str, str]]:
    """Every app's last migration: where the test database must be left."""
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def migrate(targets, *, state=None) -> Apps:
    """Migrate to `targets`; the models as they are there (`state`: the nodes every app is
    at, when the targets name only some apps)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(state or targets).apps


@pytest.fixture
def back_to_latest() -> Iterator[None]:
    yield
    migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_existing_cases_keep_their_offer_and_lose_only_numbers_that_point_nowhere(
    back_to_latest: None,
) -> None:
    iap_2027_cycle()
    student = StudentFactory(email="keeps@example.edu")
    make_profile(student)
    case = open_case(student)
    offer_id = case.accepted_offer.pk
    orphan = StudentFactory(email="orphan@example.edu")
    make_profile(orphan)
    orphan_case = open_case(orphan, with_offer=False)

    migrate(BEFORE_FK)
    with connection.cursor() as cursor:  # the old column: a bare number, one of them dangling
        cursor.execute(
            "UPDATE authorization_authorizationcase SET offer_id = %s WHERE id = %s",
            [987654, orphan_case.pk],
        )
    cases = migrate(FK_ON_CASE).get_model("authorization", "AuthorizationCase")

    assert cases.objects.get(pk=case.pk).offer_id == offer_id
    assert cases.objects.get(pk=orphan_case.pk).offer_id is None


@pytest.mark.django_db(transaction=True)
def test_the_link_moves_to_the_offer_and_back_without_losing_one(back_to_latest: None) -> None:
    iap_2027_cycle()
    linked = []
    for name in ("first", "second"):
        student = StudentFactory(email=f"{name}@example.edu")
        make_profile(student)
        linked.append(open_case(student))
    unlinked = open_case(
        make_profile(StudentFactory(email="none@example.edu")).student, with_offer=False
    )
    pairs = {case.pk: case.accepted_offer.pk for case in linked}

    cases = migrate(BEFORE_MOVE, state=[*FK_ON_CASE, *BEFORE_MOVE]).get_model(
        "authorization", "AuthorizationCase"
    )
    assert dict(cases.objects.exclude(offer=None).values_list("pk", "offer_id")) == pairs
    assert cases.objects.get(pk=unlinked.pk).offer_id is None

    migrate(latest())
    assert (
        dict(
            Offer.objects.exclude(authorization_case=None).values_list(
                "authorization_case_id", "pk"
            )
        )
        == pairs
    )
