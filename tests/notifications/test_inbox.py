"""The in-app inbox and the preferences page."""

import pytest
from django.urls import reverse

from microintern.accounts.models import User
from microintern.notifications import services
from microintern.notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice@example.edu", "pw", full_name="Alice Example")


@pytest.fixture
def bob(db):
    return User.objects.create_user("bob@example.edu", "pw", full_name="Bob Example")


def notify(user, key):
    return services.notify(recipient=user, kind="test_message", dedup_key=key, url="/")


def test_it_lists_only_my_notifications(client, alice, bob):
    notify(alice, "a:1")
    notify(bob, "b:1")
    client.force_login(alice)
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == list(
        Notification.objects.filter(recipient=alice)
    )


def test_the_navigation_shows_the_unread_count(client, alice):
    notify(alice, "a:1")
    notify(alice, "a:2")
    client.force_login(alice)
    response = client.get(reverse("home"))
    assert '2<span class="visually-hidden"> unread</span>' in response.content.decode()


def test_marking_read_needs_a_post(client, alice):
    notification = notify(alice, "a:1")
    client.force_login(alice)
    response = client.get(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_i_can_mark_my_notification_read(client, alice):
    notification = notify(alice, "a:1")
    client.force_login(alice)
    client.post(reverse("notifications:mark_read", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_a_notification_goes_to_its_page(client, alice):
    notification = notify(alice, "a:1")
    client.force_login(alice)
    response = client.post(
        reverse("notifications:mark_read", args=[notification.pk]), {"open": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_i_cannot_touch_someone_elses_notification(client, alice, bob):
    notification = notify(bob, "b:1")
    client.force_login(alice)
    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_only_mine(client, alice, bob):
    notify(alice, "a:1")
    notify(bob, "b:1")
    client.force_login(alice)
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).exists()


def test_the_inbox_needs_a_login(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_preferences_page_does_not_offer_mandatory_kinds(client, alice):
    client.force_login(alice)
    response = client.get(reverse("notifications:preferences"))
    keys = [key for key, _ in response.context["form"].fields["email_on"].choices]
    assert "interview_reminder" in keys
    assert "offer_decision_reminder" not in keys
    assert "authorization_item_due" not in keys


def test_saving_preferences_turns_off_the_unticked_kinds(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("notifications:preferences"),
        {"email_on": ["interview_booked"], "daily_digest": "on"},
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=alice)
    assert "interview_booked" not in preference.email_off
    assert "interview_reminder" in preference.email_off
    assert preference.daily_digest is True


@pytest.mark.parametrize(
    ("role", "offered", "not_offered"),
    [
        ("student", "saved_search_alert", "application_received"),
        ("employer", "application_received", "saved_search_alert"),
    ],
)
def test_the_preferences_page_offers_only_what_the_user_can_receive(
    client, db, role, offered, not_offered
):
    user = User.objects.create_user(f"{role}@example.edu", "pw", full_name="Pat", role=role)
    client.force_login(user)
    response = client.get(reverse("notifications:preferences"))
    keys = [key for key, _ in response.context["form"].fields["email_on"].choices]
    assert offered in keys
    assert "interview_reminder" in keys  # both sides get these
    assert not_offered not in keys
