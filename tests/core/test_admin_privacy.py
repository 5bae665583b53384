"""Issue 11: no admin page tells CAPD staff who is an international student.

Django's admin accepts any one-step lookup in the query string, so
`/admin/accounts/user/?authorization_cases__isnull=False` listed exactly the students with an
authorization case. Every such lookup now answers 400 to staff who may not see immigration
data (Django's DisallowedModelAdminLookup), whichever model it starts from: the walk over
every registered model below generates the lookups from the models' own fields, so a model
added later is covered without anybody writing a test for it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django.fixtures import Settings

from authorization.models import AccessLogEntry, AuthorizationCase, ImmigrationProfile
from microintern.accounts.models import User
from microintern.core.admin_privacy import (
    ImmigrationPrivacyMixin,
    deletion_reaches_immigration_data,
    is_immigration_model,
    path_touches_immigration_data,
)
from offers.models import Offer
from tests.authorization.helpers import make_profile, open_case
from tests.factories import MISTIManagerFactory, StaffFactory, StudentFactory

pytestmark = pytest.mark.django_db

USERS = reverse("admin:accounts_user_changelist")
PROJECT_APPS = {
    "accounts",
    "cycles",
    "core",
    "notifications",
    "postings",
    "applications",
    "offers",
    "authorization",
}


@pytest.fixture(autouse=True)
def _mfa_not_required(settings: Settings) -> None:
    settings.STAFF_MFA_REQUIRED = False


@pytest.fixture
def international(db: None) -> User:
    """An F-1 student with an immigration profile and an open CPT case on an offer."""
    user = StudentFactory(email="intl@example.edu", full_name="Ines International")
    make_profile(user)
    open_case(user)
    return user


@pytest.fixture
def domestic(db: None) -> User:
    return StudentFactory(email="domestic@example.edu", full_name="Dan Domestic")


def listed(response) -> set[int]:
    return {row.pk for row in response.context["cl"].result_list}


# --- the finding, as reported ---------------------------------------------------------------


@pytest.mark.parametrize("lookup", ["authorization_cases__isnull", "immigration_profile__isnull"])
def test_it_refuses_capd_staff_a_user_list_filtered_by_immigration_data(
    client: Client, staff: User, international: User, domestic: User, lookup: str
) -> None:
    client.force_login(staff)

    response = client.get(USERS, {lookup: "False"})

    assert response.status_code == 400


def test_it_refuses_capd_staff_an_offer_list_filtered_by_authorization_case(
    client: Client, staff: User, international: User
) -> None:
    client.force_login(staff)

    response = client.get(
        reverse("admin:offers_offer_changelist"), {"authorization_case__isnull": "False"}
    )

    assert response.status_code == 400


def test_it_refuses_capd_staff_a_lookup_two_relations_away(
    client: Client, staff: User, international: User
) -> None:
    client.force_login(staff)

    response = client.get(
        reverse("admin:applications_application_changelist"),
        {"student__immigration_profile__immigration_status": "f1"},
    )

    assert response.status_code == 400


def test_it_still_lets_capd_staff_filter_users_by_other_relations(
    client: Client, staff: User, international: User, domestic: User
) -> None:
    client.force_login(staff)

    response = client.get(USERS, {"applications__isnull": "False"})

    assert response.status_code == 200
    assert listed(response) == {international.pk}  # the application behind the offer


def test_it_lets_an_iso_advisor_find_the_students_with_a_case(
    client: Client, iso_advisor: User, international: User, domestic: User
) -> None:
    client.force_login(iso_advisor)

    response = client.get(USERS, {"authorization_cases__isnull": "False"})

    assert response.status_code == 200
    assert listed(response) == {international.pk}


def test_it_lets_a_superuser_filter_offers_by_authorization_case(
    client: Client, superuser: User, international: User
) -> None:
    client.force_login(superuser)

    response = client.get(
        reverse("admin:offers_offer_changelist"), {"authorization_case__isnull": "False"}
    )

    assert response.status_code == 200
    assert listed(response) == set(
        Offer.objects.filter(student=international).values_list("pk", flat=True)
    )


# --- every registered model, every relation into the authorization app -----------------------


def immigration_lookups(model: type[models.Model]) -> list[str]:
    """`<relation>__isnull` for each relation of the model into the authorization app, and
    `<relation>__<relation>__isnull` for each one reached through one other model."""
    lookups = []
    for field in model._meta.get_fields():
        related = field.related_model if field.is_relation else None
        if related is None or related == "self":
            continue
        if is_immigration_model(related):
            lookups.append(f"{field.name}__isnull")
            continue
        for far in related._meta.get_fields():
            far_related = far.related_model if far.is_relation else None
            if far_related not in (None, "self") and is_immigration_model(far_related):
                lookups.append(f"{field.name}__{far.name}__isnull")
    return lookups


def changelist_of(model: type[models.Model]) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize(
    "staff_factory", [StaffFactory, MISTIManagerFactory], ids=["capd", "misti"]
)
def test_it_refuses_every_forged_lookup_into_immigration_data_on_every_admin_list(
    client: Client, settings: Settings, international: User, staff_factory: Callable[[], User]
) -> None:
    # This walk knocks on the ISO-only lists many times; the rate limit has its own tests.
    settings.IMMIGRATION_REFUSED_LOOKS_PER_MINUTE = 10_000
    client.force_login(staff_factory())
    answered_400, failures = set(), []
    for model in admin.site._registry:
        url = changelist_of(model)
        closed = client.get(url).status_code == 403  # the whole list is not theirs
        for lookup in immigration_lookups(model):
            status = client.get(url, {lookup: "False"}).status_code
            if status != (403 if closed else 400):
                failures.append(f"{url}?{lookup}=False answered {status}")
            elif status == 400:
                answered_400.add(model._meta.label)
    assert failures == []
    if staff_factory is StaffFactory:  # the lists that answered the finding's questions
        assert {"accounts.User", "offers.Offer", "applications.Application"} <= answered_400


def test_it_generates_the_lookups_of_the_finding() -> None:
    lookups = immigration_lookups(User)

    assert {"authorization_cases__isnull", "immigration_profile__isnull"} <= set(lookups)
    assert "applications__student__isnull" not in lookups  # only lookups into authorization


def test_it_refuses_a_lookup_when_django_asks_without_the_request() -> None:
    model_admin = admin.site._registry[User]

    assert not model_admin.lookup_allowed("authorization_cases__isnull", "False")


# --- options, deletes and the mixin itself ------------------------------------------------------


def option_paths(model_admin: admin.ModelAdmin) -> list[str]:
    """Every field path an admin's options name, as written in its class."""
    paths = [*model_admin.search_fields, *(model_admin.ordering or [])]
    paths += [
        f if isinstance(f, str) else f[0]
        for f in model_admin.list_filter
        if not isinstance(f, type)
    ]
    paths += [f for f in model_admin.list_display if isinstance(f, str)]
    # A column's sort (`?o=<index>`) orders by its admin_order_field: no header may sort by it.
    for column in model_admin.list_display:
        attr = column if callable(column) else getattr(model_admin, column, None)
        paths.append(getattr(attr, "admin_order_field", None))
    paths += [*model_admin.autocomplete_fields, *model_admin.raw_id_fields]
    if model_admin.date_hierarchy:
        paths.append(model_admin.date_hierarchy)
    return [p for p in paths if isinstance(p, str)]


