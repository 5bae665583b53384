"""The ISO advisors' tool. Nobody else on staff sees any of it.

Model permissions alone are not enough: a CAPD staff member who is given the authorization
permissions by mistake must still see nothing, so every admin here also asks whether the
user is a superuser or an ISO advisor. Every page an advisor opens that shows a student's
data (lists, objects, history: one entry per page) is written to the access log, and so is
every page anybody else is refused, with a rate limit. Cases change state only through the
services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from authorization import services
from authorization.access import (
    can_see_immigration_data,
    count_refused_look,
    log_access,
    refused_looks_per_minute,
)
from authorization.forms import DecisionForm, DenialForm, RouteForm
from authorization.models import (
    AccessLogEntry,
    AuthorizationCase,
    CaseStatusChange,
    ChecklistItem,
    FirstYearOverride,
    ImmigrationProfile,
    InvalidTransition,
    RouteEstimateSetting,
)
from authorization.selectors import employer_view_status
from microintern.core.admin_actions import confirmation_page, run_each
from microintern.core.admin_privacy import ImmigrationPrivacyMixin


class ISOOnlyAdminMixin(ImmigrationPrivacyMixin):
    """Superusers and ISO advisors only, whatever the model permissions say.

    Anybody else who asks for a page here (list, add, change, history or delete) is refused
    with 403 and the refusal is written to the access log; past
    IMMIGRATION_REFUSED_LOOKS_PER_MINUTE refusals in a minute the account gets 429 instead,
    and only the first of those is logged, so that a script cannot fill the log.
    """

    log_object_type = ""
    # Whether allowed reads are logged as well: on for the admins that show a student's data.
    logs_reads = False

    def student_of(self, obj: Any) -> Any:
        return None

    def _iso_or_superuser(self, request: HttpRequest) -> bool:
        return can_see_immigration_data(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._iso_or_superuser(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._iso_or_superuser(request) and super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._iso_or_superuser(request) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._iso_or_superuser(request) and super().has_add_permission(request, *args)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._iso_or_superuser(request) and super().has_delete_permission(request, obj)

    def _object(self, object_id: str) -> Any:
        try:
            return self.model._default_manager.filter(pk=unquote(object_id)).first()
        except (ValueError, ValidationError):  # not a valid id: Django answers as usual
            return None

    def _log(
        self, request: HttpRequest, object_id: str | None, *, action: str, allowed: bool
    ) -> None:
        if object_id is None:
            log_access(
                request,
                student=None,
                object_type=f"{self.log_object_type}_list",
                action=action,
                allowed=allowed,
            )
            return
        obj = self._object(object_id)
        if obj is None and allowed:
            return  # a missing row: Django says so, and nobody read anything
        log_access(
            request,
            student=self.student_of(obj) if obj is not None else None,
            object_type=self.log_object_type,
            # A refused look at an id that does not exist is logged too: it is probing.
            object_id=obj.pk if obj is not None else object_id[:40],
            action=action,
            allowed=allowed,
        )

    def _look(
        self, request: HttpRequest, object_id: str | None, *, action: str
    ) -> HttpResponse | None:
        """Log the look as the rules say; None when the view may go on, else the refusal."""
        if self._iso_or_superuser(request):
            if self.logs_reads:
                self._log(request, object_id, action=action, allowed=True)
            return None
        refused = count_refused_look(request.user)
        limit = refused_looks_per_minute()
        if refused <= limit + 1:
            self._log(
                request,
                object_id,
                action=action if refused <= limit else "rate_limited",
                allowed=False,
            )
        if refused > limit:
            return HttpResponse(
                "Too many refused requests for immigration data. Wait a minute.", status=429
            )
        raise PermissionDenied

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return self._look(request, None, action="admin_list") or super().changelist_view(
            request, extra_context
        )

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        if object_id is None and self._iso_or_superuser(request):
            # An advisor's empty add form shows nobody's data: no entry.
            return super().changeform_view(request, object_id, form_url, extra_context)
        action = "admin_view" if object_id is not None else "admin_add"
        return self._look(request, object_id, action=action) or super().changeform_view(
            request, object_id, form_url, extra_context
        )

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        return self._look(request, object_id, action="admin_history") or super().history_view(
            request, object_id, extra_context
        )

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        return self._look(request, object_id, action="admin_delete") or super().delete_view(
            request, object_id, extra_context
        )


class AccessLoggedAdminMixin(ISOOnlyAdminMixin):
    """Also writes an access-log entry for every list and object an ISO advisor or a
    superuser opens here: one entry per page (a list page is one entry, not one per row)."""

    logs_reads = True

    def student_of(self, obj: Any) -> Any:
        raise NotImplementedError


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImmigrationProfile)
class ImmigrationProfileAdmin(ReadOnlyAdminMixin, AccessLoggedAdminMixin, admin.ModelAdmin):
    """View only: the answers are the student's own; an advisor corrects them with the student."""

    log_object_type = "profile"
    list_display = [
        "student",
        "immigration_status",
        "degree_level",
        "full_time_terms_completed",
        "updated_at",
    ]
    list_filter = ["immigration_status", "degree_level"]
    search_fields = ["student__email", "student__full_name", "majors"]
    list_select_related = ["student"]

    def student_of(self, obj: ImmigrationProfile) -> Any:
        return obj.student


