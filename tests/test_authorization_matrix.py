"""The generated authorisation matrix: every URL, for every role and for anonymous visitors.

The expected outcome comes from the permission table (atpazit/accounts/permissions.py) and the
permission each view declares. A view that declares nothing fails here: deny by default.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from atpazit.accounts.permissions import permissions_for
from atpazit.accounts.roles import Role
from atpazit.accounts.tests.factories import member
from atpazit.audit.models import AuditEvent
from tests.authz import (
    DEV_ONLY,
    NO_PERSONAL_DATA,
    PERSONAL_DATA_READS,
    PUBLIC,
    READ_OF_ANOTHER_OBJECT,
    URL_SAMPLES,
)

UNSET = object()


@dataclass(frozen=True)
class Route:
    name: str
    callback: Any
    has_parameters: bool


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            has_parameters = bool(entry.pattern.regex.groupindex) or "<" in str(entry.pattern)
            yield Route(f"{namespace}{entry.name}", entry.callback, has_parameters)


def all_routes() -> list[Route]:
    """Every page; the REST API's operations have their own part below ("the REST API")."""
    routes = {
        route.name: route
        for route in _walk(get_resolver().url_patterns)
        if not getattr(route.callback, "api_endpoint", False)
    }
    return sorted(routes.values(), key=lambda r: r.name)


def unnamed_patterns(patterns: list[Any]) -> list[str]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += unnamed_patterns(entry.url_patterns)
        elif isinstance(entry, URLPattern) and not entry.name:
            found.append(str(entry.pattern))
    return found


ROUTES = all_routes()
ROLES = [role.value for role in Role]


def test_every_url_has_a_name():
    assert unnamed_patterns(get_resolver().url_patterns) == []


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_every_view_declares_who_may_open_it(route: Route):
    declared = getattr(route.callback, "required_permission", UNSET)
    assert route.name in PUBLIC or declared is not UNSET, (
        f"{route.name} declares no permission: decorate it with @requires(...) or @requires_login_only"
    )


@pytest.mark.parametrize("route", [r for r in ROUTES if r.has_parameters], ids=lambda r: r.name)
def test_every_url_with_parameters_has_a_sample(route: Route):
    assert route.name in URL_SAMPLES, f"add a sample for {route.name} to tests/authz.py"


def _kwargs(route: Route, user: Any) -> dict[str, Any]:
    return URL_SAMPLES[route.name](user) if route.has_parameters else {}


def _url(route: Route, user: Any) -> str:
    return reverse(route.name, kwargs=_kwargs(route, user))


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if r.name not in PUBLIC], ids=lambda r: r.name)
def test_anonymous_visitors_are_sent_to_sign_in(route: Route):
    owner = member("system_admin")
    url = _url(route, owner) if route.has_parameters else reverse(route.name)
    response = Client().get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_what_the_permission_table_allows(role: str, client_for):
    from conftest import verified_client

    user = member(role)
    client = verified_client(user)
    allowed = permissions_for(role)
    mismatches = []
    for route in ROUTES:
        if route.name in PUBLIC:
            continue
        needed = getattr(route.callback, "required_permission", UNSET)
        expected_allowed = (needed is None or needed in allowed) and route.name not in DEV_ONLY
        read_event = PERSONAL_DATA_READS.get(route.name)
        kwargs = _kwargs(route, user)
        last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
        status = client.get(reverse(route.name, kwargs=kwargs)).status_code
        denied = status in (403, 404)
        if expected_allowed == denied:
            mismatches.append(
                f"{route.name}: got {status}, expected {'allowed' if expected_allowed else 'denied'}"
            )
        if read_event:
            reads = list(
                AuditEvent.objects.filter(action=read_event, sequence__gt=last or 0).values_list(
                    "object_id", flat=True
                )
            )
            mismatches += _read_mismatches(route.name, read_event, status, reads, kwargs)
        if route.has_parameters and status == 200 and not _classified(route.name):
            mismatches.append(
                f"{route.name}: a detail page not classified in tests/authz.py "
                "(PERSONAL_DATA_READS with its read event, or NO_PERSONAL_DATA with the reason)"
            )
    assert mismatches == []


def _read_mismatches(
    name: str, read_event: str, status: int, reads: list[str], kwargs: dict[str, Any]
) -> list[str]:
    """A page that shows personal data leaves exactly one read event, of the object the URL
    names (or, for READ_OF_ANOTHER_OBJECT, the one it shows); a refused request leaves none
    (the accessor refuses before it reads)."""
    if status in (403, 404):
        return [f"{name}: refused ({status}) but wrote {read_event}"] if reads else []
    if status != 200:
        return []
    if len(reads) != 1:
        return [f"{name}: shown with {len(reads)} {read_event} events, not exactly one"]
    if name not in READ_OF_ANOTHER_OBJECT and reads[0] not in {str(v) for v in kwargs.values()}:
        return [f"{name}: {read_event} is about object {reads[0]}, not the page's {kwargs}"]
    return []


