"""A monitor records stages, checklist answers and observations (issue 12 items 2, 3)."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of
from atpazit.lib.errors import InvalidInput, NotAllowed, ServiceError
from atpazit.monitoring import services
from atpazit.monitoring.models import ChecklistAnswer, Mission, Observation, Stage
from atpazit.monitoring.services import AnswerInput
from atpazit.monitoring.tests.factories import monitor
from atpazit.removals.tests.factories import person_on


def _observe(actor, mission, **given):
    fields = {
        "stage": Stage.PRE_DEPARTURE,
        "category": Observation.Category.FORCE,
        "severity": Observation.Severity.SERIOUS,
        "text": "Roku dzelžus uzlika bez vajadzības.",
    }
    fields.update(given)
    return services.record_observation(actor=actor, mission=mission, **fields)


def test_the_first_stage_started_puts_the_mission_in_progress(dace_actor, announced):
    started = timezone.now() - datetime.timedelta(minutes=30)
    row = services.record_stage_times(
        actor=dace_actor,
        mission=announced,
        stage=Stage.PRE_DEPARTURE,
        actual_start=started,
        actual_end=None,
    )
    assert row.actual_start == started
    announced.refresh_from_db()
    assert announced.status == Mission.Status.IN_PROGRESS


def test_an_end_before_the_start_is_refused_naming_the_field(dace_actor, announced):
    now = timezone.now()
    with pytest.raises(InvalidInput) as refused:
        services.record_stage_times(
            actor=dace_actor,
            mission=announced,
            stage=Stage.PRE_DEPARTURE,
            actual_start=now,
            actual_end=now - datetime.timedelta(hours=1),
        )
    assert list(refused.value.errors) == ["actual_end"]


def test_a_mission_not_yet_announced_records_nothing(dace_actor, planned):
    with pytest.raises(ServiceError, match="nothing more can be recorded"):
        _observe(dace_actor, planned)


def test_a_monitor_not_assigned_to_the_mission_records_nothing(announced, ombudsman):
    other = actor_of(monitor(ombudsman))
    with pytest.raises(NotAllowed):
        _observe(other, announced)


def test_an_observation_is_recorded_with_its_text_encrypted(dace_actor, announced):
    person = person_on(announced.operation)
    observation = _observe(dace_actor, announced, person=person)
    assert observation.person == person
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM monitoring_observation WHERE id = %s", [observation.pk])
        stored = cursor.fetchone()[0]
    assert "Roku dzelžus" not in stored
    assert Observation.objects.get(pk=observation.pk).text == "Roku dzelžus uzlika bez vajadzības."


def test_an_observation_about_someone_not_on_the_manifest_is_refused(dace_actor, announced, riga):
    from atpazit.cases.tests.factories import PersonFactory

    with pytest.raises(InvalidInput) as refused:
        _observe(dace_actor, announced, person=PersonFactory(organisation=riga))
    assert "person" in refused.value.errors
    assert not Observation.objects.exists()


def test_an_empty_observation_names_each_missing_field(dace_actor, announced):
    with pytest.raises(InvalidInput) as refused:
        _observe(dace_actor, announced, text="  ", category="nonsense", severity="")
    assert set(refused.value.errors) == {"text", "category", "severity"}


def test_the_same_observation_sent_twice_is_recorded_once(dace_actor, announced):
    client_id = uuid.uuid4()
    first = _observe(dace_actor, announced, client_id=client_id)
    again = _observe(dace_actor, announced, client_id=client_id)
    assert first.pk == again.pk
    assert Observation.objects.count() == 1


def test_internal_notes_are_kept_encrypted_and_a_stale_form_is_refused(dace_actor, announced):
    from atpazit.lib.errors import ConcurrentEdit

    saved = services.record_internal_notes(
        actor=dace_actor, mission=announced, notes="Konvoja vadītājs sadarbojās.", version=1
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT internal_notes FROM monitoring_mission WHERE id = %s", [saved.pk])
        assert "sadarbojās" not in cursor.fetchone()[0]
    with pytest.raises(ConcurrentEdit):
        services.record_internal_notes(actor=dace_actor, mission=saved, notes="x", version=1)


def test_the_border_guard_cannot_write_internal_notes(ilze_actor, announced):
    with pytest.raises(NotAllowed):
        services.record_internal_notes(
            actor=ilze_actor, mission=announced, notes="x", version=announced.version
        )


def test_checklist_answers_are_saved_and_replaced(dace_actor, announced):
    services.answer_checklist(
        actor=dace_actor,
        mission=announced,
        stage=Stage.PRE_DEPARTURE,
        answers={"restraints_justified": AnswerInput("no", "Dzelži visu pārvešanas laiku.")},
    )
    services.answer_checklist(
        actor=dace_actor,
        mission=announced,
        stage=Stage.PRE_DEPARTURE,
        answers={"restraints_justified": AnswerInput("not_observed")},
    )
    answer = ChecklistAnswer.objects.get(item_code="restraints_justified")
    assert answer.answer == "not_observed"
    assert answer.note == ""


def test_the_monitor_cannot_answer_what_the_records_answer(dace_actor, announced):
    with pytest.raises(InvalidInput) as refused:
        services.answer_checklist(
            actor=dace_actor,
            mission=announced,
            stage=Stage.PRE_DEPARTURE,
            answers={"screened_before_departure": AnswerInput("yes")},
        )
    assert "screened_before_departure" in refused.value.errors


def test_a_bad_answer_saves_nothing(dace_actor, announced):
    with pytest.raises(InvalidInput):
        services.answer_checklist(
            actor=dace_actor,
            mission=announced,
            stage=Stage.PRE_DEPARTURE,
            answers={
                "restraints_justified": AnswerInput("yes"),
                "body_search_dignity": AnswerInput("maybe"),
            },
        )
    assert not ChecklistAnswer.objects.exists()
