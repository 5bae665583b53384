"""The undecided sweep: applications still undecided some days after their posting
closed become "not selected", and the students are told. Safe to run twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from applications import services, tasks
from applications.models import ApplicationStatus, ApplicationStatusChange
from microintern.core.models import ProgramSettings
from microintern.notifications.models import Notification
from postings.models import PostingStatus
from tests.applications import factories


@pytest.fixture
def closed_posting(posting):
    type(posting).objects.filter(pk=posting.pk).update(
        status=PostingStatus.CLOSED, closed_at=timezone.now() - dt.timedelta(days=15)
    )
    posting.refresh_from_db()
    return posting


def test_it_closes_undecided_applications_after_the_period(closed_posting):
    waiting = factories.UnderReviewApplicationFactory(posting=closed_posting)
    assert services.applications_close_undecided() == 1
    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.NOT_SELECTED
    change = ApplicationStatusChange.objects.get(application=waiting)
    assert change.from_status == ApplicationStatus.UNDER_REVIEW and change.by is None
    assert "14 days" in change.message_to_student


def test_it_tells_the_student(closed_posting):
    waiting = factories.SubmittedApplicationFactory(posting=closed_posting)
    services.applications_close_undecided()
    assert Notification.objects.filter(
        recipient=waiting.student, kind="application_status_changed"
    ).exists()


def test_it_leaves_decided_and_offered_applications_alone(closed_posting):
    offered = factories.OfferedApplicationFactory(posting=closed_posting)
    hired = factories.HiredApplicationFactory(posting=closed_posting)
    services.applications_close_undecided()
    offered.refresh_from_db()
    hired.refresh_from_db()
    assert (offered.status, hired.status) == (ApplicationStatus.OFFERED, ApplicationStatus.HIRED)


def test_it_waits_for_the_period_to_pass(posting):
    type(posting).objects.filter(pk=posting.pk).update(
        status=PostingStatus.CLOSED, closed_at=timezone.now() - dt.timedelta(days=13)
    )
    factories.SubmittedApplicationFactory(posting=posting)
    assert services.applications_close_undecided() == 0


def test_it_reads_the_period_from_the_program_settings(posting):
    settings_row = ProgramSettings.load()
    settings_row.undecided_close_days = 3
    settings_row.save()
    type(posting).objects.filter(pk=posting.pk).update(
        status=PostingStatus.CLOSED, closed_at=timezone.now() - dt.timedelta(days=4)
    )
    factories.SubmittedApplicationFactory(posting=posting)
    assert services.applications_close_undecided() == 1


def test_it_ignores_open_postings(posting):
    factories.SubmittedApplicationFactory(posting=posting)
    assert services.applications_close_undecided() == 0


def test_it_can_run_twice(closed_posting):
    factories.InterviewingApplicationFactory(posting=closed_posting)
    assert tasks.close_undecided() == 1
    assert tasks.close_undecided() == 0
    assert ApplicationStatusChange.objects.count() == 1


def test_it_is_scheduled_daily_by_beat(db):
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    migration = importlib.import_module("applications.migrations.0002_close_undecided_schedule")
    migration.add_schedule(apps, None)  # idempotent: the migration already ran it once
    task = PeriodicTask.objects.get(task="applications.close_undecided")
    assert task.crontab.hour == "6" and task.enabled
