"""Who sees what: the student and the organization's members; everybody else, every staff
role included (staff use the admin), gets 404 (or the login page when signed out). Private
documents are attachments, never sniffed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import Application
from tests.applications import factories


@pytest.fixture
def interview(posting, student):
    application = factories.InterviewingApplicationFactory(posting=posting, student=student)
    return factories.InterviewFactory(application=application)


@pytest.fixture
def document(interview):
    return factories.ResumeMaterialFactory(application=interview.application)


def targets(interview, document):
    application = interview.application
    posting = application.posting
    free = factories.SlotFactory(posting=posting, offered_to=[application])
    return [
        ("get", reverse("applications:detail", args=[application.pk]), {}),
        ("get", reverse("applications:withdraw", args=[application.pk]), {}),
        ("post", reverse("applications:withdraw", args=[application.pk]), {}),
        ("get", reverse("applications:document", args=[document.pk]), {}),
        ("get", reverse("applications:interview_ics", args=[interview.pk]), {}),
        ("post", reverse("applications:interview_book", args=[application.pk]), {"slot": free.pk}),
        ("post", reverse("applications:interview_move", args=[interview.pk]), {"slot": free.pk}),
        ("post", reverse("applications:interview_cancel", args=[interview.pk]), {"message": "x"}),
        ("get", reverse("applications:applicants", args=[posting.pk]), {}),
        ("get", reverse("applications:applicants_csv", args=[posting.pk]), {}),
        (
            "post",
            reverse("applications:applicants_action", args=[posting.pk]),
            {"applications": [application.pk], "action": "not_selected"},
        ),
        ("get", reverse("applications:slots_offer", args=[posting.pk]), {}),
        ("post", reverse("applications:note_add", args=[application.pk]), {"body": "x"}),
    ]


def _call(client, method, url, data):
    return getattr(client, method)(url, data)


@pytest.mark.parametrize("who", ["other_student", "other_employer"])
def test_it_answers_404_to_outsiders_and_changes_nothing(client, request, who, interview, document):
    client.force_login(request.getfixturevalue(who))
    for method, url, data in targets(interview, document):
        response = _call(client, method, url, data)
        assert response.status_code == 404, (method, url, response.status_code)
    application = Application.objects.get(pk=interview.application.pk)
    assert application.status == "interviewing"
    assert interview.application.notes.count() == 0
    interview.refresh_from_db()
    assert interview.status == "booked" and interview.sequence == 0


def test_it_sends_signed_out_visitors_to_the_login_page(client, interview, document):
    for method, url, data in targets(interview, document):
        response = _call(client, method, url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login"))


def test_it_keeps_the_employers_pages_from_the_applicant(client, student, interview, document):
    client.force_login(student)
    posting = interview.application.posting
    for name in ("applicants", "applicants_csv", "slots_offer"):
        assert client.get(reverse(f"applications:{name}", args=[posting.pk])).status_code == 404
    response = client.post(
        reverse("applications:note_add", args=[interview.application.pk]), {"body": "x"}
    )
    assert response.status_code == 404


def test_it_lets_the_student_download_their_document(client, student, document):
    client.force_login(student)
    response = client.get(reverse("applications:document", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_it_serves_documents_as_attachments_never_sniffed(client, employer, document):
    client.force_login(employer)
    response = client.get(reverse("applications:document", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_it_hands_the_file_to_nginx_when_the_setting_is_on(client, employer, document, settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/protected-media/"
    client.force_login(employer)
    response = client.get(reverse("applications:document", args=[document.pk]))
    assert response["X-Accel-Redirect"] == "/protected-media/" + document.file.name
    assert response["Content-Disposition"].startswith("attachment;")


def test_it_has_no_public_url_for_uploaded_files(client, student, document, settings):
    client.force_login(student)
    assert not getattr(settings, "MEDIA_URL", "").strip("/")
    response = client.get("/media/" + document.file.name)
    assert response.status_code == 404


STAFF_ROLES = ["staff", "iso_advisor", "misti_manager", "superuser"]


@pytest.mark.parametrize("who", STAFF_ROLES)
def test_it_answers_404_to_every_staff_role_and_changes_nothing(
    client, request, who, interview, document
):
    client.force_login(request.getfixturevalue(who))
    for method, url, data in targets(interview, document):
        response = _call(client, method, url, data)
        assert response.status_code == 404, (method, url, response.status_code)
    assert Application.objects.get(pk=interview.application.pk).status == "interviewing"
    assert interview.application.notes.count() == 0


def test_it_answers_404_to_an_iso_advisor_on_an_applicants_resume(client, iso_advisor, document):
    client.force_login(iso_advisor)
    response = client.get(reverse("applications:document", args=[document.pk]))
    assert response.status_code == 404


def test_it_never_shows_the_employers_private_notes_to_capd_staff(
    client, staff, employer, application
):
    factories.NoteFactory(
        application=application, author=employer, body="Strong on sensors; ask about Rust."
    )
    client.force_login(staff)
    response = client.get(reverse("applications:detail", args=[application.pk]))
    assert response.status_code == 404
    assert "ask about Rust" not in response.content.decode()


def test_it_shows_the_private_notes_to_the_organization(client, employer, application):
    factories.NoteFactory(
        application=application, author=employer, body="Strong on sensors; ask about Rust."
    )
    client.force_login(employer)
    response = client.get(reverse("applications:detail", args=[application.pk]))
    assert "ask about Rust" in response.content.decode()


@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_it_answers_404_to_staff_who_cancel_an_interview_on_the_site(
    client, request, who, interview
):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("applications:interview_cancel", args=[interview.pk]), {"message": "x"}
    )
    assert response.status_code == 404
    interview.refresh_from_db()
    assert interview.status == "booked"


def test_it_scopes_the_queryset(posting, student, other_student, employer, other_employer):
    mine = factories.ApplicationFactory(posting=posting, student=student)
    theirs = factories.ApplicationFactory(posting=posting, student=other_student)
    elsewhere = factories.ApplicationFactory(student=student)
    assert set(Application.objects.visible_to(student)) == {mine, elsewhere}
    assert set(Application.objects.visible_to(employer)) == {mine, theirs}
    assert set(Application.objects.visible_to(other_employer)) == set()


@pytest.mark.parametrize("who", STAFF_ROLES)
def test_it_scopes_no_application_to_any_staff_role(request, who, application):
    assert not Application.objects.visible_to(request.getfixturevalue(who)).exists()


def test_it_shows_nothing_to_an_anonymous_user(application):
    from django.contrib.auth.models import AnonymousUser

    assert not Application.objects.visible_to(AnonymousUser()).exists()


def test_it_answers_get_on_state_changing_urls_with_405(client, student, interview):
    client.force_login(student)
    for name, pk in (
        ("interview_book", interview.application.pk),
        ("interview_move", interview.pk),
        ("interview_cancel", interview.pk),
    ):
        assert client.get(reverse(f"applications:{name}", args=[pk])).status_code == 405
    interview.refresh_from_db()
    assert interview.status == "booked"


def test_it_names_a_unicode_download_safely(client, student, interview):
    material = factories.ResumeMaterialFactory(
        application=interview.application, original_name="Résumé “final”.pdf"
    )
    client.force_login(student)
    response = client.get(reverse("applications:document", args=[material.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''R%C3%A9sum%C3%A9" in disposition
