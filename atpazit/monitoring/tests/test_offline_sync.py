"""The tablet's queue sends observations recorded offline (issue 12 item 7, ADR 0020).

Each entry carries the client id the device chose; the sync endpoint records it once however
often it is sent, and answers in words the monitor can act on when it cannot be recorded: the
entry then stays in the device's queue (the browser test covers the queue itself)."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from atpazit.audit.models import AuditEvent
from atpazit.monitoring import services
from atpazit.monitoring.models import Mission, MissionStage, Observation, Stage
from atpazit.monitoring.tests.factories import monitor
from atpazit.removals.tests.factories import person_on


def _url(mission: Mission, stage: str = Stage.PRE_DEPARTURE) -> str:
    return reverse("monitoring:observation_sync", args=[mission.pk, stage])


def _entry(device_id: uuid.UUID, **given: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "text": "Pavadonis atņēma tālruni pirms iekāpšanas.",
        "severity": Observation.Severity.CONCERN,
        "category": Observation.Category.ESCORT,
        "observed_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "client_id": str(device_id),
    }
    entry.update(given)
    return entry


@pytest.fixture
def dace_client(client_for, dace):
    return client_for(dace)


def test_an_entry_sent_twice_is_recorded_once(dace_client, dace, announced):
    client_id = uuid.uuid4()
    first = dace_client.post(_url(announced), _entry(client_id))
    again = dace_client.post(_url(announced), _entry(client_id))
    assert (first.status_code, first.json()["status"]) == (201, "saved")
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")
    assert Observation.objects.filter(client_id=client_id).count() == 1
    saved = Observation.objects.get(client_id=client_id)
    assert saved.text == "Pavadonis atņēma tālruni pirms iekāpšanas."
    assert saved.recorded_by == dace


def test_a_resend_after_the_mission_was_completed_is_the_same_observation(
    dace_client, dace_actor, announced
):
    client_id = uuid.uuid4()
    dace_client.post(_url(announced), _entry(client_id))
    Mission.objects.filter(pk=announced.pk).update(status=Mission.Status.COMPLETED)
    again = dace_client.post(_url(announced), _entry(client_id))
    assert again.json()["status"] == "duplicate"
    assert Observation.objects.count() == 1


def test_an_entry_for_a_completed_mission_is_a_conflict_kept_on_the_device(dace_client, announced):
    Mission.objects.filter(pk=announced.pk).update(status=Mission.Status.COMPLETED)
    answer = dace_client.post(_url(announced), _entry(uuid.uuid4()))
    assert answer.status_code == 409
    assert answer.json()["status"] == "conflict"
    assert "completed" in answer.json()["message"]
    assert not Observation.objects.exists()


def test_an_entry_for_a_stage_taken_off_the_mission_is_a_conflict(dace_client, announced):
    MissionStage.objects.filter(mission=announced, stage=Stage.BOARDING).delete()
    answer = dace_client.post(_url(announced, Stage.BOARDING), _entry(uuid.uuid4()))
    assert answer.status_code == 409
    assert "not covered" in answer.json()["message"]
    assert not Observation.objects.exists()


def test_an_entry_without_a_client_id_is_refused(dace_client, announced):
    answer = dace_client.post(_url(announced), _entry(uuid.uuid4(), client_id=""))
    assert answer.status_code == 422
    assert not Observation.objects.exists()


def test_bad_input_names_what_to_fix(dace_client, announced):
    answer = dace_client.post(_url(announced), _entry(uuid.uuid4(), text=""))
    assert answer.status_code == 422
    assert answer.json()["status"] == "invalid"
    assert not Observation.objects.exists()


def test_an_expired_session_records_nothing(client, announced):
    answer = client.post(_url(announced), _entry(uuid.uuid4()))
    assert answer.status_code in (302, 403)
    assert not Observation.objects.exists()


def test_another_monitor_cannot_reuse_a_client_id(client_for, dace_client, announced, ombudsman):
    client_id = uuid.uuid4()
    dace_client.post(_url(announced), _entry(client_id))
    other = monitor(ombudsman)
    announced.monitors.add(other)
    answer = client_for(other).post(_url(announced), _entry(client_id, text="Cits teksts."))
    assert answer.status_code == 422
    assert Observation.objects.get(client_id=client_id).recorded_by != other


def test_the_entry_is_audited_as_sent_from_the_device(dace_client, announced):
    dace_client.post(_url(announced), _entry(uuid.uuid4()))
    event = AuditEvent.objects.filter(action="observation.recorded").latest("pk")
    assert event.details["offline"] is True
    assert "Pavadonis" not in str(event.details)


def test_the_service_finds_a_resent_observation_before_checking_the_status(dace_actor, announced):
    client_id = uuid.uuid4()
    first = services.record_observation(
        actor=dace_actor,
        mission=announced,
        stage=Stage.PRE_DEPARTURE,
        category=Observation.Category.OTHER,
        severity=Observation.Severity.INFO,
        text="Viss mierīgi.",
        client_id=client_id,
        person=person_on(announced.operation),
    )
    Mission.objects.filter(pk=announced.pk).update(status=Mission.Status.CANCELLED)
    announced.refresh_from_db()
    again = services.record_observation(
        actor=dace_actor,
        mission=announced,
        stage=Stage.PRE_DEPARTURE,
        category=Observation.Category.OTHER,
        severity=Observation.Severity.INFO,
        text="Viss mierīgi.",
        client_id=client_id,
    )
    assert again.pk == first.pk
