"""Response headers every page of Atpazīt gets."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Mark every response the application renders ``Cache-Control: no-store, private``.

    Nearly every page shows personal data or who works on what, and a shared office computer, a
    browser's back button or a proxy must not keep a copy. Doing it here, for every response,
    means a new view cannot forget it. Static files are served before this by WhiteNoise and stay
    cacheable; a view that sets its own Cache-Control keeps it, with no-store added.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response
