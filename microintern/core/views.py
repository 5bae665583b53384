from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from microintern.core import health as health_checks


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """/healthz: 503 when the database or broker is down, "degraded" when the worker or
    beat is late (see microintern/core/health.py and the README's Production section)."""
    code, body = health_checks.report()
    return JsonResponse(body, status=code)