@admin.register(FirstYearOverride)
class FirstYearOverrideAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    """ISO advisors record an exception to the first-year rule; it goes through the service,
    which checks the advisor and records who granted it. Logged: an override says that the
    student is an international student in their first year."""

    log_object_type = "first_year_override"

    list_display = ["student", "granted_by", "created_at"]
    search_fields = ["student__email", "student__full_name"]
    list_select_related = ["student", "granted_by"]
    raw_id_fields = ["student"]
    fields = ["student", "reason", "granted_by", "created_at"]
    readonly_fields = ["granted_by", "created_at"]

    def student_of(self, obj: FirstYearOverride) -> Any:
        return obj.student

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        override = services.first_year_override_grant(
            student=obj.student, advisor=request.user, reason=obj.reason
        )
        obj.pk, obj.granted_by = override.pk, override.granted_by


@admin.register(RouteEstimateSetting)
class RouteEstimateSettingAdmin(ISOOnlyAdminMixin, admin.ModelAdmin):
    # Processing times and fees, nobody's personal data: only refused looks are logged.
    log_object_type = "route_estimate"
    list_display = [
        "route",
        "min_days",
        "max_days",
        "business_days",
        "earliest_filing_days_before_start",
        "lead_days",
        "fee_online_usd",
        "fee_paper_usd",
        "updated_at",
    ]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # One row per route, seeded by a migration: add only a route that has none.
        return super().has_add_permission(request, *args) and (
            RouteEstimateSetting.objects.count()
            < len(RouteEstimateSetting._meta.get_field("route").choices)
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting a row silently falls back to the built-in defaults: edit it instead.
        return False


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    can_delete = False
    fields = [
        "position",
        "title",
        "due_date",
        "done_at",
        "verified_at",
        "verified_by",
        "document_link",
        "verify_link",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="verify")
    def verify_link(self, item: ChecklistItem) -> str:
        """From the case page: a done step the ISO has not verified yet opens its confirmation
        (a link, not a button: the case page is itself a form)."""
        if item.done_at is None or item.verified_at is not None:
            return "—"
        url = reverse("admin:authorization_checklistitem_verify", args=[item.pk])
        return format_html('<a href="{}">Verify…</a>', url)

    @admin.display(description="document")
    def document_link(self, item: ChecklistItem) -> str:
        if not item.document:
            return "—"
        return format_html(
            '<a href="{}">Download PDF</a>', reverse("authorization:document", args=[item.pk])
        )


class CaseStatusChangeInline(admin.TabularInline):
    model = CaseStatusChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_state", "to_state", "changed_by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuthorizationCase)
