"""The screening engine: a pure function from recorded indicators to advice with reasons.

``evaluate`` reads a loaded catalogue, the profile, the observations and a few person facts and
returns an :class:`Assessment`: per-dimension tallies (ILO 2009 rule), the pattern, the
recommendation (rules R1-R7 of DESIGN.md §5, revised with catalogue release 2026.2) and
structured reasons. It touches no database,
settings or files, so the same input always gives the same assessment (invariant I2: the
assessment is advice; the screener decides). The JSON format is in docs/screening-format.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, PlainValidator, ValidationError

from . import reasons as r
from .catalogue import (
    LAST_STAGES,
    STAGE_ORDER,
    STRENGTH_ORDER,
    AgeGroup,
    Catalogue,
    Dimension,
    Form,
    Profile,
    Stage,
    Strength,
)
from .reasons import Reason
from .schema import (
    LIST_ERRORS,
    OBJECT_ERRORS,
    STRICT,
    choice,
    dotted,
    errors_of,
    flag,
    optional_str,
    refuse,
)

ADULT_AGE = 18

RECRUITMENT_DIMENSIONS = (
    Dimension.DECEPTIVE_RECRUITMENT,
    Dimension.COERCIVE_RECRUITMENT,
    Dimension.RECRUITMENT_ABUSE_OF_VULNERABILITY,
)
DESTINATION_MEANS_DIMENSIONS = (
    Dimension.COERCION_AT_DESTINATION,
    Dimension.ABUSE_OF_VULNERABILITY_AT_DESTINATION,
)
# R3's "any means dimension": the ILO means, plus continuing control seen in the return context.
MEANS_DIMENSIONS = (
    *RECRUITMENT_DIMENSIONS,
    *DESTINATION_MEANS_DIMENSIONS,
    Dimension.RETURN_CONTEXT,
)
# R2's "deception or coercion (recruitment or destination)".
DECEPTION_COERCION_DIMENSIONS = frozenset(
    {
        Dimension.DECEPTIVE_RECRUITMENT,
        Dimension.COERCIVE_RECRUITMENT,
        Dimension.COERCION_AT_DESTINATION,
    }
)
# R2's "coercion dimension positive by the ILO count". Return-context signs flagged ``coercion``
# in the catalogue count with coercion at destination (control that goes on into detention).
COERCION_DIMENSIONS = (Dimension.COERCIVE_RECRUITMENT, Dimension.COERCION_AT_DESTINATION)
# For a child the act (recruitment, transport, transfer, receipt) is enough with exploitation.
CHILD_ACT_DIMENSIONS = RECRUITMENT_DIMENSIONS + (Dimension.CHILD_SPECIFIC,)
DIMENSIONS = tuple(Dimension)


class EvidenceSource(StrEnum):
    """Where the screener got an indicator from."""

    OBSERVED = "observed"
    SAID_BY_PERSON = "said_by_person"
    THIRD_PARTY = "third_party"
    # A police or inspection report, a court or prosecutor's finding: an official's first-hand
    # record, so not flagged as hearsay as a third party's word is.
    OFFICIAL_RECORD = "official_record"


class Recommendation(StrEnum):
    """What the engine advises, from most to least protective."""

    CHILD_PROTECTION_REFERRAL = "child_protection_referral"
    REFER_FOR_IDENTIFICATION = "refer_for_identification"
    # R7: at the last stages (pre-departure, transfer, in flight, hand-over) there is no "next
    # stage" to re-screen at: interview closely and call a provider before the person leaves.
    INTERVIEW_BEFORE_DEPARTURE = "interview_before_departure"
    LABOUR_INSPECTORATE_AND_RESCREEN = "labour_inspectorate_and_rescreen"
    RESCREEN_NEXT_STAGE = "rescreen_next_stage"
    NO_ACTION = "no_action"

    @property
    def rank(self) -> int:
        """Protectiveness: higher is more protective."""
        return _RANK[self]


_RANK = {
    Recommendation.CHILD_PROTECTION_REFERRAL: 5,
    Recommendation.REFER_FOR_IDENTIFICATION: 4,
    Recommendation.INTERVIEW_BEFORE_DEPARTURE: 3,
    Recommendation.LABOUR_INSPECTORATE_AND_RESCREEN: 2,
    Recommendation.RESCREEN_NEXT_STAGE: 1,
    Recommendation.NO_ACTION: 0,
}

_RULE_RECOMMENDATION = {
    r.RULE_R1: ("R1", Recommendation.CHILD_PROTECTION_REFERRAL),
    r.RULE_R2: ("R2", Recommendation.REFER_FOR_IDENTIFICATION),
    r.RULE_R2_COERCION: ("R2", Recommendation.REFER_FOR_IDENTIFICATION),
    r.RULE_R3: ("R3", Recommendation.REFER_FOR_IDENTIFICATION),
    r.RULE_R7: ("R7", Recommendation.INTERVIEW_BEFORE_DEPARTURE),
    r.RULE_R4: ("R4", Recommendation.LABOUR_INSPECTORATE_AND_RESCREEN),
    r.RULE_R5: ("R5", Recommendation.RESCREEN_NEXT_STAGE),
    r.RULE_R6: ("R6", Recommendation.NO_ACTION),
}


class Pattern(StrEnum):
    """ILO-style classification, shown as information and never used as a gate (I3)."""

    CONSISTENT_WITH_TRAFFICKING = "consistent_with_trafficking"
    DECEPTION_AND_EXPLOITATION = "deception_and_exploitation"
    EXPLOITED_MIGRANT = "exploited_migrant"
    INSUFFICIENT = "insufficient"


class ScreeningInputError(ValueError):
    """Engine input is invalid; ``field`` names the offending field, e.g. observations[2].source."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.detail = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True, slots=True)
