"""People in the admin, and who may change whom.

Only superusers manage staff accounts, groups, permissions and passwords: the CAPD staff
group holds the accounts app's permissions (staff help students and employers with their
accounts), so without these guards one POST to their own user page made them superusers.
For everybody else the access fields and the login address are read-only, staff and
superuser accounts (their own included) are view-only, the admin's password form is closed,
and the groups admin is hidden. Addresses (allauth's EmailAddress) are guarded the same way:
pointing a verified address of one's own at an account, then resetting its password, is the
same escalation by another door.
"""

from __future__ import annotations

from typing import Any

from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse

from microintern.accounts.models import StudentProfile, User
from microintern.core.admin_privacy import ImmigrationPrivacyMixin

# What makes an account powerful: set by superusers only.
ACCESS_FIELDS = ["is_staff", "is_superuser", "groups", "user_permissions"]


def is_privileged(user: User) -> bool:
    """Staff and superuser accounts: only a superuser may change them."""
    return bool(user.is_staff or user.is_superuser)


@admin.register(User)
class UserAdmin(ImmigrationPrivacyMixin, DjangoUserAdmin):
    # Plain labelled multi-selects, not Django's two-box filter: its script puts aria-label on
    # plain <span>s (axe: aria-prohibited-attr, serious). Only superusers edit these fields.
    filter_horizontal = ()
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_staff", "is_active", "date_joined"]
    list_filter = ["role", "is_staff", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "role"]}),
        (
            "Access",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    # No access fields: a new account is never staff; a superuser grants that afterwards.
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "role", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        # The password field only links to the password form, which is for superusers.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ACCESS_FIELDS
            if obj is not None:
                # Whoever changes the login address can reset the password and read the
                # student's own immigration data.
                fields.append("email")
        return fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and is_privileged(obj) and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if request.user.is_superuser:
            # A superuser deleting an account deletes all of it (an erasure request, an account
            # made by mistake). The immigration admins are view-only on their own pages, since
            # nobody edits a student's answers by hand, and Django reads that as "may not
            # delete" and would refuse the whole account. The access log keeps its entries,
            # with the student's email. Staff never reach this page for a student.
            perms_needed = set()
        return deleted, counts, perms_needed, protected

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Everybody else changes their own password on the site (allauth), never here.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


@admin.register(StudentProfile)
class StudentProfileAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = ["user", "degree_level", "field_of_study", "class_year"]
    list_filter = ["degree_level", "class_year"]
    search_fields = ["user__email", "user__full_name", "field_of_study"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class SuperuserOnlyAdminMixin:
    """Hidden from everybody but superusers, whatever permissions a group holds."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SuperuserOnlyAdminMixin, ImmigrationPrivacyMixin, DjangoGroupAdmin):
    filter_horizontal = ()  # a plain labelled multi-select (see UserAdmin)


admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(ImmigrationPrivacyMixin, AllauthEmailAddressAdmin):
    """CAPD staff may still mark a student's or employer's address verified or primary;
    adding and deleting addresses, an address itself and the account it belongs to, and the
    addresses of staff accounts are for superusers."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["user", "email"]
        return fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The add form picks any account, staff ones included.
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and is_privileged(obj.user) and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # "Delete selected" asks without a row and would take staff addresses along.
        return request.user.is_superuser

    def make_verified(self, request: HttpRequest, queryset: Any) -> None:
        # The action works on many rows at once: staff addresses are left to superusers.
        if not request.user.is_superuser:
            queryset = queryset.filter(user__is_staff=False, user__is_superuser=False)
        super().make_verified(request, queryset)

    make_verified.short_description = AllauthEmailAddressAdmin.make_verified.short_description


admin.site.unregister(UserSession)


@admin.register(UserSession)
class UserSessionAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    """Who is signed in where, for a superuser answering "was that me?". allauth's own admin
    searches ``user__username``, which this user model lacks (a search answered 500). Adding a
    session by hand means nothing; ending one is deleting it, which signs that browser out."""

    list_display = ["user__email", "created_at", "ip", "user_agent"]
    list_select_related = ["user"]
    search_fields = ["user__email", "ip"]
    ordering = ["-pk"]  # the order they began, on the primary key's index
    raw_id_fields = ["user"]
    readonly_fields = ["user", "created_at", "ip", "last_seen_at", "user_agent", "data"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: UserSession) -> None:
        obj.end()  # the Django session too, not only the record of it

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for session in queryset:
            session.end()
