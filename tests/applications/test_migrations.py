"""applications 0005: each student's resume on file becomes their default library resume (the
same stored file), and applications sent before snapshots get one from the profile."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.applications import factories

BEFORE = [("applications", "0004_recent_index")]
AFTER = [("applications", "0005_profile_snapshot_and_library_resumes")]


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets) -> Apps:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest() -> Iterator[None]:
    yield
    migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_the_resume_on_file_becomes_the_default_library_resume(back_to_latest: None) -> None:
    student = factories.StudentFactory(email="kept@example.edu")
    application = factories.SubmittedApplicationFactory(student=student)
    old = migrate(BEFORE)
    old.get_model("applications", "ResumeOnFile").objects.create(
        student_id=student.pk,
        file="applications/2026/01/abc.pdf",
        original_name="cv.pdf",
        size=1234,
    )

    new = migrate(AFTER)

    document = new.get_model("accounts", "Document").objects.get(student_id=student.pk)
    assert (document.kind, document.is_default, document.original_name) == (
        "resume",
        True,
        "cv.pdf",
    )
    assert document.file.name == "applications/2026/01/abc.pdf" and document.size == 1234
    snapshot = new.get_model("applications", "Application").objects.get(pk=application.pk)
    assert snapshot.profile_snapshot["majors"] == ["Computer Science"]
    assert snapshot.profile_snapshot["class_year"] == 2028
