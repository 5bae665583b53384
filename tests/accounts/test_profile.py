"""The student's profile: what they fill in, what is refused, and what an employer will see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from microintern.accounts.models import StudentProfile
from postings.models import FieldOfStudy

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    data = {
        "preferred_name": "May",
        "pronouns": "she/her",
        "degree_level": "undergraduate",
        "majors": ["Physics", "Mathematics"],
        "minor": "Economics",
        "class_year": "2028",
        "graduation_term": "june",
        "summary": "I like magnets.",
        "portfolio_url": "https://may.example.edu",
        "github_url": "https://github.com/may",
        "linkedin_url": "",
        "notify_new_postings": "on",
    }
    data.update(overrides)
    return data


def test_it_is_linked_from_the_students_name_in_the_navigation(student_client):
    html = student_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("accounts:profile")}"' in html


def test_it_shows_the_profile_form_with_labelled_fields(student_client):
    response = student_client.get(reverse("accounts:profile"))
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("preferred_name", "pronouns", "majors", "minor", "class_year", "github_url"):
        assert f'for="id_{name}"' in html
    assert "Physics" in html  # the fields-of-study list, from postings


def test_it_saves_the_profile(student_client, student):
    response = student_client.post(reverse("accounts:profile"), profile_data())
    assert response.status_code == 302
    profile = StudentProfile.objects.get(user=student)
    assert profile.major_list() == ["Physics", "Mathematics"]
    assert (profile.minor, profile.class_year, profile.graduation_term) == (
        "Economics",
        2028,
        "june",
    )
    assert profile.github_url == "https://github.com/may"
    assert profile.notify_new_postings is True


def test_it_creates_the_profile_of_a_student_who_has_none(client):
    from tests.factories import UserFactory

    newcomer = UserFactory(email="new@example.edu")
    client.force_login(newcomer)
    response = client.post(reverse("accounts:profile"), profile_data())
    assert response.status_code == 302
    assert newcomer.student_profile.preferred_name == "May"


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "ftp://files.example.com/cv", "data:text/html,hi"]
)
def test_it_refuses_a_link_that_is_not_http(student_client, student, link):
    before = StudentProfile.objects.get(user=student).github_url
    response = student_client.post(reverse("accounts:profile"), profile_data(github_url=link))
    assert response.status_code == 400
    assert "https://" in response.content.decode()
    profile = StudentProfile.objects.get(user=student)
    assert profile.github_url == before and profile.preferred_name == ""


def test_it_refuses_a_major_that_is_not_in_the_list(student_client, student):
    response = student_client.post(reverse("accounts:profile"), profile_data(majors=["Astrology"]))
    assert response.status_code == 400
    assert StudentProfile.objects.get(user=student).field_of_study == "Computer Science"


def test_it_keeps_a_major_the_list_has_since_dropped(student_client, student):
    FieldOfStudy.objects.filter(name="Computer Science").delete()
    html = student_client.get(reverse("accounts:profile")).content.decode()
    assert '<option value="Computer Science" selected>' in html


def test_it_keeps_what_was_typed_when_the_form_fails(student_client):
    response = student_client.post(
        reverse("accounts:profile"), profile_data(class_year="1800", summary="Kept text")
    )
    assert response.status_code == 400
    assert "Kept text" in response.content.decode()


def test_a_get_never_changes_the_profile(student_client, student):
    student_client.get(reverse("accounts:profile"), profile_data())
    assert StudentProfile.objects.get(user=student).preferred_name == ""


def test_it_answers_404_to_an_employer(client, employer):
    client.force_login(employer)
    assert client.get(reverse("accounts:profile")).status_code == 404
    assert client.get(reverse("accounts:profile_preview")).status_code == 404


def test_the_preview_shows_what_an_employer_sees(student_client, student):
    student_client.post(reverse("accounts:profile"), profile_data())
    html = student_client.get(reverse("accounts:profile_preview")).content.decode()
    assert "May" in html and "she/her" in html
    assert "Physics, Mathematics" in html and "2028" in html
    assert 'href="https://github.com/may"' in html


def test_the_preview_shows_no_immigration_data(client, intl_student):
    client.force_login(intl_student)
    html = client.get(reverse("accounts:profile_preview")).content.decode().lower()
    assert "f-1" not in html and "f1" not in html and "visa" not in html


def test_the_account_pages_share_the_portals_layout_and_link_back(student_client):
    html = student_client.get(reverse("account_email")).content.decode()
    assert 'aria-label="Your account"' in html
    assert f'href="{reverse("accounts:profile")}"' in html
    assert f'href="{reverse("accounts:documents")}"' in html
    assert f'href="{reverse("mfa_index")}"' in html
    assert "CAPD Micro-internships" in html


def test_the_password_page_has_the_account_navigation_too(student_client):
    html = student_client.get(reverse("account_change_password")).content.decode()
    assert 'aria-label="Your account"' in html and 'aria-current="page"' in html