class Observation:
    """One recorded indicator. The screener's free-text note is stored elsewhere, never here."""

    indicator: str
    source: EvidenceSource
    stage: Stage


def screening_stage(stage: Stage | None, observations: Iterable[Observation]) -> Stage | None:
    """The stage the screening is at: the latest of ``stage`` and the observations' stages.

    Latest, because an observation recorded at hand-over means the person is at hand-over
    whatever else the request says; OTHER has no place in the removal order and is ignored.
    """
    stages = [o.stage for o in observations] + ([stage] if stage is not None else [])
    ordered = [s for s in stages if s in STAGE_ORDER]
    if not ordered:
        return stage
    return max(ordered, key=STAGE_ORDER.index)


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """The only person facts the rules read. ``age`` is in whole years, None when unknown."""

    age: int | None = None
    age_disputed: bool = False
    suspected_of_offence: bool = False

    def __post_init__(self) -> None:
        if self.age is not None and (isinstance(self.age, bool) or not 0 <= self.age <= 130):
            message = f"must be a whole number 0-130, not {self.age!r}"
            raise ScreeningInputError("person.age", message)


@dataclass(frozen=True, slots=True)
class DimensionResult:
    """Tally of one dimension and whether it is positive under the ILO rule."""

    dimension: Dimension
    strong: int
    medium: int
    weak: int
    positive: bool
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """The engine's advice: tallies, pattern, recommendation, fired rules and reasons."""

    catalogue_version: str
    requested_profile: Profile
    profile: Profile
    indicators: tuple[str, ...]
    dimensions: tuple[DimensionResult, ...]
    pattern: Pattern
    recommendation: Recommendation
    fired_rules: tuple[str, ...]
    third_party_only: tuple[str, ...]
    rests_on_third_party: bool
    reasons: tuple[Reason, ...]
    # The removal stage the rules read (R7): the request's stage or the latest observation's;
    # None when nothing names one, and in assessments stored before release 2026.2.
    stage: Stage | None = None

    def dimension(self, dimension: Dimension) -> DimensionResult:
        """Return the result for ``dimension``."""
        return self.dimensions[DIMENSIONS.index(dimension)]

    @property
    def positive_dimensions(self) -> tuple[Dimension, ...]:
        """The positive dimensions, in canonical order."""
        return tuple(result.dimension for result in self.dimensions if result.positive)


def dimension_positive(strong: int, medium: int, weak: int) -> bool:
    """ILO 2009 rule: 2 strong, 1 strong + 1 medium/weak, 3 medium, or 2 medium + 1 weak."""
    if strong >= 2 or (strong == 1 and medium + weak >= 1):
        return True
    return medium >= 3 or (medium >= 2 and weak >= 1)


def effective_age_group(requested: AgeGroup, facts: PersonFacts) -> AgeGroup:
    """Under 18, age disputed or the child profile chosen -> child (I4); otherwise adult.

    Facts can only make the profile more protective: a recorded adult age never turns a chosen
    child profile into an adult one, because the screener's doubt is itself a reason to presume
    minority (the age on a document may be false).
    """
    if facts.age_disputed or (facts.age is not None and facts.age < ADULT_AGE):
        return AgeGroup.CHILD
    return requested


