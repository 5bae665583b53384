from django.contrib import admin

from microintern.cycles.models import Holiday, RecruitingCycle


@admin.register(RecruitingCycle)
class RecruitingCycleAdmin(admin.ModelAdmin):
    list_display = ["name", "postings_open", "offers_begin", "iap_start", "iap_end", "is_current"]
    list_filter = ["is_current"]
    fieldsets = [
        (None, {"fields": ["name", "is_current"]}),
        (
            "Key dates",
            {"fields": ["postings_open", "interviews_begin", "offers_begin", "arrangements_begin"]},
        ),
        ("IAP window", {"fields": ["iap_start", "iap_end"]}),
    ]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]
