"""The staff's tools: organizations to verify, the moderation queue, postings.

Every status change goes through postings.services; `status` and `unpaid_approved` are
read-only in the change forms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timesince import timesince

from microintern.core.admin_actions import confirmation_page, run_each
from microintern.core.admin_inlines import LabelledTabularInline
from microintern.core.admin_privacy import ImmigrationPrivacyMixin
from microintern.core.models import ProgramSettings
from postings import services
from postings.forms import ModerationForm
from postings.models import (
    FieldOfStudy,
    Membership,
    Organization,
    OrganizationInvitation,
    Posting,
    PostingError,
    PostingMaterial,
    PostingStatus,
    PostingStatusChange,
    SavedPosting,
    SavedSearch,
    SubmittedPosting,
)


class MembershipInline(LabelledTabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


class InvitationInline(admin.TabularInline):
    model = OrganizationInvitation
    extra = 0
    fields = ["email", "invited_by", "created_at", "accepted_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    # A website typed without a scheme is https:// (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "email_domain", "website", "verified", "domain_check", "created_at"]
    list_filter = ["verified"]
    search_fields = ["name", "email_domain", "website"]
    readonly_fields = ["verified", "verified_at", "domain_check", "created_at"]
    inlines = [MembershipInline, InvitationInline]
    actions = ["verify", "unverify"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organization]:
        return super().get_queryset(request).prefetch_related("memberships__user")

    @admin.display(description="Email domains vs website")
    def domain_check(self, obj: Organization) -> str:
        mismatched = obj.mismatched_domains()
        if not mismatched:
            return format_html('<span class="domain-ok">{}</span>', "Match")
        return format_html(
            '<strong class="domain-mismatch review-fault">Mismatch: {} not {}</strong>',
            ", ".join(mismatched),
            obj.website_domain or "(no website)",
        )

    @admin.action(description="Verify the selected organizations (asks for confirmation)")
    def verify(self, request: HttpRequest, queryset: QuerySet[Organization]) -> HttpResponse | None:
        return self._verification_page(request, queryset, verified=True)

    @admin.action(description="Mark the selected organizations unverified (asks for confirmation)")
    def unverify(
        self, request: HttpRequest, queryset: QuerySet[Organization]
    ) -> HttpResponse | None:
        return self._verification_page(request, queryset, verified=False)

    def _verification_page(
        self, request: HttpRequest, queryset: QuerySet[Organization], *, verified: bool
    ) -> HttpResponse | None:
        """Confirm first, with each organization's domains against its website in view (a
        gmail.com member is a reason to look twice); then verify exactly those selected."""
        organizations = list(queryset.order_by("name"))
        if "confirm" not in request.POST:
            return confirmation_page(
                self,
                request,
                objects=organizations,
                action="verify" if verified else "unverify",
                title=f"{'Verify' if verified else 'Stop verifying'} these organizations?",
                crumb="Verify" if verified else "Mark unverified",
                button="Yes, verify" if verified else "Yes, mark unverified",
                template="admin/postings/verify.html",
                checks=[(o, self.domain_check(o)) for o in organizations],
                verifying=verified,
            )
        run_each(
            self,
            request,
            organizations,
            lambda o: services.organization_verify(
                organization=o, by=request.user, verified=verified
            ),
            refusals=(PostingError,),
            done_message=f"{'Verified' if verified else 'Unverified'} {{count}} organization(s); "
            "their members are told.",
            label=lambda o: o.name,
        )
        return None

    def save_model(self, request: HttpRequest, obj: Organization, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            services.organization_refresh_search(organization=obj)


@admin.register(FieldOfStudy)
class FieldOfStudyAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request: HttpRequest, obj: FieldOfStudy, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            for posting in obj.postings.select_related("organization"):
                services.posting_refresh_search(posting=posting)


class PostingMaterialInline(LabelledTabularInline):
    model = PostingMaterial
    extra = 0
    fields = ["label", "kind", "required", "position"]


class StatusChangeInline(admin.TabularInline):
    model = PostingStatusChange
    extra = 0
    fields = ["at", "from_status", "to_status", "by", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def moderation_page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Posting],
    *,
    action: str,
    title: str,
    service: Callable[..., Posting],
    comment_required: bool,
    allows_unpaid: bool = False,
) -> HttpResponse | None:
    """A confirmation page with a comment; on confirm, the service runs once per posting."""
    postings = list(queryset.select_related("organization"))
    confirmed = "confirm" in request.POST
    form = ModerationForm(request.POST if confirmed else None, comment_required=comment_required)
    if confirmed and form.is_valid():
        extra = {"unpaid_approved": form.cleaned_data["unpaid_approved"]} if allows_unpaid else {}
        run_each(
            model_admin,
            request,
            postings,
            lambda posting: service(
                posting=posting, by=request.user, comment=form.cleaned_data["comment"], **extra
            ),
            refusals=(PostingError,),
            done_message=f"{title}: {{count}} posting(s) done; the employers are notified.",
            label=lambda posting: f"“{posting.title}”",
        )
        return None
    return confirmation_page(
        model_admin,
        request,
        objects=postings,
        action=action,
        title=f"{title}: confirm",
        crumb=title,
        form=form,
        template="admin/postings/moderate.html",
        allows_unpaid=allows_unpaid,
        unpaid=[p for p in postings if not p.is_paid],
    )


@dataclass(frozen=True)
class ReviewCheck:
    label: str
    verdict: str
    ok: bool | None  # None: for CAPD to decide, neither fine nor a fault


def review_checks(posting: Posting) -> list[ReviewCheck]:
    """What CAPD looks at before publishing: pay against the minimum wage, unpaid, global,
    alumni host, the organization's verification and its domains against its website."""
    minimum = Decimal(str(ProgramSettings.load().minimum_wage_hourly)).quantize(Decimal("0.01"))
    hourly = posting.hourly_equivalent()
    if not posting.is_paid:
        pay = ReviewCheck("Pay", "Unpaid: approving publishes it as unpaid, on CAPD's word", None)
    elif hourly is None:
        pay = ReviewCheck("Pay", "Paid, but no hourly equivalent can be worked out", False)
    else:
        pay = ReviewCheck(
            "Pay",
            f"{hourly} USD per hour against the minimum wage of {minimum}",
            hourly >= minimum,
        )
    organization = posting.organization
    mismatched = organization.mismatched_domains()
    return [
        pay,
        ReviewCheck(
            "Organization",
            "Verified" if organization.verified else "Not verified yet: publishing waits for it",
            organization.verified,
        ),
        ReviewCheck(
            "Email domains and website",
            "Match"
            if not mismatched
            else f"{', '.join(mismatched)} not {organization.website_domain or '(no website)'}",
            not mismatched,
        ),
        ReviewCheck(
            "Global (MISTI)",
            "Yes: abroad, through MISTI" if posting.is_global else "No",
            None if posting.is_global else True,
        ),
        ReviewCheck(
            "Alumni host",
            f"{posting.alumni_host_name or 'Yes'}"
            + (f", class of {posting.alumni_class_year}" if posting.alumni_class_year else "")
            if posting.alumni_host
            else "No",
            True,
        ),
    ]


