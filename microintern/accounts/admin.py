from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from microintern.accounts.models import StudentProfile, User
from microintern.core.admin_privacy import ImmigrationPrivacyMixin


@admin.register(User)
class UserAdmin(ImmigrationPrivacyMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_staff", "is_active", "date_joined"]
    list_filter = ["role", "is_staff", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "role"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
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


@admin.register(StudentProfile)
class StudentProfileAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = ["user", "degree_level", "field_of_study", "class_year"]
    list_filter = ["degree_level", "class_year"]
    search_fields = ["user__email", "user__full_name", "field_of_study"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
