"""A student signs up in a real browser, confirms the address from the email, and lands on
the home page signed in, with the cycle's key dates in front of them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from microintern.accounts.models import User
from microintern.cycles.models import RecruitingCycle
from microintern.notifications.services import outbox_sweep

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Correct-Horse-Battery-42"


def confirmation_path() -> str:
    outbox_sweep()  # what the worker does after the sign-up request committed
    assert len(mail.outbox) == 1, [message.subject for message in mail.outbox]
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return urlsplit(match.group(0)).path


def test_it_signs_up_a_student_from_the_home_page_to_the_key_dates(
    live_server: LiveServer, checked_page: Page, iap_2027: RecruitingCycle
) -> None:
    page = checked_page

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Key dates: IAP 2027")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Create an account").click()

    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    page.get_by_label("I am a student looking for a micro-internship").check()
    page.get_by_label("Full name").fill("Maya Chen")
    page.get_by_label("Email").fill("maya@cs.example.edu")
    page.get_by_label(re.compile(r"^\s*Password\W*$")).fill(PASSWORD)  # "Password*"
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.get_by_role("heading", name=re.compile("Verify your email", re.I))).to_be_visible()

    page.goto(live_server.url + confirmation_path())
    expect(
        page.get_by_role("heading", name=re.compile("Confirm email address", re.I))
    ).to_be_visible()
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", name="Welcome, Maya")).to_be_visible()
    expect(page.get_by_role("heading", name="Key dates: IAP 2027")).to_be_visible()
    expect(page.get_by_text("(Jan 6 to Jan 31, 2027)")).to_be_visible()
    expect(page.get_by_text("Jan 6 – Jan 31, 2027")).to_be_visible()
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()
    assert User.objects.get(email="maya@cs.example.edu").emailaddress_set.get().verified
