"""The REST API, version 1: one NinjaAPI with a router per part of the domain (docs/api.md).

OpenAPI 3.1 at ``/api/v1/openapi.json``, its Swagger UI page at ``/api/v1/docs`` (served from the
app's own static files: ``ninja`` is an installed app, so nothing comes from a CDN, and the page
runs no inline script, so the CSP stands).
"""

from __future__ import annotations

from dataclasses import dataclass

from ninja import NinjaAPI

from atpazit.api.framework import TokenAuth, install_error_handlers
from atpazit.api.views import (
    followup,
    monitoring,
    persons,
    referrals,
    removals,
    screenings,
    statistics,
)

api = NinjaAPI(
    title="Atpazīt API",
    version="1",
    description=(
        "The REST API of Atpazīt for the systems of the organisations that use it. "
        "Authenticate with `Authorization: Bearer <token>`; a token acts as the user who made "
        "it, in that user's organisation, with that user's permissions. See docs/api.md."
    ),
    urls_namespace="api:v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("", referrals.router)
api.add_router("", persons.router)
api.add_router("", screenings.router)
api.add_router("", removals.router)
api.add_router("", followup.router)
api.add_router("", monitoring.router)
api.add_router("", statistics.router)


@dataclass(frozen=True)
class OperationInfo:
    """One operation of the API as the authorisation matrix sees it."""

    url_name: str  # in the "api:v1" namespace
    method: str
    path: str
    permission: str
    writes: bool


def operations() -> list[OperationInfo]:
    """Every operation with the permission its token gate checks (tests/test_authorization_matrix.py
    walks them for every role)."""
    found = []
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                gate = next(a for a in operation.auth_callbacks if isinstance(a, TokenAuth))
                for method in operation.methods:
                    found.append(
                        OperationInfo(
                            url_name=f"api:v1:{operation.url_name}",
                            method=method,
                            path=path,
                            permission=gate.permission,
                            writes=gate.writes,
                        )
                    )
    return sorted(found, key=lambda o: o.url_name)
