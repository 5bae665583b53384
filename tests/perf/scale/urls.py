"""The portal's URLs and one bare view: the same middleware and gunicorn, no work at all."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from microintern.urls import urlpatterns as portal_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare, name="bench_bare"), *portal_urlpatterns]