def test_it_names_no_path_into_immigration_data_in_other_admins_options() -> None:
    offending = [
        f"{model._meta.label}: {path}"
        for model, model_admin in admin.site._registry.items()
        if not is_immigration_model(model)
        for path in option_paths(model_admin)
        if path_touches_immigration_data(model, path)
    ]

    assert offending == []


def test_it_puts_the_privacy_mixin_on_every_admin_of_the_project() -> None:
    missing = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PROJECT_APPS
        and not isinstance(model_admin, ImmigrationPrivacyMixin)
    ]

    assert missing == []


class CarelessUserAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    """What a later change might write: options that reach into the authorization app."""

    search_fields = ["email", "immigration_profile__majors"]
    list_filter = [
        "is_active",
        "authorization_cases__route",
        ("immigration_profile__degree_level", admin.ChoicesFieldListFilter),
    ]
    ordering = ["-authorization_cases__start_date", "email"]


def test_it_drops_the_options_that_reach_immigration_data_for_capd_staff(
    rf: RequestFactory, staff: User, iso_advisor: User
) -> None:
    careless = CarelessUserAdmin(User, admin.site)
    request = rf.get(USERS)
    request.user = staff
    iso_request = rf.get(USERS)
    iso_request.user = iso_advisor

    assert careless.get_search_fields(request) == ["email"]
    assert careless.get_list_filter(request) == ["is_active"]
    assert careless.get_ordering(request) == ["email"]
    assert len(careless.get_list_filter(iso_request)) == 3


