"""Monitoring through the API: a Border Guard unit reads the recommendations sent to it (their
text audited as on the page), never another unit's or a draft."""

from __future__ import annotations

import pytest

from atpazit.accounts.tests.factories import member
from atpazit.api.tests.factories import api_client, token_for
from atpazit.audit.models import AuditEvent
from atpazit.monitoring.tests.factories import CompletedMissionFactory
from atpazit.monitoring.tests.findings_factories import (
    DraftRecommendationFactory,
    FindingFactory,
    SentRecommendationFactory,
)
from atpazit.removals.tests.factories import ConfirmedOperationFactory

pytestmark = pytest.mark.django_db


def test_the_unit_reads_the_recommendations_sent_to_it_and_no_draft():
    officer = member("bg_case_officer")
    unit = officer.memberships.get().organisation
    mission = CompletedMissionFactory(operation=ConfirmedOperationFactory(organisation=unit))
    finding = FindingFactory(mission=mission)
    sent = SentRecommendationFactory(finding=finding)
    DraftRecommendationFactory(finding=finding)
    SentRecommendationFactory()  # another unit's
    client = api_client(token_for(officer))
    items = client.get("/api/v1/recommendations").json()["items"]
    assert [r["id"] for r in items] == [sent.pk]
    detail = client.get(f"/api/v1/recommendations/{sent.pk}").json()
    assert detail["text"] == sent.text
    assert (
        AuditEvent.objects.filter(action="recommendation.viewed", object_id=str(sent.pk)).count()
        == 1
    )
    assert [m["id"] for m in client.get("/api/v1/missions").json()["items"]] == [mission.pk]
