"""CAPD staff's tools: offers (deadline, status, expiring soon), extension requests,
arrangements not yet confirmed, reneging cases. Statuses are read-only; state changes go
through the services as admin actions with a confirmation page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from applications.models import ApplicationError
from microintern.core.admin_actions import confirmation_page, run_each
from microintern.core.admin_privacy import ImmigrationPrivacyMixin
from offers import services
from offers.models import (
    AcceptanceClosure,
    Arrangement,
    ArrangementStatus,
    ExtensionRequest,
    Offer,
    OfferError,
    OfferStatus,
    OfferStatusChange,
    RenegingCase,
    RenegingReason,
)

EXPIRING_SOON = dt.timedelta(days=2)


class ExpiringSoonFilter(admin.SimpleListFilter):
    title = "deadline"
    parameter_name = "deadline"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("soon", "Pending, expiring within 48 hours"), ("passed", "Pending, past deadline")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Offer]) -> QuerySet[Offer]:
        now = timezone.now()
        if self.value() == "soon":
            return queryset.filter(
                status=OfferStatus.PENDING, deadline__gt=now, deadline__lte=now + EXPIRING_SOON
            )
        if self.value() == "passed":
            return queryset.filter(status=OfferStatus.PENDING, deadline__lte=now)
        return queryset


class WithoutInterviewFilter(admin.SimpleListFilter):
    """Offers the employer made without a held interview: CAPD reads why."""

    title = "interview"
    parameter_name = "interview"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("none", "Offered without a held interview")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Offer]) -> QuerySet[Offer]:
        if self.value() == "none":
            return queryset.exclude(no_interview_reason="")
        return queryset


class StatusChangeInline(admin.TabularInline):
    model = OfferStatusChange
    fields = ["at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AcceptanceClosureInline(admin.TabularInline):
    """What this offer's acceptance closed: what a reversal of it reopens."""

    model = AcceptanceClosure
    fk_name = "accepted_offer"
    verbose_name = "closed by this acceptance"
    verbose_name_plural = "closed by this acceptance (a reversal reopens these)"
    fields = ["closed_at", "application", "offer", "from_status", "reopened_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[AcceptanceClosure]:
        return (
            super()
            .get_queryset(request)
            .select_related(
                "application__student",
                "application__posting",
                "offer__student",
                "offer__application__posting",
            )
        )

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReversalForm(forms.Form):
    note = forms.CharField(
        label="Why (the student and the employer read it)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def reverse_and_report(
    model_admin: admin.ModelAdmin, request: HttpRequest, offer: Offer, *, to_status: str, note: str
) -> None:
    """Reverse one acceptance and say what else it reopened, or that nothing was on record
    (an acceptance made before the links were stored reopens nothing else)."""
    result = services.offer_reverse_acceptance(
        offer=offer, by=request.user, to_status=to_status, note=note
    )
    if result.reopened_anything:
        parts = [
            f"the offer for “{other.posting.title}” (pending again)"
            for other in result.reopened_offers
        ] + [
            f"the application to “{application.posting.title}” "
            f"({application.get_status_display().lower()})"
            for application in result.applications_without_offer
        ]
        text = f"{offer}: reopened what the acceptance had closed: {'; '.join(parts)}."
        model_admin.message_user(request, text, messages.SUCCESS)
    else:
        model_admin.message_user(
            request,
            f"{offer}: nothing else reopened. No application or offer closed by this "
            "acceptance is on record (acceptances made before the portal recorded them have "
            "none): check the student's other applications and offers in the cycle.",
            messages.WARNING,
        )


class RenegingForm(forms.Form):
    reason_code = forms.ChoiceField(label="Reason", choices=RenegingReason.choices)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


def expire_one(offer: Offer) -> None:
    if services.offers_expire_due(only=[offer.pk]) != 1:
        raise OfferError("It was decided, or its deadline moved, before the expiry.")


def confirm_then_run(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Offer],
    *,
    action: str,
    title: str,
    form_class: type[forms.Form],
    run: Callable[[Offer, dict], object],
) -> HttpResponse | None:
    """A confirmation page with a form; on confirm, `run` calls a service once per offer."""
    offers = list(queryset.select_related("student", "application__posting__organization"))
    form = form_class(request.POST if "confirm" in request.POST else None)
    if "confirm" in request.POST and form.is_valid():
        run_each(
            model_admin,
            request,
            offers,
            lambda offer: run(offer, form.cleaned_data),
            # ApplicationError: the offer's application cannot be reopened as asked (the
            # offer's transaction rolled back; nothing of it changed).
            refusals=(OfferError, ApplicationError),
            done_message=f"{title}: {{count}} offer(s) done.",
        )
        return None
    return confirmation_page(
        model_admin,
        request,
        objects=offers,
        action=action,
        title=f"{title}: confirm",
        crumb=title,
        form=form,
        template="admin/offers/confirm.html",
    )