def _classified(name: str) -> bool:
    return name in PERSONAL_DATA_READS or name in NO_PERSONAL_DATA


def test_every_development_only_page_is_a_route():
    assert DEV_ONLY - {route.name for route in ROUTES} == set()


def test_every_personal_data_read_is_a_route():
    assert set(PERSONAL_DATA_READS) - {route.name for route in ROUTES} == set()
    assert set(READ_OF_ANOTHER_OBJECT) - set(PERSONAL_DATA_READS) == set()


def test_every_page_classified_without_a_read_event_is_a_route_with_parameters():
    with_parameters = {route.name for route in ROUTES if route.has_parameters}
    assert set(NO_PERSONAL_DATA) - with_parameters == set()


def test_no_page_is_classified_twice():
    assert set(PERSONAL_DATA_READS) & set(NO_PERSONAL_DATA) == set()


# --- state-changing requests of the account pages ------------------------------------------


def _accounts_state() -> list[Any]:
    """Everything an account write could change, to compare before and after a request."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from atpazit.accounts.models import Membership, Organisation, PasswordLink, User

    return [
        list(User.objects.order_by("pk").values_list("pk", "username", "password", "is_active")),
        list(Membership.objects.order_by("pk").values_list("pk", "role", "is_active")),
        list(Organisation.objects.order_by("pk").values_list("pk", "name", "type", "is_active")),
        list(TOTPDevice.objects.order_by("pk").values_list("pk", "confirmed")),
        StaticDevice.objects.count(),
        PasswordLink.objects.count(),
    ]


def test_every_account_page_that_writes_is_in_the_write_matrix():
    from tests.authz import ACCOUNT_READS_OR_SESSION_ONLY, ACCOUNT_WRITES

    account_routes = {r.name for r in ROUTES if r.name.startswith("accounts:")}
    covered = {w.route for w in ACCOUNT_WRITES} | ACCOUNT_READS_OR_SESSION_ONLY
    assert account_routes - covered == set()


def _write_cases() -> list[Any]:
    from tests.authz import ACCOUNT_WRITES

    return [
        pytest.param(role, write, id=f"{role}-{write.label}")
        for role in ROLES
        for write in ACCOUNT_WRITES
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "write"), _write_cases())
def test_each_role_changes_accounts_exactly_where_the_permission_table_allows(role, write):
    from conftest import verified_client

    user = member(role)
    route = next(r for r in ROUTES if r.name == write.route)
    needed = getattr(route.callback, "required_permission", UNSET)
    allowed = not write.always_refused and (needed is None or needed in permissions_for(role))
    url = reverse(write.route, kwargs=write.kwargs(user))
    data = write.data(user)
    before = _accounts_state()
    status = verified_client(user).post(url, data).status_code
    after = _accounts_state()
    if allowed:
        assert status == 302, f"{write.label} refused for {role} ({status})"
        assert after != before, f"{write.label} changed nothing for {role}"
    else:
        assert after == before, f"{write.label} went through for {role} ({status})"
        if not write.always_refused:
            assert status in (403, 404)


# --- downloads that are exports: a POST for the roles the table allows, never a GET ----------


def _download_cases() -> list[Any]:
    from tests.authz import DOWNLOADS

    return [
        pytest.param(role, download, id=f"{role}-{download.route}")
        for role in ROLES
        for download in DOWNLOADS
    ]


def test_every_download_is_a_route():
    from tests.authz import DOWNLOADS

    names = {route.name for route in ROUTES}
    assert {d.route for d in DOWNLOADS} | {d.page for d in DOWNLOADS} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "download"), _download_cases())
def test_each_role_downloads_exactly_where_the_permission_table_allows_and_only_by_post(
    role, download
):
    from urllib.parse import urlencode

    from conftest import verified_client

    user = member(role)
    client = verified_client(user)
    allowed = download.permission in permissions_for(role)
    url = reverse(download.route, kwargs=download.kwargs(user))
    data = download.data(user)

    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    got = client.get(f"{url}?{urlencode(data)}")
    assert "attachment" not in got.get("Content-Disposition", ""), f"GET downloads for {role}"
    assert not AuditEvent.objects.filter(sequence__gt=last or 0, action=download.event).exists()

    response = client.post(url, data)
    written = AuditEvent.objects.filter(sequence__gt=last or 0, action=download.event).count()
    if allowed:
        assert response.status_code == 200, f"{download.route} refused for {role}"
        assert response["Content-Disposition"].startswith("attachment;")
        assert written == 1
    else:
        assert response.status_code in (403, 404), f"{download.route} went through for {role}"
        assert written == 0


# --- the REST API (atpazit/api): every operation, for every role and without a token ----------

# A refusal by the token gate (the role's permissions, the token's scope), not by the service.
GATE_REFUSALS = {"forbidden", "read_only_token"}


def _api_operations() -> list[Any]:
    from atpazit.api.v1 import operations

    return operations()


API_OPERATIONS = _api_operations()


def _api_names() -> set[str]:
    return {
        route.name
        for route in _walk(get_resolver().url_patterns)
        if getattr(route.callback, "api_endpoint", False) and route.name.startswith("api:v1:")
    }


def test_every_api_url_is_an_operation_with_a_permission_or_public():
    from tests.authz import API_PUBLIC

    assert _api_names() - API_PUBLIC == {op.url_name for op in API_OPERATIONS}
    assert all(op.permission for op in API_OPERATIONS)


def test_every_api_operation_with_parameters_has_a_sample_and_every_write_a_body():
    from tests.authz import API_BODIES, API_SAMPLES

    with_parameters = {op.url_name for op in API_OPERATIONS if "{" in op.path}
    assert with_parameters - set(API_SAMPLES) == set()
    assert {op.url_name for op in API_OPERATIONS if op.method != "GET"} - set(API_BODIES) == set()


def _call(client: Client, op: Any, user: Any) -> tuple[int, dict[str, Any], dict[str, Any]]:
    from tests.authz import API_BODIES, API_SAMPLES

    kwargs = API_SAMPLES[op.url_name](user) if op.url_name in API_SAMPLES else {}
    url = reverse(op.url_name, kwargs=kwargs)
    if op.method == "GET":
        response = client.get(url)
    else:
        body = API_BODIES[op.url_name](user, kwargs)
        response = client.generic(op.method, url, json.dumps(body), "application/json")
    return response.status_code, response.json(), kwargs


@pytest.mark.django_db
@pytest.mark.parametrize("op", API_OPERATIONS, ids=lambda op: op.url_name)
def test_the_api_refuses_a_request_without_a_token_even_with_a_signed_in_session(op):
    """Sessions never authenticate the API (so CSRF cannot apply): a browser's cookie is not a
    token."""
    from conftest import verified_client

    user = member("caseworker")
    for client in (Client(), verified_client(user)):
        status, body, _kwargs = _call(client, op, user)
        assert (status, body["code"]) == (401, "unauthenticated"), op.url_name


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_the_api_operations_the_permission_table_allows(role: str):
    from atpazit.api.tests.factories import api_client, raw_token_for
    from tests.authz import API_LIST_READS, API_PERSONAL_DATA_READS

    allowed = permissions_for(role)
    mismatches = []
    for op in API_OPERATIONS:
        user = member(role)  # a fresh user a call: a write changes what the next call sees
        client = api_client(raw_token_for(user))
        last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
        status, body, kwargs = _call(client, op, user)
        gate_refused = status == 403 and body.get("code") in GATE_REFUSALS
        expected = op.permission in allowed
        if expected and (gate_refused or status in (401, 404)):
            mismatches.append(f"{op.url_name}: got {status} {body.get('code')}, expected allowed")
        if not expected and not gate_refused:
            mismatches.append(f"{op.url_name}: got {status}, expected the gate's 403")
        events = AuditEvent.objects.filter(sequence__gt=last or 0)
        read_event = API_PERSONAL_DATA_READS.get(op.url_name)
        if read_event:
            reads = list(events.filter(action=read_event).values_list("object_id", flat=True))
            mismatches += _read_mismatches(op.url_name, read_event, status, reads, kwargs)
        list_event = API_LIST_READS.get(op.url_name)
        if list_event and status == 200 and events.filter(action=list_event).count() != 1:
            mismatches.append(f"{op.url_name}: listed without exactly one {list_event} event")
    assert mismatches == []


@pytest.mark.django_db
@pytest.mark.parametrize("op", [op for op in API_OPERATIONS if op.writes], ids=lambda o: o.url_name)
def test_a_read_only_token_writes_nothing(op):
    """Every role that may make the write is refused with a read-only token, and nothing
    changes: no audit event but the refusal's context (the token's use)."""
    from atpazit.api.models import ApiToken
    from atpazit.api.tests.factories import api_client, raw_token_for

    for role in ROLES:
        if op.permission not in permissions_for(role):
            continue
        user = member(role)
        client = api_client(raw_token_for(user, scope=ApiToken.Scope.READ))
        last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
        status, body, _kwargs = _call(client, op, user)
        assert (status, body["code"]) == (403, "read_only_token"), f"{op.url_name} for {role}"
        written = set(
            AuditEvent.objects.filter(sequence__gt=last or 0).values_list("action", flat=True)
        )
        assert written <= {"api_token.used"}, f"{op.url_name} for {role} wrote {written}"
