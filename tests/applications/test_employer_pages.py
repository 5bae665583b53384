"""The employer's side: applicants per posting with filters and search, materials, moves
of one or many, "not selected" with a message, private notes, CSV, a fixed query count."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import ApplicationNote, ApplicationStatus
from microintern.notifications.models import Notification
from tests.applications import factories


@pytest.fixture
def employer_client(client, employer):
    client.force_login(employer)
    return client


def applicants_url(posting):
    return reverse("applications:applicants", args=[posting.pk])


def action_url(posting):
    return reverse("applications:applicants_action", args=[posting.pk])


def test_it_lists_the_applicants_of_the_posting_only(employer_client, posting, cycle):
    factories.SubmittedApplicationFactory(posting=posting, student__full_name="Ada Lovelace")
    factories.SubmittedApplicationFactory(student__full_name="Someone Elsewhere")
    html = employer_client.get(applicants_url(posting)).content.decode()
    assert "Ada Lovelace" in html
    assert "Someone Elsewhere" not in html
    assert html.count("<h1") == 1


def test_it_filters_by_status(employer_client, posting):
    factories.SubmittedApplicationFactory(posting=posting, student__full_name="Ada Lovelace")
    factories.InterviewingApplicationFactory(posting=posting, student__full_name="Grace Hopper")
    html = employer_client.get(applicants_url(posting), {"status": "interviewing"}).content.decode()
    assert "Grace Hopper" in html and "Ada Lovelace" not in html


def test_it_searches_by_name(employer_client, posting):
    factories.SubmittedApplicationFactory(posting=posting, student__full_name="Ada Lovelace")
    factories.SubmittedApplicationFactory(posting=posting, student__full_name="Grace Hopper")
    html = employer_client.get(applicants_url(posting), {"q": "lovel"}).content.decode()
    assert "Ada Lovelace" in html and "Grace Hopper" not in html


def test_it_shows_each_applicants_materials_and_notes(employer_client, posting):
    application = factories.SubmittedApplicationFactory(posting=posting)
    document = factories.ResumeMaterialFactory(application=application)
    factories.NoteFactory(application=application, body="Call back Tuesday")
    html = employer_client.get(
        reverse("applications:detail", args=[application.pk])
    ).content.decode()
    assert reverse("applications:document", args=[document.pk]) in html
    assert "Call back Tuesday" in html
    assert application.cover_letter_text in html


def test_it_moves_the_ticked_applicants_to_their_next_stage(employer_client, posting):
    first = factories.SubmittedApplicationFactory(posting=posting)
    second = factories.UnderReviewApplicationFactory(posting=posting)
    untouched = factories.SubmittedApplicationFactory(posting=posting)
    employer_client.post(
        action_url(posting), {"applications": [first.pk, second.pk], "action": "next"}
    )
    for row in (first, second, untouched):
        row.refresh_from_db()
    assert first.status == ApplicationStatus.UNDER_REVIEW
    assert second.status == ApplicationStatus.INTERVIEWING
    assert untouched.status == ApplicationStatus.SUBMITTED


def test_it_marks_many_not_selected_with_one_message(employer_client, posting):
    rows = factories.SubmittedApplicationFactory.create_batch(2, posting=posting)
    employer_client.post(
        action_url(posting),
        {
            "applications": [r.pk for r in rows],
            "action": "not_selected",
            "message": "We had many strong applicants.",
        },
    )
    for row in rows:
        row.refresh_from_db()
        assert row.status == ApplicationStatus.NOT_SELECTED
        assert row.status_changes.get().message_to_student == "We had many strong applicants."
    assert Notification.objects.filter(kind="application_status_changed").count() == 2


def test_it_ignores_applications_of_other_postings_in_a_bulk_action(employer_client, posting):
    foreign = factories.SubmittedApplicationFactory()
    response = employer_client.post(
        action_url(posting), {"applications": [foreign.pk], "action": "next"}
    )
    foreign.refresh_from_db()
    assert foreign.status == ApplicationStatus.SUBMITTED
    assert response.status_code == 302


def test_it_explains_a_refused_move(employer_client, posting):
    final = factories.WithdrawnApplicationFactory(posting=posting)
    response = employer_client.post(
        action_url(posting), {"applications": [final.pk], "action": "next"}, follow=True
    )
    assert "Nothing changed" in response.content.decode()


def test_it_adds_a_private_note(employer_client, employer, application):
    employer_client.post(
        reverse("applications:note_add", args=[application.pk]), {"body": "Great portfolio"}
    )
    note = ApplicationNote.objects.get()
    assert (note.body, note.author) == ("Great portfolio", employer)


def test_it_exports_the_applicants_as_csv(employer_client, posting):
    factories.SubmittedApplicationFactory(
        posting=posting, student__full_name="=HYPERLINK(evil)", student__email="x@example.edu"
    )
    response = employer_client.get(reverse("applications:applicants_csv", args=[posting.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Name", "Email", "Status"]
    assert rows[1][0] == "'=HYPERLINK(evil)"
    assert rows[1][2] == "Submitted"


def _count_queries(client, posting) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(applicants_url(posting))
    assert response.status_code == 200
    return len(context.captured_queries)


def test_it_lists_500_applicants_in_as_many_queries_as_5(
    employer_client, posting, django_assert_num_queries
):
    for _ in range(5):
        application = factories.InterviewingApplicationFactory(posting=posting)
        factories.InterviewFactory(application=application)
    few = _count_queries(employer_client, posting)
    students = factories.StudentFactory.create_batch(495)
    from applications.models import Application

    Application.objects.bulk_create(
        Application(posting=posting, student=s, status=ApplicationStatus.SUBMITTED)
        for s in students
    )
    # 1 session, 2 user, 3 membership with organization, 4 posting, 5 status counts,
    # 6 the page's count, 7 the page of applicants (student and next interview joined in),
    # 8 unread notifications (menu).
    assert few == 8
    with django_assert_num_queries(8):
        response = employer_client.get(applicants_url(posting))
    page = response.content.decode()
    assert page.count('name="applications"') == 100  # a page at a time
    assert "Applicants 1–100 of 500" in page
    last = employer_client.get(applicants_url(posting), {"page": 5}).content.decode()
    assert last.count('name="applications"') == 100 and "Applicants 401–500 of 500" in last


def test_it_takes_the_ticked_applicants_to_the_interview_times_page(employer_client, posting):
    rows = factories.InterviewingApplicationFactory.create_batch(2, posting=posting)
    response = employer_client.post(
        action_url(posting), {"applications": [r.pk for r in rows], "action": "offer_times"}
    )
    assert response.status_code == 302
    page = employer_client.get(response["Location"]).content.decode()
    assert page.count("checked") == 2


def test_it_exports_only_the_filtered_applicants(employer_client, posting):
    factories.SubmittedApplicationFactory(posting=posting, student__full_name="Ada Lovelace")
    factories.InterviewingApplicationFactory(posting=posting, student__full_name="Grace Hopper")
    url = reverse("applications:applicants_csv", args=[posting.pk])
    content = employer_client.get(url, {"status": "interviewing"}).content.decode()
    assert "Grace Hopper" in content and "Ada Lovelace" not in content
