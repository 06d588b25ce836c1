"""The pages where a user manages their own API tokens: list, create (the secret shown once),
revoke. Only a session past two-factor sign-in reaches them (TwoFactorRequiredMiddleware); the
API itself cannot make a token."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from atpazit.accounts.access import actor_for, requires
from atpazit.api import services
from atpazit.api.forms import TokenForm
from atpazit.api.selectors import get_token_for_user, tokens_visible_to
from atpazit.lib.forms import run_service


@requires("api.token:manage")
def token_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    tokens = list(tokens_visible_to(actor))
    return render(request, "api/token_list.html", {"tokens": tokens})


@requires("api.token:manage")
@require_http_methods(["GET", "POST"])
def token_create_view(request: HttpRequest) -> HttpResponse:
    """On success the page shows the whole token once; it is stored nowhere (only its hash)."""
    actor = actor_for(request)
    form = TokenForm(request.POST or None)
    made: list[services.NewToken] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form, lambda: made.append(services.create_token(actor=actor, **form.cleaned_data))
        )
    ):
        return render(request, "api/token_created.html", {"new": made[0]})
    return render(request, "api/token_form.html", {"form": form})


@requires("api.token:manage")
@require_http_methods(["GET", "POST"])
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    api_token = get_token_for_user(actor, pk)
    if request.method == "POST":
        try:
            services.revoke_token(actor=actor, token=api_token)
        except services.ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The token is revoked. It no longer works."))
        return redirect("api:token_list")
    return render(request, "api/token_revoke.html", {"token": api_token})
