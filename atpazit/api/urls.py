"""URLs of the REST API (mounted at /api/): version 1 and the unknown paths under it.

The API's views authenticate by token only (``framework.TokenAuth``), so they are exempt from
the sign-in and two-factor redirects of the pages: a session never authenticates the API.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from atpazit.api.v1 import api
from atpazit.api.views import tokens as views_tokens

app_name = "api"


def json_refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API answers every refusal in JSON; ninja answers a method it lacks in plain text."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type", "").startswith("text/"):
            refused = JsonResponse(
                {"detail": _("This method is not allowed here."), "code": "method_not_allowed"},
                status=405,
            )
            refused["Allow"] = response["Allow"]
            return refused
        return response

    return wrapped


def _token_only(patterns: list[Any]) -> list[Any]:
    """Mark the API's views: no sign-in redirect and no 2FA gate (the token is the credential)."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _token_only(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            view: Any = json_refusals(entry.callback)
            view.login_required = False
            view.otp_exempt = True
            view.api_endpoint = True
            entry.callback = view
    return patterns


@csrf_exempt  # no session ever authenticates the API: a POST here gets the JSON 404 too
def unknown_path(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other path under /api/v1/: a JSON 404, like every other refusal of the API."""
    return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)


v1_patterns, _app, _namespace = api.urls

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", include((_token_only([*v1_patterns]), "v1"), namespace="v1")),
    *_token_only([path("v1/<path:rest>", unknown_path, name="unknown_path")]),
    path("tokens/", views_tokens.token_list_view, name="token_list"),
    path("tokens/new/", views_tokens.token_create_view, name="token_create"),
    path("tokens/<int:pk>/revoke/", views_tokens.token_revoke_view, name="token_revoke"),
]