def organization_history(posting: Posting) -> list[tuple[str, int]]:
    """The organization's other postings by status (one query): a new employer or a record."""
    counts = dict(
        Posting.objects.filter(organization_id=posting.organization_id)
        .exclude(pk=posting.pk)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return [(label, counts[value]) for value, label in PostingStatus.choices if counts.get(value)]


class PostingAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    # What a reviewer reads, with short headers and dates, so that every column fits at
    # 1280 px beside the filters (the long boolean labels pushed the deadline off screen).
    list_display = [
        "title",
        "organization",
        "status",
        "paid_label",
        "flags",
        "deadline_day",
        "submitted_day",
    ]
    list_filter = [
        "status",
        "is_global",
        "is_paid",
        "alumni_host",
        "location_type",
        "cycle",
        "organization__verified",
        # Links, not a date hierarchy: its years came from a scan of every posting.
        ("deadline", admin.DateFieldListFilter),
    ]
    search_fields = ["title", "organization__name"]
    list_select_related = ["organization", "cycle"]
    show_full_result_count = False  # one count per page, not a second of the whole table
    # Newest first by the primary key's index: the model's order (deadline) has no index of
    # its own over every status, and one would take keyword searches away from the GIN
    # index (tests/postings/test_search_postgres.py).
    ordering = ["-id"]
    readonly_fields = [
        "organization",
        "cycle",
        "status",
        "unpaid_approved",
        "close_reason",
        "created_by",
        "duplicated_from",
        "created_at",
        "updated_at",
        "submitted_at",
        "published_at",
        "closed_at",
    ]
    # A list of check boxes rather than the admin's two-box filter (filter_horizontal): the
    # list of fields is short, and the filter's script puts aria-label on plain <span>s,
    # which ARIA forbids (axe: aria-prohibited-attr, serious).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [PostingMaterialInline, StatusChangeInline]
    actions = ["approve", "request_changes", "reject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # employers create postings; staff moderate them

    @admin.display(description="Global / alum")
    def flags(self, obj: Posting) -> str:
        named = [
            label for on, label in ((obj.is_global, "Global"), (obj.alumni_host, "Alum host")) if on
        ]
        return ", ".join(named) or "—"

    @admin.display(description="Deadline", ordering="deadline")
    def deadline_day(self, obj: Posting) -> str:
        return date_format(timezone.localtime(obj.deadline), "M j, Y")

    @admin.display(description="Submitted", ordering="submitted_at")
    def submitted_day(self, obj: Posting) -> str:
        if obj.submitted_at is None:
            return "—"
        return date_format(timezone.localtime(obj.submitted_at), "M j")

    @admin.display(description="Pay")
    def paid_label(self, obj: Posting) -> str:
        if obj.is_paid:
            hourly = obj.hourly_equivalent()
            return f"{hourly} USD/h" if hourly else "Paid"
        return "Unpaid (approved)" if obj.unpaid_approved else "Unpaid: needs decision"

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.posting_refresh_search(posting=form.instance)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """A submitted posting opens as CAPD's review page (its terms, the checks, and
        Approve / Request changes / Reject, each confirmed on the next page); `?edit=1`
        still opens the stock edit form."""
        posting = (
            Posting.objects.select_related("organization", "cycle", "created_by")
            .filter(pk=object_id if str(object_id).isdigit() else None)
            .first()
        )
        if (
            posting is None
            or posting.status != PostingStatus.SUBMITTED
            or request.method != "GET"
            or "edit" in request.GET
            or not self.has_view_permission(request, posting)
        ):
            return super().change_view(request, object_id, form_url, extra_context)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Review “{posting.title}”",
            "opts": self.model._meta,
            "posting": posting,
            "checks": review_checks(posting),
            "history": organization_history(posting),
            "materials": list(posting.materials.all()),
            "fields": list(posting.fields_of_study.all()),
            "may_moderate": self.has_change_permission(request, posting),
            "action_url": reverse("admin:postings_posting_changelist"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/postings/review.html", context)

    @admin.action(description="Approve and publish the selected postings")
    def approve(self, request: HttpRequest, queryset: QuerySet[Posting]) -> HttpResponse | None:
        return moderation_page(
            self,
            request,
            queryset,
            action="approve",
            title="Approve",
            service=services.posting_approve,
            comment_required=False,
            allows_unpaid=True,
        )

    @admin.action(description="Request changes to the selected postings")
    def request_changes(
        self, request: HttpRequest, queryset: QuerySet[Posting]
    ) -> HttpResponse | None:
        return moderation_page(
            self,
            request,
            queryset,
            action="request_changes",
            title="Request changes",
            service=services.posting_request_changes,
            comment_required=True,
        )

    @admin.action(description="Reject the selected postings")
    def reject(self, request: HttpRequest, queryset: QuerySet[Posting]) -> HttpResponse | None:
        return moderation_page(
            self,
            request,
            queryset,
            action="reject",
            title="Reject",
            service=services.posting_reject,
            comment_required=True,
        )


admin.site.register(Posting, PostingAdmin)


@admin.register(SubmittedPosting)
class ModerationQueueAdmin(PostingAdmin):
    """Submitted postings, oldest first: CAPD's queue."""

    list_display = [
        "title",
        "organization",
        "verified_organization",
        "domain",
        "paid_label",
        "flags",
        "deadline_day",
        "waiting",
    ]
    list_filter = ["is_global", "is_paid", "alumni_host", "organization__verified"]
    date_hierarchy = None
    ordering = ["submitted_at", "pk"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Posting]:
        # The members' addresses for the domain check, in one query for the page.
        return (
            super()
            .get_queryset(request)
            .submitted()
            .prefetch_related("organization__memberships__user")
            .order_by("submitted_at", "pk")
        )

    @admin.display(description="Domain")
    def domain(self, obj: Posting) -> str:
        if not obj.organization.mismatched_domains():
            return "Match"
        return format_html('<strong class="review-fault">{}</strong>', "Mismatch")

    @admin.display(description="Waiting", ordering="submitted_at")
    def waiting(self, obj: Posting) -> str:
        if obj.submitted_at is None:
            return "—"
        return timesince(obj.submitted_at, depth=1)

    @admin.display(description="Verified", boolean=True)
    def verified_organization(self, obj: Posting) -> bool:
        return obj.organization.verified


@admin.register(SavedPosting)
class SavedPostingAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = ["user", "posting", "created_at"]
    list_select_related = ["user", "posting__organization"]  # Posting.__str__ names it
    search_fields = ["user__email", "posting__title"]
    raw_id_fields = ["user", "posting"]
    # Newest first by the primary key's index: the model's "-created_at" has none, and the
    # list sorted every saved posting of the university for each page.
    ordering = ["-id"]


@admin.register(SavedSearch)
class SavedSearchAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = ["user", "name", "query_string", "frequency", "last_alerted_at"]
    list_select_related = ["user"]
    list_filter = ["frequency"]
    search_fields = ["user__email", "name"]
    raw_id_fields = ["user"]
