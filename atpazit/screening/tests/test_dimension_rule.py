"""The ILO 2009 dimension rule: a dimension is positive with 2 strong, 1 strong + 1 medium or
weak, 3 medium, or 2 medium + 1 weak — and with nothing less. Pure tests: no database."""

from __future__ import annotations

import pytest

from atpazit.screening.catalogue import Dimension
from atpazit.screening.engine import DIMENSIONS, dimension_positive

from .catalogue_factories import ADULT_LABOUR, ADULT_SEXUAL, CHILD_LABOUR, PREFIX, assess

# (name, strong, medium, weak, positive)
TALLIES = [
    ("2S", 2, 0, 0, True),
    ("1S+1M", 1, 1, 0, True),
    ("1S+1W", 1, 0, 1, True),
    ("3M", 0, 3, 0, True),
    ("2M+1W", 0, 2, 1, True),
    ("2S+3M+3W", 2, 3, 3, True),
    ("just below: 1S", 1, 0, 0, False),
    ("just below: 2M", 0, 2, 0, False),
    ("just below: 1M+2W", 0, 1, 2, False),
    ("just below: 3W", 0, 0, 3, False),
    ("just below: 1M+1W", 0, 1, 1, False),
    ("nothing", 0, 0, 0, False),
]


@pytest.mark.parametrize(
    ("strong", "medium", "weak", "positive"),
    [row[1:] for row in TALLIES],
    ids=[row[0] for row in TALLIES],
)
def test_the_rule_on_tallies(strong, medium, weak, positive):
    assert dimension_positive(strong, medium, weak) is positive


# The same branches through evaluate(), for every dimension, with the ladder catalogue codes:
# 01-02 strong, 03-05 medium, 06-08 weak (adult profile).
LADDER_CASES = [
    ("2S", ("01", "02"), True),
    ("1S+1M", ("01", "03"), True),
    ("1S+1W", ("01", "06"), True),
    ("3M", ("03", "04", "05"), True),
    ("2M+1W", ("03", "04", "06"), True),
    ("just below: 1S", ("01",), False),
    ("just below: 2M", ("03", "04"), False),
    ("just below: 1M+2W", ("03", "06", "07"), False),
    ("just below: 3W", ("06", "07", "08"), False),
]


@pytest.mark.parametrize("dimension", DIMENSIONS, ids=[d.value for d in DIMENSIONS])
@pytest.mark.parametrize(
    ("numbers", "positive"),
    [case[1:] for case in LADDER_CASES],
    ids=[case[0] for case in LADDER_CASES],
)
def test_each_branch_in_each_dimension(dimension, numbers, positive):
    codes = [f"{PREFIX[dimension]}-{number}" for number in numbers]

    result = assess(*codes, profile=ADULT_LABOUR).dimension(dimension)

    assert result.positive is positive
    assert result.indicators == tuple(sorted(codes))
    assert result.strong + result.medium + result.weak == len(codes)


def test_1s_plus_0_in_the_dimension_stays_negative_whatever_other_dimensions_hold():
    # One strong here and plenty elsewhere: indicators never count across dimensions.
    assessment = assess("CD-01", "AD-03", "AD-04", "EX-03")

    assert assessment.dimension(Dimension.COERCION_AT_DESTINATION).positive is False
    assert assessment.dimension(Dimension.ABUSE_OF_VULNERABILITY_AT_DESTINATION).positive is False


def test_an_indicator_recorded_twice_counts_once():
    assessment = assess("DR-03", "DR-03", "DR-03")

    result = assessment.dimension(Dimension.DECEPTIVE_RECRUITMENT)
    assert (result.medium, result.positive) == (1, False)


def test_tallies_read_the_strengths_of_the_profile():
    # EX-09 is medium for labour but strong for sexual exploitation.
    labour = assess("EX-09", "EX-06", profile=ADULT_LABOUR).dimension(
        Dimension.EXPLOITATIVE_CONDITIONS
    )
    sexual = assess("EX-09", "EX-06", profile=ADULT_SEXUAL).dimension(
        Dimension.EXPLOITATIVE_CONDITIONS
    )

    assert (labour.strong, labour.medium, labour.weak, labour.positive) == (0, 1, 1, False)
    assert (sexual.strong, sexual.medium, sexual.weak, sexual.positive) == (1, 0, 1, True)


def test_a_child_reads_the_childrens_list_which_has_no_weak_tier():
    # 06-08 are weak for adults and medium for children: three of them make 3M for a child.
    adult = assess("CH-06", "CH-07", "CH-08", profile=ADULT_LABOUR)
    child = assess("CH-06", "CH-07", "CH-08", profile=CHILD_LABOUR)

    assert adult.dimension(Dimension.CHILD_SPECIFIC).positive is False
    assert child.dimension(Dimension.CHILD_SPECIFIC).positive is True
    assert child.dimension(Dimension.CHILD_SPECIFIC).weak == 0
