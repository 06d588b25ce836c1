"""The pages where an organisation's administrator manages its webhook endpoints: list,
register (the secret shown once), the endpoint and its delivery log, rotate the secret (shown
once), pause, resume, delete. Responses that show a secret are ``no-store``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from atpazit.accounts.access import actor_for, requires
from atpazit.lib.forms import run_service, run_service_telling
from atpazit.webhooks import services
from atpazit.webhooks.forms import EndpointForm
from atpazit.webhooks.selectors import delivery_log, endpoints_visible_to, get_endpoint_for_user
from atpazit.webhooks.tasks import BACKOFF, MAX_ATTEMPTS

MANAGE = "webhooks.endpoint:manage"


@requires(MANAGE)
def endpoint_list_view(request: HttpRequest) -> HttpResponse:
    endpoints = list(endpoints_visible_to(actor_for(request)))
    return render(request, "webhooks/endpoint_list.html", {"endpoints": endpoints})


@requires(MANAGE)
@require_http_methods(["GET", "POST"])
def endpoint_create_view(request: HttpRequest) -> HttpResponse:
    """On success the page shows the signing secret once; it is kept only encrypted."""
    actor = actor_for(request)
    form = EndpointForm(request.POST or None)
    made: list[services.NewSecret] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form, lambda: made.append(services.create_endpoint(actor=actor, **form.cleaned_data))
        )
    ):
        return render(request, "webhooks/secret_shown.html", {"new": made[0], "created": True})
    return render(request, "webhooks/endpoint_form.html", {"form": form})


@requires(MANAGE)
def endpoint_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_endpoint_for_user(actor_for(request), pk)
    return render(
        request,
        "webhooks/endpoint_detail.html",
        {
            "endpoint": endpoint,
            "deliveries": delivery_log(endpoint),
            "max_attempts": MAX_ATTEMPTS,
            "retry_hours": round(sum(b.total_seconds() for b in BACKOFF) / 3600),
        },
    )


@requires(MANAGE)
@require_http_methods(["GET", "POST"])
def endpoint_rotate_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    endpoint = get_endpoint_for_user(actor, pk)
    if request.method == "POST":
        made: list[services.NewSecret] = []
        if run_service_telling(
            request,
            lambda: made.append(services.rotate_secret(actor=actor, endpoint=endpoint)),
            success=_("A new signing secret was made."),
        ):
            return render(request, "webhooks/secret_shown.html", {"new": made[0]})
        return redirect("webhooks:endpoint_detail", pk=endpoint.pk)
    return render(request, "webhooks/endpoint_rotate.html", {"endpoint": endpoint})


@requires(MANAGE)
@require_POST
def endpoint_pause_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    endpoint = get_endpoint_for_user(actor, pk)
    run_service_telling(
        request,
        lambda: services.pause_endpoint(actor=actor, endpoint=endpoint),
        success=_("The endpoint is paused: nothing is sent to it until you resume it."),
    )
    return redirect("webhooks:endpoint_detail", pk=endpoint.pk)


@requires(MANAGE)
@require_POST
def endpoint_resume_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    endpoint = get_endpoint_for_user(actor, pk)
    run_service_telling(
        request,
        lambda: services.resume_endpoint(actor=actor, endpoint=endpoint),
        success=_("The endpoint is active again."),
    )
    return redirect("webhooks:endpoint_detail", pk=endpoint.pk)


@requires(MANAGE)
@require_http_methods(["GET", "POST"])
def endpoint_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    endpoint = get_endpoint_for_user(actor, pk)
    if request.method == "POST":
        if run_service_telling(
            request,
            lambda: services.delete_endpoint(actor=actor, endpoint=endpoint),
            success=_("The endpoint is deleted."),
        ):
            return redirect("webhooks:endpoint_list")
        return redirect("webhooks:endpoint_detail", pk=endpoint.pk)
    return render(request, "webhooks/endpoint_delete.html", {"endpoint": endpoint})
