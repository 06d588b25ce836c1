"""Recommendation rules R1-R6 (DESIGN.md §5): the most protective rule that applies wins, and
every rule that fired is a reason. Pure tests: no database."""

from __future__ import annotations

import pytest

from atpazit.screening import reasons as r
from atpazit.screening.catalogue import AgeGroup, Form, Profile
from atpazit.screening.engine import (
    Pattern,
    PersonFacts,
    Recommendation,
    effective_age_group,
)

from .catalogue_factories import ADULT_LABOUR, CHILD_LABOUR, assess

CHILD_PROTECTION = Recommendation.CHILD_PROTECTION_REFERRAL
REFER = Recommendation.REFER_FOR_IDENTIFICATION
LABOUR_INSPECTORATE = Recommendation.LABOUR_INSPECTORATE_AND_RESCREEN
RESCREEN = Recommendation.RESCREEN_NEXT_STAGE
NO_ACTION = Recommendation.NO_ACTION


def rule_reasons(assessment):
    return [reason for reason in assessment.reasons if reason.code.startswith("rule.")]


# (name, profile, codes, recommendation, fired rules in order)
RULES = [
    # R1: a child with any indicator at all — act, means, exploitation or context.
    ("R1 one medium context sign", CHILD_LABOUR, ("RC-03",), CHILD_PROTECTION, ("R1",)),
    ("R1 one exploitation sign", CHILD_LABOUR, ("EX-03",), CHILD_PROTECTION, ("R1",)),
    ("R1 one child-specific sign", CHILD_LABOUR, ("CH-03",), CHILD_PROTECTION, ("R1",)),
    ("R1 before R2", CHILD_LABOUR, ("DR-01",), CHILD_PROTECTION, ("R1", "R2")),
    (
        "R1 before R2 and R3",
        CHILD_LABOUR,
        ("CD-01", "EX-01", "EX-02", "CD-02"),
        CHILD_PROTECTION,
        ("R1", "R2", "R3"),
    ),
    # R2: one strong indicator of deception or coercion, at recruitment or destination.
    ("R2 strong deceptive recruitment", ADULT_LABOUR, ("DR-01",), REFER, ("R2",)),
    ("R2 strong coercive recruitment", ADULT_LABOUR, ("CR-02",), REFER, ("R2",)),
    ("R2 strong coercion at destination", ADULT_LABOUR, ("CD-01",), REFER, ("R2",)),
    ("R2 beats R4", ADULT_LABOUR, ("CD-01", "EX-03"), REFER, ("R2",)),
    # R3: exploitation positive and a means dimension positive.
    (
        "R3 with vulnerability at destination",
        ADULT_LABOUR,
        ("EX-03", "EX-04", "EX-05", "AD-03", "AD-04", "AD-05"),
        REFER,
        ("R3",),
    ),
    (
        "R3 with medium recruitment deception",
        ADULT_LABOUR,
        ("EX-03", "EX-04", "EX-06", "DR-03", "DR-04", "DR-05"),
        REFER,
        ("R3",),
    ),
    (
        "R3 with control in the return context",
        ADULT_LABOUR,
        ("EX-03", "EX-04", "EX-05", "RC-03", "RC-04", "RC-05"),
        REFER,
        ("R3",),
    ),
    (
        "R2 and R3 together",
        ADULT_LABOUR,
        ("EX-01", "EX-02", "CD-01", "CD-02"),
        REFER,
        ("R2", "R3"),
    ),
    # R4: exploitation indicators without R1-R3.
    ("R4 one exploitation sign", ADULT_LABOUR, ("EX-06",), LABOUR_INSPECTORATE, ("R4",)),
    (
        "R4 exploitation positive, no means",
        ADULT_LABOUR,
        ("EX-01", "EX-02"),
        LABOUR_INSPECTORATE,
        ("R4",),
    ),
    (
        "R4 exploitation positive, means below the rule",
        ADULT_LABOUR,
        ("EX-01", "EX-02", "AD-03", "AD-04", "DR-03"),
        LABOUR_INSPECTORATE,
        ("R4",),
    ),
    # R5: other indicators only.
    ("R5 one medium deception sign", ADULT_LABOUR, ("DR-03",), RESCREEN, ("R5",)),
    (
        "R5 strong abuse of vulnerability is not coercion",
        ADULT_LABOUR,
        ("AD-01", "AD-02"),
        RESCREEN,
        ("R5",),
    ),
    (
        "R5 positive means without exploitation",
        ADULT_LABOUR,
        ("RV-03", "RV-04", "RV-05"),
        RESCREEN,
        ("R5",),
    ),
    ("R5 child-specific sign for an adult", ADULT_LABOUR, ("CH-01",), RESCREEN, ("R5",)),
    # R6: nothing recorded.
    ("R6 adult", ADULT_LABOUR, (), NO_ACTION, ("R6",)),
    ("R6 child", CHILD_LABOUR, (), NO_ACTION, ("R6",)),
]


@pytest.mark.parametrize(
    ("profile", "codes", "recommendation", "fired"),
    [case[1:] for case in RULES],
    ids=[case[0] for case in RULES],
)
def test_recommendation_rules(profile, codes, recommendation, fired):
    assessment = assess(*codes, profile=profile)

    assert assessment.recommendation is recommendation
    assert assessment.fired_rules == fired
    codes = [reason.code for reason in rule_reasons(assessment)]
    assert list(dict.fromkeys(code.split(".")[1] for code in codes)) == list(fired)


