from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, object]:
    return {"CAPD_CONTACT_EMAIL": settings.CAPD_CONTACT_EMAIL}
