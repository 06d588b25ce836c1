"""What every endpoint of the REST API shares: token authentication, the permission and scope
gate, the JSON errors and their schema, and pagination (docs/api.md, ADR 0027).

The API is not a side door: a token acts as its user in one organisation (the same ``Actor`` a
page gets), each operation declares the same permission as the page it mirrors, and reads and
writes go through the same selectors and services, so the same scope (404 outside it), the same
invariants and the same audit events apply. Sessions never authenticate the API: a request
without a token is a 401 even with a signed-in browser's cookie, so CSRF cannot apply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from atpazit.accounts.access import Actor
from atpazit.api import services
from atpazit.api.models import ApiToken
from atpazit.audit.context import AuditContext, current_context
from atpazit.audit.middleware import client_ip
from atpazit.lib.errors import (
    ConcurrentEdit,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    ServiceError,
)

M = TypeVar("M", bound=Model)


class ErrorOut(Schema):
    """Every 4xx answer: ``detail`` for people, ``code`` for programs, ``fields`` for bad input."""

    detail: str
    code: str
    fields: dict[str, list[str]] | None = None


class ApiError(Exception):
    """An answer other than 2xx, with its code (``detail`` is translated)."""

    def __init__(
        self, status: int, code: str, detail: str, fields: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.fields = fields


class Unauthenticated(AuthenticationError):
    def __init__(self, code: str = "unauthenticated") -> None:
        super().__init__()
        self.code = code


UNAUTHENTICATED_DETAIL = {
    "expired": gettext_lazy("The token has expired."),
    "revoked": gettext_lazy("The token was revoked."),
    "user_inactive": gettext_lazy("The token's user is deactivated."),
    "no_membership": gettext_lazy("The token's user no longer works for its organisation."),
}
SEND_A_TOKEN = gettext_lazy("Send a valid API token: Authorization: Bearer atp_...")


class TokenAuth(HttpBearer):
    """``Authorization: Bearer atp_...``, checked for one operation: the token must act now, its
    user's role in its organisation must hold ``permission``, and a write needs a read-write
    token. Sets ``request.actor`` (and ``request.user``) to the token's, and the audit context
    to the token's user and organisation, so every event of the request is theirs."""

    def __init__(self, permission: str, *, writes: bool) -> None:
        super().__init__()
        self.permission = permission
        self.writes = writes

    def __call__(self, request: HttpRequest) -> Any:
        result = super().__call__(request)
        if result is None:
            raise Unauthenticated("unauthenticated")
        return result

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        try:
            api_token = services.authenticate(token.strip())
        except services.TokenRefused as exc:
            raise Unauthenticated(exc.code) from None
        membership = api_token.membership
        actor = Actor(user=membership.user, membership=membership)
        request.actor = actor  # type: ignore[attr-defined]
        request.user = membership.user
        organisation = membership.organisation
        current_context.set(
            AuditContext(
                actor_id=membership.user.pk,
                actor_label=membership.user.get_username(),
                organisation_id=organisation.pk,
                organisation_label=organisation.name,
                ip_address=client_ip(request),
            )
        )
        services.record_use(api_token)
        if not actor.can(self.permission):
            raise ApiError(403, "forbidden", _("The token's role may not do this."))
        if self.writes and not api_token.writes:
            raise ApiError(403, "read_only_token", _("This token may only read."))
        return api_token


def token(permission: str, *, writes: bool = False) -> TokenAuth:
    return TokenAuth(permission, writes=writes)


def actor_of(request: HttpRequest) -> Actor:
    actor = getattr(request, "actor", None)
    if not isinstance(actor, Actor):  # the gate always sets it; deny when unsure
        raise ApiError(401, "unauthenticated", str(SEND_A_TOKEN))
    return actor


def answers(ok: Any, *statuses: int, status: int = 200) -> dict[int, Any]:
    """The documented answers of an operation: its success, 401, 403 and 422 (every operation
    is authenticated, gated by a permission and validates its parameters), and ``statuses``."""
    documented: dict[int, Any] = {status: ok}
    for code in (401, 403, 422, *statuses):
        documented[code] = ErrorOut
    return documented


