"""The checklist releases: versioned data files, validated as a whole, and a mission keeps the
release it was planned with (ADR 0016)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from atpazit.monitoring import checklists
from atpazit.monitoring.checklists import CHECKLIST_DIR, ChecklistError, parse
from atpazit.monitoring.models import Stage

SHIPPED = CHECKLIST_DIR / "2026.1.yaml"

NEWER = """
version: "2099.1"
items:
  - code: screened_before_departure
    stages: [pre_departure]
    topic: trafficking
    source: D9
    automatic: screened_before_departure
    text: {en: "Screened?", lv: "Pārbaudīts?", ru: "Проверен?"}
  - code: new_question_in_2099
    stages: [handover]
    topic: handover
    source: FRA
    text: {en: "New?", lv: "Jauns?", ru: "Новый?"}
"""


@pytest.fixture
def release_dir(tmp_path: Path, settings) -> Path:
    """A checklist folder holding the shipped release; tests add newer ones to it."""
    shutil.copy(SHIPPED, tmp_path / SHIPPED.name)
    settings.ATPAZIT_MONITORING_CHECKLIST_DIR = tmp_path
    checklists.clear_cache()
    yield tmp_path
    checklists.clear_cache()


def test_the_shipped_release_loads_and_asks_something_at_every_stage() -> None:
    checklist = checklists.load("2026.1")
    assert checklist.version == "2026.1"
    for stage in Stage:
        assert checklist.for_stage(stage), f"nothing asked at {stage}"


def test_the_pre_departure_stage_asks_whether_every_returnee_was_screened() -> None:
    item = checklists.load("2026.1").item("screened_before_departure")
    assert item.stages == ("pre_departure",)
    assert item.automatic == "screened_before_departure"
    assert set(item.texts) == {"en", "lv", "ru"}


def test_every_problem_of_a_bad_release_is_named_by_its_path() -> None:
    bad = """
version: "2026.9"
items:
  - code: fine
    stages: [pre_return]
    topic: information
    source: CoE G4
    text: {en: A, lv: B, ru: C}
  - code: Bad Code
    stages: [on_the_moon]
    topic: information
    source: CoE G4
    text: {en: A, lv: "", ru: C}
"""
    with pytest.raises(ChecklistError) as refused:
        parse(bad, "2026.9.yaml")
    problems = " | ".join(refused.value.problems)
    assert "items[1].code" in problems
    assert "items[1].stages[0]" in problems
    assert "items[1].text.lv" in problems
    assert "items[0]" not in problems


def test_an_item_code_used_twice_refuses_the_release() -> None:
    twice = """
version: "2026.9"
items:
  - {code: same, stages: [pre_return], topic: information, source: X, text: {en: A, lv: B, ru: C}}
  - {code: same, stages: [handover], topic: handover, source: X, text: {en: A, lv: B, ru: C}}
"""
    with pytest.raises(ChecklistError, match="'same' is used twice"):
        parse(twice, "2026.9.yaml")


def test_a_release_whose_version_is_not_its_file_name_is_refused(release_dir: Path) -> None:
    (release_dir / "2030.1.yaml").write_text(NEWER, encoding="utf-8")
    with pytest.raises(ChecklistError, match="not the file name"):
        checklists.load("2030.1")


def test_the_newest_release_is_current_and_the_older_one_stays_loadable(
    release_dir: Path,
) -> None:
    assert checklists.current_version() == "2026.1"
    (release_dir / "2099.1.yaml").write_text(NEWER, encoding="utf-8")
    assert checklists.versions() == ["2026.1", "2099.1"]
    assert checklists.current_version() == "2099.1"
    old = checklists.load("2026.1")
    assert "new_question_in_2099" not in {item.code for item in old.items}
    assert "restraints_removed" in old.codes_for(Stage.HANDOVER)


def test_an_unknown_release_is_refused() -> None:
    with pytest.raises(ChecklistError, match="no such checklist release"):
        checklists.load("1999.1")