@dataclass(frozen=True, slots=True)
class _Rules:
    """What the rules read besides the codes: one per evaluation (internal)."""

    table: Mapping[str, tuple[Dimension, Strength]]
    coercion_codes: frozenset[str]
    fact_of: Mapping[str, str]
    child: bool
    stage: Stage | None


@dataclass(slots=True)
class _Score:
    """Working tallies of one evaluation (internal; never leaves this module)."""

    tallies: dict[Dimension, list[int]]
    members: dict[Dimension, list[str]]
    strong_deception_coercion: list[str]
    exploitation: list[str]
    positive: frozenset[Dimension]
    # R2's coercion count: coercion dimensions positive, with the indicators counted in each.
    coercion_positive: dict[Dimension, tuple[str, ...]]
    # Codes counted once with another code for the same fact, per dimension.
    merged: dict[Dimension, tuple[str, ...]]


_STRENGTH_SLOT = {Strength.STRONG: 0, Strength.MEDIUM: 1, Strength.WEAK: 2}


def _tally(
    codes: Sequence[str],
    table: Mapping[str, tuple[Dimension, Strength]],
    fact_of: Mapping[str, str],
) -> tuple[list[int], list[str]]:
    """Tally ``codes`` (all counted in one dimension) with one fact counted once, at its
    strongest: related codes that describe the same fact at different stages (a held passport
    at recruitment, at destination and now) are one indicator of the ILO count, not several.
    Returns the [strong, medium, weak] tally and the codes merged into another one."""
    best: dict[str, Strength] = {}
    merged = []
    for code in codes:
        fact = fact_of.get(code, code)
        strength = table[code][1]
        if fact in best:
            merged.append(code)
            if STRENGTH_ORDER[strength] <= STRENGTH_ORDER[best[fact]]:
                continue
        best[fact] = strength
    tally = [0, 0, 0]
    for strength in best.values():
        tally[_STRENGTH_SLOT[strength]] += 1
    return tally, merged


def _score(codes: Sequence[str], rules: _Rules) -> _Score:
    table, fact_of = rules.table, rules.fact_of
    members: dict[Dimension, list[str]] = {dimension: [] for dimension in DIMENSIONS}
    strong_dc, exploitation = [], []
    for code in codes:
        dimension, strength = table[code]
        members[dimension].append(code)
        control = dimension in DECEPTION_COERCION_DIMENSIONS or code in rules.coercion_codes
        if strength is Strength.STRONG and control:
            strong_dc.append(code)
        if dimension is Dimension.EXPLOITATIVE_CONDITIONS:
            exploitation.append(code)
    tallies: dict[Dimension, list[int]] = {}
    merged: dict[Dimension, tuple[str, ...]] = {}
    for dimension in DIMENSIONS:
        tallies[dimension], dropped = _tally(members[dimension], table, fact_of)
        if dropped:
            merged[dimension] = tuple(dropped)
    positive = frozenset(d for d, (s, m, w) in tallies.items() if dimension_positive(s, m, w))
    coercion_positive: dict[Dimension, tuple[str, ...]] = {}
    for dimension in COERCION_DIMENSIONS:
        counted = list(members[dimension])
        if dimension is Dimension.COERCION_AT_DESTINATION:
            flagged = members[Dimension.RETURN_CONTEXT]
            counted += [code for code in flagged if code in rules.coercion_codes]
        if dimension_positive(*_tally(counted, table, fact_of)[0]):
            coercion_positive[dimension] = tuple(counted)
    return _Score(tallies, members, strong_dc, exploitation, positive, coercion_positive, merged)


