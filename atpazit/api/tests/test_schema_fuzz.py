"""schemathesis against the live OpenAPI schema the app serves (issue 14): for generated
requests to every operation, with the token of a provider's caseworker, of a Border Guard case
officer and of the national coordinator, the API answers no 5xx, only status codes the schema
documents for the operation, the content type it documents, and bodies that match the schema.

Bounded by ``max_examples`` so CI stays within its time budget; it runs on SQLite and PostgreSQL
like every other test (the database holds a few referrals in each persona's scope).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from atpazit.accounts.tests.factories import member
from atpazit.api.tests.factories import token_for
from atpazit.referrals.tests.factories import AcceptedReferralFactory, referral_to, suspicion_in

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _one_connection_for_the_test():
    """The raw WSGI app closes the database connection after each request, as a server must;
    inside a test that would close the test's transaction on PostgreSQL. Django's test client
    keeps it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def persona_tokens(db) -> list[str]:
    caseworker = member("caseworker")
    provider = caseworker.memberships.get().organisation
    officer = member("bg_case_officer")
    unit = officer.memberships.get().organisation
    for _ in range(2):
        referral_to(provider, suspicion=suspicion_in(unit, raised_by=officer))
    AcceptedReferralFactory(to_organisation=provider)
    return [token_for(caseworker), token_for(officer), token_for(member("national_coordinator"))]


# The schema as the running app serves it at /api/v1/openapi.json (no database needed for it).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(case, persona_tokens):
    for secret in persona_tokens:
        # call_and_validate raises on any failed check; the assertion states the first of them.
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS
        )
        assert response.status_code < 500
