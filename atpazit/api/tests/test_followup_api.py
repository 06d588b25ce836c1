"""Return decisions after identification through the API, in the follow-up scope."""

from __future__ import annotations

import pytest

from atpazit.accounts.tests.factories import member
from atpazit.aftercare.tests.factories import ReturnDecisionFactory
from atpazit.api.tests.factories import api_client, token_for
from atpazit.audit.models import AuditEvent
from atpazit.referrals.tests.factories import suspicion_in

pytestmark = pytest.mark.django_db


def test_a_unit_lists_the_return_decisions_about_its_persons_only():
    officer = member("bg_case_officer")
    unit = officer.memberships.get().organisation
    ours = ReturnDecisionFactory(suspicion=suspicion_in(unit))
    ReturnDecisionFactory(
        suspicion=suspicion_in(member("bg_case_officer").memberships.get().organisation)
    )
    items = api_client(token_for(officer)).get("/api/v1/return-decisions").json()["items"]
    assert [(d["id"], d["case_number"]) for d in items] == [
        (ours.pk, ours.suspicion.person.case_number)
    ]
    assert AuditEvent.objects.get(action="return_decisions.listed").details["shown"] == 1


def test_the_national_coordinator_has_no_case_level_access():
    response = api_client(token_for(member("national_coordinator"))).get("/api/v1/return-decisions")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
