"""Third-party-only evidence counts in full and is flagged (docs/decisions/0002)."""

from __future__ import annotations

from atpazit.screening import reasons as r
from atpazit.screening.catalogue import Stage
from atpazit.screening.engine import EvidenceSource, Observation, Recommendation, evaluate

from .catalogue_factories import ADULT_LABOUR, CHILD_LABOUR, NO_FACTS, assess, ladder_catalogue

THIRD_PARTY = EvidenceSource.THIRD_PARTY


def test_a_third_party_indicator_counts_exactly_like_a_first_hand_one():
    first_hand = assess("DR-01", "EX-03")
    third_party = assess("DR-01", "EX-03", source=THIRD_PARTY)

    assert third_party.recommendation is first_hand.recommendation
    assert third_party.dimensions == first_hand.dimensions
    assert third_party.pattern is first_hand.pattern


def test_each_third_party_only_indicator_is_flagged_for_corroboration():
    assessment = assess("DR-03", "EX-03", source=THIRD_PARTY)

    assert assessment.third_party_only == ("DR-03", "EX-03")
    assert r.Reason.of(r.THIRD_PARTY_ONLY, indicator="DR-03") in assessment.reasons
    assert r.Reason.of(r.THIRD_PARTY_ONLY, indicator="EX-03") in assessment.reasons


def test_it_says_what_the_advice_would_be_without_third_party_evidence_but_keeps_the_advice():
    observations = [
        Observation("DR-01", THIRD_PARTY, Stage.DETENTION_INTAKE),
        Observation("EX-03", EvidenceSource.SAID_BY_PERSON, Stage.DETENTION_INTAKE),
    ]

    assessment = evaluate(ladder_catalogue(), ADULT_LABOUR, observations, NO_FACTS)

    assert assessment.recommendation is Recommendation.REFER_FOR_IDENTIFICATION
    assert assessment.rests_on_third_party is True
    assert (
        r.Reason.of(r.RESTS_ON_THIRD_PARTY, without="labour_inspectorate_and_rescreen")
        in assessment.reasons
    )


def test_a_child_referral_resting_on_a_third_party_is_still_a_child_referral():
    assessment = assess("RC-03", profile=CHILD_LABOUR, source=THIRD_PARTY)

    assert assessment.recommendation is Recommendation.CHILD_PROTECTION_REFERRAL
    assert assessment.rests_on_third_party is True
    assert r.Reason.of(r.RESTS_ON_THIRD_PARTY, without="no_action") in assessment.reasons


def test_no_rests_on_flag_when_first_hand_evidence_alone_gives_the_same_advice():
    observations = [
        Observation("DR-01", EvidenceSource.OBSERVED, Stage.PRE_DEPARTURE),
        Observation("RC-03", THIRD_PARTY, Stage.PRE_DEPARTURE),
    ]

    assessment = evaluate(ladder_catalogue(), ADULT_LABOUR, observations, NO_FACTS)

    assert assessment.third_party_only == ("RC-03",)
    assert assessment.rests_on_third_party is False
    assert r.RESTS_ON_THIRD_PARTY not in [reason.code for reason in assessment.reasons]


def test_a_first_hand_record_of_the_same_indicator_clears_the_flag():
    observations = [
        Observation("DR-03", THIRD_PARTY, Stage.DETENTION_INTAKE),
        Observation("DR-03", EvidenceSource.SAID_BY_PERSON, Stage.PRE_DEPARTURE),
    ]

    assessment = evaluate(ladder_catalogue(), ADULT_LABOUR, observations, NO_FACTS)

    assert assessment.third_party_only == ()
    assert assessment.rests_on_third_party is False
