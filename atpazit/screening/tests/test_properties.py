"""Properties of the engine (DESIGN.md §5), checked with Hypothesis on deterministic settings:
the same input gives the same assessment; adding an observation never lowers the
recommendation; a child is never treated less protectively than an adult with the same
observations; every positive dimension and every fired rule has a reason."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from atpazit.screening import reasons as r
from atpazit.screening.catalogue import (
    LAST_STAGES,
    AgeGroup,
    Dimension,
    Form,
    Profile,
    Stage,
    get_catalogue,
    latest_catalogue,
)
from atpazit.screening.engine import (
    EvidenceSource,
    Observation,
    PersonFacts,
    Recommendation,
    assessment_from_dict,
    assessment_to_dict,
    evaluate,
)

from .catalogue_factories import ladder_catalogue

CATALOGUE = ladder_catalogue()
CODES = sorted(indicator.code for indicator in CATALOGUE)

# derandomize: the same examples on every run and machine; database=None: nothing is stored.
DETERMINISTIC = settings(derandomize=True, max_examples=300, deadline=None, database=None)

observations = st.builds(
    Observation,
    indicator=st.sampled_from(CODES),
    source=st.sampled_from(list(EvidenceSource)),
    stage=st.sampled_from(list(Stage)),
)
observation_lists = st.lists(observations, max_size=14)
profiles = st.builds(
    Profile, st.sampled_from(list(AgeGroup)), st.sampled_from(list(CATALOGUE.forms))
)
facts = st.builds(
    PersonFacts,
    age=st.none() | st.integers(min_value=0, max_value=90),
    age_disputed=st.booleans(),
    suspected_of_offence=st.booleans(),
)


@DETERMINISTIC
@given(profile=profiles, recorded=observation_lists, person=facts, order=st.randoms())
def test_evaluate_is_deterministic_and_ignores_the_order_of_observations(
    profile, recorded, person, order
):
    first = evaluate(CATALOGUE, profile, recorded, person)
    shuffled = list(recorded)
    order.shuffle(shuffled)

    assert evaluate(CATALOGUE, profile, list(recorded), person) == first
    assert evaluate(CATALOGUE, profile, shuffled, person) == first
    assert json.dumps(assessment_to_dict(first)) == json.dumps(
        assessment_to_dict(evaluate(CATALOGUE, profile, shuffled, person))
    )


@DETERMINISTIC
@given(profile=profiles, recorded=observation_lists, extra=observations, person=facts)
def test_adding_an_observation_never_lowers_the_recommendation(profile, recorded, extra, person):
    before = evaluate(CATALOGUE, profile, recorded, person)
    after = evaluate(CATALOGUE, profile, [*recorded, extra], person)

    assert after.recommendation.rank >= before.recommendation.rank


@DETERMINISTIC
@given(profile=profiles, recorded=observation_lists, more=observation_lists, person=facts)
def test_adding_many_observations_never_lowers_the_recommendation(profile, recorded, more, person):
    before = evaluate(CATALOGUE, profile, recorded, person)
    after = evaluate(CATALOGUE, profile, [*more, *recorded], person)

    assert after.recommendation.rank >= before.recommendation.rank


@DETERMINISTIC
@given(form=st.sampled_from(list(CATALOGUE.forms)), recorded=observation_lists, person=facts)
def test_a_child_is_never_treated_less_protectively_than_an_adult(form, recorded, person):
    adult = evaluate(CATALOGUE, Profile(AgeGroup.ADULT, form), recorded, person)
    child = evaluate(CATALOGUE, Profile(AgeGroup.CHILD, form), recorded, person)

    assert child.recommendation.rank >= adult.recommendation.rank


@DETERMINISTIC
@given(profile=profiles, recorded=observation_lists, age=st.integers(min_value=0, max_value=17))
def test_an_age_under_18_is_never_treated_less_protectively_than_no_age(profile, recorded, age):
    unknown = evaluate(CATALOGUE, profile, recorded, PersonFacts())
    minor = evaluate(CATALOGUE, profile, recorded, PersonFacts(age=age))
    disputed = evaluate(CATALOGUE, profile, recorded, PersonFacts(age_disputed=True))

    assert minor.recommendation.rank >= unknown.recommendation.rank
    assert disputed.recommendation.rank >= unknown.recommendation.rank


@DETERMINISTIC
@given(profile=profiles, recorded=observation_lists, person=facts)
def test_every_positive_dimension_and_every_fired_rule_has_a_reason(profile, recorded, person):
    assessment = evaluate(CATALOGUE, profile, recorded, person)
    dimension_reasons = {
        reason.params_dict["dimension"]: reason
        for reason in assessment.reasons
        if reason.code == r.DIMENSION_POSITIVE
    }
    rule_reasons = [reason.code for reason in assessment.reasons if reason.code.startswith("rule.")]

    assert set(dimension_reasons) == {d.value for d in assessment.positive_dimensions}
    for dimension in assessment.positive_dimensions:
        result = assessment.dimension(dimension)
        assert dimension_reasons[dimension.value].params_dict["indicators"] == result.indicators
    # R2 can fire twice (a strong sign, a positive coercion dimension): one rule, two reasons.
    fired = list(dict.fromkeys(code.split(".")[1] for code in rule_reasons))
    assert fired == list(assessment.fired_rules)
    assert assessment.fired_rules  # something always fires, R6 at the least
    assert all(reason.code in r.MESSAGES for reason in assessment.reasons)


@DETERMINISTIC
@given(profile=profiles, recorded=observation_lists, person=facts)
def test_an_assessment_survives_its_json_form(profile, recorded, person):
    assessment = evaluate(CATALOGUE, profile, recorded, person)

    stored = json.loads(json.dumps(assessment_to_dict(assessment)))

    assert assessment_from_dict(stored) == assessment


@DETERMINISTIC
@given(profile=profiles, recorded=observation_lists, person=facts)
def test_third_party_evidence_never_lowers_the_recommendation(profile, recorded, person):
    first_hand = [Observation(o.indicator, EvidenceSource.OBSERVED, o.stage) for o in recorded]
    third_party = [Observation(o.indicator, EvidenceSource.THIRD_PARTY, o.stage) for o in recorded]

    assert (
        evaluate(CATALOGUE, profile, third_party, person).recommendation
        is evaluate(CATALOGUE, profile, first_hand, person).recommendation
    )


# --- the same properties on the shipped catalogue, with its real strengths per profile ---------


def shipped_observations(data):
    codes = sorted(indicator.code for indicator in latest_catalogue())
    one = st.builds(
        Observation,
        indicator=st.sampled_from(codes),
        source=st.sampled_from(list(EvidenceSource)),
        stage=st.sampled_from(list(Stage)),
    )
    return data.draw(st.lists(one, max_size=14)), data.draw(one)


@settings(derandomize=True, max_examples=300, deadline=None, database=None)
@given(data=st.data(), form=st.sampled_from(list(CATALOGUE.forms)), person=facts)
def test_the_shipped_catalogue_keeps_every_property(data, form, person):
    catalogue = latest_catalogue()
    recorded, extra = shipped_observations(data)
    adult = evaluate(catalogue, Profile(AgeGroup.ADULT, form), recorded, person)
    child = evaluate(catalogue, Profile(AgeGroup.CHILD, form), recorded, person)
    more = evaluate(catalogue, Profile(AgeGroup.ADULT, form), [*recorded, extra], person)

    assert child.recommendation.rank >= adult.recommendation.rank
    assert more.recommendation.rank >= adult.recommendation.rank
    assert evaluate(catalogue, Profile(AgeGroup.ADULT, form), recorded[::-1], person) == adult
    positive = {
        reason.params_dict["dimension"]
        for reason in adult.reasons
        if reason.code == r.DIMENSION_POSITIVE
    }
    assert positive == {dimension.value for dimension in adult.positive_dimensions}


# --- issue 9: rules R2 widened and R7, form "unknown", on the shipped release 2026.2 ---------------

RELEASE = get_catalogue("2026.2")
RELEASE_CODES = sorted(indicator.code for indicator in RELEASE)
release_observations = st.lists(
    st.builds(
        Observation,
        indicator=st.sampled_from(RELEASE_CODES),
        source=st.sampled_from(list(EvidenceSource)),
        stage=st.sampled_from(list(Stage)),
    ),
    max_size=10,
)
release_profiles = st.builds(
    Profile, st.sampled_from(list(AgeGroup)), st.sampled_from(list(RELEASE.forms))
)
LOWER = {Recommendation.LABOUR_INSPECTORATE_AND_RESCREEN, Recommendation.RESCREEN_NEXT_STAGE}


@DETERMINISTIC
@given(profile=release_profiles, recorded=release_observations, person=facts)
def test_r7_is_never_less_protective_than_r4_or_r5_would_be(profile, recorded, person):
    earlier = [Observation(o.indicator, o.source, Stage.DETENTION_INTAKE) for o in recorded]
    before = evaluate(RELEASE, profile, earlier, person)
    for stage in LAST_STAGES:
        last = evaluate(RELEASE, profile, earlier, person, stage=stage)

        assert last.recommendation.rank >= before.recommendation.rank
        if before.recommendation in LOWER:
            assert last.recommendation is Recommendation.INTERVIEW_BEFORE_DEPARTURE


@DETERMINISTIC
@given(profile=release_profiles, recorded=release_observations, person=facts)
def test_no_assessment_at_a_last_stage_advises_rescreening_later(profile, recorded, person):
    for stage in LAST_STAGES:
        assessment = evaluate(RELEASE, profile, recorded, person, stage=stage)

        assert assessment.recommendation not in LOWER
        assert assessment.stage in LAST_STAGES


@DETERMINISTIC
@given(profile=release_profiles, recorded=release_observations, person=facts)
def test_a_positive_coercion_dimension_always_refers(profile, recorded, person):
    assessment = evaluate(RELEASE, profile, recorded, person)
    coercion = {Dimension.COERCIVE_RECRUITMENT, Dimension.COERCION_AT_DESTINATION}

    if coercion & set(assessment.positive_dimensions):
        assert assessment.recommendation.rank >= Recommendation.REFER_FOR_IDENTIFICATION.rank


@DETERMINISTIC
@given(age=st.sampled_from(list(AgeGroup)), recorded=release_observations, person=facts)
def test_unknown_form_is_never_less_protective_than_any_single_form(age, recorded, person):
    unknown = evaluate(RELEASE, Profile(age, Form.UNKNOWN), recorded, person)
    for form in RELEASE.forms:
        single = evaluate(RELEASE, Profile(age, form), recorded, person)

        assert unknown.recommendation.rank >= single.recommendation.rank, form


@DETERMINISTIC
@given(profile=release_profiles, recorded=release_observations, person=facts, data=st.data())
def test_adding_an_indicator_never_lowers_the_advice_with_same_fact_groups(
    profile, recorded, person, data
):
    extra = data.draw(st.sampled_from(RELEASE_CODES))
    stage = data.draw(st.sampled_from(list(Stage)))
    before = evaluate(RELEASE, profile, recorded, person)
    after = evaluate(
        RELEASE, profile, [*recorded, Observation(extra, EvidenceSource.OBSERVED, stage)], person
    )
    child = evaluate(RELEASE, Profile(AgeGroup.CHILD, profile.form), recorded, person)

    assert after.recommendation.rank >= before.recommendation.rank
    assert child.recommendation.rank >= before.recommendation.rank
