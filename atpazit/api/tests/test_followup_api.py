"""Return decisions through the API: one case at a time, as its follow-up page shows them, in
the follow-up scope and audited like the page; no list across cases, since no page lists them."""

from __future__ import annotations

import pytest

from atpazit.accounts.tests.factories import member
from atpazit.aftercare.tests.factories import ReturnDecisionFactory
from atpazit.api.tests.factories import api_client, token_for
from atpazit.audit.models import AuditEvent
from atpazit.referrals.tests.factories import suspicion_in

pytestmark = pytest.mark.django_db


def _officer():
    officer = member("bg_case_officer")
    return officer, officer.memberships.get().organisation, api_client(token_for(officer))


def test_a_unit_reads_the_return_decisions_of_its_own_case_audited_like_the_page():
    officer, unit, client = _officer()
    decision = ReturnDecisionFactory(suspicion=suspicion_in(unit))
    suspicion = decision.suspicion
    response = client.get(f"/api/v1/suspicions/{suspicion.pk}/return-decisions")
    assert response.status_code == 200
    body = response.json()
    assert (body["suspicion"], body["case_number"]) == (suspicion.pk, suspicion.person.case_number)
    assert [(d["id"], d["reference"]) for d in body["return_decisions"]] == [
        (decision.pk, decision.reference)
    ]
    event = AuditEvent.objects.get(action="aftercare.viewed")
    assert (event.actor_id, event.object_id) == (officer.pk, str(suspicion.pk))
    assert event.details == {"page": "api:v1:case_return_decisions"}


def test_another_units_case_is_not_found_and_leaves_no_read():
    _officer_user, _unit, client = _officer()
    theirs = ReturnDecisionFactory(
        suspicion=suspicion_in(member("bg_case_officer").memberships.get().organisation)
    )
    response = client.get(f"/api/v1/suspicions/{theirs.suspicion_id}/return-decisions")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert not AuditEvent.objects.filter(action="aftercare.viewed").exists()


def test_there_is_no_list_of_return_decisions_across_cases():
    """No page lists decision references in bulk, so the API does not either (ADR 0027)."""
    _officer_user, unit, client = _officer()
    ReturnDecisionFactory(suspicion=suspicion_in(unit))
    assert client.get("/api/v1/return-decisions").status_code == 404


def test_the_national_coordinator_has_no_case_level_access():
    decision = ReturnDecisionFactory()
    client = api_client(token_for(member("national_coordinator")))
    response = client.get(f"/api/v1/suspicions/{decision.suspicion_id}/return-decisions")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
