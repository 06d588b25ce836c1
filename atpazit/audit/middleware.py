"""Set the audit context (who, which organisation, from where) for each request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from atpazit.audit.context import AuditContext, current_context


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def context_for(request: HttpRequest) -> AuditContext:
    user = getattr(request, "user", None)
    actor = getattr(request, "actor", None)
    organisation = actor.organisation if actor is not None else None
    if user is None or not user.is_authenticated:
        return AuditContext(ip_address=client_ip(request))
    return AuditContext(
        actor_id=user.pk,
        actor_label=user.get_username(),
        organisation_id=organisation.pk if organisation else None,
        organisation_label=organisation.name if organisation else "",
        ip_address=client_ip(request),
    )


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_context.set(context_for(request))
        try:
            return self.get_response(request)
        finally:
            current_context.reset(token)
