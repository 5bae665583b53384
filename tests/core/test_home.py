"""The home page: the cycle's key dates for everybody, where a student stands, and what an
employer does next."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from microintern.accounts.models import User
from microintern.cycles.models import RecruitingCycle

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 12, tzinfo=NEW_YORK)


def text_of(html: str) -> str:
    """The page's text with tags removed and white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def step_marked_now(html: str) -> str | None:
    match = re.search(r'<li class="now">(.*?)</li>', html, re.DOTALL)
    return text_of(match.group(1)) if match else None


def home(client: Client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.usefixtures("iap_2027")
def test_it_shows_a_visitor_the_key_dates_of_the_current_cycle(client: Client) -> None:
    page = text_of(home(client))

    assert "Key dates: IAP 2027" in page
    for shown in ["Sep 16, 2026", "Oct 11, 2026", "Oct 25, 2026", "Nov 1, 2026"]:
        assert shown in page
    assert "Jan 6 – Jan 31, 2027" in page
    assert "(Jan 6 to Jan 31, 2027)" in page


@pytest.mark.usefixtures("iap_2027")
def test_it_invites_a_visitor_to_create_an_account(client: Client) -> None:
    html = home(client)

    signup_link = rf'<a [^>]*href="{reverse("account_signup")}"[^>]*>\s*Create an account\s*</a>'
    assert re.search(signup_link, html)
    assert f'href="{reverse("account_login")}"' in html


def test_it_says_when_no_cycle_is_published(client: Client) -> None:
    page = text_of(home(client))

    assert "The recruiting calendar for this year has not been published yet." in page
    assert "Key dates" in page


def test_it_shows_the_current_cycle_and_not_a_past_one(
    client: Client, iap_2027: RecruitingCycle
) -> None:
    RecruitingCycle.objects.create(**RecruitingCycle.defaults_for_iap_year(2026), is_current=False)

    page = text_of(home(client))

    assert "Key dates: IAP 2027" in page
    assert "IAP 2026" not in page


@pytest.mark.usefixtures("iap_2027")
def test_it_marks_where_a_student_is_in_the_cycle(
    client: Client, student: User, time_machine
) -> None:
    time_machine.move_to(at(2026, 10, 15), tick=False)
    client.force_login(student)

    html = home(client)

    assert step_marked_now(html) == (
        "Oct 11, 2026 Now Interviews begin "
        "Employers begin interviewing candidates. Dates are recommendations."
    )
    assert "Today, October 15: you are at the step marked “Now”." in text_of(html)


@pytest.mark.usefixtures("iap_2027")
def test_it_tells_a_student_when_postings_go_live_before_the_cycle(
    client: Client, student: User, time_machine
) -> None:
    time_machine.move_to(at(2026, 8, 20), tick=False)
    client.force_login(student)

    html = home(client)

    assert step_marked_now(html) is None
    assert "The cycle has not started yet: postings go live on Wednesday, September 16." in text_of(
        html
    )


@pytest.mark.usefixtures("iap_2027")
def test_it_tells_a_student_when_the_cycle_is_over(
    client: Client, student: User, time_machine
) -> None:
    time_machine.move_to(at(2027, 2, 3), tick=False)
    client.force_login(student)

    html = home(client)

    assert step_marked_now(html) is None
    assert "This cycle is over. The next one starts in September." in text_of(html)


@pytest.mark.usefixtures("iap_2027")
def test_it_greets_a_signed_in_student_by_first_name(client: Client, student: User) -> None:
    client.force_login(student)

    page = text_of(home(client))

    assert "Welcome, Maya" in page
    assert "Create an account" not in page
    assert "How it works" in page
    assert "How to post a micro-internship" not in page


@pytest.mark.usefixtures("iap_2027")
def test_it_shows_an_employer_how_to_post(client: Client, employer: User) -> None:
    client.force_login(employer)

    page = text_of(home(client))

    assert "How to post a micro-internship" in page
    assert "interview from Oct 11" in page
    assert "How it works" not in page
    assert "you are at the step marked" not in page


def test_it_refuses_post(client: Client) -> None:
    response = client.post(reverse("home"))

    assert response.status_code == 405