def _fired_rules(score: _Score, rules: _Rules, codes: Sequence[str]) -> list[Reason]:
    """Every rule that applies, most protective first (so the first one decides)."""
    fired = []
    if rules.child and codes:
        fired.append(Reason.of(r.RULE_R1, indicators=tuple(codes)))
    if score.strong_deception_coercion:
        fired.append(Reason.of(r.RULE_R2, indicators=tuple(score.strong_deception_coercion)))
    for dimension, counted in score.coercion_positive.items():
        fired.append(Reason.of(r.RULE_R2_COERCION, dimension=dimension.value, indicators=counted))
    means = tuple(d.value for d in MEANS_DIMENSIONS if d in score.positive)
    if Dimension.EXPLOITATIVE_CONDITIONS in score.positive and means:
        fired.append(Reason.of(r.RULE_R3, means=means))
    if fired:
        return fired
    if not codes:
        return [Reason.of(r.RULE_R6)]
    if score.exploitation:
        lower = Reason.of(r.RULE_R4, indicators=tuple(score.exploitation))
    else:
        lower = Reason.of(r.RULE_R5, indicators=tuple(codes))
    if rules.stage in LAST_STAGES:
        # No later stage exists: interview now, before departure (R7), and keep R4 or R5 as a
        # reason (R4 still asks for the State Labour Inspectorate to be informed).
        return [Reason.of(r.RULE_R7, stage=str(rules.stage), indicators=tuple(codes)), lower]
    return [lower]


def _pattern(positive: frozenset[Dimension], child: bool) -> tuple[Pattern, Reason]:
    if Dimension.EXPLOITATIVE_CONDITIONS not in positive:
        return Pattern.INSUFFICIENT, Reason.of(r.PATTERN_INSUFFICIENT)
    act_dimensions = CHILD_ACT_DIMENSIONS if child else RECRUITMENT_DIMENSIONS
    has_act = any(d in positive for d in act_dimensions)
    if child and has_act:
        return Pattern.CONSISTENT_WITH_TRAFFICKING, Reason.of(r.PATTERN_CHILD_TRAFFICKING)
    if has_act and any(d in positive for d in DESTINATION_MEANS_DIMENSIONS):
        return Pattern.CONSISTENT_WITH_TRAFFICKING, Reason.of(r.PATTERN_ADULT_TRAFFICKING)
    others = tuple(
        d.value for d in DIMENSIONS if d in positive and d is not Dimension.EXPLOITATIVE_CONDITIONS
    )
    if others:
        reason = Reason.of(r.PATTERN_DECEPTION_EXPLOITATION, dimensions=others)
        return Pattern.DECEPTION_AND_EXPLOITATION, reason
    return Pattern.EXPLOITED_MIGRANT, Reason.of(r.PATTERN_EXPLOITED_MIGRANT)


def _collect(
    observations: Iterable[Observation], catalogue: Catalogue, table: Mapping[str, Any]
) -> tuple[list[str], list[str]]:
    """Return (all indicator codes, codes resting only on third parties), both sorted.

    An indicator counts once however often it was recorded; any first-hand record of it
    (observed, or said by the person) means it does not rest on third parties alone.
    """
    first_hand: dict[str, bool] = {}
    for position, observation in enumerate(observations):
        code = observation.indicator
        if code not in table:
            raise ScreeningInputError(
                f"observations[{position}].indicator",
                f"unknown indicator {code!r} in catalogue {catalogue.version}",
            )
        direct = observation.source != EvidenceSource.THIRD_PARTY
        first_hand[code] = first_hand.get(code, False) or direct
    codes = sorted(first_hand)
    return codes, [code for code in codes if not first_hand[code]]


def _age_reasons(requested: AgeGroup, effective: AgeGroup, facts: PersonFacts) -> list[Reason]:
    found = []
    if facts.age is not None and facts.age < ADULT_AGE:
        found.append(Reason.of(r.CHILD_BY_AGE, age=facts.age))
    elif facts.age_disputed:
        found.append(Reason.of(r.CHILD_BY_DISPUTED_AGE))
    elif requested is AgeGroup.CHILD and facts.age is not None:
        found.append(Reason.of(r.CHILD_BY_PROFILE, age=facts.age))
    if effective is not requested:
        found.append(
            Reason.of(r.AGE_GROUP_FROM_FACTS, effective=effective.value, requested=requested.value)
        )
    return found


def _dimension_results(score: _Score) -> tuple[DimensionResult, ...]:
    return tuple(
        DimensionResult(
            dimension=d,
            strong=score.tallies[d][0],
            medium=score.tallies[d][1],
            weak=score.tallies[d][2],
            positive=d in score.positive,
            indicators=tuple(score.members[d]),
        )
        for d in DIMENSIONS
    )


def _dimension_reasons(results: Iterable[DimensionResult]) -> list[Reason]:
    return [
        Reason.of(
            r.DIMENSION_POSITIVE,
            dimension=result.dimension.value,
            strong=result.strong,
            medium=result.medium,
            weak=result.weak,
            indicators=result.indicators,
        )
        for result in results
        if result.positive
    ]


