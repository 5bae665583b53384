"""The demo seed: applications in several states, one booked interview for the demo
student, and nothing new on a second run."""

from __future__ import annotations

from applications.models import Application, Interview
from microintern.portal.demo import seed


def test_it_seeds_applications_in_several_states_with_a_booked_interview(db):
    seed.run()
    mine = Application.objects.filter(student__email="student@example.edu")
    assert {a.status for a in mine} >= {"interviewing", "under_review", "not_selected"}
    assert Interview.objects.filter(
        application__student__email="student@example.edu", status="booked"
    ).exists()


def test_it_creates_nothing_on_a_second_run(db):
    seed.run()
    counts = (Application.objects.count(), Interview.objects.count())
    seed.run()
    assert (Application.objects.count(), Interview.objects.count()) == counts