@admin.register(Offer)
class OfferAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = ["__str__", "organization_name", "status", "deadline", "expiring_soon", "cycle"]
    list_filter = [
        "status",
        ExpiringSoonFilter,
        WithoutInterviewFilter,
        "cycle",
        "decision_window_days",
    ]
    search_fields = ["student__email", "student__full_name", "application__posting__title"]
    list_select_related = ["student", "application__posting__organization", "cycle"]
    # No date hierarchy (its days came from a scan of every offer); "expiring soon" and the
    # list's deadline sort do that work. One count per page, not a second of the table.
    show_full_result_count = False
    readonly_fields = [
        "application",
        "student",
        "cycle",
        "status",
        "pay_hourly",
        "start_date",
        "end_date",
        "hours_per_week",
        "message",
        "no_interview_reason",
        "decision_window_days",
        "decision_days_total",
        "extended_at",
        "extended_by",
        "deadline",
        "decided_at",
        "decline_reason",
        "rescind_reason",
    ]
    inlines = [StatusChangeInline, AcceptanceClosureInline]
    actions = ["expire_due_now", "reverse_to_pending", "reverse_to_declined", "record_reneging"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # employers extend offers on the site

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="organization")
    def organization_name(self, obj: Offer) -> str:
        return obj.application.posting.organization.name

    @admin.display(description="expiring soon", boolean=True)
    def expiring_soon(self, obj: Offer) -> bool:
        now = timezone.now()
        return obj.status == OfferStatus.PENDING and now < obj.deadline <= now + EXPIRING_SOON

    @admin.action(description="Expire the selected offers past their deadline (asks first)")
    def expire_due_now(self, request: HttpRequest, queryset: QuerySet[Offer]):
        """The sweep's work for the selected rows only, and only those already past their
        deadline: the others are named and left alone."""
        due = queryset.filter(pk__in=Offer.objects.due_to_expire(timezone.now()).values("pk"))
        if not due.exists():
            self.message_user(
                request,
                "None of the selected offers is pending past its deadline: nothing expired.",
                messages.WARNING,
            )
            return None
        return confirm_then_run(
            self,
            request,
            due,
            action="expire_due_now",
            title="Expire the selected offers past their deadline",
            form_class=forms.Form,
            run=lambda offer, data: expire_one(offer),
        )

    @admin.action(description="Reverse the acceptance: back to pending (a fresh deadline)")
    def reverse_to_pending(self, request: HttpRequest, queryset: QuerySet[Offer]):
        return confirm_then_run(
            self,
            request,
            queryset,
            action="reverse_to_pending",
            title="Reverse the acceptance, offer back to pending",
            form_class=ReversalForm,
            run=lambda offer, data: reverse_and_report(
                self, request, offer, to_status=OfferStatus.PENDING, note=data["note"]
            ),
        )

    @admin.action(description="Reverse the acceptance: declined")
    def reverse_to_declined(self, request: HttpRequest, queryset: QuerySet[Offer]):
        return confirm_then_run(
            self,
            request,
            queryset,
            action="reverse_to_declined",
            title="Reverse the acceptance, offer declined",
            form_class=ReversalForm,
            run=lambda offer, data: reverse_and_report(
                self, request, offer, to_status=OfferStatus.DECLINED, note=data["note"]
            ),
        )

    @admin.action(description="Record a reneging case")
    def record_reneging(self, request: HttpRequest, queryset: QuerySet[Offer]):
        return confirm_then_run(
            self,
            request,
            queryset,
            action="record_reneging",
            title="Record a reneging case",
            form_class=RenegingForm,
            run=lambda offer, data: services.reneging_case_record(
                offer=offer, by=request.user, reason_code=data["reason_code"], notes=data["notes"]
            ),
        )


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = [
        "offer",
        "status",
        "days_requested",
        "days_granted",
        "created_at",
        "new_deadline",
    ]
    list_filter = ["status", "offer__cycle"]
    search_fields = ["offer__student__email", "offer__application__posting__title"]
    list_select_related = ["offer__student", "offer__application__posting"]
    readonly_fields = [f.name for f in ExtensionRequest._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class UnconfirmedFilter(admin.SimpleListFilter):
    title = "confirmation"
    parameter_name = "confirmed"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("no", "Not yet confirmed"), ("yes", "Confirmed")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Arrangement]):
        if self.value() == "no":
            return queryset.unconfirmed()
        if self.value() == "yes":
            return queryset.filter(status=ArrangementStatus.CONFIRMED)
        return queryset


@admin.register(Arrangement)
class ArrangementAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = ["offer", "status", "start_date", "end_date", "work_mode", "outside_iap_allowed"]
    list_filter = [UnconfirmedFilter, "status", "work_mode", "outside_iap_allowed", "offer__cycle"]
    search_fields = ["offer__student__email", "offer__application__posting__title"]
    list_select_related = ["offer__student", "offer__application__posting"]
    # Staff may only allow dates outside IAP; the rest is agreed by the two sides.
    readonly_fields = [
        f.name for f in Arrangement._meta.fields if f.name not in ("outside_iap_allowed", "id")
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(RenegingCase)
class RenegingCaseAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = ["offer", "reason_code", "recorded_by", "recorded_at"]
    list_filter = ["reason_code", "offer__cycle"]
    search_fields = ["offer__student__email", "notes"]
    list_select_related = ["offer__student", "offer__application__posting", "recorded_by"]
    readonly_fields = ["offer", "reason_code", "recorded_by", "recorded_at"]
    fields = ["offer", "reason_code", "notes", "recorded_by", "recorded_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # recorded with the "Record a reneging case" action on offers
