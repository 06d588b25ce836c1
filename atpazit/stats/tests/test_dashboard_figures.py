"""The dashboard's figures over a varied year: what each breakdown counts, the medians and 90th
percentiles of the durations, the monitoring coverage, and how many SQL statements it takes.

The dashboard reads the screenings and the suspicions of a period once each (one GROUP BY over
every key, summed up per breakdown in Python); these tests pin that the figures are exactly the
ones one GROUP BY per breakdown gives, for every kind of reader, so the disclosure control is
handed the same tables, and that the number of statements does not grow with the data."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest
from django.db.models import F

from atpazit.accounts.models import Organisation, User
from atpazit.accounts.tests.factories import actor_of
from atpazit.cases.models import Hold, Person
from atpazit.cases.tests.factories import ManualHoldFactory, PersonFactory, ReleasedHoldFactory
from atpazit.monitoring.tests.factories import CompletedMissionFactory
from atpazit.referrals.models import Referral, ReferralTransition, Suspicion
from atpazit.referrals.tests.factories import ReferralFactory, SuspicionFactory
from atpazit.removals.tests.factories import CompletedOperationFactory
from atpazit.screening.models import ScreeningSession
from atpazit.screening.tests.factories import DecidedSessionFactory
from atpazit.stats import selectors
from atpazit.stats.disclosure import age_band
from atpazit.stats.selectors import Period
from atpazit.stats.tests.factories import YEAR, in_year, set_fields

PERIOD = Period.calendar_year(YEAR)


def one_group_by_per_breakdown(actor: Any) -> dict[str, Any]:
    """The figures as the dashboard counted them before it read each table once: a GROUP BY
    per breakdown, published through the same disclosure control."""
    reader = selectors.reader_for(actor)
    sessions = selectors.screenings(reader, PERIOD)
    figures: dict[str, Any] = {}
    for dimension in selectors.person_dimensions(reader):
        key = selectors._dimension(dimension, "person__", reader, PERIOD)
        counts = selectors.count_by(sessions, key, distinct="person")
        figures[f"persons/{dimension}"] = selectors._series(
            reader, counts, selectors._keys(dimension)
        )
        counts = selectors.count_by(selectors.suspicions(reader, PERIOD), key)
        figures[f"suspicions/{dimension}"] = selectors._series(
            reader, counts, selectors._keys(dimension)
        )
    figures["screenings/stage"] = selectors._series(
        reader, selectors.count_by(sessions, F("stage")), selectors._keys(selectors.STAGE)
    )
    figures["screenings/organisation"] = selectors._series(
        reader, selectors.count_by(sessions, F("organisation_id")), None
    )
    figures["suspicions/form"] = selectors._series(
        reader,
        selectors.count_by(
            selectors.suspicions(reader, PERIOD), selectors.latest_form_expression("person")
        ),
        selectors._keys(selectors.FORM),
    )
    pairs = Counter(
        {
            (row["recommendation"], row["decision"]): row["n"]
            for row in sessions.values("recommendation", "decision")
            .annotate(n=selectors.Count("pk"))
            .order_by()
        }
    )
    figures["recommendations_vs_decisions"] = selectors.recommendations_vs_decisions(
        reader, dict(pairs)
    )
    return figures


def shown(series: Any) -> dict[str, int]:
    """The figures of a series that are not zero (None when hidden)."""
    return {key: cell.value for key, cell in series.items() if cell.value != 0}


def counted(values: Any) -> dict[str, int]:
    return dict(Counter(str(value) for value in values))


def published(board: selectors.Dashboard) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for code in (selectors.PERSONS_SCREENED, selectors.SCREENINGS, selectors.SUSPICIONS):
        for breakdown in board.measure(code).breakdowns:
            figures[f"{code.split('_')[0]}/{breakdown.dimension}"] = breakdown.series
    figures.pop("suspicions/child_path")
    figures["recommendations_vs_decisions"] = board.recommendations_vs_decisions
    return figures


@pytest.mark.parametrize("who", ["rihards", "vija", "ilze"])
def test_each_breakdown_is_what_one_group_by_per_breakdown_gives(
    who: str, varied: list[Person], request: pytest.FixtureRequest
) -> None:
    actor = actor_of(request.getfixturevalue(who))
    board = selectors.dashboard(actor, PERIOD)
    assert published(board) == one_group_by_per_breakdown(actor)


def test_the_exact_figures_count_persons_once_and_screenings_each(
    vija: User, varied: list[Person]
) -> None:
    board = selectors.dashboard(actor_of(vija), PERIOD)
    decided = ScreeningSession.objects.filter(completed_at__year=YEAR).select_related("person")
    screened = {session.person for session in decided}

    def age(person: Person) -> int | None:
        return YEAR - person.birth_year if person.birth_year else person.stated_age

    persons = board.measure(selectors.PERSONS_SCREENED)
    assert persons.total.value == len(screened) == 60
    assert shown(persons.breakdown(selectors.SEX).series) == counted(p.sex for p in screened)
    assert shown(persons.breakdown(selectors.AGE).series) == counted(
        age_band(age(p)) for p in screened
    )
    assert shown(persons.breakdown(selectors.COUNTRY).series) == counted(
        p.nationality for p in screened
    )
    screenings = board.measure(selectors.SCREENINGS)
    assert screenings.total.value == len(decided)
    assert shown(screenings.breakdown(selectors.STAGE).series) == counted(s.stage for s in decided)
    assert shown(screenings.breakdown(selectors.ORGANISATION).series) == counted(
        str(s.organisation_id) for s in decided
    )
    table = board.recommendations_vs_decisions
    pairs = Counter((s.recommendation, s.decision) for s in decided)
    assert {
        (row, col): table.cell(row, col).value
        for row in table.row_keys
        for col in table.col_keys
        if table.cell(row, col).value
    } == pairs
    suspicions = board.measure(selectors.SUSPICIONS)
    raised = Suspicion.objects.filter(raised_at__year=YEAR).select_related("person")
    assert shown(suspicions.breakdown("child_path").series) == counted(
        "child" if s.child_path else "adult" for s in raised
    )
    assert suspicions.breakdown(selectors.COUNTRY).series.total.value == len(raised) == 15


# --- durations and coverage ---------------------------------------------------------------------


def _released_hold(person: Person, started: datetime.datetime, days: int) -> Hold:
    hold = ReleasedHoldFactory(person=person)
    set_fields(
        Hold, hold.pk, started_at=started, released_at=started + datetime.timedelta(days=days)
    )
    return hold


def test_durations_are_the_median_and_90th_percentile_by_nearest_rank(
    vija: User, riga: Organisation
) -> None:
    """Eleven released holds of 1..11 days (and one of 200 days started another year): the
    median is the 6th (6 days), the 90th percentile the ceil(9.9) = 10th (10 days)."""
    start = in_year(YEAR, 3, 1)
    for days in (7, 3, 11, 1, 9, 5, 2, 10, 4, 8, 6):
        _released_hold(PersonFactory(organisation=riga), start, days)
    _released_hold(PersonFactory(organisation=riga), in_year(YEAR - 1), 200)
    ManualHoldFactory(person=PersonFactory(organisation=riga))  # active: no duration yet
    board = selectors.dashboard(actor_of(vija), PERIOD)
    hold = next(d for d in board.durations if d.code == selectors.HOLD_DURATION)
    assert (hold.count.value, hold.median_days, hold.p90_days) == (11, 6.0, 10.0)


def test_durations_from_screening_to_referral_to_decision(vija: User, riga: Organisation) -> None:
    """Two persons: screened, then referred 2 and 5 days later; decided 10 and 30 days after
    the referral. With two values the median is the first, the 90th percentile the second."""
    for referred_after, decided_after in ((5, 30), (2, 10)):
        person = PersonFactory(organisation=riga)
        screened = in_year(YEAR, 4, 1)
        session = DecidedSessionFactory(person=person)
        set_fields(ScreeningSession, session.pk, completed_at=screened)
        suspicion = SuspicionFactory(person=person)
        set_fields(Suspicion, suspicion.pk, raised_at=screened)
        referral = ReferralFactory(suspicion=suspicion, status=Referral.Status.RECOGNISED)
        sent = screened + datetime.timedelta(days=referred_after)
        set_fields(Referral, referral.pk, sent_at=sent)
        transition = ReferralTransition.objects.create(
            referral=referral, from_status="assessing", to_status="recognised"
        )
        set_fields(
            ReferralTransition, transition.pk, at=sent + datetime.timedelta(days=decided_after)
        )
    board = selectors.dashboard(actor_of(vija), PERIOD)
    durations = {d.code: (d.count.value, d.median_days, d.p90_days) for d in board.durations}
    assert durations[selectors.SCREENING_TO_REFERRAL] == (2, 2.0, 5.0)
    assert durations[selectors.REFERRAL_TO_DECISION] == (2, 10.0, 30.0)
    assert durations[selectors.HOLD_DURATION] == (0, None, None)


def test_a_suppressed_reader_sees_no_days_behind_fewer_than_k_cases(
    rihards: User, riga: Organisation
) -> None:
    for days in range(1, 10):
        _released_hold(PersonFactory(organisation=riga), in_year(YEAR, 5, 1), days)
    board = selectors.dashboard(actor_of(rihards), PERIOD)
    hold = next(d for d in board.durations if d.code == selectors.HOLD_DURATION)
    assert hold.count.value is None
    assert (hold.median_days, hold.p90_days) == (None, None)


def test_coverage_counts_departed_operations_and_the_monitored_ones(
    vija: User, riga: Organisation
) -> None:
    departed = in_year(YEAR, 9, 1)
    for monitored in (True, True, False):
        operation = CompletedOperationFactory(organisation=riga, departure_at=departed)
        if monitored:
            CompletedMissionFactory(operation=operation)
    CompletedOperationFactory(organisation=riga, departure_at=in_year(YEAR - 1))
    coverage = selectors.dashboard(actor_of(vija), PERIOD).coverage
    assert (coverage.operations.value, coverage.monitored.value) == (3, 2)
    assert coverage.share == 66.7


# --- statements ---------------------------------------------------------------------------------

# Persons screened, screenings, indicators, suspicions, holds, referral outcomes, three
# durations, coverage and overdue deadlines: one statement each, whatever the volume. A
# reader of the national figures asks first for the frozen counts of a closed year (none
# here: tests/test_closed_years.py has them).
STATEMENTS = {"rihards": 12, "vija": 11, "ilze": 11}


@pytest.mark.parametrize("who", ["rihards", "vija", "ilze"])
def test_the_dashboard_takes_a_fixed_number_of_statements(
    who: str, riga: Organisation, request: pytest.FixtureRequest, django_assert_num_queries: Any
) -> None:
    actor = actor_of(request.getfixturevalue(who))
    with django_assert_num_queries(STATEMENTS[who]):
        selectors.dashboard(actor, PERIOD)
    request.getfixturevalue("varied")
    with django_assert_num_queries(STATEMENTS[who]):
        board = selectors.dashboard(actor, PERIOD)
    assert board.measure(selectors.SCREENINGS).total.value != 0
