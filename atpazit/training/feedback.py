"""Feedback on a practice attempt: what the trainee found and missed, their decision against the
model answer, and why, in the engine's words. Pure: no database.

The trainee's ticks are assessed by the real engine (``screening.engine.evaluate``) exactly as
the screening form's are: the scenario stands in for the person (age, disputed age), the
trainee's form gives the profile, the ticks and whether the person is suspected of an offence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from atpazit.screening.catalogue import AgeGroup, Form, Profile, get_catalogue
from atpazit.screening.engine import Assessment, EvidenceSource, Observation, PersonFacts, evaluate
from atpazit.screening.services import ObservationInput, ProfileInput
from atpazit.training.library import Question, Scenario

DECISION_POINTS = 50
INDICATOR_POINTS = 50


def trainee_assessment(
    scenario: Scenario, observations: Sequence[ObservationInput], profile: ProfileInput
) -> Assessment:
    """The engine's advice on the trainee's ticks, at the scenario's stage."""
    catalogue = get_catalogue(scenario.catalogue)
    age_group = AgeGroup.CHILD if profile.treat_as_child else AgeGroup.ADULT
    chosen = Profile(age_group, Form(profile.exploitation_form))
    facts = PersonFacts(
        age=scenario.age,
        age_disputed=scenario.age_disputed,
        suspected_of_offence=profile.suspected_of_offence,
    )
    engine_observations = [
        Observation(item.indicator, EvidenceSource(item.source), scenario.stage)
        for item in observations
    ]
    return evaluate(catalogue, chosen, engine_observations, facts, stage=scenario.stage)


@dataclass(frozen=True)
class Missed:
    """An indicator of the model answer the trainee did not tick, and how it could be found."""

    code: str
    observed: bool
    questions: tuple[Question, ...]
    asked: tuple[Question, ...]


@dataclass(frozen=True)
class Result:
    found: tuple[str, ...]
    missed: tuple[str, ...]
    extra: tuple[str, ...]
    decision_correct: bool
    score: int


def result(scenario: Scenario, ticked: Sequence[str], decision: str) -> Result:
    """Compare the ticks and the decision with the model answer.

    The score is out of 100: half for the decision (the model's decision, nothing else), half
    for the indicators, as the share of the model's and the trainee's indicators together that
    both have (a wrong tick costs as a missed one does; no indicators and none ticked is full).
    """
    model = set(scenario.model_answer.indicators)
    chosen = set(ticked)
    found, missed, extra = model & chosen, model - chosen, chosen - model
    together = len(model | chosen)
    indicator_points = (
        INDICATOR_POINTS if together == 0 else round(INDICATOR_POINTS * len(found) / together)
    )
    correct = decision == scenario.model_answer.decision.value
    return Result(
        found=tuple(sorted(found)),
        missed=tuple(sorted(missed)),
        extra=tuple(sorted(extra)),
        decision_correct=correct,
        score=indicator_points + (DECISION_POINTS if correct else 0),
    )


def missed_details(scenario: Scenario, missed: Sequence[str], asked: Sequence[str]) -> list[Missed]:
    """For each missed indicator: seen without asking, or the questions that reveal it (and
    which of them the trainee asked but did not act on)."""
    details = []
    for code in missed:
        questions = tuple(scenario.revealed_by(code))
        details.append(
            Missed(
                code=code,
                observed=code in scenario.observed_indicators,
                questions=questions,
                asked=tuple(q for q in questions if q.id in asked),
            )
        )
    return details
