"""Issue 9 on the shipped catalogue release 2026.2: every case of "What is wrong today" gets the
advice DESIGN.md §5 asks for (rules R2 widened and R7), a fact is counted once per dimension, and
not knowing the form of exploitation never rates an indicator lower than any single form."""

from __future__ import annotations

import pytest

from atpazit.screening import reasons as r
from atpazit.screening.catalogue import (
    LAST_STAGES,
    AgeGroup,
    Dimension,
    Form,
    Profile,
    Stage,
    Strength,
    get_catalogue,
)
from atpazit.screening.engine import (
    EvidenceSource,
    Observation,
    Pattern,
    PersonFacts,
    Recommendation,
    evaluate,
)

CATALOGUE = get_catalogue("2026.2")
ADULT_UNKNOWN = Profile(AgeGroup.ADULT, Form.UNKNOWN)
ADULT_LABOUR = Profile(AgeGroup.ADULT, Form.LABOUR)
REFER = Recommendation.REFER_FOR_IDENTIFICATION
INTERVIEW = Recommendation.INTERVIEW_BEFORE_DEPARTURE


def at(stage: Stage, *codes: str, source: EvidenceSource = EvidenceSource.SAID_BY_PERSON):
    return [Observation(code, source, stage) for code in codes]


def advice(observations, profile=ADULT_UNKNOWN, stage=None):
    return evaluate(CATALOGUE, profile, observations, PersonFacts(age=30), stage=stage)


# --- "What is wrong today", each with the class it must now get -----------------------------------

ISSUE_CASES = [
    pytest.param(
        at(Stage.HANDOVER, "RC-09", "RC-08"), REFER, "R2", id="hand-over: recruiter waiting, afraid"
    ),
    pytest.param(
        at(Stage.PRE_DEPARTURE, "RC-06", source=EvidenceSource.OBSERVED),
        REFER,
        "R2",
        id="pre-departure: third party asks for the flight number",
    ),
    pytest.param(
        at(Stage.DETENTION_INTAKE, "CD-10", "CD-11", "CD-12"),
        REFER,
        "R2",
        id="three medium coercion-at-destination, no exploitation yet",
    ),
    pytest.param(
        at(Stage.DETENTION_INTAKE, "CR-05", "CR-06", "CR-10"),
        REFER,
        "R2",
        id="three medium coercive recruitment, intercepted before exploitation",
    ),
    pytest.param(
        at(Stage.IN_FLIGHT, "RC-13"), INTERVIEW, "R7", id="in flight: fear alone (was R5)"
    ),
    pytest.param(
        at(Stage.HANDOVER, "EX-02"), INTERVIEW, "R7", id="hand-over: exploitation only (was R4)"
    ),
    pytest.param(
        at(Stage.TRANSFER, "VR-01"), INTERVIEW, "R7", id="transfer: vulnerability only (was R5)"
    ),
    pytest.param(
        at(Stage.PRE_DEPARTURE, "DR-02"), INTERVIEW, "R7", id="pre-departure: one medium (was R5)"
    ),
    pytest.param(
        at(Stage.DETENTION_INTAKE, "CD-01"), REFER, "R2", id="employer keeps passport as CD-01"
    ),
    pytest.param(
        at(Stage.DETENTION_INTAKE, "RC-01"),
        REFER,
        "R2",
        id="passport with someone else as RC-01 (was R5)",
    ),
]


@pytest.mark.parametrize(("observations", "expected", "rule"), ISSUE_CASES)
def test_each_case_of_the_issue_gets_the_protective_advice(observations, expected, rule):
    assessment = advice(observations)

    assert assessment.recommendation is expected
    assert assessment.fired_rules[0] == rule


@pytest.mark.parametrize(("observations", "expected", "rule"), ISSUE_CASES)
def test_each_case_holds_whatever_single_form_is_chosen(observations, expected, rule):
    for form in CATALOGUE.forms:
        assessment = advice(observations, Profile(AgeGroup.ADULT, form))
        assert assessment.recommendation.rank >= expected.rank, form


def test_r7_keeps_the_labour_inspectorate_reason_when_there_is_exploitation():
    assessment = advice(at(Stage.HANDOVER, "EX-02"))

    assert assessment.fired_rules == ("R7", "R4")
    assert assessment.stage is Stage.HANDOVER


def test_the_same_indicators_before_the_last_stages_still_rescreen():
    assert advice(at(Stage.PRE_RETURN_INTERVIEW, "DR-02")).recommendation is (
        Recommendation.RESCREEN_NEXT_STAGE
    )
    assert advice(at(Stage.DETENTION_INTAKE, "EX-02")).recommendation is (
        Recommendation.LABOUR_INSPECTORATE_AND_RESCREEN
    )


def test_the_stage_of_the_request_counts_when_observations_name_an_earlier_one():
    assessment = advice(at(Stage.DETENTION_INTAKE, "DR-02"), stage=Stage.HANDOVER)

    assert assessment.recommendation is INTERVIEW


def test_nothing_recorded_at_hand_over_is_still_no_action():
    assert advice([], stage=Stage.HANDOVER).recommendation is Recommendation.NO_ACTION


def test_an_unflagged_return_sign_alone_does_not_refer():
    # A weak, innocent-looking sign (several people from one employer) is no coercion.
    assert not CATALOGUE.indicator("RC-15").coercion
    assert advice(at(Stage.DETENTION_INTAKE, "RC-15")).recommendation is (
        Recommendation.RESCREEN_NEXT_STAGE
    )


