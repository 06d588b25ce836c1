"""The current year's national figures (ADR 0028, "The current year"): counted again every
``ATPAZIT_STATS_RECOUNT_MINUTES`` by the task worker (queued by ``atpazit tick``) and read by the
coordinator's page while the count is at most twice that old; older, the page counts live.
Case-level readers are always counted live. The page and the API say when the figures were
counted."""

from __future__ import annotations

import datetime
from dataclasses import asdict
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import formats, timezone

from atpazit.accounts.models import Organisation, User
from atpazit.accounts.tests.factories import actor_of
from atpazit.api.tests.factories import api_client, token_for
from atpazit.audit.models import AuditEvent
from atpazit.cases.models import Person
from atpazit.stats import selectors, services, tasks
from atpazit.stats.models import ClosedYear
from atpazit.stats.selectors import Period
from atpazit.stats.tests.factories import YEAR, screened, set_fields

CYCLE = datetime.timedelta(minutes=15)  # ATPAZIT_STATS_RECOUNT_MINUTES' default


def this_year() -> Period:
    return Period.calendar_year(timezone.localdate().year)


def persons_screened(user: User) -> int | None:
    board = selectors.dashboard(actor_of(user), this_year())
    return board.measure(selectors.PERSONS_SCREENED).total.value


def counted_at() -> datetime.datetime:
    return ClosedYear.objects.get(year=timezone.localdate().year).computed_at


def age_the_count(by: datetime.timedelta) -> None:
    """As if the current year had been counted ``by`` ago (and not since)."""
    year = timezone.localdate().year
    set_fields(ClosedYear, year, computed_at=timezone.now() - by)


def published(board: selectors.Dashboard) -> dict[str, Any]:
    figures = asdict(board)
    for when in ("generated_at", "counted_at", "recounted_every"):
        figures.pop(when)
    return figures


def test_the_coordinators_current_year_reads_the_stored_count_in_two_statements(
    rihards: User, riga: Organisation, django_assert_num_queries: Any
) -> None:
    screened(riga, 11)
    assert services.count_current_year() == timezone.localdate().year
    coordinator = actor_of(rihards)
    # The stored counts, the overdue deadlines (always live) and nothing else.
    with django_assert_num_queries(2):
        board = selectors.dashboard(coordinator, this_year())
    assert board.measure(selectors.PERSONS_SCREENED).total.value == 11
    assert board.counted_at == counted_at() <= board.generated_at
    assert board.recounted_every == 15


def test_the_page_says_when_the_figures_were_counted_and_how_often(
    rihards: User, riga: Organisation, client_for: Any
) -> None:
    screened(riga, 11)
    call_command("freeze-years", "--current")  # at once, as an operator would
    page = client_for(rihards).get(reverse("stats:dashboard")).content.decode()
    when = formats.date_format(timezone.localtime(counted_at()), "SHORT_DATETIME_FORMAT")
    assert (
        f"Figures counted at {when}; this year's figures are counted again every 15 minutes."
        in page
    )


def test_a_screening_recorded_after_the_count_shows_after_the_next_recount(
    rihards: User, riga: Organisation
) -> None:
    screened(riga, 11)
    call_command("tick")  # nothing counted yet: the tick queues the count (run at once here)
    assert persons_screened(rihards) == 11
    screened(riga, 1)  # recorded after the count
    call_command("tick")  # the count is recent: nothing queued
    assert persons_screened(rihards) == 11  # at most one cycle behind
    age_the_count(CYCLE + datetime.timedelta(seconds=1))
    assert persons_screened(rihards) == 11  # late by less than two cycles: still read
    call_command("tick")  # due: counted again
    assert persons_screened(rihards) == 12
    assert timezone.now() - counted_at() < datetime.timedelta(minutes=1)


def test_a_count_older_than_two_cycles_is_not_shown_the_page_counts_live(
    rihards: User, riga: Organisation
) -> None:
    screened(riga, 11)
    services.count_current_year()
    screened(riga, 1)
    age_the_count(2 * CYCLE + datetime.timedelta(seconds=1))  # the worker stopped
    board = selectors.dashboard(actor_of(rihards), this_year())
    assert board.measure(selectors.PERSONS_SCREENED).total.value == 12  # live
    assert board.recounted_every is None
    assert board.counted_at == board.generated_at


def test_the_stored_count_publishes_the_same_figures_as_a_live_count(
    rihards: User, varied: list[Person]
) -> None:
    # On the last day of YEAR the varied year is the current year.
    moment = datetime.datetime(YEAR, 12, 31, 12, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(moment, tick=False):
        coordinator = actor_of(rihards)
        live = selectors.dashboard(coordinator, this_year())
        assert live.recounted_every is None
        services.count_current_year()
        stored = selectors.dashboard(coordinator, this_year())
    assert stored.recounted_every == 15
    assert published(stored) == published(live)
    assert live.measure(selectors.PERSONS_SCREENED).total.value == 60


def test_case_level_readers_are_always_counted_live(
    rihards: User, vija: User, riga: Organisation
) -> None:
    screened(riga, 11)
    services.count_current_year()
    screened(riga, 1)
    assert persons_screened(vija) == 12  # exact, live
    assert persons_screened(rihards) == 11  # the stored count
    board = selectors.dashboard(actor_of(vija), this_year())
    assert board.recounted_every is None
    assert board.counted_at == board.generated_at


def test_the_api_says_when_the_figures_were_counted(rihards: User, riga: Organisation) -> None:
    screened(riga, 11)
    body = api_client(token_for(rihards)).get("/api/v1/statistics").json()
    assert body["recounted_every_minutes"] is None  # nothing stored yet: counted live
    assert body["counted_at"] == body["generated_at"]
    services.count_current_year()
    body = api_client(token_for(rihards)).get("/api/v1/statistics").json()
    assert body["recounted_every_minutes"] == 15
    answered = datetime.datetime.fromisoformat(body["counted_at"])
    assert abs(answered - counted_at()) < datetime.timedelta(milliseconds=1)  # JSON: to the ms


def test_the_tick_queues_one_count_per_cycle_and_none_while_one_waits(
    riga: Organisation, settings: Any
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    assert tasks.queue_current_year_count() == 1  # nothing counted yet
    assert tasks.queue_current_year_count() == 0  # one waits for the worker
    assert not ClosedYear.objects.exists()
    with time_machine.travel(timezone.now() + CYCLE + datetime.timedelta(seconds=1)):
        assert tasks.queue_current_year_count() == 1  # the worker may have died: queue again


def test_counting_the_current_year_is_audited_by_year_only(riga: Organisation) -> None:
    screened(riga, 2)
    tasks.count_current_year.enqueue()
    event = AuditEvent.objects.get(action="stats.current_year_counted")
    assert int(event.object_id) == timezone.localdate().year
    assert not event.details


def test_the_current_year_option_stands_alone(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("freeze-years", "--current", "--queue")
    with pytest.raises(CommandError):
        call_command("freeze-years", "--current", "--year", str(YEAR))
    assert not ClosedYear.objects.exists()