def _recommendation(fired: Sequence[Reason]) -> Recommendation:
    return _RULE_RECOMMENDATION[fired[0].code][1]


def _fired_rule_names(fired: Sequence[Reason]) -> tuple[str, ...]:
    """R1..R7 in the order they fired, each once (R2 can fire for two reasons)."""
    return tuple(dict.fromkeys(_RULE_RECOMMENDATION[reason.code][0] for reason in fired))


def _third_party_reasons(
    third_party_only: list[str], codes: list[str], rules: _Rules, recommendation: Recommendation
) -> tuple[list[Reason], bool]:
    """Flag third-party-only indicators, and say whether the advice rests on them alone."""
    if not third_party_only:
        return [], False
    found = [Reason.of(r.THIRD_PARTY_ONLY, indicator=code) for code in third_party_only]
    excluded = set(third_party_only)
    first_hand = [code for code in codes if code not in excluded]
    without = _recommendation(_fired_rules(_score(first_hand, rules), rules, first_hand))
    rests = without.rank < recommendation.rank
    if rests:
        found.append(Reason.of(r.RESTS_ON_THIRD_PARTY, without=without.value))
    return found, rests


def _advisory_reasons(
    catalogue: Catalogue, codes: list[str], child: bool, facts: PersonFacts
) -> list[Reason]:
    found = []
    child_signs = tuple(
        code for code in codes if catalogue.indicator(code).dimension is Dimension.CHILD_SPECIFIC
    )
    if child_signs and not child:
        found.append(Reason.of(r.CHILD_SIGN_FOR_ADULT, indicators=child_signs))
    criminality = tuple(code for code in codes if code in catalogue.forced_criminality_codes)
    if facts.suspected_of_offence and criminality:
        found.append(Reason.of(r.NON_PUNISHMENT, indicators=criminality))
    return found


def evaluate(
    catalogue: Catalogue,
    profile: Profile,
    observations: Iterable[Observation],
    person_facts: PersonFacts,
    *,
    stage: Stage | None = None,
) -> Assessment:
    """Assess the observations of one person against ``catalogue`` (pure, deterministic).

    The person facts decide the age group (under 18 or age disputed is a child, I4) whatever
    ``profile.age_group`` says; the requested profile is kept in the assessment. ``stage`` is
    the removal stage of the screening; the latest observation's stage counts if later (R7).
    Raises ScreeningInputError for an indicator code the catalogue does not have, or a form of
    exploitation the catalogue release does not rate.
    """
    observations = tuple(observations)
    if not catalogue.rates(profile.form):
        raise ScreeningInputError(
            "profile.form",
            f"catalogue {catalogue.version} does not rate the form {profile.form.value!r}; "
            f"expected one of {', '.join(catalogue.forms)}",
        )
    age_group = effective_age_group(profile.age_group, person_facts)
    effective = Profile(age_group, profile.form)
    child = age_group is AgeGroup.CHILD
    table = catalogue.table(effective)
    codes, third_party_only = _collect(observations, catalogue, table)
    at = screening_stage(stage, observations)
    rules = _Rules(table, catalogue.coercion_codes, catalogue.fact_of, child, at)
    score = _score(codes, rules)
    fired = _fired_rules(score, rules, codes)
    recommendation = _recommendation(fired)
    results = _dimension_results(score)
    pattern, pattern_reason = _pattern(score.positive, child)
    evidence_reasons, rests = _third_party_reasons(third_party_only, codes, rules, recommendation)
    reasons = (
        _age_reasons(profile.age_group, age_group, person_facts)
        + fired
        + _dimension_reasons(results)
        + _same_fact_reasons(score)
        + [pattern_reason]
        + evidence_reasons
        + _advisory_reasons(catalogue, codes, child, person_facts)
    )
    return Assessment(
        catalogue_version=catalogue.version,
        requested_profile=profile,
        profile=effective,
        indicators=tuple(codes),
        dimensions=results,
        pattern=pattern,
        recommendation=recommendation,
        fired_rules=_fired_rule_names(fired),
        third_party_only=tuple(third_party_only),
        rests_on_third_party=rests,
        reasons=tuple(reasons),
        stage=at,
    )


def _same_fact_reasons(score: _Score) -> list[Reason]:
    return [
        Reason.of(r.SAME_FACT, dimension=dimension.value, indicators=codes)
        for dimension, codes in score.merged.items()
    ]


