"""Latvian working days for deadlines (DESIGN.md §6), from the maintained `holidays` library.

A working day is Monday to Friday and not a Latvian public holiday, including the days off that
the Cabinet moves (e.g. 2 January 2026). Known limit: the library does not list the Saturdays
that become working days when a day off is moved, so such a Saturday counts as a day off here;
that can only make a deadline later by one day, never earlier.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_for(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("LV", years=[year]).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_for(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (start itself does not count).

    ``add_working_days(friday, 1)`` is the next Monday unless that is a holiday. With 0, the
    result is ``start`` if it is a working day, else the next working day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    if days == 0:
        while not is_working_day(current):
            current += dt.timedelta(days=1)
        return current
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def end_of_working_day(day: dt.date, *, closing: dt.time = dt.time(17, 0)) -> dt.datetime:
    """The moment a deadline "by the end of working day ``day``" falls due, in Riga time."""
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, closing, tzinfo=ZoneInfo("Europe/Riga"))
