from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from microintern.core import health as health_checks
from microintern.core.attention import to_do_for
from microintern.cycles.models import RecruitingCycle


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    cycle = RecruitingCycle.objects.current()
    today = timezone.localdate()
    context = {
        "cycle": cycle,
        "today": today,
        "stage": cycle.current_stage(today) if cycle else None,
        "key_dates": cycle.key_dates() if cycle else [],
        "to_do": to_do_for(request.user),
    }
    return render(request, "home.html", context)


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """/healthz: 503 when the database or broker is down, "degraded" when the worker or
    beat is late (see microintern/core/health.py and the README's Production section)."""
    code, body = health_checks.report()
    return JsonResponse(body, status=code)
