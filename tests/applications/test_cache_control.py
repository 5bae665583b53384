"""Applicant data for a signed-in user is never stored by a browser or proxy: the applicants
CSV and document downloads say Cache-Control: no-store."""

from __future__ import annotations

from django.urls import reverse

from tests.applications import factories


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_it_tells_caches_not_to_store_the_applicants_csv(client, employer, application):
    client.force_login(employer)

    response = client.get(reverse("applications:applicants_csv", args=[application.posting_id]))

    assert response.status_code == 200
    assert {"no-store", "private"} <= cache_directives(response)


def test_it_tells_caches_not_to_store_a_document_download(client, employer, application):
    document = factories.ResumeMaterialFactory(application=application)
    client.force_login(employer)

    response = client.get(reverse("applications:document", args=[document.pk]))

    assert response.status_code == 200
    assert {"no-store", "private"} <= cache_directives(response)


def test_it_tells_caches_not_to_store_an_interview_invitation(client, student, application):
    interview = factories.InterviewFactory(application=application)
    client.force_login(student)

    response = client.get(reverse("applications:interview_ics", args=[interview.pk]))

    assert response.status_code == 200
    assert {"no-store", "private"} <= cache_directives(response)


def test_it_tells_caches_not_to_store_the_applicants_page(client, employer, application):
    client.force_login(employer)

    response = client.get(reverse("applications:applicants", args=[application.posting_id]))

    assert {"no-store", "private"} <= cache_directives(response)