def test_strong_return_context_signs_that_refer_are_flagged_as_coercion():
    for code in ("RC-01", "RC-06", "RC-09"):
        indicator = CATALOGUE.indicator(code)
        assert indicator.coercion
        assert indicator.strength(ADULT_LABOUR) is Strength.STRONG


# --- one fact, counted once per dimension --------------------------------------------------------


def test_fear_recorded_twice_counts_once_in_the_return_context():
    assessment = advice(at(Stage.DETENTION_INTAKE, "RC-08", "RC-13"))
    result = assessment.dimension(Dimension.RETURN_CONTEXT)

    assert (result.strong, result.medium, result.weak) == (0, 1, 0)
    assert result.indicators == ("RC-08", "RC-13")
    assert any(reason.code == r.SAME_FACT for reason in assessment.reasons)


def test_a_scripted_story_ticked_twice_is_one_coercion_indicator_for_r2():
    # CD-10 and RC-10 are the same coached story; RC-13 (fear) is not a sign of control.
    once = advice(at(Stage.DETENTION_INTAKE, "CD-10", "RC-10", "RC-13"))
    # Three different medium signs of control: the ILO count makes coercion positive.
    three = advice(at(Stage.DETENTION_INTAKE, "CD-10", "CD-11", "RC-07"))

    assert "R2" not in once.fired_rules
    assert three.recommendation is REFER
    assert three.fired_rules[0] == "R2"


# --- forms --------------------------------------------------------------------------------------


@pytest.mark.parametrize("age", list(AgeGroup))
def test_unknown_form_is_each_indicators_highest_strength(age):
    order = {Strength.WEAK: 0, Strength.MEDIUM: 1, Strength.STRONG: 2}
    for indicator in CATALOGUE:
        unknown = indicator.strength(Profile(age, Form.UNKNOWN))
        rated = [indicator.strength(Profile(age, form)) for form in CATALOGUE.forms]
        assert order[unknown] == max(order[s] for s in rated), indicator.code


def test_forced_criminality_is_not_under_rated_when_the_form_is_unknown():
    recorded = at(Stage.DETENTION_INTAKE, "CD-06")

    assert advice(recorded, ADULT_LABOUR).recommendation is Recommendation.RESCREEN_NEXT_STAGE
    assert advice(recorded).recommendation is REFER


def test_release_2026_2_rates_the_new_forms():
    for form in (Form.FORCED_MARRIAGE, Form.ILLEGAL_ADOPTION, Form.ORGAN_REMOVAL):
        assert CATALOGUE.rates(form)
    assert not get_catalogue("2026.1").rates(Form.FORCED_MARRIAGE)


@pytest.mark.parametrize(
    ("form", "codes"),
    [
        (Form.SEXUAL, ("EX-11", "CD-07")),
        (Form.BEGGING, ("EX-12", "CD-07")),
        (Form.CRIMINALITY, ("EX-13", "CD-06")),
        (Form.SHAM_MARRIAGE, ("EX-14", "CD-17")),
        (Form.FORCED_MARRIAGE, ("EX-15", "CD-17")),
    ],
)
def test_textbook_non_labour_cases_show_the_full_pattern_beside_the_referral(form, codes):
    # The purpose and the coercion of the form, living conditions, and a deceptive recruitment.
    recorded = at(Stage.DETENTION_INTAKE, *codes, "EX-04", "CD-04", "DR-01", "DR-02")
    assessment = advice(recorded, Profile(AgeGroup.ADULT, form))

    assert assessment.recommendation is REFER
    assert assessment.pattern is Pattern.CONSISTENT_WITH_TRAFFICKING


# --- wording of the pattern -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "lv", "ru"])
def test_a_referral_never_shows_the_pattern_as_insufficient(lang):
    assessment = advice(at(Stage.DETENTION_INTAKE, "CD-04"))  # violence: refer, no exploitation
    texts = " ".join(r.render_reasons(assessment.reasons, lang))
    label = r.label(r.PATTERN_LABELS, assessment.pattern.value, lang)

    assert assessment.recommendation is REFER
    assert assessment.pattern is Pattern.INSUFFICIENT  # the stored value is unchanged
    for word in ("insufficient", "nepietiekam", "недостаточн"):
        assert word not in (texts + label).lower()


# --- stages -------------------------------------------------------------------------------------


def test_return_context_and_child_signs_are_offered_at_every_stage():
    for indicator in CATALOGUE:
        if indicator.dimension in (Dimension.RETURN_CONTEXT, Dimension.CHILD_SPECIFIC):
            assert set(indicator.stages) >= LAST_STAGES or indicator.code in ("RC-14", "RC-15")
    assert Stage.HANDOVER in CATALOGUE.indicator("RC-07").stages
    assert Stage.PRE_DEPARTURE in CATALOGUE.indicator("RC-12").stages


def test_rc13_no_longer_speaks_only_of_detention():
    assert "detention alone" not in CATALOGUE.indicator("RC-13").text.en


def test_child_prompts_address_the_child_informally():
    for indicator in CATALOGUE:
        if indicator.dimension is Dimension.CHILD_SPECIFIC:
            for prompt in indicator.prompts:
                for polite in ("Jūs", "Jums", "Jūsu"):
                    assert polite not in prompt.lv, indicator.code
                for polite in (" Вы", "Вам", "Ваш"):
                    assert polite not in prompt.ru, indicator.code
