"""Removal operations through the API: the pre-departure check's manifest, with the same
blocking conflicts as the page (I1), scoped to the unit, audited as the operation page."""

from __future__ import annotations

import pytest

from atpazit.accounts.tests.factories import member
from atpazit.api.tests.factories import api_client, token_for
from atpazit.audit.models import AuditEvent
from atpazit.cases.tests.factories import ManualHoldFactory, PersonFactory
from atpazit.removals.tests.factories import ManifestEntryFactory, PlannedOperationFactory

pytestmark = pytest.mark.django_db


def test_a_held_person_on_the_manifest_is_a_conflict_through_the_api_too():
    officer = member("bg_case_officer")
    unit = officer.memberships.get().organisation
    operation = PlannedOperationFactory(organisation=unit)
    held = PersonFactory(organisation=unit)
    ManifestEntryFactory(operation=operation, person=held)
    ManualHoldFactory(person=held)
    client = api_client(token_for(officer))
    detail = client.get(f"/api/v1/operations/{operation.pk}").json()
    assert detail["conflicts"] == 1
    (row,) = detail["manifest"]
    assert (row["case_number"], row["held"], row["conflict"]) == (held.case_number, True, True)
    event = AuditEvent.objects.get(action="operation.viewed")
    assert (event.object_id, event.details["persons"]) == (str(operation.pk), 1)
    listed = client.get("/api/v1/operations").json()["items"]
    assert [(o["id"], o["manifest_count"]) for o in listed] == [(operation.pk, 1)]


def test_another_unit_s_operation_is_a_404():
    client = api_client(token_for(member("bg_case_officer")))
    assert client.get(f"/api/v1/operations/{PlannedOperationFactory().pk}").status_code == 404
    assert client.get("/api/v1/operations").json()["items"] == []


def test_the_ombudsman_s_monitor_reads_every_operation():
    operation = PlannedOperationFactory()
    client = api_client(token_for(member("monitor")))
    assert client.get(f"/api/v1/operations/{operation.pk}").status_code == 200
