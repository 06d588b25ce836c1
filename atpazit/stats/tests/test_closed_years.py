"""The frozen counts of closed years (ADR 0028): the national figures of a year that has ended
are counted once and read back, identical to counting them live, and counted again every night
so that late recording into a closed year shows up."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from atpazit.accounts.models import Organisation, User
from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import AuditEvent
from atpazit.cases.models import Person
from atpazit.screening.models import ScreeningSession
from atpazit.screening.tests.factories import DecidedSessionFactory
from atpazit.stats import selectors, services, tasks
from atpazit.stats.models import ClosedYear
from atpazit.stats.selectors import Period
from atpazit.stats.tests.factories import YEAR, in_year, screened, set_fields

PERIOD = Period.calendar_year(YEAR)


def figures(board: selectors.Dashboard) -> dict[str, Any]:
    published = asdict(board)
    for when in ("generated_at", "counted_at", "recounted_every"):
        published.pop(when)
    return published


def persons_screened(user: User, period: Period = PERIOD) -> int | None:
    board = selectors.dashboard(actor_of(user), period)
    return board.measure(selectors.PERSONS_SCREENED).total.value


def test_a_closed_years_frozen_counts_give_the_same_figures_in_two_statements(
    rihards: User, varied: list[Person], django_assert_num_queries: Any
) -> None:
    coordinator = actor_of(rihards)
    live = figures(selectors.dashboard(coordinator, PERIOD))
    assert services.freeze_closed_years() == list(range(YEAR - 1, _this_year()))
    # The frozen counts, the overdue deadlines (always live) and nothing else.
    with django_assert_num_queries(2):
        frozen = figures(selectors.dashboard(coordinator, PERIOD))
    assert frozen == live
    assert live["measures"][0]["total"]["value"] == 60


def _this_year() -> int:
    return timezone.localdate().year


def test_a_screening_recorded_late_into_a_closed_year_shows_after_the_nightly_count(
    rihards: User, riga: Organisation
) -> None:
    screened(riga, 11, when=in_year(YEAR, 3, 1))
    call_command("freeze-years", "--year", str(YEAR))
    assert persons_screened(rihards) == 11
    # Recorded now, dated into the closed year (an import, a correction).
    late = screened(riga, 1)[0]
    set_fields(ScreeningSession, late.pk, completed_at=in_year(YEAR, 12, 30))
    assert persons_screened(rihards) == 11  # the frozen counts: at most a day behind
    call_command("freeze-years", "--queue")  # what cron runs every night, for the worker
    assert persons_screened(rihards) == 12


def test_case_level_readers_and_the_current_year_are_always_counted_live(
    rihards: User, vija: User, riga: Organisation
) -> None:
    screened(riga, 11, when=in_year(YEAR, 3, 1))
    services.freeze_closed_years(years=[YEAR])
    late = screened(riga, 1)[0]
    set_fields(ScreeningSession, late.pk, completed_at=in_year(YEAR, 12, 30))
    assert persons_screened(vija) == 12  # exact figures in their scope: live
    this_year = Period.calendar_year(_this_year())
    screened(riga, 11)  # today
    assert persons_screened(rihards, this_year) == 11
    DecidedSessionFactory(person=late.person)  # and one more today
    assert persons_screened(rihards, this_year) == 12


def test_a_year_that_has_not_ended_is_never_frozen(rihards: User) -> None:
    with pytest.raises(ValueError, match="closed"):
        services.freeze_closed_years(years=[_this_year()])
    with pytest.raises(CommandError):
        call_command("freeze-years", "--year", str(_this_year()))
    assert not ClosedYear.objects.exists()


def test_counting_the_closed_years_is_audited_by_year_only(riga: Organisation) -> None:
    screened(riga, 2, when=in_year(YEAR - 1))
    tasks.freeze_closed_years.enqueue()
    events = AuditEvent.objects.filter(action="stats.closed_year_frozen")
    assert sorted(int(event.object_id) for event in events) == list(range(YEAR - 1, _this_year()))
    assert all(not event.details for event in events)


def test_nothing_recorded_means_nothing_to_freeze(db: None) -> None:
    assert services.freeze_closed_years() == []
    assert not ClosedYear.objects.exists()
    assert services.first_counted_year() is None
