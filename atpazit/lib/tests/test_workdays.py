"""Latvian working days: weekends and public holidays (including moved days off) do not count."""

from __future__ import annotations

import datetime as dt

import pytest

from atpazit.lib.workdays import add_working_days, end_of_working_day, is_working_day


@pytest.mark.parametrize(
    ("start", "days", "expected", "why"),
    [
        (dt.date(2026, 11, 23), 2, dt.date(2026, 11, 25), "an ordinary week"),
        (dt.date(2026, 11, 27), 1, dt.date(2026, 11, 30), "Friday + 1 is Monday"),
        (dt.date(2026, 11, 17), 1, dt.date(2026, 11, 19), "18 November, Proclamation Day"),
        (dt.date(2026, 12, 23), 1, dt.date(2026, 12, 28), "Christmas Eve to Second Christmas Day"),
        (dt.date(2026, 12, 30), 1, dt.date(2027, 1, 4), "New Year's Eve and New Year's Day"),
        (dt.date(2025, 12, 31), 1, dt.date(2026, 1, 5), "2 January 2026 is a moved day off"),
        (dt.date(2026, 4, 2), 1, dt.date(2026, 4, 7), "Good Friday and Easter Monday"),
        (dt.date(2026, 6, 19), 3, dt.date(2026, 6, 29), "22-24 June: moved day off, Līgo, Jāņi"),
        (dt.date(2026, 4, 30), 3, dt.date(2026, 5, 7), "1 May and 4 May"),
    ],
)
def test_working_days_skip_weekends_and_latvian_holidays(start, days, expected, why):
    assert add_working_days(start, days) == expected, why


def test_zero_days_rolls_forward_to_a_working_day():
    assert add_working_days(dt.date(2026, 11, 28), 0) == dt.date(2026, 11, 30)
    assert add_working_days(dt.date(2026, 11, 26), 0) == dt.date(2026, 11, 26)


def test_holidays_are_not_working_days():
    assert not is_working_day(dt.date(2026, 5, 4))
    assert is_working_day(dt.date(2026, 5, 5))


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(dt.date(2026, 1, 1), -1)


def test_the_end_of_a_working_day_is_in_riga_time():
    moment = end_of_working_day(dt.date(2026, 11, 27))
    assert moment.utcoffset() == dt.timedelta(hours=2)
    assert moment.hour == 17
