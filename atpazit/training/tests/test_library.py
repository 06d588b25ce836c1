"""The scenario library: every shipped scenario is valid, agrees with the real engine, and the
library covers what the course needs; bad scenarios are refused with every problem named."""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.utils import translation

from atpazit.screening import catalogue as catalogue_module
from atpazit.screening.catalogue import CATALOGUE_DIR, AgeGroup, Form, Stage, parse_catalogue
from atpazit.screening.engine import Recommendation
from atpazit.training import library
from atpazit.training.library import (
    SCENARIO_DIR,
    Context,
    ScenarioError,
    model_answer_problems,
    parse_scenario,
    shipped_scenarios,
)

SCENARIOS = shipped_scenarios()


def raw_scenario(scenario_id: str = "labour-construction-intake") -> dict[str, Any]:
    return yaml.safe_load((SCENARIO_DIR / f"{scenario_id}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_every_model_answer_agrees_with_the_engine(scenario):
    assert model_answer_problems(scenario) == []


def test_a_catalogue_change_that_changes_the_advice_makes_the_model_answer_wrong(monkeypatch):
    raw = yaml.safe_load((CATALOGUE_DIR / "2026.2.yaml").read_text(encoding="utf-8"))
    changed = copy.deepcopy(raw)
    for indicator in changed["indicators"]:
        if indicator["code"] in ("DR-01", "CD-01"):
            for age_group in indicator["strength"].values():
                for form in age_group:
                    age_group[form] = "M"
    release = parse_catalogue(changed, origin="2026.2 (changed)")
    monkeypatch.setattr(library, "get_catalogue", lambda version: release)
    scenario = next(s for s in SCENARIOS if s.id == "labour-construction-intake")

    problems = model_answer_problems(scenario)

    assert problems == [
        "model_answer.recommendation: refer_for_identification, but the engine recommends "
        "labour_inspectorate_and_rescreen (rules R4)"
    ]


def test_the_library_covers_the_course():
    assert len(SCENARIOS) >= 24
    forms = {s.form for s in SCENARIOS}
    assert {
        Form.LABOUR,
        Form.SEXUAL,
        Form.CRIMINALITY,
        Form.BEGGING,
        Form.SHAM_MARRIAGE,
        Form.FORCED_MARRIAGE,
        Form.DOMESTIC_SERVITUDE,
    } <= forms
    assert {Stage(s) for s in Stage} - {Stage.OTHER} <= {s.stage for s in SCENARIOS}
    assert {c for c in Context} <= {s.context for s in SCENARIOS}
    assert any(s.age_group is AgeGroup.CHILD for s in SCENARIOS)
    assert any(s.age_group is AgeGroup.ADULT and not s.age_disputed for s in SCENARIOS)
    assert any(s.age_disputed for s in SCENARIOS)
    advice = Counter(s.model_answer.recommendation for s in SCENARIOS)
    assert advice[Recommendation.NO_ACTION] >= 2  # smuggling only: not referred
    assert advice[Recommendation.LABOUR_INSPECTORATE_AND_RESCREEN] >= 2  # labour disputes
    assert advice[Recommendation.INTERVIEW_BEFORE_DEPARTURE] >= 2
    ids = {s.id for s in SCENARIOS}
    assert {"labour-debt-consent-refused", "already-referred-predeparture"} <= ids


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_every_scenario_says_it_is_invented_and_names_catalogue_prompts(scenario):
    text = (SCENARIO_DIR / f"{scenario.id}.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Invented scenario: no real person is described.")
    assert scenario.catalogue == "2026.2"
    release = catalogue_module.get_catalogue("2026.2")
    for question in scenario.questions:
        assert release.indicator(question.indicator).prompts[question.prompt_index]


def test_it_refuses_a_scenario_naming_every_problem():
    raw = raw_scenario()
    raw["title"]["ru"] = " "
    raw["questions"][0]["prompt"] = "DR-01.7"
    raw["questions"][1]["reveals"] = ["XX-99"]

    with translation.override("en"), pytest.raises(ScenarioError) as refused:
        parse_scenario(raw, origin="draft", all_languages=True)

    assert refused.value.problems[0] == "title.ru: must not be empty"
    raw["title"]["ru"] = "Стройка"
    with translation.override("en"), pytest.raises(ScenarioError) as refused:
        parse_scenario(raw, origin="draft")
    assert "questions.q1.prompt: DR-01 has 2 prompts" in refused.value.problems
    assert "questions.q2.reveals: unknown indicator XX-99 in catalogue 2026.2" in (
        refused.value.problems
    )


def test_it_refuses_a_model_answer_the_interview_cannot_reveal():
    raw = raw_scenario()
    raw["model_answer"]["indicators"].append("EX-02")
    raw["questions"][3]["unlocks"] = ["q9"]

    with translation.override("en"), pytest.raises(ScenarioError) as refused:
        parse_scenario(raw, origin="draft")

    message = str(refused.value)
    assert "EX-02 is neither observed nor revealed by a question" in message
    assert "questions.q4.unlocks: unknown question ‘q9’" in message


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("lv", "EX-02 netiek ne novērota, ne atklāta ar jautājumu"),
        ("ru", "EX-02 не наблюдается и не выявляется ни одним вопросом"),
    ],
)
def test_the_problems_are_told_in_the_trainers_language(language, expected):
    raw = raw_scenario()
    raw["model_answer"]["indicators"].append("EX-02")

    with translation.override(language), pytest.raises(ScenarioError) as refused:
        parse_scenario(raw, origin="draft")

    assert f"model_answer.indicators: {expected}" in refused.value.problems


def test_it_refuses_a_decision_that_does_not_follow_the_model_recommendation():
    raw = raw_scenario()
    raw["model_answer"]["decision"] = "no_action"

    with (
        translation.override("en"),
        pytest.raises(ScenarioError, match="does not follow the model recommendation"),
    ):
        parse_scenario(raw, origin="draft")


def test_the_questions_unfold_with_what_was_asked():
    scenario = parse_scenario(raw_scenario(), origin="test")

    assert [q.id for q in scenario.available_questions(())] == ["q1", "q2", "q3"]
    assert [q.id for q in scenario.available_questions(("q1",))] == ["q2", "q3", "q4"]
    assert [q.id for q in scenario.available_questions(("q2",))] == ["q1", "q3"]
    assert scenario.available_questions(("q1", "q2", "q4")) == []  # three asked: time is up
    assert [q.id for q in scenario.revealed_by("EX-01")] == ["q4"]


def test_file_names_match_the_ids(tmp_path: Path):
    path = tmp_path / "other-name.yaml"
    path.write_text(yaml.safe_dump(raw_scenario(), allow_unicode=True), encoding="utf-8")

    with pytest.raises(ScenarioError, match="must match the file name"):
        library.load_scenario_file(path)
