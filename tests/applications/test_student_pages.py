"""The student's pages: apply, my applications, an application with its timeline,
withdraw. A GET never changes anything."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, ApplicationStatus
from microintern.core.models import ProgramSettings
from tests.applications import factories
from tests.applications.conftest import media_files
from tests.applications.factories import pdf_upload


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


def apply_url(posting):
    return reverse("applications:apply", args=[posting.pk])


def post_application(client, posting, **extra):
    data = {"cover_letter_text": "Dear team", "resume": pdf_upload(), **extra}
    return client.post(apply_url(posting), data)


def test_it_shows_the_apply_form_with_labelled_fields(student_client, posting):
    response = student_client.get(apply_url(posting))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'for="id_resume"' in html and 'for="id_cover_letter_text"' in html
    assert 'enctype="multipart/form-data"' in html


def test_it_applies_and_lands_on_the_application(student_client, posting, student):
    response = post_application(student_client, posting)
    application = Application.objects.get(student=student)
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[application.pk])


def test_it_shows_a_double_submit_as_the_existing_application(student_client, posting, student):
    post_application(student_client, posting)
    response = post_application(student_client, posting)
    application = Application.objects.get(student=student)
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    assert Application.objects.count() == 1


def test_it_redirects_the_apply_page_to_an_existing_application(student_client, application):
    response = student_client.get(apply_url(application.posting))
    assert response["Location"] == reverse("applications:detail", args=[application.pk])


def test_it_puts_a_bad_file_error_on_its_field(student_client, posting, media_root):
    response = post_application(
        student_client, posting, resume=pdf_upload("cv.pdf", b"<html>not a pdf</html>")
    )
    assert response.status_code == 400
    assert "not a PDF" in response.content.decode()
    assert not Application.objects.exists()
    assert media_files(media_root) == []


def test_it_shows_capds_advice_and_contact_before_an_unpaid_application(student_client, posting):
    type(posting).objects.filter(pk=posting.pk).update(is_paid=False, unpaid_approved=True)
    program = ProgramSettings.load()
    html = student_client.get(apply_url(posting)).content.decode()
    assert program.capd_contact_name in html and program.capd_contact_email in html
    assert 'name="unpaid_guidance_read"' in html


def test_it_refuses_an_unpaid_application_without_the_tick(student_client, posting):
    type(posting).objects.filter(pk=posting.pk).update(is_paid=False, unpaid_approved=True)
    response = post_application(student_client, posting)
    assert response.status_code == 400
    assert "tick that you have read" in response.content.decode()
    assert not Application.objects.exists()


def test_it_shows_the_misti_guidance_for_a_global_posting(student_client, posting):
    type(posting).objects.filter(pk=posting.pk).update(is_global=True, country="France")
    html = student_client.get(apply_url(posting)).content.decode()
    assert ProgramSettings.load().misti_contact_email in html


def test_it_shows_a_clear_message_after_the_deadline(student_client, posting, media_root):
    import datetime as dt

    from django.utils import timezone

    # The deadline passes while the student fills in the form (the sweep has not run yet).
    type(posting).objects.filter(pk=posting.pk).update(
        deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    response = post_application(student_client, posting)
    assert response.status_code == 410
    assert (
        "are closed" in response.content.decode()
        and "Nothing was sent" in response.content.decode()
    )
    assert not Application.objects.exists()
    assert media_files(media_root) == []


def test_it_answers_404_for_a_posting_never_published(student_client, org_a, cycle):
    draft = factories.PublishedPostingFactory(organization=org_a, status="draft", published_at=None)
    assert student_client.get(apply_url(draft)).status_code == 404


def test_it_tells_the_student_the_deadline_passed_while_the_form_was_open(
    student_client, posting, monkeypatch
):
    from applications.services import submissions as module
    from postings.models import PostingStatus

    original = module._validate_submission

    def close_meanwhile(*args, **kwargs):
        type(posting).objects.filter(pk=posting.pk).update(status=PostingStatus.CLOSED)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, "_validate_submission", close_meanwhile)
    response = post_application(student_client, posting)
    assert response.status_code == 400
    assert "closed at its deadline" in response.content.decode()
    assert not Application.objects.exists()


def test_it_offers_apply_on_the_posting_page(student_client, posting):
    html = student_client.get(reverse("postings:detail", args=[posting.pk])).content.decode()
    assert apply_url(posting) in html


def test_it_offers_the_application_on_the_posting_page_once_applied(student_client, application):
    html = student_client.get(
        reverse("postings:detail", args=[application.posting.pk])
    ).content.decode()
    assert "View your application" in html
    assert apply_url(application.posting) not in html


def test_it_lists_every_application_with_its_state(student_client, student, cycle):
    factories.InterviewingApplicationFactory(student=student, posting__title="Robot arm")
    factories.NotSelectedApplicationFactory(student=student, posting__title="Web shop")
    factories.SubmittedApplicationFactory(posting__title="Not mine")
    html = student_client.get(reverse("applications:mine")).content.decode()
    assert "Robot arm" in html and "Interviewing" in html
    assert "Web shop" in html and "Not selected" in html
    assert "Not mine" not in html


def test_it_shows_the_timeline_and_what_was_sent(student_client, posting, student, employer):
    application = services.application_submit(
        posting=posting, student=student, resume=pdf_upload("cv.pdf"), cover_letter_text="Hi"
    )
    services.application_move(applications=application, by=employer)
    services.application_reject(applications=application, by=employer, message="Thanks a lot")
    html = student_client.get(
        reverse("applications:detail", args=[application.pk])
    ).content.decode()
    assert "Application sent" in html and "Under review" in html and "Not selected" in html
    assert "Thanks a lot" in html
    assert "cv.pdf" in html
    assert " EST" in html or " EDT" in html


def test_it_never_shows_private_notes_to_the_student(student_client, application, employer):
    services.application_note_add(application=application, by=employer, body="SECRET-NOTE")
    html = student_client.get(
        reverse("applications:detail", args=[application.pk])
    ).content.decode()
    assert "SECRET-NOTE" not in html


def test_it_asks_for_confirmation_before_withdrawing(student_client, application):
    response = student_client.get(reverse("applications:withdraw", args=[application.pk]))
    assert response.status_code == 200
    assert "Yes, withdraw" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_it_withdraws_on_post(student_client, application):
    student_client.post(
        reverse("applications:withdraw", args=[application.pk]), {"reason": "Found another"}
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.status_changes.get().message_to_student == "Found another"


def test_it_needs_csrf_to_withdraw(student, application):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    response = client.post(reverse("applications:withdraw", args=[application.pk]))
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_it_refuses_a_request_with_too_many_files(student_client, posting, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = {f"material_{i}": pdf_upload(f"f{i}.pdf") for i in range(3)}
    response = student_client.post(apply_url(posting), {"cover_letter_text": "x", **files})
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_it_tells_the_employer_when_the_student_withdraws(student_client, application, employer):
    from microintern.notifications.models import Notification

    student_client.post(
        reverse("applications:withdraw", args=[application.pk]), {"reason": "Found another"}
    )
    notification = Notification.objects.get(kind="application_withdrawn")
    assert notification.recipient == employer
    assert "Found another" in notification.body_text
    assert notification.email_state != "failed", notification.last_error
