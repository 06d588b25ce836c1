"""The ILO pattern (information only, never a gate: I3).

Adult: a recruitment dimension + exploitation + coercion or abuse of vulnerability at destination.
Child: the act (a recruitment dimension or child-specific signs) + exploitation; means not required.
"""

from __future__ import annotations

import pytest

from atpazit.screening import reasons as r
from atpazit.screening.engine import Pattern

from .catalogue_factories import ADULT_LABOUR, CHILD_LABOUR, assess

# Positive dimensions, each built from two strong indicators.
DECEPTIVE = ("DR-01", "DR-02")
COERCIVE = ("CR-01", "CR-02")
RECRUITED_VULNERABLE = ("RV-01", "RV-02")
EXPLOITATION = ("EX-01", "EX-02")
COERCED = ("CD-01", "CD-02")
VULNERABLE_AT_DESTINATION = ("AD-03", "AD-04", "AD-05")
RETURN_CONTROL = ("RC-01", "RC-02")
CHILD_SIGNS = ("CH-03", "CH-04", "CH-05")

ADULT_PATTERNS = [
    (
        "deceptive recruitment + exploitation + coercion",
        DECEPTIVE + EXPLOITATION + COERCED,
        Pattern.CONSISTENT_WITH_TRAFFICKING,
        r.PATTERN_ADULT_TRAFFICKING,
    ),
    (
        "coercive recruitment + exploitation + vulnerability at destination",
        COERCIVE + EXPLOITATION + VULNERABLE_AT_DESTINATION,
        Pattern.CONSISTENT_WITH_TRAFFICKING,
        r.PATTERN_ADULT_TRAFFICKING,
    ),
    (
        "recruitment by abuse of vulnerability + exploitation + coercion",
        RECRUITED_VULNERABLE + EXPLOITATION + COERCED,
        Pattern.CONSISTENT_WITH_TRAFFICKING,
        r.PATTERN_ADULT_TRAFFICKING,
    ),
    (
        "recruitment + exploitation, no means at destination",
        DECEPTIVE + EXPLOITATION,
        Pattern.DECEPTION_AND_EXPLOITATION,
        r.PATTERN_DECEPTION_EXPLOITATION,
    ),
    (
        "exploitation + coercion, no recruitment",
        EXPLOITATION + COERCED,
        Pattern.DECEPTION_AND_EXPLOITATION,
        r.PATTERN_DECEPTION_EXPLOITATION,
    ),
    (
        "exploitation + control in the return context",
        EXPLOITATION + RETURN_CONTROL,
        Pattern.DECEPTION_AND_EXPLOITATION,
        r.PATTERN_DECEPTION_EXPLOITATION,
    ),
    (
        "exploitation alone",
        EXPLOITATION,
        Pattern.EXPLOITED_MIGRANT,
        r.PATTERN_EXPLOITED_MIGRANT,
    ),
    (
        "recruitment + coercion without exploitation",
        DECEPTIVE + COERCED,
        Pattern.INSUFFICIENT,
        r.PATTERN_INSUFFICIENT,
    ),
    (
        "exploitation indicators below the rule (1S) with full means",
        ("EX-01",) + DECEPTIVE + COERCED,
        Pattern.INSUFFICIENT,
        r.PATTERN_INSUFFICIENT,
    ),
    ("nothing", (), Pattern.INSUFFICIENT, r.PATTERN_INSUFFICIENT),
    (
        "child-specific signs + exploitation are not an act for an adult",
        CHILD_SIGNS + EXPLOITATION,
        Pattern.DECEPTION_AND_EXPLOITATION,
        r.PATTERN_DECEPTION_EXPLOITATION,
    ),
]


@pytest.mark.parametrize(
    ("codes", "pattern", "reason"),
    [case[1:] for case in ADULT_PATTERNS],
    ids=[case[0] for case in ADULT_PATTERNS],
)
def test_adult_pattern(codes, pattern, reason):
    assessment = assess(*codes, profile=ADULT_LABOUR)

    assert assessment.pattern is pattern
    assert reason in [found.code for found in assessment.reasons]


CHILD_PATTERNS = [
    (
        "deceptive recruitment + exploitation, no means",
        DECEPTIVE + EXPLOITATION,
        Pattern.CONSISTENT_WITH_TRAFFICKING,
    ),
    (
        "coercive recruitment + exploitation",
        COERCIVE + EXPLOITATION,
        Pattern.CONSISTENT_WITH_TRAFFICKING,
    ),
    (
        "recruitment by abuse of vulnerability + exploitation",
        RECRUITED_VULNERABLE + EXPLOITATION,
        Pattern.CONSISTENT_WITH_TRAFFICKING,
    ),
    (
        "child-specific signs (the act) + exploitation",
        CHILD_SIGNS + EXPLOITATION,
        Pattern.CONSISTENT_WITH_TRAFFICKING,
    ),
    ("exploitation + coercion, no act", EXPLOITATION + COERCED, Pattern.DECEPTION_AND_EXPLOITATION),
    ("exploitation alone", EXPLOITATION, Pattern.EXPLOITED_MIGRANT),
    ("act without exploitation", DECEPTIVE + CHILD_SIGNS, Pattern.INSUFFICIENT),
]


@pytest.mark.parametrize(
    ("codes", "pattern"),
    [case[1:] for case in CHILD_PATTERNS],
    ids=[case[0] for case in CHILD_PATTERNS],
)
def test_child_pattern_does_not_need_the_means(codes, pattern):
    assessment = assess(*codes, profile=CHILD_LABOUR)

    assert assessment.pattern is pattern
    if pattern is Pattern.CONSISTENT_WITH_TRAFFICKING:
        assert r.PATTERN_CHILD_TRAFFICKING in [found.code for found in assessment.reasons]


def test_the_pattern_is_never_a_gate_for_the_recommendation():
    # Insufficient pattern, but a strong deception indicator: still refer (R2).
    assessment = assess("DR-01")

    assert assessment.pattern is Pattern.INSUFFICIENT
    assert assessment.recommendation == "refer_for_identification"


def test_the_pattern_reason_names_the_other_positive_dimensions():
    assessment = assess(*(DECEPTIVE + EXPLOITATION))

    (reason,) = [
        found for found in assessment.reasons if found.code == r.PATTERN_DECEPTION_EXPLOITATION
    ]
    assert reason.params_dict == {"dimensions": ("deceptive_recruitment",)}