class AuthorizationCaseAdmin(ReadOnlyAdminMixin, AccessLoggedAdminMixin, admin.ModelAdmin):
    log_object_type = "case"
    list_display = [
        "student",
        "route",
        "state",
        "start_date",
        "at_risk_flag",
        "progress",
        "employer_sees",
    ]
    list_filter = ["at_risk", "state", "route", "start_date"]
    list_select_related = ["student"]
    search_fields = ["student__email", "student__full_name"]
    # At risk first, then the nearest start: the cases an advisor must look at today.
    ordering = ["-at_risk", "start_date", "pk"]
    inlines = [ChecklistItemInline, CaseStatusChangeInline]
    actions = ["confirm_route", "mark_submitted", "record_authorized", "record_denied"]
    readonly_fields = [
        "student",
        "route",
        "start_date",
        "state",
        "opened_at",
        "submitted_at",
        "decided_at",
        "authorized_from",
        "authorized_until",
        "decision_note",
        "forecast_status",
        "at_risk",
        "forecast_checked_at",
    ]

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return request.user.is_iso_advisor

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                items_total=Count("items"),
                items_done=Count("items", filter=Q(items__done_at__isnull=False)),
                items_verified=Count("items", filter=Q(items__verified_at__isnull=False)),
            )
        )

    def student_of(self, obj: AuthorizationCase) -> Any:
        return obj.student

    @admin.display(description="at risk", boolean=True, ordering="-at_risk")
    def at_risk_flag(self, case: AuthorizationCase) -> bool:
        return case.at_risk

    @admin.display(description="steps done / verified")
    def progress(self, case: AuthorizationCase) -> str:
        return f"{case.items_done}/{case.items_total} done, {case.items_verified} verified"

    @admin.display(description="employer sees")
    def employer_sees(self, case: AuthorizationCase) -> str:
        return employer_view_status(case)

    @admin.action(
        description='Confirm the route of "talk to your ISO advisor" cases (asks which)',
        permissions=["decide"],
    )
    def confirm_route(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        form = RouteForm(request.POST if request.POST.get("confirm") else None)
        if not form.is_valid():
            return confirmation_page(
                self,
                request,
                objects=list(queryset),
                action="confirm_route",
                form=form,
                title="Which route do these cases follow?",
                crumb="Confirm the route",
                button="Confirm the route",
            )
        data = form.cleaned_data
        run_each(
            self,
            request,
            queryset,
            lambda c: services.case_confirm_route(
                case=c, advisor=request.user, route=data["route"], note=data["note"]
            ),
            refusals=(InvalidTransition,),
            done_message="{count} case(s) now follow their confirmed route.",
        )
        return None

    @admin.action(description="Mark selected cases as submitted", permissions=["decide"])
    def mark_submitted(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        if not request.POST.get("confirm"):
            return confirmation_page(
                self,
                request,
                objects=list(queryset),
                action="mark_submitted",
                title="Mark these cases as submitted?",
                crumb="Mark submitted",
                button="Yes, mark submitted",
            )
        run_each(
            self,
            request,
            queryset,
            lambda c: services.case_mark_submitted(case=c, by=request.user),
            refusals=(InvalidTransition,),
            done_message="{count} case(s) marked as submitted.",
        )
        return None

    @admin.action(description="Record authorized (asks for the dates)", permissions=["decide"])
    def record_authorized(
        self, request: HttpRequest, queryset: QuerySet
    ) -> TemplateResponse | None:
        form = DecisionForm(request.POST if request.POST.get("confirm") else None)
        if not form.is_valid():
            return confirmation_page(
                self,
                request,
                objects=list(queryset),
                action="record_authorized",
                form=form,
                title="Record these cases as authorized",
                crumb="Record authorized",
                button="Record authorized",
            )
        data = form.cleaned_data
        run_each(
            self,
            request,
            queryset,
            lambda c: services.case_record_decision(
                case=c,
                advisor=request.user,
                authorized=True,
                authorized_from=data["authorized_from"],
                authorized_until=data["authorized_until"],
                note=data["note"],
            ),
            refusals=(InvalidTransition,),
            done_message="{count} case(s) recorded as authorized.",
        )
        return None

    @admin.action(description="Record denied", permissions=["decide"])
    def record_denied(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        form = DenialForm(request.POST if request.POST.get("confirm") else None)
        if not form.is_valid():
            return confirmation_page(
                self,
                request,
                objects=list(queryset),
                action="record_denied",
                form=form,
                title="Record these cases as denied?",
                crumb="Record denied",
                button="Yes, record denied",
            )
        note = form.cleaned_data["note"]
        run_each(
            self,
            request,
            queryset,
            lambda c: services.case_record_decision(
                case=c, advisor=request.user, authorized=False, note=note
            ),
            refusals=(InvalidTransition,),
            done_message="{count} case(s) recorded as denied.",
        )
        return None


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ReadOnlyAdminMixin, AccessLoggedAdminMixin, admin.ModelAdmin):
    log_object_type = "checklist_item"
    list_display = ["title", "student", "due_date", "done_at", "verified_at", "verified_by"]
    list_filter = [
        ("verified_at", admin.EmptyFieldListFilter),
        ("done_at", admin.EmptyFieldListFilter),
        "case__route",
    ]
    list_select_related = ["case__student", "verified_by"]
    search_fields = ["case__student__email", "case__student__full_name", "title"]
    ordering = ["verified_at", "due_date", "pk"]
    actions = ["verify_selected"]
    fields = ["case", "title", "due_date", "done_at", "verified_at", "verified_by", "document_link"]
    readonly_fields = fields

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return request.user.is_iso_advisor

    def student_of(self, obj: ChecklistItem) -> Any:
        return obj.case.student

    @admin.display(ordering="case__student__email")
    def student(self, item: ChecklistItem) -> Any:
        return item.case.student

    document_link = ChecklistItemInline.document_link

    def get_urls(self) -> list[URLPattern]:
        verify = self.admin_site.admin_view(self.verify_one_view)
        return [
            path("<int:pk>/verify/", verify, name="authorization_checklistitem_verify"),
            *super().get_urls(),
        ]

    def verify_one_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """One step, from its case's page: GET asks to confirm (and changes nothing), the
        confirmed POST verifies it and returns to the case."""
        refused = self._look(request, str(pk), action="admin_view")
        if refused is not None:
            return refused
        if not self.has_decide_permission(request):
            raise PermissionDenied
        item = get_object_or_404(ChecklistItem.objects.select_related("case__student"), pk=pk)
        if request.method == "POST" and request.POST.get("confirm"):
            run_each(
                self,
                request,
                [item],
                lambda i: services.checklist_item_verify(item=i, advisor=request.user),
                refusals=(InvalidTransition,),
                done_message="{count} item(s) verified.",
            )
            return redirect("admin:authorization_authorizationcase_change", item.case_id)
        return confirmation_page(
            self,
            request,
            objects=[item],
            action="verify_selected",
            title="Verify this checklist item?",
            crumb="Verify item",
            button="Yes, verify",
        )

    @admin.action(description="Verify selected items", permissions=["decide"])
    def verify_selected(self, request: HttpRequest, queryset: QuerySet) -> TemplateResponse | None:
        if not request.POST.get("confirm"):
            return confirmation_page(
                self,
                request,
                objects=list(queryset),
                action="verify_selected",
                title="Verify these checklist items?",
                crumb="Verify items",
                button="Yes, verify",
            )
        run_each(
            self,
            request,
            queryset,
            lambda i: services.checklist_item_verify(item=i, advisor=request.user),
            refusals=(InvalidTransition,),
            done_message="{count} item(s) verified.",
        )
        return None


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdminMixin, AccessLoggedAdminMixin, admin.ModelAdmin):
    """Read-only: the log is evidence, so no one adds, changes or deletes entries here. Reading
    it is logged as well: it says whose immigration data exists and who looked at it."""

    log_object_type = "access_log"

    list_display = [
        "at",
        "actor_email",
        "student_email",
        "object_type",
        "object_id",
        "action",
        "allowed",
        "ip_address",
    ]
    list_filter = ["allowed", "object_type", "action"]
    search_fields = ["actor_email", "student_email"]
    date_hierarchy = "at"

    def student_of(self, obj: AccessLogEntry) -> Any:
        return obj.student

    def get_actions(self, request: HttpRequest) -> dict:
        return {}
