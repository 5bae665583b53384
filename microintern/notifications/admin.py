from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from microintern.core.admin_privacy import ImmigrationPrivacyMixin
from microintern.notifications import kinds, services
from microintern.notifications.models import EmailState, Notification, NotificationPreference

SECRET_FIELDS = {"body_text", "body_html", "attachment_content"}


@admin.register(Notification)
class NotificationAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "recipient",
        "subject",
        "email_state",
        "attempts",
        "sent_at",
    ]
    list_filter = ["email_state", "kind", "created_at"]
    search_fields = ["recipient__email", "subject", "dedup_key"]
    list_select_related = ["recipient"]
    # The "created" filter's links, not a date hierarchy (its months came from a scan of every
    # notification); one count per page, not a second of the whole table.
    show_full_result_count = False
    actions = ["resend"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notification]:
        rows = super().get_queryset(request)
        # Work-authorization notifications carry immigration data (route, risk): only ISO
        # advisors and superusers may see them, as in the authorization admin.
        if not (request.user.is_superuser or request.user.is_iso_advisor):
            rows = rows.exclude(kind__startswith="authorization_")
        return rows

    def get_fields(self, request: HttpRequest, obj: Notification | None = None) -> list[str]:
        fields = list(super().get_fields(request, obj))
        if obj is not None and kinds.get(obj.kind).secret:
            # A pending password-reset or confirmation link would let whoever reads it into
            # that account: staff see that it was sent, never what it said.
            fields = [f for f in fields if f not in SECRET_FIELDS]
        return fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Send the selected emails again")
    def resend(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = 0
        for notification in queryset.exclude(
            email_state__in=[EmailState.PENDING, EmailState.SENDING]
        ):
            services.notification_resend(notification=notification)
            count += 1
        self.message_user(request, f"{count} email(s) queued again.", messages.SUCCESS)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ImmigrationPrivacyMixin, admin.ModelAdmin):
    list_display = ["user", "daily_digest"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
