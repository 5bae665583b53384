from django.contrib import admin

from postings.models import Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "email_domain", "website", "verified", "created_at"]
    list_filter = ["verified"]
    search_fields = ["name", "email_domain", "website"]
    inlines = [MembershipInline]
