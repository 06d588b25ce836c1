"""The scenario library: synthetic training scenarios as versioned, validated data.

A scenario is a YAML file in ``scenarios/`` (shipped, reviewed with the code) or a version a
trainer authored in the application (``AuthoredScenario``); both are read by the one schema here
(:class:`Scenario`), checked against the indicator catalogue release they name. A scenario is
invented: no real person is described.

The interview unfolds in questions: each question is one of the catalogue's interview prompts
(``DR-01.1`` = the first prompt of DR-01); asking it shows the person's reply, may reveal
indicators, and may open follow-up questions. The model answer (indicators, recommendation,
decision, teaching notes) must agree with the engine: :func:`model_answer_problems` runs the real
``screening.engine.evaluate`` on the model indicators; the tests run it on every shipped scenario,
so a catalogue release that changes the advice fails until a trainer has reviewed the scenario.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pydantic import AfterValidator, BaseModel, Field, ValidationError

from atpazit.screening.catalogue import (
    AgeGroup,
    Catalogue,
    CatalogueError,
    Form,
    Profile,
    Stage,
    get_catalogue,
)
from atpazit.screening.engine import (
    Assessment,
    EvidenceSource,
    Observation,
    PersonFacts,
    Recommendation,
    evaluate,
)
from atpazit.screening.models import Decision
from atpazit.screening.schema import STRICT, dotted, errors_of

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
SCENARIO_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PROMPT_RE = re.compile(r"^([A-Z]{2}-\d{2})\.(\d+)$")
QUESTION_ID_RE = re.compile(r"^q\d+$")
TEXT_MAX = 2000


class Context(StrEnum):
    """Where the scenario happens: a return procedure, or a situation of the asylum procedure."""

    RETURN = "return"
    ASYLUM_INTERVIEW = "asylum_interview"
    RECEPTION_CENTRE = "reception_centre"
    DUBLIN_TRANSFER = "dublin_transfer"


# The decision each recommendation asks for: following the advice (I2: the screener decides; in
# training the model answer says what a careful screener would decide here).
ADVISED_DECISION = {
    Recommendation.CHILD_PROTECTION_REFERRAL: Decision.RAISE_SUSPICION,
    Recommendation.REFER_FOR_IDENTIFICATION: Decision.RAISE_SUSPICION,
    Recommendation.INTERVIEW_BEFORE_DEPARTURE: Decision.INTERVIEW_BEFORE_DEPARTURE,
    Recommendation.LABOUR_INSPECTORATE_AND_RESCREEN: Decision.LABOUR_INSPECTORATE,
    Recommendation.RESCREEN_NEXT_STAGE: Decision.RESCREEN,
    Recommendation.NO_ACTION: Decision.NO_ACTION,
}


def _text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError(_("must not be empty"))
    if len(value) > TEXT_MAX:
        raise ValueError(_("must be at most %(limit)d characters") % {"limit": TEXT_MAX})
    return value


def _optional_text(value: str) -> str:
    value = value.strip()
    if len(value) > TEXT_MAX:
        raise ValueError(_("must be at most %(limit)d characters") % {"limit": TEXT_MAX})
    return value


Str = Annotated[str, AfterValidator(_text)]
OptionalStr = Annotated[str, AfterValidator(_optional_text)]
LANGUAGES = ("lv", "en", "ru")


class Text(BaseModel):
    """One text in Latvian, English and Russian. Latvian is required; a trainer's scenario may
    leave English or Russian empty, and the Latvian text is then shown instead. The shipped
    files have all three (:func:`load_scenario_file`)."""

    model_config = STRICT
    lv: Str
    en: OptionalStr = ""
    ru: OptionalStr = ""

    def language_for(self, lang: str) -> str:
        """The language the text is shown in for a reader of ``lang`` (Latvian if missing)."""
        chosen = lang if lang in LANGUAGES else "en"
        return chosen if getattr(self, chosen) else "lv"

    def in_language(self, lang: str) -> str:
        return str(getattr(self, self.language_for(lang)))


class Question(BaseModel):
    """One question the officer may ask: a catalogue prompt, the reply, what it reveals."""

    model_config = STRICT
    id: Annotated[str, Field(pattern=QUESTION_ID_RE.pattern)]
    prompt: Annotated[str, Field(pattern=PROMPT_RE.pattern)]
    reply: Text
    reveals: tuple[str, ...] = ()
    unlocks: tuple[str, ...] = ()

    @property
    def indicator(self) -> str:
        return self.prompt.split(".")[0]

    @property
    def prompt_index(self) -> int:
        return int(self.prompt.split(".")[1]) - 1


class ModelAnswer(BaseModel):
    model_config = STRICT
    indicators: tuple[str, ...]
    recommendation: Recommendation
    decision: Decision
    notes: Text


class Scenario(BaseModel):
    """A training scenario (docs/guides/trainer.md describes every field)."""

    model_config = STRICT
    id: Annotated[str, Field(pattern=SCENARIO_ID_RE.pattern, max_length=60)]
    version: Annotated[int, Field(ge=1)]
    catalogue: str
    form: Form
    stage: Stage
    context: Context = Context.RETURN
    age_group: AgeGroup
    age: Annotated[int | None, Field(ge=0, le=130)] = None
    age_disputed: bool = False
    suspected_of_offence: bool = False
    title: Text
    situation: Text
    observed: Text
    says: Text
    observed_indicators: tuple[str, ...] = ()
    start: tuple[str, ...]
    max_questions: Annotated[int, Field(ge=1, le=12)] = 3
    questions: tuple[Question, ...]
    model_answer: ModelAnswer

    # --- what the pages read ---

    @property
    def is_child(self) -> bool:
        return (
            self.age_group is AgeGroup.CHILD
            or self.age_disputed
            or (self.age is not None and self.age < 18)
        )

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def available_questions(self, asked: tuple[str, ...]) -> list[Question]:
        """The questions the officer may ask next: the opening ones and those the questions
        already asked opened, minus those asked; none once ``max_questions`` are asked."""
        if len(asked) >= self.max_questions:
            return []
        open_ids = list(self.start)
        for question_id in asked:
            open_ids += [q for q in self.question(question_id).unlocks if q not in open_ids]
        return [self.question(q) for q in open_ids if q not in asked]

    def revealed_by(self, indicator: str) -> list[Question]:
        """The questions whose reply reveals ``indicator``."""
        return [q for q in self.questions if indicator in q.reveals]

    def facts(self) -> PersonFacts:
        return PersonFacts(
            age=self.age,
            age_disputed=self.age_disputed,
            suspected_of_offence=self.suspected_of_offence,
        )


def _structure_problems(scenario: Scenario) -> list[str]:
    """What the schema alone cannot say: references between the parts of one scenario."""
    problems = _question_problems(scenario) + _model_problems(scenario)
    if scenario.age_group is AgeGroup.ADULT and scenario.age is not None and scenario.age < 18:
        problems.append("age_group: " + _("a person under 18 is a child"))
    return problems


def _question_problems(scenario: Scenario) -> list[str]:
    problems = []
    ids = [q.id for q in scenario.questions]
    if len(ids) != len(set(ids)):
        problems.append("questions: " + _("two questions have the same id"))
    if not scenario.start:
        problems.append("start: " + _("at least one question must be open at the start"))
    problems += [
        "start: " + _("unknown question ‘%(question)s’") % {"question": q}
        for q in scenario.start
        if q not in ids
    ]
    for question in scenario.questions:
        problems += [
            f"questions.{question.id}.unlocks: "
            + _("unknown question ‘%(question)s’") % {"question": target}
            for target in question.unlocks
            if target not in ids or target == question.id
        ]
    reachable = _reachable(scenario)
    problems += [
        f"questions.{q}: " + _("no path of questions reaches it") for q in ids if q not in reachable
    ]
    return problems


def _model_problems(scenario: Scenario) -> list[str]:
    revealed = set(scenario.observed_indicators)
    for question in scenario.questions:
        revealed |= set(question.reveals)
    model = set(scenario.model_answer.indicators)
    problems = [
        "model_answer.indicators: "
        + _("%(code)s is neither observed nor revealed by a question") % {"code": code}
        for code in sorted(model - revealed)
    ]
    problems += [
        "model_answer.indicators: "
        + _("%(code)s is revealed but not in the model answer") % {"code": code}
        for code in sorted(revealed - model)
    ]
    if scenario.model_answer.decision != ADVISED_DECISION[scenario.model_answer.recommendation]:
        problems.append("model_answer.decision: " + _("does not follow the model recommendation"))
    return problems


def _reachable(scenario: Scenario) -> set[str]:
    by_id = {q.id: q for q in scenario.questions}
    seen: set[str] = set()
    queue = [q for q in scenario.start if q in by_id]
    while queue:
        current = queue.pop()
        if current in seen:
            continue
        seen.add(current)
        queue += [t for t in by_id[current].unlocks if t in by_id]
    return seen


class ScenarioError(Exception):
    """A scenario is invalid; ``problems`` lists each as ``field: message``."""

    def __init__(self, origin: str, problems: list[str]) -> None:
        self.origin = origin
        self.problems = tuple(problems)
        super().__init__(f"{origin}: " + "; ".join(problems))


def catalogue_problems(scenario: Scenario, catalogue: Catalogue) -> list[str]:
    """Codes and prompts the scenario names that its catalogue release lacks."""
    problems = []
    if not catalogue.rates(scenario.form):
        problems.append(
            "form: "
            + _("catalogue %(release)s does not rate %(form)s")
            % {"release": catalogue.version, "form": scenario.form.value}
        )
    codes = [("observed_indicators", c) for c in scenario.observed_indicators]
    codes += [("model_answer.indicators", c) for c in scenario.model_answer.indicators]
    for question in scenario.questions:
        codes += [(f"questions.{question.id}.reveals", c) for c in question.reveals]
        where = f"questions.{question.id}.prompt"
        if question.indicator not in catalogue:
            problems.append(
                f"{where}: " + _("unknown indicator %(code)s") % {"code": question.indicator}
            )
            continue
        prompts = catalogue.indicator(question.indicator).prompts
        if not 0 <= question.prompt_index < len(prompts):
            problems.append(
                f"{where}: "
                + ngettext(
                    "%(code)s has %(count)d prompt", "%(code)s has %(count)d prompts", len(prompts)
                )
                % {"code": question.indicator, "count": len(prompts)}
            )
    for where, code in codes:
        if code not in catalogue:
            problems.append(
                f"{where}: "
                + _("unknown indicator %(code)s in catalogue %(release)s")
                % {"code": code, "release": catalogue.version}
            )
    return problems


def missing_translations(scenario: Scenario) -> list[str]:
    """Every text of ``scenario`` without its English or Russian version."""
    texts: list[tuple[str, Text]] = [
        (name, getattr(scenario, name)) for name in ("title", "situation", "observed", "says")
    ]
    texts += [(f"questions.{q.id}.reply", q.reply) for q in scenario.questions]
    texts.append(("model_answer.notes", scenario.model_answer.notes))
    return [
        f"{where}.{lang}: " + _("must not be empty")
        for where, text in texts
        for lang in ("en", "ru")
        if not getattr(text, lang)
    ]


def parse_scenario(raw: object, *, origin: str, all_languages: bool = False) -> Scenario:
    """Validate ``raw`` (the YAML or the authoring form's data) into a Scenario, checked
    against its catalogue release; raises ScenarioError naming every problem. With
    ``all_languages`` (the shipped files) every text needs English and Russian too."""
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = [
            f"{dotted(e['loc']) or 'scenario'}: {e['msg'].removeprefix('Value error, ')}"
            for e in errors_of(exc)
        ]
        raise ScenarioError(origin, problems) from None
    try:
        catalogue = get_catalogue(scenario.catalogue)
    except CatalogueError:
        raise ScenarioError(
            origin,
            ["catalogue: " + _("unknown release ‘%(release)s’") % {"release": scenario.catalogue}],
        ) from None
    problems = _structure_problems(scenario) + catalogue_problems(scenario, catalogue)
    if all_languages:
        problems = missing_translations(scenario) + problems
    if problems:
        raise ScenarioError(origin, problems)
    return scenario


def model_assessment(scenario: Scenario) -> Assessment:
    """The engine's assessment of the model answer's indicators (said by the person, at the
    scenario's stage, for its profile and person facts): the real engine, never a copy."""
    catalogue = get_catalogue(scenario.catalogue)
    observations = [
        Observation(code, EvidenceSource.SAID_BY_PERSON, scenario.stage)
        for code in scenario.model_answer.indicators
    ]
    profile = Profile(scenario.age_group, scenario.form)
    return evaluate(catalogue, profile, observations, scenario.facts(), stage=scenario.stage)


def model_answer_problems(scenario: Scenario) -> list[str]:
    """Where the model answer disagrees with the engine (empty when it agrees)."""
    assessment = model_assessment(scenario)
    if assessment.recommendation != scenario.model_answer.recommendation:
        return [
            f"model_answer.recommendation: {scenario.model_answer.recommendation.value}, but "
            f"the engine recommends {assessment.recommendation.value} "
            f"(rules {', '.join(assessment.fired_rules)})"
        ]
    return []


@dataclass(frozen=True)
class ShippedScenario:
    scenario: Scenario
    path: Path


def load_scenario_file(path: Path) -> Scenario:
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioError(path.name, [f"cannot be read: {exc}"]) from None
    scenario = parse_scenario(raw, origin=path.name, all_languages=True)
    if path.stem != scenario.id:
        raise ScenarioError(path.name, [f"id: {scenario.id!r} must match the file name"])
    return scenario


@functools.cache
def shipped_scenarios() -> tuple[Scenario, ...]:
    """Every scenario file, validated, sorted by id; raises ScenarioError on the first bad one."""
    return tuple(load_scenario_file(path) for path in sorted(SCENARIO_DIR.glob("*.yaml")))