# --- errors -----------------------------------------------------------------------------------


def error_response(api: Any, request: HttpRequest, status: int, body: dict[str, Any]) -> Any:
    return api.create_response(request, body, status=status)


def install_error_handlers(api: Any) -> None:
    """Every refusal becomes ``{"detail", "code"}`` with the right status."""

    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        code = getattr(exc, "code", "unauthenticated")
        detail = str(UNAUTHENTICATED_DETAIL.get(code, SEND_A_TOKEN))
        response = error_response(api, request, 401, {"detail": detail, "code": code})
        response["WWW-Authenticate"] = 'Bearer realm="atpazit"'
        return response

    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        body: dict[str, Any] = {"detail": exc.detail, "code": exc.code}
        if exc.fields:
            body["fields"] = exc.fields
        return error_response(api, request, exc.status, body)

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        body = {"detail": _("Not found."), "code": "not_found"}
        return error_response(api, request, 404, body)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = "bad_request" if exc.status_code == 400 else "error"
        return error_response(api, request, exc.status_code, {"detail": str(exc), "code": code})

    def validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            location = [str(part) for part in error.get("loc", ())]
            # ("body", "payload", "reason") or ("query", "limit"): the field is what follows.
            name = ".".join(location[2:] if location[:1] == ["body"] else location[1:]) or "body"
            fields.setdefault(name, []).append(str(error.get("msg", "")))
        return _invalid(api, request, fields)

    def invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
        fields = {("body" if k == "__all__" else k): v for k, v in exc.errors.items()}
        return _invalid(api, request, fields, code=exc.code)

    def refused(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        status = 403 if isinstance(exc, NotAllowed) else 409
        body: dict[str, Any] = {"detail": exc.message, "code": exc.code}
        if exc.field:
            body["fields"] = {exc.field: [exc.message]}
        return error_response(api, request, status, body)

    api.add_exception_handler(Unauthenticated, unauthenticated)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(NinjaValidationError, validation)
    api.add_exception_handler(InvalidInput, invalid_input)
    for refusal in (ServiceError, NotAllowed, InvalidTransition, ConcurrentEdit):
        api.add_exception_handler(refusal, refused)


def _invalid(
    api: Any, request: HttpRequest, fields: dict[str, list[str]], code: str = "invalid"
) -> HttpResponse:
    detail = " ".join(f"{name}: {' '.join(messages)}" for name, messages in fields.items())
    return error_response(api, request, 422, {"detail": detail, "code": code, "fields": fields})


# --- input ------------------------------------------------------------------------------------

# Text stored in a plain (not encrypted) column: no NUL character, which PostgreSQL cannot store
# (a form refuses it too). The answer is a 422 naming the field.
NO_NUL = r"^[^\x00]*$"


# --- pagination -------------------------------------------------------------------------------

MAX_LIMIT = 200


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Rows per page (1–200).")
    offset: int = Field(0, ge=0, le=10_000_000, description="Rows to skip.")
    updated_since: dt.datetime | None = Field(
        None, description="Only rows changed at or after this moment (ISO 8601, with a zone)."
    )


def page_of(queryset: QuerySet[M], query: PageQuery) -> tuple[list[M], int | None]:
    """One page of ``queryset`` (already ordered) and the offset of the next, None at the end.
    Reads ``limit + 1`` rows instead of counting, so a page costs the same at any size."""
    rows = list(queryset[query.offset : query.offset + query.limit + 1])
    more = len(rows) > query.limit
    return rows[: query.limit], (query.offset + query.limit if more else None)


def listing(items: Iterable[Any], query: PageQuery, next_offset: int | None) -> dict[str, Any]:
    return {
        "items": list(items),
        "limit": query.limit,
        "offset": query.offset,
        "next_offset": next_offset,
    }