# --- JSON input and output (docs/screening-format.md) -------------------------------------


@dataclass(frozen=True)
class ScreeningRequest:
    """One evaluation request as read from JSON: what ``evaluate`` needs, plus a caller ref."""

    profile: Profile
    person: PersonFacts
    observations: tuple[Observation, ...]
    catalogue_version: str | None = None
    ref: str | None = None
    stage: Stage | None = None


def _indicator_code(value: object) -> str:
    if value is None or value == "":
        raise refuse("missing", "missing required field")
    if not isinstance(value, str):
        raise refuse("code", "must be a code string, not {value!r}", value=value)
    return value


def _age(value: object) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise refuse("age", "must be a whole number or null, not {value!r}", value=value)
    return value


Flag = Annotated[bool, PlainValidator(flag)]
OptionalStr = Annotated[str | None, PlainValidator(optional_str)]


class _ProfileIn(BaseModel):
    model_config = STRICT
    age_group: Annotated[AgeGroup, PlainValidator(choice(AgeGroup))]
    form: Annotated[Form, PlainValidator(choice(Form))]


class _PersonIn(BaseModel):
    model_config = STRICT
    age: Annotated[int | None, PlainValidator(_age)] = None
    age_disputed: Flag = False
    suspected_of_offence: Flag = False


class _ObservationIn(BaseModel):
    model_config = STRICT
    indicator: Annotated[str, PlainValidator(_indicator_code)]
    source: Annotated[EvidenceSource, PlainValidator(choice(EvidenceSource))]
    stage: Annotated[Stage, PlainValidator(choice(Stage))]


class _RequestIn(BaseModel):
    """The request of docs/screening-format.md, field by field."""

    model_config = STRICT
    profile: _ProfileIn
    person: _PersonIn = _PersonIn()
    observations: list[_ObservationIn]
    catalogue_version: OptionalStr = None
    ref: OptionalStr = None
    stage: Annotated[Stage | None, PlainValidator(choice(Stage, optional=True))] = None


# The request's parts keep their own names in messages (profile.form, observations[2].stage);
# its own scalar fields and unknown keys are named request.ref, request.name.
_PARTS = frozenset({"profile", "person", "observations"})


def _input_error(error: ValidationError, within: str = "") -> ScreeningInputError:
    """The first problem, worded as the format's documentation words it. Unknown fields come
    first: a misspelt key explains the "missing" one that usually follows it."""
    problems = errors_of(error)
    first = min(problems, key=lambda problem: problem["type"] != "extra_forbidden")
    loc = (within, *first["loc"]) if within else first["loc"]
    field = dotted(loc) if loc else "request"
    if len(loc) == 1 and loc[0] not in _PARTS:
        field = f"request.{field}"
    kind = first["type"]
    if kind == "missing":
        message = "missing required field"
    elif kind == "extra_forbidden":
        hint = " (notes are not engine input)" if loc[-1] == "note" else ""
        message = f"unknown field{hint}"
    elif kind in OBJECT_ERRORS:
        message = "must be a JSON object"
    elif kind in LIST_ERRORS:
        message = "must be a JSON list"
    else:
        message = first["msg"]
    return ScreeningInputError(field, message)


def profile_from_dict(raw: object) -> Profile:
    """Parse ``{"age_group": ..., "form": ...}``; raises ScreeningInputError naming the field."""
    try:
        data = _ProfileIn.model_validate(raw)
    except ValidationError as exc:
        raise _input_error(exc, within="profile") from None
    return Profile(data.age_group, data.form)


def request_from_dict(raw: object) -> ScreeningRequest:
    """Parse one evaluation request (docs/screening-format.md); raises ScreeningInputError
    naming the first invalid field, e.g. ``observations[2].stage``."""
    try:
        data = _RequestIn.model_validate(raw)
    except ValidationError as exc:
        raise _input_error(exc) from None
    person = data.person
    return ScreeningRequest(
        profile=Profile(data.profile.age_group, data.profile.form),
        person=PersonFacts(person.age, person.age_disputed, person.suspected_of_offence),
        observations=tuple(Observation(o.indicator, o.source, o.stage) for o in data.observations),
        catalogue_version=data.catalogue_version,
        ref=data.ref,
        stage=data.stage,
    )


