"""The one-click unsubscribe page: a GET asks, a POST turns one kind off for one user, with
no sign-in; a link the portal did not make changes nothing."""

from __future__ import annotations

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from microintern.notifications import services
from microintern.notifications.models import NotificationPreference
from microintern.notifications.unsubscribe import SALT, unsubscribe_token
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def omar(db: None):
    return StudentFactory(email="omar@example.edu", full_name="Omar Haddad")


@pytest.fixture
def mail_client() -> Client:
    """What a mail provider or a signed-out user is: no session, CSRF checks on."""
    return Client(enforce_csrf_checks=True)


def link(user, kind: str = "saved_search_alert") -> str:
    token = unsubscribe_token(user_id=user.pk, kind=kind)
    return reverse("notifications:unsubscribe", args=[token])


def emails_off(user) -> list[str]:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.email_off if preference else []


def test_a_get_asks_with_a_button_and_changes_nothing(mail_client: Client, maya) -> None:
    response = mail_client.get(link(maya))

    assert response.status_code == 200
    page = response.content.decode()
    assert "New postings matching your saved searches" in page
    assert '<form method="post">' in page and "Stop these emails" in page
    assert emails_off(maya) == []


def test_a_post_turns_that_kind_off_for_that_user(mail_client: Client, maya, omar) -> None:
    response = mail_client.post(link(maya))

    assert response.status_code == 200
    assert "you will no longer get" in response.content.decode()
    assert emails_off(maya) == ["saved_search_alert"]
    assert emails_off(omar) == []


def test_it_keeps_the_kinds_already_off(mail_client: Client, maya) -> None:
    services.preferences_update(user=maya, email_off=["key_date"], daily_digest=True)

    mail_client.post(link(maya))

    preference = NotificationPreference.objects.get(user=maya)
    assert preference.email_off == ["key_date", "saved_search_alert"]
    assert preference.daily_digest is True


def test_posting_twice_changes_nothing_more(mail_client: Client, maya) -> None:
    mail_client.post(link(maya))
    response = mail_client.post(link(maya))

    assert response.status_code == 200
    assert emails_off(maya) == ["saved_search_alert"]


def test_a_get_after_unsubscribing_says_it_is_off(mail_client: Client, maya) -> None:
    mail_client.post(link(maya))

    page = mail_client.get(link(maya)).content.decode()

    assert "already turned off" in page
    assert "<form" not in page.split("<main", 1)[1]


def test_it_works_whoever_is_signed_in(client: Client, maya, omar) -> None:
    client.force_login(omar)

    client.post(link(maya))

    assert emails_off(maya) == ["saved_search_alert"]
    assert emails_off(omar) == []


def test_a_forged_token_is_refused_and_changes_nothing(mail_client: Client, maya) -> None:
    token = unsubscribe_token(user_id=maya.pk, kind="saved_search_alert")
    payload, rest = token.split(":", 1)
    # The same signature over another user's id: what editing the link would give.
    forged = signing.b64_encode(f'[{maya.pk + 1},"saved_search_alert"]'.encode()).decode()
    url = reverse("notifications:unsubscribe", args=[f"{forged}:{rest}"])

    response = mail_client.post(url)

    assert response.status_code == 400
    assert "This unsubscribe link is not valid. Nothing was changed." in response.content.decode()
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize("token", ["nonsense", "a:b:c", "WzEsIngiXQ:zz:zz", ":::"])
def test_a_garbled_token_answers_400(mail_client: Client, maya, token: str) -> None:
    response = mail_client.post(reverse("notifications:unsubscribe", args=[token]))

    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_a_value_signed_for_another_purpose_is_refused(mail_client: Client, maya) -> None:
    token = signing.dumps([maya.pk, "saved_search_alert"])  # the default salt, not ours
    response = mail_client.post(reverse("notifications:unsubscribe", args=[token]))

    assert response.status_code == 400
    assert emails_off(maya) == []


def test_a_mandatory_kind_cannot_be_turned_off(mail_client: Client, maya) -> None:
    response = mail_client.post(link(maya, kind="offer_extended"))

    assert response.status_code == 400
    assert "cannot be turned off" in response.content.decode()
    assert emails_off(maya) == []


def test_an_unknown_kind_is_refused(mail_client: Client, maya) -> None:
    token = signing.dumps([maya.pk, "no_such_kind"], salt=SALT)
    response = mail_client.post(reverse("notifications:unsubscribe", args=[token]))

    assert response.status_code == 400
    assert emails_off(maya) == []


def test_a_link_for_a_deleted_account_answers_404(mail_client: Client, maya) -> None:
    url = link(maya)
    maya.delete()

    response = mail_client.post(url)

    assert response.status_code == 404
    assert "no longer exists" in response.content.decode()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_only_get_and_post_are_answered(mail_client: Client, maya, method: str) -> None:
    response = getattr(mail_client, method)(link(maya))

    assert response.status_code == 405
    assert emails_off(maya) == []


def test_the_preferences_page_still_checks_csrf(mail_client: Client, maya) -> None:
    mail_client.force_login(maya)

    response = mail_client.post(reverse("notifications:preferences"), {"daily_digest": "on"})

    assert response.status_code == 403
    assert not NotificationPreference.objects.exists()


def test_the_service_refuses_a_mandatory_kind(maya) -> None:
    with pytest.raises(ValueError, match="cannot be turned off"):
        services.preferences_unsubscribe(user=maya, kind="offer_extended")
    assert not NotificationPreference.objects.exists()