def test_r1_names_every_indicator_and_says_the_means_are_not_required():
    assessment = assess("RC-03", "EX-06", profile=CHILD_LABOUR)

    (reason,) = rule_reasons(assessment)
    assert reason == r.Reason.of(r.RULE_R1, indicators=("EX-06", "RC-03"))
    assert "means are not required" in r.MESSAGES[r.RULE_R1]


def test_r2_names_the_strong_indicators_only():
    assessment = assess("DR-01", "DR-03", "CD-02")

    (reason,) = rule_reasons(assessment)
    assert reason == r.Reason.of(r.RULE_R2, indicators=("CD-02", "DR-01"))


def test_r3_names_the_positive_means_dimensions():
    assessment = assess("EX-03", "EX-04", "EX-05", "AD-03", "AD-04", "AD-05", "RC-01", "RC-02")

    (reason,) = rule_reasons(assessment)
    assert reason == r.Reason.of(
        r.RULE_R3, means=("abuse_of_vulnerability_at_destination", "return_context")
    )


def test_smuggling_alone_is_not_trafficking():
    # A fee paid in full, no debt, no control, no exploitation: nothing in the catalogue applies,
    # so nothing is recorded, and being smuggled is no indicator by itself.
    assessment = assess(profile=ADULT_LABOUR, facts=PersonFacts(age=29))

    assert assessment.recommendation is NO_ACTION
    assert assessment.fired_rules == ("R6",)
    assert assessment.pattern is Pattern.INSUFFICIENT
    assert assessment.positive_dimensions == ()


class TestAgeDecidesTheProfile:
    def test_an_age_under_18_makes_an_adult_profile_a_child_one(self):
        assessment = assess("RC-03", profile=ADULT_LABOUR, facts=PersonFacts(age=16))

        assert assessment.profile == CHILD_LABOUR
        assert assessment.requested_profile == ADULT_LABOUR
        assert assessment.recommendation is CHILD_PROTECTION
        assert r.Reason.of(r.CHILD_BY_AGE, age=16) in assessment.reasons
        assert (
            r.Reason.of(r.AGE_GROUP_FROM_FACTS, effective="child", requested="adult")
            in assessment.reasons
        )

    def test_a_disputed_age_presumes_minority_even_with_an_adult_age_recorded(self):
        assessment = assess("RC-03", facts=PersonFacts(age=19, age_disputed=True))

        assert assessment.profile.age_group is AgeGroup.CHILD
        assert assessment.recommendation is CHILD_PROTECTION
        assert r.Reason.of(r.CHILD_BY_DISPUTED_AGE) in assessment.reasons

    def test_an_adult_age_never_turns_a_chosen_child_profile_into_an_adult_one(self):
        assessment = assess("RC-03", profile=CHILD_LABOUR, facts=PersonFacts(age=25))

        assert assessment.profile == CHILD_LABOUR
        assert assessment.recommendation is CHILD_PROTECTION
        assert r.Reason.of(r.CHILD_BY_PROFILE, age=25) in assessment.reasons

    def test_18_is_an_adult(self):
        assert effective_age_group(AgeGroup.ADULT, PersonFacts(age=18)) is AgeGroup.ADULT
        assert effective_age_group(AgeGroup.ADULT, PersonFacts(age=17)) is AgeGroup.CHILD

    def test_the_form_of_the_requested_profile_is_kept(self):
        assessment = assess(
            profile=Profile(AgeGroup.ADULT, Form.BEGGING), facts=PersonFacts(age=12)
        )

        assert assessment.profile == Profile(AgeGroup.CHILD, Form.BEGGING)


class TestAdvisoryReasons:
    def test_child_signs_for_an_adult_ask_to_check_the_age(self):
        assessment = assess("CH-03", "RC-03")

        assert r.Reason.of(r.CHILD_SIGN_FOR_ADULT, indicators=("CH-03",)) in assessment.reasons

    def test_no_age_check_once_the_person_is_treated_as_a_child(self):
        assessment = assess("CH-03", profile=CHILD_LABOUR)

        assert r.CHILD_SIGN_FOR_ADULT not in [reason.code for reason in assessment.reasons]

    def test_forced_criminality_with_a_suspected_offence_raises_the_non_punishment_flag(self):
        assessment = assess("CD-09", "EX-03", facts=PersonFacts(suspected_of_offence=True))

        assert r.Reason.of(r.NON_PUNISHMENT, indicators=("CD-09",)) in assessment.reasons

    def test_no_non_punishment_flag_without_a_suspected_offence(self):
        assessment = assess("CD-09")

        assert r.NON_PUNISHMENT not in [reason.code for reason in assessment.reasons]

    def test_an_out_of_range_age_is_refused_naming_the_field(self):
        from atpazit.screening.engine import ScreeningInputError

        with pytest.raises(ScreeningInputError, match=r"person\.age"):
            PersonFacts(age=-1)


def test_interview_before_departure_ranks_between_referral_and_labour_inspectorate():
    ranks = [recommendation.rank for recommendation in Recommendation]

    assert ranks == sorted(ranks, reverse=True)  # the enum lists them most protective first
    assert (
        Recommendation.REFER_FOR_IDENTIFICATION.rank
        > Recommendation.INTERVIEW_BEFORE_DEPARTURE.rank
        > Recommendation.LABOUR_INSPECTORATE_AND_RESCREEN.rank
    )
