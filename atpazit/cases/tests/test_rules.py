"""The child path (I4) and the 10-day detention limit, as tables."""

from __future__ import annotations

from datetime import date

import pytest

from atpazit.cases.models import Person
from atpazit.cases.rules import age_on, detention_alert, is_child

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("facts", "child"),
    [
        ({}, False),
        ({"date_of_birth": "2008-06-16"}, True),  # 18 tomorrow
        ({"date_of_birth": "2008-06-15"}, False),  # 18 today
        ({"date_of_birth": "1990-01-01"}, False),
        ({"birth_year": 2010}, True),
        ({"birth_year": 2008}, True),  # turns 18 this year: birthday unknown, presumed a child
        ({"birth_year": 2007}, False),
        ({"stated_age": 17}, True),
        ({"stated_age": 18}, False),
        ({"age_disputed": True}, True),
        ({"age_disputed": True, "date_of_birth": "1990-01-01"}, True),
        ({"date_of_birth": "1990-01-01", "stated_age": 16}, True),  # any evidence of minority
        ({"birth_year": 1990, "stated_age": 25}, False),
        ({"date_of_birth": "not a date", "birth_year": 1990}, False),
    ],
)
def test_is_child(facts, child):
    assert is_child(Person(**facts), TODAY) is child


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2000, 2, 29), date(2018, 2, 28), 17),
        (date(2000, 2, 29), date(2018, 3, 1), 18),
        (date(2000, 6, 15), date(2026, 6, 15), 26),
    ],
)
def test_age_on(born, on, age):
    assert age_on(born, on) == age


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({}, None),
        ({"detained_since": date(2026, 6, 10)}, None),  # 5 days left
        ({"detained_since": date(2026, 6, 7)}, (date(2026, 6, 17), 2, False)),
        ({"detained_since": date(2026, 6, 5)}, (date(2026, 6, 15), 0, False)),
        ({"detained_since": date(2026, 6, 1)}, (date(2026, 6, 11), -4, True)),
        ({"detained_since": date(2026, 6, 1), "detention_court_order_on": date(2026, 6, 3)}, None),
        ({"detained_since": date(2026, 6, 1), "status": "departed"}, None),
        (
            {"detained_since": date(2026, 6, 1), "status": "removal_planned"},
            (date(2026, 6, 11), -4, True),
        ),
    ],
)
def test_detention_alert(facts, expected):
    alert = detention_alert(Person(**facts), TODAY)
    if expected is None:
        assert alert is None
    else:
        assert (alert.deadline, alert.days_left, alert.overdue) == expected