def request_to_dict(request: ScreeningRequest) -> dict[str, Any]:
    """The JSON form of a request, keys in the documented order."""
    return {
        "ref": request.ref,
        "catalogue_version": request.catalogue_version,
        "stage": request.stage.value if request.stage is not None else None,
        "profile": _profile_to_dict(request.profile),
        "person": {
            "age": request.person.age,
            "age_disputed": request.person.age_disputed,
            "suspected_of_offence": request.person.suspected_of_offence,
        },
        "observations": [
            {"indicator": o.indicator, "source": o.source.value, "stage": o.stage.value}
            for o in request.observations
        ],
    }


def _profile_to_dict(profile: Profile) -> dict[str, str]:
    return {"age_group": profile.age_group.value, "form": profile.form.value}


def reason_to_dict(reason: Reason) -> dict[str, Any]:
    """``{"code": ..., "params": {...}}`` with tuples as lists and params sorted by name."""
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in reason.params}
    return {"code": reason.code, "params": params}


def reason_from_dict(raw: Mapping[str, Any]) -> Reason:
    """Rebuild a stored reason (the inverse of ``reason_to_dict``)."""
    params = {k: tuple(v) if isinstance(v, list) else v for k, v in raw["params"].items()}
    return Reason.of(raw["code"], **params)


def assessment_to_dict(
    assessment: Assessment, *, ref: str | None = None, lang: str | None = None
) -> dict[str, Any]:
    """The JSON form of an assessment, keys in a fixed order so output is byte-for-byte stable.

    With ``lang`` each reason also carries its rendered ``text`` (needs Django settings).
    """
    reasons = [reason_to_dict(reason) for reason in assessment.reasons]
    if lang is not None:
        texts = r.render_reasons(assessment.reasons, lang)
        for entry, text in zip(reasons, texts, strict=True):
            entry["text"] = text
    return {
        "ref": ref,
        "catalogue_version": assessment.catalogue_version,
        "requested_profile": _profile_to_dict(assessment.requested_profile),
        "profile": _profile_to_dict(assessment.profile),
        "stage": assessment.stage.value if assessment.stage is not None else None,
        "recommendation": assessment.recommendation.value,
        "fired_rules": list(assessment.fired_rules),
        "pattern": assessment.pattern.value,
        "indicators": list(assessment.indicators),
        "dimensions": {
            result.dimension.value: {
                "strong": result.strong,
                "medium": result.medium,
                "weak": result.weak,
                "positive": result.positive,
                "indicators": list(result.indicators),
            }
            for result in assessment.dimensions
        },
        "third_party_only": list(assessment.third_party_only),
        "rests_on_third_party": assessment.rests_on_third_party,
        "reasons": reasons,
    }


def _dimension_result_from_dict(dimension: Dimension, entry: Mapping[str, Any]) -> DimensionResult:
    return DimensionResult(
        dimension=dimension,
        strong=entry["strong"],
        medium=entry["medium"],
        weak=entry["weak"],
        positive=entry["positive"],
        indicators=tuple(entry["indicators"]),
    )


def assessment_from_dict(raw: Mapping[str, Any]) -> Assessment:
    """Rebuild a stored assessment so an old screening displays exactly as it was computed."""
    # Canonical order, not the stored key order: PostgreSQL jsonb does not keep key order, and
    # Assessment.dimension() looks results up by position. A dimension added after the
    # assessment was stored was not counted then, so it reads as empty.
    stored = raw["dimensions"]
    empty = {"strong": 0, "medium": 0, "weak": 0, "positive": False, "indicators": []}
    dimensions = tuple(
        _dimension_result_from_dict(dimension, stored.get(dimension.value, empty))
        for dimension in DIMENSIONS
    )
    return Assessment(
        catalogue_version=raw["catalogue_version"],
        requested_profile=profile_from_dict(raw["requested_profile"]),
        profile=profile_from_dict(raw["profile"]),
        indicators=tuple(raw["indicators"]),
        dimensions=dimensions,
        pattern=Pattern(raw["pattern"]),
        recommendation=Recommendation(raw["recommendation"]),
        fired_rules=tuple(raw["fired_rules"]),
        third_party_only=tuple(raw["third_party_only"]),
        rests_on_third_party=raw["rests_on_third_party"],
        reasons=tuple(reason_from_dict(entry) for entry in raw["reasons"]),
        # Absent from assessments stored before release 2026.2.
        stage=Stage(raw["stage"]) if raw.get("stage") else None,
    )
