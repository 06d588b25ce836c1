"""A mission keeps the checklist release it was planned with (ADR 0016, issue 12 tests)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from atpazit.lib.errors import InvalidInput
from atpazit.monitoring import checklists, services
from atpazit.monitoring.checklists import CHECKLIST_DIR
from atpazit.monitoring.models import ChecklistAnswer, Stage
from atpazit.monitoring.services import AnswerInput, StagePlan

NEWER = """
version: "2099.1"
items:
  - code: screened_before_departure
    stages: [pre_departure]
    topic: trafficking
    source: D9
    automatic: screened_before_departure
    text: {en: "Screened?", lv: "Pārbaudīts?", ru: "Проверен?"}
  - code: asked_only_from_2099
    stages: [pre_departure]
    topic: information
    source: FRA
    text: {en: "A question of 2099", lv: "2099. gada jautājums", ru: "Вопрос 2099 года"}
"""


@pytest.fixture
def releases(tmp_path: Path, settings) -> Path:
    shutil.copy(CHECKLIST_DIR / "2026.1.yaml", tmp_path / "2026.1.yaml")
    settings.ATPAZIT_MONITORING_CHECKLIST_DIR = tmp_path
    checklists.clear_cache()
    yield tmp_path
    checklists.clear_cache()


def _new_release(directory: Path) -> None:
    (directory / "2099.1.yaml").write_text(NEWER, encoding="utf-8")


def test_an_old_mission_keeps_its_release_when_a_new_one_ships(
    releases, vija_actor, dace, dace_actor, riga
):
    from atpazit.removals.tests.factories import ConfirmedOperationFactory

    old = services.plan_mission(
        actor=vija_actor,
        operation=ConfirmedOperationFactory(organisation=riga),
        monitors=[dace],
        stages=[StagePlan(Stage.PRE_DEPARTURE)],
    )
    _new_release(releases)
    new = services.plan_mission(
        actor=vija_actor,
        operation=ConfirmedOperationFactory(organisation=riga),
        monitors=[dace],
        stages=[StagePlan(Stage.PRE_DEPARTURE)],
    )
    assert (old.checklist_version, new.checklist_version) == ("2026.1", "2099.1")

    old = services.announce_mission(actor=vija_actor, mission=old, version=old.version)
    new = services.announce_mission(actor=vija_actor, mission=new, version=new.version)
    # The old mission is still asked, and answers, its own questions...
    services.answer_checklist(
        actor=dace_actor,
        mission=old,
        stage=Stage.PRE_DEPARTURE,
        answers={"body_search_dignity": AnswerInput("yes", "Pārmeklēja sieviete.")},
    )
    # ...and is never asked the new release's.
    with pytest.raises(InvalidInput) as refused:
        services.answer_checklist(
            actor=dace_actor,
            mission=old,
            stage=Stage.PRE_DEPARTURE,
            answers={"asked_only_from_2099": AnswerInput("yes")},
        )
    assert "asked_only_from_2099" in refused.value.errors
    # The new mission has the new question and not the dropped one.
    services.answer_checklist(
        actor=dace_actor,
        mission=new,
        stage=Stage.PRE_DEPARTURE,
        answers={"asked_only_from_2099": AnswerInput("no")},
    )
    with pytest.raises(InvalidInput):
        services.answer_checklist(
            actor=dace_actor,
            mission=new,
            stage=Stage.PRE_DEPARTURE,
            answers={"body_search_dignity": AnswerInput("yes")},
        )
    old_codes = {a.item_code for a in ChecklistAnswer.objects.filter(stage__mission=old)}
    assert "body_search_dignity" in old_codes
    assert "asked_only_from_2099" not in old_codes


def test_the_stage_page_of_an_old_mission_shows_its_own_questions(
    releases, announced, dace, client_for
):
    _new_release(releases)
    page = client_for(dace).get(f"/monitoring/{announced.pk}/stage/pre_departure/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "version 2026.1" in text
    assert "body search was done by an officer of the same sex" in text
    assert "A question of 2099" not in text
