"""Applications and interviews for CAPD staff: filters by cycle, posting, organization and
status, the history inline, status read-only. A status changes only through the services
(the "not selected" action, with a confirmation page and an optional message)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from applications import services
from applications.models import (
    Application,
    ApplicationError,
    ApplicationStatusChange,
    Interview,
    InterviewSlot,
    SubmittedMaterial,
)
from microintern.core.admin_actions import confirmation_page
from microintern.core.admin_privacy import ImmigrationPrivacyMixin
from postings.admin_filters import (
    ApplicationOrganizationFilter,
    ApplicationPostingFilter,
    OneOrganizationFilter,
    OnePostingFilter,
)


class StatusChangeInline(admin.TabularInline):
    model = ApplicationStatusChange
    fields = ["at", "from_status", "to_status", "by", "message_to_student"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MaterialInline(admin.TabularInline):
    model = SubmittedMaterial
    fields = ["label", "role", "original_name", "size", "url", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class InterviewInline(admin.TabularInline):
    model = Interview
    fields = ["slot", "status", "sequence", "booked_at", "cancelled_at", "cancel_message"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class RejectForm(forms.Form):
    message = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        label="Message to the students (optional)",
    )


@admin.register(Application)
class ApplicationAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = ["student", "posting", "organization", "status", "submitted_at", "decided_at"]
    list_filter = [
        "status",
        # Every cycle (a handful): RelatedOnly found them by scanning every application.
        ("posting__cycle", admin.RelatedFieldListFilter),
        OneOrganizationFilter,
        OnePostingFilter,
        "posting__is_global",  # MISTI's applicants (the admin index links here)
        # Links, not a date hierarchy: its months came from a scan of the whole table.
        ("submitted_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["student", "posting__organization"]
    search_fields = [
        "student__email",
        "student__full_name",
        "posting__title",
        "posting__organization__name",
    ]
    show_full_result_count = False  # a second COUNT(*) of the whole table on every page
    fields = [
        "student",
        "posting",
        "status",
        "submitted_at",
        "decided_at",
        "unpaid_guidance_read_at",
        "cover_letter_text",
    ]
    readonly_fields = fields
    inlines = [StatusChangeInline, MaterialInline, InterviewInline]
    actions = ["mark_not_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # students apply through the site

    @admin.display(ordering="posting__organization__name")
    def organization(self, obj: Application) -> str:
        return str(obj.posting.organization)

    @admin.action(description="Close as not selected (asks for confirmation)")
    def mark_not_selected(
        self, request: HttpRequest, queryset: QuerySet[Application]
    ) -> HttpResponse | None:
        applications = list(queryset.select_related("student", "posting"))
        if "confirm" in request.POST:
            form = RejectForm(request.POST)
            if form.is_valid():
                try:
                    services.application_reject(
                        applications=applications,
                        by=request.user,
                        message=form.cleaned_data["message"],
                    )
                except (ApplicationError, PermissionDenied) as exc:
                    self.message_user(request, f"Nothing changed: {exc}", messages.ERROR)
                else:
                    self.message_user(
                        request,
                        f"{len(applications)} application(s) closed; the students are told.",
                        messages.SUCCESS,
                    )
                return None
        else:
            form = RejectForm()
        return confirmation_page(
            self,
            request,
            objects=applications,
            action="mark_not_selected",
            title="Close as not selected: confirm",
            crumb="Close as not selected",
            form=form,
            template="admin/applications/reject.html",
        )


@admin.register(Interview)
class InterviewAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = ["application", "start", "status", "sequence", "booked_at"]
    list_filter = [
        "status",
        ("application__posting__cycle", admin.RelatedFieldListFilter),
        ApplicationOrganizationFilter,
        ApplicationPostingFilter,
        "application__status",
    ]
    list_select_related = ["application__student", "application__posting", "slot"]
    search_fields = ["application__student__email", "application__posting__title"]
    readonly_fields = [
        "application",
        "slot",
        "status",
        "uid",
        "sequence",
        "booked_at",
        "cancelled_at",
        "cancelled_by",
        "cancel_message",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(ordering="slot__start")
    def start(self, obj: Interview):
        return obj.slot.start


@admin.register(InterviewSlot)
class InterviewSlotAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = ["posting", "start", "end", "format", "location"]
    list_filter = [
        "format",
        ("posting__cycle", admin.RelatedFieldListFilter),
        OneOrganizationFilter,
        OnePostingFilter,
    ]
    list_select_related = ["posting__organization"]
    readonly_fields = ["posting", "offered_to", "created_by", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