def test_it_knows_which_deletes_would_list_immigration_data() -> None:
    assert deletion_reaches_immigration_data(User)  # cascades to the profile and the cases
    # The offer holds the link to its case (issue 18): deleting an offer deletes no case and
    # its delete page lists none; the case's own delete page is refused (below).
    assert not deletion_reaches_immigration_data(Offer)
    assert deletion_reaches_immigration_data(AuthorizationCase)
    # An application's offer PROTECTs it: the page lists the offer and stops there.
    from applications.models import Application

    assert not deletion_reaches_immigration_data(Application)


@pytest.mark.parametrize("whose", ["international", "domestic"])
def test_it_shows_capd_staff_no_delete_page_for_any_student(
    client: Client, staff: User, whose: str, request: pytest.FixtureRequest
) -> None:
    # The same answer for both: refusing only the students with immigration data would say
    # who they are.
    target = request.getfixturevalue(whose)
    client.force_login(staff)

    response = client.get(reverse("admin:accounts_user_delete", args=[target.pk]))

    assert response.status_code == 403
    assert "immigration profile" not in response.content.decode().lower()
    assert "authorization case" not in response.content.decode().lower()


@pytest.fixture
def applicant_abroad(db: None) -> User:
    """An F-1 student with an immigration profile and no offer yet (an offer is a record of a
    paid engagement: it protects the account from deletion)."""
    user = StudentFactory(email="abroad@example.edu", full_name="Abe Abroad")
    make_profile(user)
    return user


def test_it_shows_a_superuser_what_deleting_a_student_takes_along(
    client: Client, superuser: User, applicant_abroad: User
) -> None:
    client.force_login(superuser)

    response = client.get(reverse("admin:accounts_user_delete", args=[applicant_abroad.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Are you sure" in html and "Immigration profiles: 1" in html


def test_a_superuser_deletes_a_student_with_their_immigration_data_and_the_log_stays(
    client: Client, superuser: User, applicant_abroad: User
) -> None:
    iso_looked = AccessLogEntry.objects.create(
        actor=None,
        actor_email="iso@example.edu",
        student=applicant_abroad,
        student_email=applicant_abroad.email,
        object_type="profile",
        action="view",
        allowed=True,
    )
    client.force_login(superuser)

    client.post(reverse("admin:accounts_user_delete", args=[applicant_abroad.pk]), {"post": "yes"})

    assert not User.objects.filter(pk=applicant_abroad.pk).exists()
    assert not ImmigrationProfile.objects.filter(student_id=applicant_abroad.pk).exists()
    iso_looked.refresh_from_db()
    assert (iso_looked.student, iso_looked.student_email) == (None, "abroad@example.edu")


def test_an_offer_keeps_a_students_account_even_from_a_superuser(
    client: Client, superuser: User, international: User
) -> None:
    client.force_login(superuser)

    client.post(reverse("admin:accounts_user_delete", args=[international.pk]), {"post": "yes"})

    assert User.objects.filter(pk=international.pk).exists()
    assert AuthorizationCase.objects.filter(student=international).exists()
