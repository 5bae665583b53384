"""Migration 0006 turns the case's plain offer number into a foreign key without losing it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from authorization.models import AuthorizationCase
from tests.authorization.helpers import make_profile, open_case
from tests.factories import StudentFactory, iap_2027_cycle

BEFORE = [("authorization", "0005_item_due_schedule")]
AFTER = [("authorization", "0006_case_offer_foreign_key")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_existing_cases_keep_their_offer_and_lose_only_numbers_that_point_nowhere() -> None:
    iap_2027_cycle()
    student = StudentFactory(email="keeps@example.edu")
    make_profile(student)
    case = open_case(student)
    offer_id = case.offer_id
    orphan = StudentFactory(email="orphan@example.edu")
    make_profile(orphan)
    orphan_case = open_case(orphan, with_offer=False)

    migrate(BEFORE)
    with connection.cursor() as cursor:  # the old column: a bare number, one of them dangling
        cursor.execute(
            "UPDATE authorization_authorizationcase SET offer_id = %s WHERE id = %s",
            [987654, orphan_case.pk],
        )
    migrate(AFTER)

    assert AuthorizationCase.objects.get(pk=case.pk).offer_id == offer_id
    assert AuthorizationCase.objects.get(pk=orphan_case.pk).offer_id is None
