"""The ISO week as the coarsest date that still lets a recipient act (issue 11 §6).

A de-identified notice (an anonymous notification, a labour exploitation notice) must not carry
a time that could match the sender's records of one detainee: its recipients read the week it
was sent, never the day or the minute."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext


def iso_week(day: dt.date) -> str:
    """``2026-W49``: the ISO year and week of ``day`` (31 Dec 2026 is in 2026-W53)."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_label(value: str) -> str:
    """``2026-W49`` as "week 49 of 2026"; an ISO day shows only the week of that day."""
    if "-W" not in value:
        try:
            value = iso_week(dt.date.fromisoformat(value))
        except ValueError:
            return "—"
    year, _sep, week = value.partition("-W")
    return gettext("week %(week)s of %(year)s") % {"week": week.lstrip("0"), "year": year}


def week_of(moment: dt.datetime | None) -> str:
    """The week of a moment in the local time zone, as ``week_label`` words ("—" for none)."""
    if moment is None:
        return "—"
    return week_label(iso_week(timezone.localtime(moment).date()))
