"""Writes of the statistics: the frozen counts of closed years (ADR 0028).

A closed year's national figures are counted once and kept in ``ClosedYear``; the dashboard
reads them instead of counting the year's rows again. Late recording into a closed year (an
import, a correction, a referral of that year decided now, a hold of that year released now)
changes what the count would give: the counts are therefore counted again every night by the
task worker (``tasks.freeze_closed_years``, queued by ``atpazit freeze-years --queue`` from
cron) or at once by ``atpazit freeze-years``. They are at most a day behind.

The current year's national figures are kept the same way, in the current year's row, counted
again every ``ATPAZIT_STATS_RECOUNT_MINUTES`` (``count_current_year``: queued by the tick job
``tasks.queue_current_year_count``, or at once by ``atpazit freeze-years --current``). The
dashboard reads that row only while it is at most twice the cycle old.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from atpazit.audit.services import log_event
from atpazit.cases.models import Hold
from atpazit.referrals.models import Referral, Suspicion
from atpazit.removals.models import RemovalOperation
from atpazit.screening.models import ScreeningSession
from atpazit.stats import selectors
from atpazit.stats.models import ClosedYear


def first_counted_year() -> int | None:
    """The year of the earliest row any figure counts (None when nothing is recorded)."""
    earliest: list[datetime.datetime] = [
        moment
        for moment in (
            ScreeningSession.objects.aggregate(m=Min("completed_at"))["m"],
            Suspicion.objects.aggregate(m=Min("raised_at"))["m"],
            Referral.objects.aggregate(m=Min("sent_at"))["m"],
            Hold.objects.aggregate(m=Min("started_at"))["m"],
            RemovalOperation.objects.aggregate(m=Min("departure_at"))["m"],
        )
        if moment is not None
    ]
    return timezone.localtime(min(earliest)).year if earliest else None


def closed_years() -> list[int]:
    """Every closed calendar year from the first with a counted row to last year."""
    first = first_counted_year()
    this_year = timezone.localdate().year
    return [] if first is None else list(range(first, this_year))


def freeze_closed_years(*, years: Iterable[int] | None = None) -> list[int]:
    """Count the national figures of each closed year again and keep them (all closed years
    unless ``years`` are given). Refuses a year that has not ended."""
    chosen = sorted(set(closed_years() if years is None else years))
    this_year = timezone.localdate().year
    if any(year >= this_year for year in chosen):
        raise ValueError(f"only years before {this_year} are closed")
    reader = selectors.national_reader()
    for year in chosen:
        counts = selectors.count(reader, selectors.Period.calendar_year(year))
        with transaction.atomic():
            ClosedYear.objects.update_or_create(
                year=year, defaults={"counts": counts.to_json(), "computed_at": timezone.now()}
            )
            log_event("stats.closed_year_frozen", object_type="stats.closedyear", object_id=year)
    return chosen


def count_current_year() -> int:
    """Count the current year's national figures again and keep them with the time they were
    counted (the year's ``ClosedYear`` row; ADR 0028, "The current year"). Returns the year.
    When the year ends the row becomes that closed year's, counted again the next night."""
    year = timezone.localdate().year
    computed_at = timezone.now()  # before counting: nothing recorded after it is in the counts
    counts = selectors.count(selectors.national_reader(), selectors.Period.calendar_year(year))
    with transaction.atomic():
        ClosedYear.objects.update_or_create(
            year=year, defaults={"counts": counts.to_json(), "computed_at": computed_at}
        )
        log_event("stats.current_year_counted", object_type="stats.closedyear", object_id=year)
    return year
