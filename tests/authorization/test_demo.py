"""The demo's international student: a profile and an open CPT checklist, seeded once."""

from __future__ import annotations

import datetime as dt

from authorization.models import AuthorizationCase, ImmigrationProfile
from microintern.portal.demo import seed
from offers.models import Offer


def test_it_seeds_the_international_students_cpt_case(db: None) -> None:
    seed.run()

    case = AuthorizationCase.objects.get(student__email="intl-student@example.edu")
    profile = ImmigrationProfile.objects.get(student=case.student)
    items = list(case.items.order_by("position"))
    assert (profile.immigration_status, profile.majors) == ("f1", "Mechanical Engineering")
    assert (case.route, case.state) == ("cpt", "open")
    assert Offer.objects.get(authorization_case=case).status == "accepted"
    assert [i.done_at is not None for i in items] == [True, True, False, False]
    assert [i.verified_by.email if i.verified_by else None for i in items] == [
        "iso@example.edu", None, None, None,
    ]  # fmt: skip


def test_it_starts_the_demo_case_inside_iap(db: None, time_machine) -> None:
    time_machine.move_to("2026-11-28 12:00")

    seed.run()

    case = AuthorizationCase.objects.get()
    assert case.start_date == Offer.objects.get(authorization_case=case).start_date
    assert dt.date(2027, 1, 6) <= case.start_date <= dt.date(2027, 1, 31)


def test_it_seeds_only_once(db: None) -> None:
    seed.run()

    assert seed.run() == []
    assert AuthorizationCase.objects.count() == 1
    assert ImmigrationProfile.objects.count() == 1
