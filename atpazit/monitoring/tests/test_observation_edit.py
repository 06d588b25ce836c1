"""A monitor corrects her own observation until the mission is reported (issue 12 item 3; I8).

Dace recorded an observation; she may correct its text, category, severity and time while no
report of the mission is approved. Each correction keeps what it said before (who changed it,
when, which fields; the earlier text encrypted) and is audited with the fields' names only. A
form opened before someone else's correction is refused, never overwriting it. Nobody but the
author may correct it, and nothing may be corrected once the report is approved."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import AuditEvent
from atpazit.lib.errors import ConcurrentEdit, InvalidInput, NotAllowed, ServiceError
from atpazit.monitoring import services
from atpazit.monitoring.models import Mission, MonitoringReport, Observation, ObservationRevision
from atpazit.monitoring.tests.factories import ObservationFactory, monitor, stage_of
from atpazit.monitoring.tests.findings_factories import DraftReportFactory
from atpazit.removals.tests.factories import person_on

FIRST = "Pavadonis kliedza uz personu iekāpjot."
CORRECTED = "Pavadonis kliedza uz personu iekāpjot; tulka nebija."


@pytest.fixture
def observation(announced, dace):
    return ObservationFactory(
        mission=announced,
        stage=stage_of(announced),
        recorded_by=dace,
        text=FIRST,
        category=Observation.Category.ESCORT,
        severity=Observation.Severity.CONCERN,
    )


def _edit(actor, observation, **given):
    fields = {
        "version": observation.version,
        "category": observation.category,
        "severity": observation.severity,
        "text": CORRECTED,
        "observed_at": observation.observed_at,
    }
    fields.update(given)
    return services.edit_observation(actor=actor, observation=observation, **fields)


def test_the_author_corrects_it_and_the_earlier_text_is_kept(dace_actor, observation, dace):
    edited = _edit(dace_actor, observation, severity=Observation.Severity.SERIOUS)
    assert (edited.text, edited.severity, edited.version) == (CORRECTED, "serious", 2)
    revision = ObservationRevision.objects.get(observation=observation)
    assert (revision.version, revision.text, revision.severity) == (1, FIRST, "concern")
    assert revision.changed_by == dace
    assert revision.changed_fields == ["severity", "text"]
    # Encrypted at rest, like the observation itself.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT text FROM monitoring_observationrevision WHERE id = %s", [revision.pk]
        )
        assert "Pavadonis" not in str(cursor.fetchone()[0])
    event = AuditEvent.objects.get(action="observation.edited")
    assert event.details == {
        "mission": observation.mission_id,
        "fields": ["severity", "text"],
        "version": 2,
    }
    assert "Pavadonis" not in str(event.details)


def test_an_unchanged_form_records_nothing(dace_actor, observation):
    same = _edit(dace_actor, observation, text=FIRST)
    assert same.version == 1
    assert not ObservationRevision.objects.exists()
    assert not AuditEvent.objects.filter(action="observation.edited").exists()


def test_a_stale_form_is_refused_and_nothing_is_overwritten(dace_actor, observation):
    _edit(dace_actor, observation)
    with pytest.raises(ConcurrentEdit) as refused:
        _edit(dace_actor, observation, version=1, text="Cita versija.")
    assert refused.value.current.text == CORRECTED
    observation.refresh_from_db()
    assert (observation.text, observation.version) == (CORRECTED, 2)
    assert ObservationRevision.objects.count() == 1


def test_only_the_author_corrects_it(observation, announced, vija_actor, ombudsman):
    colleague = monitor(ombudsman)
    announced.monitors.add(colleague)
    for actor in (actor_of(colleague), vija_actor):
        with pytest.raises(NotAllowed):
            _edit(actor, observation)
    observation.refresh_from_db()
    assert observation.text == FIRST


@pytest.mark.parametrize(
    "status", [MonitoringReport.Status.APPROVED, MonitoringReport.Status.PUBLISHED]
)
def test_not_after_the_report_is_approved(dace_actor, observation, status):
    DraftReportFactory(mission=observation.mission, status=status)
    with pytest.raises(ServiceError, match="report is approved") as refused:
        _edit(dace_actor, observation)
    assert refused.value.code == "reported"
    observation.refresh_from_db()
    assert observation.text == FIRST


def test_a_draft_report_or_a_completed_mission_still_allow_it(dace_actor, observation):
    DraftReportFactory(mission=observation.mission)
    Mission.objects.filter(pk=observation.mission_id).update(status=Mission.Status.COMPLETED)
    observation.refresh_from_db()
    assert _edit(dace_actor, observation).text == CORRECTED


def test_bad_input_names_the_field(dace_actor, observation):
    with pytest.raises(InvalidInput) as refused:
        _edit(
            dace_actor,
            observation,
            text=" ",
            observed_at=timezone.now() + datetime.timedelta(hours=2),
        )
    assert set(refused.value.errors) == {"text", "observed_at"}


def test_signs_of_trafficking_keep_their_category(dace_actor, announced, dace):
    person = person_on(announced.operation)
    signs = ObservationFactory(
        mission=announced,
        stage=stage_of(announced),
        recorded_by=dace,
        person=person,
        category=Observation.Category.TRAFFICKING,
        indicator_codes=["RC-03"],
    )
    with pytest.raises(InvalidInput) as refused:
        _edit(dace_actor, signs, category=Observation.Category.ESCORT)
    assert list(refused.value.errors) == ["category"]


def test_the_page_corrects_it_and_shows_the_earlier_version(client_for, dace, observation):
    client = client_for(dace)
    url = f"/monitoring/observations/{observation.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    assert FIRST in page.content.decode()
    response = client.post(
        url,
        {
            "text": CORRECTED,
            "severity": "concern",
            "category": "escort",
            "observed_at": timezone.localtime(observation.observed_at).strftime("%Y-%m-%dT%H:%M"),
            "version": 1,
        },
    )
    assert response.status_code == 302
    history = client.get(url).content.decode()
    assert CORRECTED in history
    assert FIRST in history  # the earlier version, in the history
    stage = client.get(f"/monitoring/{observation.mission_id}/stage/pre_departure/").content
    assert url.encode() in stage


def test_a_stale_page_shows_both_versions(client_for, dace, dace_actor, observation):
    client = client_for(dace)
    url = f"/monitoring/observations/{observation.pk}/edit/"
    _edit(dace_actor, observation)  # saved meanwhile (another tab)
    response = client.post(
        url,
        {
            "text": "Mana versija.",
            "severity": "concern",
            "category": "escort",
            "observed_at": timezone.localtime(observation.observed_at).strftime("%Y-%m-%dT%H:%M"),
            "version": 1,
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "was changed after you opened it" in content
    assert CORRECTED in content
    assert "Mana versija." in content
    assert 'name="version" value="2"' in content


def test_another_monitor_cannot_open_the_page(client_for, observation, announced, ombudsman):
    colleague = monitor(ombudsman)
    announced.monitors.add(colleague)
    url = f"/monitoring/observations/{observation.pk}/edit/"
    assert client_for(colleague).get(url).status_code == 404
