"""Who sees immigration data, and the access log of everyone but the student who looks.

The cast: the student (owner), another student, an employer, CAPD staff (group "CAPD staff"),
an ISO advisor and a superuser. Each page answers what the matrix says, and writes (or does
not write) one access-log entry saying who looked at whose data and whether it was allowed.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from authorization import services
from authorization.models import AccessLogEntry, AppendOnlyError, AuthorizationCase
from tests.authorization.helpers import make_profile, pdf_bytes, upload

CAST = ["intl_student", "other_student", "employer", "staff", "iso_advisor", "superuser"]

# What each member of the cast gets, and the log entry written: True (allowed), False
# (refused) or None (no entry: the student themself, or someone the admin turns away at its
# login page before any data is touched).
OBJECT_PAGE = {  # the case page and the document download
    "intl_student": (200, None),
    "other_student": (404, False),
    "employer": (404, False),
    "staff": (404, False),
    "iso_advisor": (200, True),
    "superuser": (200, True),
}
ADMIN_PAGE = {
    "intl_student": (302, None),
    "other_student": (302, None),
    "employer": (302, None),
    "staff": (403, False),
    "iso_advisor": (200, True),
    "superuser": (200, True),
}


@pytest.fixture
def case_with_document(case: AuthorizationCase, intl_student) -> AuthorizationCase:
    item = case.items.order_by("position").first()
    services.checklist_item_attach_document(
        item=item, student=intl_student, upload=upload(pdf_bytes())
    )
    return case


def _first_item_pk(case: AuthorizationCase) -> int:
    return case.items.order_by("position").first().pk


def _document_url(case: AuthorizationCase) -> str:
    return reverse("authorization:document", args=[_first_item_pk(case)])


def _profile_admin_url(case: AuthorizationCase) -> str:
    return reverse(
        "admin:authorization_immigrationprofile_change", args=[case.student.immigration_profile.pk]
    )


PAGES: dict[str, tuple[Callable[[AuthorizationCase], str], dict, str]] = {
    "case page": (lambda c: reverse("authorization:case", args=[c.pk]), OBJECT_PAGE, "case"),
    "document": (_document_url, OBJECT_PAGE, "document"),
    "admin case list": (
        lambda c: reverse("admin:authorization_authorizationcase_changelist"),
        ADMIN_PAGE,
        "case_list",
    ),
    "admin case": (
        lambda c: reverse("admin:authorization_authorizationcase_change", args=[c.pk]), ADMIN_PAGE,
        "case",
    ),
    "admin profile list": (
        lambda c: reverse("admin:authorization_immigrationprofile_changelist"), ADMIN_PAGE,
        "profile_list",
    ),
    "admin profile": (_profile_admin_url, ADMIN_PAGE, "profile"),
    "admin checklist item": (
        lambda c: reverse("admin:authorization_checklistitem_change", args=[_first_item_pk(c)]),
        ADMIN_PAGE,
        "checklist_item",
    ),
}  # fmt: skip

MATRIX = [pytest.param(page, who, id=f"{page}-{who}") for page in PAGES for who in CAST]


@pytest.mark.parametrize(("page", "who"), MATRIX)
def test_it_shows_immigration_data_only_to_the_student_iso_and_superusers(
    client: Client,
    case_with_document: AuthorizationCase,
    other_student,
    employer,
    staff,
    superuser,
    page: str,
    who: str,
    request: pytest.FixtureRequest,
) -> None:
    url_for, expectations, object_type = PAGES[page]
    status, logged = expectations[who]
    viewer = request.getfixturevalue(who)
    client.force_login(viewer)

    response = client.get(url_for(case_with_document))

    assert response.status_code == status
    entries = AccessLogEntry.objects.filter(actor=viewer)
    if logged is None:
        assert not entries.exists()
    else:
        entry = entries.get()
        assert (entry.allowed, entry.object_type, entry.actor_email) == (
            logged, object_type, viewer.email,
        )  # fmt: skip
        if not object_type.endswith("_list"):
            assert entry.student == case_with_document.student
        assert entry.ip_address == "127.0.0.1"


@pytest.mark.parametrize("who", CAST)
def test_it_keeps_the_profile_page_to_the_student_themself(
    client: Client, intl_student, other_student, employer, staff, iso_advisor, superuser, who: str,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    make_profile(other_student, immigration_status="j1")  # both students have answers
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("authorization:profile"))

    viewer = request.getfixturevalue(who)
    expected = 200 if who in ("intl_student", "other_student") else 404
    assert response.status_code == expected
    if expected == 200:  # each student gets their own answers, never somebody else's
        assert response.context["form"].instance.student == viewer


@pytest.mark.parametrize("who", ["employer", "staff", "iso_advisor", "superuser"])
def test_it_answers_404_to_non_students_on_the_work_authorization_page(
    client: Client, who: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("authorization:mine")).status_code == 404


def test_it_hides_the_authorization_section_of_the_admin_from_capd_staff(
    client: Client, staff
) -> None:
    client.force_login(staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "Authorization cases" not in response.content.decode()
    assert "Immigration profiles" not in response.content.decode()


def test_it_hides_it_even_from_capd_staff_given_the_permissions_by_mistake(
    client: Client, case: AuthorizationCase, staff
) -> None:
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="authorization"))
    client.force_login(staff)

    response = client.get(reverse("admin:authorization_authorizationcase_change", args=[case.pk]))

    assert response.status_code == 403
    assert AccessLogEntry.objects.get(actor=staff).allowed is False


def test_it_shows_the_authorization_section_to_iso_advisors(client: Client, iso_advisor) -> None:
    client.force_login(iso_advisor)

    response = client.get(reverse("admin:index"))

    assert "Authorization cases" in response.content.decode()
    assert "Access log" in response.content.decode()


@pytest.fixture
def log_entry(case: AuthorizationCase, iso_advisor) -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        actor=iso_advisor, actor_email=iso_advisor.email, student=case.student,
        student_email=case.student.email, object_type="case", object_id=str(case.pk),
        action="view", allowed=True,
    )  # fmt: skip


def test_it_never_changes_an_access_log_entry(log_entry: AccessLogEntry) -> None:
    log_entry.allowed = False

    with pytest.raises(AppendOnlyError):
        log_entry.save()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.update(allowed=False)


def test_it_never_deletes_an_access_log_entry(log_entry: AccessLogEntry) -> None:
    with pytest.raises(AppendOnlyError):
        log_entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()


@pytest.mark.parametrize("who", ["iso_advisor", "superuser"])
def test_it_lists_the_access_log_read_only(
    client: Client, log_entry: AccessLogEntry, who: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(who))

    listing = client.get(reverse("admin:authorization_accesslogentry_changelist"))
    add = client.get(reverse("admin:authorization_accesslogentry_add"))
    delete = client.post(
        reverse("admin:authorization_accesslogentry_delete", args=[log_entry.pk]), {"post": "yes"}
    )
    change = client.post(
        reverse("admin:authorization_accesslogentry_change", args=[log_entry.pk]),
        {"allowed": "", "actor_email": "x@example.edu"},
    )

    assert listing.status_code == 200
    assert "irene@example.edu" in listing.content.decode()
    assert "delete_selected" not in listing.content.decode()
    assert (add.status_code, delete.status_code, change.status_code) == (403, 403, 403)
    assert AccessLogEntry.objects.get(pk=log_entry.pk).allowed is True


def test_it_keeps_the_access_log_from_capd_staff(client: Client, staff) -> None:
    client.force_login(staff)

    response = client.get(reverse("admin:authorization_accesslogentry_changelist"))

    assert response.status_code == 403


def test_it_hides_authorization_notifications_from_capd_staff(
    client: Client, case: AuthorizationCase, staff
) -> None:
    from microintern.notifications.models import Notification

    notification = Notification.objects.filter(kind__startswith="authorization_").first()
    client.force_login(staff)

    listing = client.get(reverse("admin:notifications_notification_changelist"))
    detail = client.get(reverse("admin:notifications_notification_change", args=[notification.pk]))

    assert listing.status_code == 200
    assert "Curricular Practical Training" not in listing.content.decode()
    assert detail.status_code == 302  # "does not exist", back to the admin index


def test_it_shows_authorization_notifications_to_iso_advisors(
    client: Client, case: AuthorizationCase, iso_advisor
) -> None:
    from django.contrib.auth.models import Permission

    # ISO advisors' group has no notifications permissions; grant the one this page needs.
    iso_advisor.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client.force_login(iso_advisor)

    listing = client.get(reverse("admin:notifications_notification_changelist"))

    assert "Curricular Practical Training" in listing.content.decode()


def _logged_ip(client: Client, case: AuthorizationCase, iso_advisor, **headers: str) -> str:
    client.force_login(iso_advisor)
    client.get(reverse("authorization:case", args=[case.pk]), **headers)
    return AccessLogEntry.objects.filter(actor=iso_advisor).latest("pk").ip_address


def test_the_access_log_does_not_believe_a_forwarded_for_header_by_default(
    client: Client, case: AuthorizationCase, iso_advisor
) -> None:
    ip = _logged_ip(client, case, iso_advisor, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert ip == "127.0.0.1"


def test_behind_one_trusted_proxy_the_access_log_keeps_the_clients_address(
    client: Client, case: AuthorizationCase, iso_advisor, settings
) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    forwarded = "198.51.100.7, 203.0.113.9"  # the client forged the first; the proxy added ours
    assert _logged_ip(client, case, iso_advisor, HTTP_X_FORWARDED_FOR=forwarded) == "203.0.113.9"
