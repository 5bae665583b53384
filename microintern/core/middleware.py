"""Pages for a signed-in user carry personal data: no browser or proxy keeps a copy."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreForSignedInMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in user, unless the
    view chose its own Cache-Control (downloads already say "private, no-store"; `never_cache`
    says more). A shared computer's back button or a caching proxy would otherwise show one
    person's applications to the next. Static files never get here: WhiteNoise answers them
    before the session is read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Asked before the view runs: signing out turns request.user anonymous, and the
        # sign-out page was still served to someone who was signed in.
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        response = self.get_response(request)
        if signed_in and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response
