"""The statistics: counted in SQL (GROUP BY), then published through disclosure control.

Who reads what (docs/disclosure-control.md, "Who sees what"):

- A reader with case-level access (``cases.person:read``: the Border Guard, the Ombudsman's
  Office) sees exact figures over the persons they may see (``cases.selectors.
  persons_visible_to``), for any period, by country.
- A reader without it who holds ``stats.dashboard:view`` (the national coordinator) sees the
  national figures, suppressed (``disclosure``), for whole calendar years only and without
  free filters, by citizenship group instead of country: two overlapping queries cannot be
  subtracted from each other, because no two of them overlap.

Every function takes an ``Actor`` and returns plain dataclasses (the API wing serves them as
they are). Counts are GROUP BY queries, one per table and period over every key of its
breakdowns (``count_by_keys``), summed per breakdown in Python; medians and 90th percentiles
are read from one ordered column of days per duration. No personal data is loaded, and it works
alike on SQLite and PostgreSQL. Training is never counted (its records live in models of their
own).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.roles import OrganisationType
from atpazit.audit.services import log_event
from atpazit.cases.models import Hold, Person, Sex
from atpazit.cases.selectors import persons_visible_to
from atpazit.deadlines.models import Deadline
from atpazit.deadlines.rules import Kind as DeadlineKind
from atpazit.lib.errors import NotAllowed
from atpazit.monitoring.models import Mission
from atpazit.referrals.models import Referral, ReferralTransition, Suspicion
from atpazit.removals.models import RemovalOperation
from atpazit.screening.catalogue import Form, Stage
from atpazit.screening.engine import Recommendation
from atpazit.screening.models import Decision, ScreeningObservation, ScreeningSession
from atpazit.stats.disclosure import (
    AGE_BAND_CODES,
    AGE_BANDS,
    AGE_UNKNOWN,
    CITIZENSHIP_GROUPS,
    CITIZENSHIP_NATIONAL,
    CITIZENSHIP_NON_EU,
    CITIZENSHIP_OTHER_EU,
    CITIZENSHIP_UNKNOWN,
    NATIONAL_COUNTRY,
    NOT_KNOWN_COUNTRIES,
    OTHER_EU_COUNTRIES,
    Cell,
    Series,
    Table,
    min_cell,
    protect_series,
    protect_table,
)
from atpazit.stats.models import ClosedYear

VIEW = "stats.dashboard:view"
CASE_LEVEL = "cases.person:read"
# The Ombudsman's Office monitors every operation; a Border Guard unit sees its own.
_SEES_ALL_OPERATIONS = frozenset({OrganisationType.OMBUDSMAN})
# How many indicators the dashboard names; the rest are one "other indicators" cell.
TOP_INDICATORS = 10
OTHER = "other"
DECIDED = (Referral.Status.RECOGNISED, Referral.Status.NOT_RECOGNISED)


# --- who reads, and for which period --------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Days ``start`` to ``end`` inclusive, in local time. ``year`` is set for a whole calendar
    year, the only period a suppressed reader may ask for."""

    start: datetime.date
    end: datetime.date
    year: int | None = None

    @classmethod
    def calendar_year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), year)

    @property
    def reference_year(self) -> int:
        """The year ages are counted at: a person is in one age band within one table."""
        return self.end.year

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return start, end


@dataclass(frozen=True)
class Reader:
    """What an actor may read: exact figures in their scope, or suppressed national ones.
    Without an actor (``national_reader``): the national figures every suppressed reader reads."""

    actor: Actor | None
    suppressed: bool
    k: int

    @property
    def case_level(self) -> bool:
        return not self.suppressed


def reader_for(actor: Actor) -> Reader:
    """NotAllowed for an actor who may read no statistics."""
    if actor.organisation is None:
        raise NotAllowed(_("Your role does not allow this."))
    if actor.can(CASE_LEVEL) and actor.can(VIEW):
        return Reader(actor, suppressed=False, k=min_cell())
    if actor.can(VIEW):
        return Reader(actor, suppressed=True, k=min_cell())
    raise NotAllowed(_("Your role does not allow this."))


def national_reader() -> Reader:
    """The national figures as every reader without case-level access reads them."""
    return Reader(None, suppressed=True, k=min_cell())


def check_period(reader: Reader, period: Period) -> None:
    """A suppressed reader reads whole calendar years only (no differencing of overlaps)."""
    if period.start > period.end:
        raise ValueError(_("The period must not end before it starts."))
    if reader.suppressed:
        whole_year = (
            period.year is not None
            and period.start == datetime.date(period.year, 1, 1)
            and period.end == datetime.date(period.year, 12, 31)
        )
        if not whole_year:
            raise NotAllowed(_("Statistics without case-level access are by calendar year."))


# --- the breakdowns -----------------------------------------------------------------------------

# The dimensions a measure is broken down by (codes; labels are the view's business).
SEX = "sex"
AGE = "age_band"
CITIZENSHIP = "citizenship"
COUNTRY = "nationality"
STAGE = "stage"
FORM = "form"
ORGANISATION = "organisation"


def citizenship_expression(prefix: str) -> Case:
    """The citizenship group of ``<prefix>nationality`` in SQL (disclosure.citizenship_group)."""
    nationality = f"{prefix}nationality"
    return Case(
        When(
            **{f"{nationality}__in": sorted(NOT_KNOWN_COUNTRIES)}, then=Value(CITIZENSHIP_UNKNOWN)
        ),
        When(**{f"{nationality}__iexact": NATIONAL_COUNTRY}, then=Value(CITIZENSHIP_NATIONAL)),
        When(
            **{f"{nationality}__in": sorted(OTHER_EU_COUNTRIES | {"EL"})},
            then=Value(CITIZENSHIP_OTHER_EU),
        ),
        default=Value(CITIZENSHIP_NON_EU),
        output_field=CharField(),
    )


def age_band_expression(prefix: str, reference_year: int) -> Case:
    """The age band at ``reference_year`` from the year of birth (kept in clear for exactly
    this), or from the age stated at registration when no year of birth is known."""
    whens = []
    for code, low, high in AGE_BANDS:
        if high is None:
            condition = Q(**{f"{prefix}birth_year__lte": reference_year - low})
            stated = Q(**{f"{prefix}stated_age__gte": low})
        else:
            condition = Q(
                **{
                    f"{prefix}birth_year__lte": reference_year - low,
                    f"{prefix}birth_year__gte": reference_year - high,
                }
            )
            stated = Q(**{f"{prefix}stated_age__gte": low, f"{prefix}stated_age__lte": high})
        whens.append(When(condition, then=Value(code)))
        whens.append(When(Q(**{f"{prefix}birth_year__isnull": True}) & stated, then=Value(code)))
    return Case(*whens, default=Value(AGE_UNKNOWN), output_field=CharField())


def latest_form_expression(person_path: str) -> Coalesce:
    """The form of exploitation of the person's latest decided screening ("unknown" when none)."""
    latest = (
        ScreeningSession.objects.filter(person=OuterRef(person_path), completed_at__isnull=False)
        .order_by("-completed_at", "-pk")
        .values("exploitation_form")[:1]
    )
    return Coalesce(Subquery(latest), Value(Form.UNKNOWN.value), output_field=CharField())


def _dimension(dimension: str, prefix: str, reader: Reader, period: Period) -> Any:
    if dimension == SEX:
        return F(f"{prefix}sex")
    if dimension == AGE:
        return age_band_expression(prefix, period.reference_year)
    if dimension == CITIZENSHIP:
        return citizenship_expression(prefix)
    if dimension == COUNTRY:
        return F(f"{prefix}nationality")
    raise ValueError(f"unknown dimension {dimension!r}")


def person_dimensions(reader: Reader) -> tuple[str, ...]:
    """Country for case-level readers; the citizenship group for suppressed ones."""
    nationality = CITIZENSHIP if reader.suppressed else COUNTRY
    return (SEX, AGE, nationality)


def _keys(dimension: str) -> tuple[str, ...] | None:
    """Every category of a closed dimension, zeros included (the shape reveals nothing)."""
    return {
        SEX: tuple(Sex.values),
        AGE: AGE_BAND_CODES,
        CITIZENSHIP: CITIZENSHIP_GROUPS,
        STAGE: tuple(stage.value for stage in Stage),
        FORM: tuple(form.value for form in Form),
    }.get(dimension)


def count_by(queryset: QuerySet[Any], key: Any, *, distinct: str | None = None) -> dict[str, int]:
    """One GROUP BY: the count (of rows, or of distinct ``distinct``) per value of ``key``."""
    counted = Count(distinct, distinct=True) if distinct else Count("pk")
    rows = queryset.annotate(_key=key).values("_key").annotate(_n=counted).order_by()
    result: dict[str, int] = {}
    for row in rows:
        name = "" if row["_key"] is None else str(row["_key"])
        result[name] = result.get(name, 0) + row["_n"]
    return result


def count_by_keys(
    queryset: QuerySet[Any], keys: Sequence[Any], *, distinct: str | None = None
) -> dict[tuple[str, ...], int]:
    """One GROUP BY over several keys at once: the count per combination of their values.

    A breakdown by one key is then the sum over the others (``marginal``): one scan of the
    table serves every breakdown, where one GROUP BY per key read it once each. With
    ``distinct``, those sums are exact only when each distinct row falls in one combination
    (a person's sex, age band and nationality are the person's own: one combination each)."""
    counted = Count(distinct, distinct=True) if distinct else Count("pk")
    names = [f"_key{index}" for index in range(len(keys))]
    rows = (
        queryset.annotate(**dict(zip(names, keys, strict=True)))
        .values(*names)
        .annotate(_n=counted)
        .order_by()
    )
    result: dict[tuple[str, ...], int] = {}
    for row in rows:
        combination = tuple("" if row[name] is None else str(row[name]) for name in names)
        result[combination] = result.get(combination, 0) + row["_n"]
    return result


def marginal(counts: dict[tuple[str, ...], int], *indexes: int) -> dict[Any, int]:
    """The counts of ``count_by_keys`` summed by the key (or the keys) at ``indexes``."""
    result: dict[Any, int] = {}
    for combination, count in counts.items():
        key = (
            combination[indexes[0]] if len(indexes) == 1 else tuple(combination[i] for i in indexes)
        )
        result[key] = result.get(key, 0) + count
    return result


def _series(reader: Reader, counts: dict[str, int], keys: Sequence[str] | None) -> Series:
    if keys is None and reader.suppressed:
        # By code, never by size: the place of a hidden figure among shown ones would bound it.
        ordered = sorted(counts.items())
    elif keys is None:  # an open dimension (countries, organisations): biggest first
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    else:
        ordered = [(key, counts.get(key, 0)) for key in keys]
        ordered += sorted((k, v) for k, v in counts.items() if k not in keys and v)
    return protect_series(ordered, k=reader.k, suppress=reader.suppressed)


# --- the published figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    series: Series


@dataclass(frozen=True)
class Measure:
    """A count with its breakdowns; every breakdown's total is the same figure."""

    code: str
    total: Cell
    breakdowns: list[Breakdown] = field(default_factory=list)

    def breakdown(self, dimension: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.dimension == dimension)


@dataclass(frozen=True)
class Duration:
    """Days between two steps: how many cases, their median and 90th percentile. The days are
    hidden (None) when fewer than k cases stand behind them for a suppressed reader."""

    code: str
    count: Cell
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class Coverage:
    """Operations that departed in the period, and how many of them were monitored."""

    operations: Cell
    monitored: Cell
    share: float | None


@dataclass(frozen=True)
class Dashboard:
    period: Period
    suppressed: bool
    k: int
    measures: list[Measure]
    recommendations_vs_decisions: Table
    referral_outcomes: Table
    durations: list[Duration]
    coverage: Coverage
    overdue_deadlines: Series
    generated_at: datetime.datetime
    # When the period's figures were counted: ``generated_at`` when counted live, else when the
    # stored counts were (ADR 0028); the overdue deadlines are always counted at ``generated_at``.
    counted_at: datetime.datetime
    # Minutes between two counts of the current year's stored figures; None otherwise.
    recounted_every: int | None = None

    def measure(self, code: str) -> Measure:
        return next(m for m in self.measures if m.code == code)

    def cells(self) -> int:
        return sum(len(b.series.cells) + 1 for m in self.measures for b in m.breakdowns)

    def hidden(self) -> int:
        hidden = sum(b.series.hidden for m in self.measures for b in m.breakdowns)
        return (
            hidden
            + self.recommendations_vs_decisions.hidden
            + self.referral_outcomes.hidden
            + self.overdue_deadlines.hidden
        )


# --- scoping ------------------------------------------------------------------------------------


def _persons(reader: Reader) -> QuerySet[Person] | None:
    """The persons in scope, or None for every person (national figures, or the Ombudsman)."""
    if reader.suppressed or reader.actor is None:
        return None
    persons = persons_visible_to(reader.actor)
    if not persons.query.where:  # sees everyone: no subquery over a million rows
        return None
    return persons


def _scoped(queryset: QuerySet[Any], reader: Reader, person_path: str) -> QuerySet[Any]:
    persons = _persons(reader)
    if persons is None:
        return queryset
    return queryset.filter(**{f"{person_path}__in": persons.values("pk")})


def screenings(reader: Reader, period: Period) -> QuerySet[ScreeningSession]:
    """Screenings completed (decided) in the period."""
    start, end = period.bounds()
    queryset = ScreeningSession.objects.filter(completed_at__gte=start, completed_at__lt=end)
    return _scoped(queryset, reader, "person")


def suspicions(reader: Reader, period: Period) -> QuerySet[Suspicion]:
    start, end = period.bounds()
    queryset = Suspicion.objects.filter(raised_at__gte=start, raised_at__lt=end)
    return _scoped(queryset, reader, "person")


def referrals(reader: Reader, period: Period) -> QuerySet[Referral]:
    start, end = period.bounds()
    queryset = Referral.objects.filter(sent_at__gte=start, sent_at__lt=end)
    return _scoped(queryset, reader, "suspicion__person")


def holds(reader: Reader, period: Period) -> QuerySet[Hold]:
    start, end = period.bounds()
    queryset = Hold.objects.filter(started_at__gte=start, started_at__lt=end)
    return _scoped(queryset, reader, "person")


def operations(reader: Reader, period: Period) -> QuerySet[RemovalOperation]:
    start, end = period.bounds()
    queryset = RemovalOperation.objects.filter(
        status=RemovalOperation.Status.COMPLETED, departure_at__gte=start, departure_at__lt=end
    )
    if reader.suppressed or reader.actor is None:
        return queryset
    organisation = reader.actor.organisation
    if organisation and organisation.type in _SEES_ALL_OPERATIONS:
        return queryset
    return queryset.filter(organisation=organisation)


def overdue(reader: Reader) -> QuerySet[Deadline]:
    """Deadlines open and past due now: the reader's own organisation's, or all (national)."""
    queryset = Deadline.objects.filter(
        met_at__isnull=True, cancelled_at__isnull=True, due_at__lt=timezone.now()
    )
    if reader.suppressed or reader.actor is None:
        return queryset
    return queryset.filter(responsible_organisation=reader.actor.organisation)


# --- the measures -------------------------------------------------------------------------------

PERSONS_SCREENED = "persons_screened"
SCREENINGS = "screenings"
INDICATORS = "indicators"
SUSPICIONS = "suspicions"
REFERRALS = "referrals"
HOLDS = "holds"
RECOMMENDATION = "recommendation"
DECISION = "decision"


def organisation_names(ids: Iterable[str]) -> dict[str, str]:
    from atpazit.accounts.models import Organisation

    wanted = [int(i) for i in ids if i.isdigit()]
    return {
        str(pk): name
        for pk, name in Organisation.objects.filter(pk__in=wanted).values_list("pk", "name")
    }


# --- the counts behind the figures --------------------------------------------------------------

ADULT_OR_CHILD = ("adult", "child")


@dataclass(frozen=True)
class Counts:
    """The exact counts behind every figure of a period, before disclosure control: each table
    counted once by all the keys of its breakdowns (``count_by_keys``). The nationality key is
    the reader's (``person_dimensions``): the country, or the citizenship group."""

    persons: dict[tuple[str, ...], int]  # (sex, age band, nationality) -> persons screened
    screenings: dict[tuple[str, ...], int]  # (stage, organisation, recommendation, decision)
    indicators: dict[str, int]
    suspicions: dict[tuple[str, ...], int]  # (sex, age band, nationality, adult/child, form)
    holds: dict[str, int]  # by cause
    referrals: dict[tuple[str, ...], int]  # (track, status now)
    durations: dict[str, tuple[int, float | None, float | None]]  # count, median, p90 days
    operations: int
    monitored: int

    def to_json(self) -> dict[str, Any]:
        def pairs(counts: dict[Any, int]) -> list[list[Any]]:
            return [[list(key) if isinstance(key, tuple) else key, n] for key, n in counts.items()]

        return {
            "persons": pairs(self.persons),
            "screenings": pairs(self.screenings),
            "indicators": pairs(self.indicators),
            "suspicions": pairs(self.suspicions),
            "holds": pairs(self.holds),
            "referrals": pairs(self.referrals),
            "durations": {code: list(values) for code, values in self.durations.items()},
            "operations": self.operations,
            "monitored": self.monitored,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Counts:
        def keyed(name: str) -> dict[tuple[str, ...], int]:
            return {tuple(key): n for key, n in data[name]}

        def plain(name: str) -> dict[str, int]:
            return {key: n for key, n in data[name]}

        return cls(
            persons=keyed("persons"),
            screenings=keyed("screenings"),
            indicators=plain("indicators"),
            suspicions=keyed("suspicions"),
            holds=plain("holds"),
            referrals=keyed("referrals"),
            # jsonb (PostgreSQL) does not keep key order: put them back in the live order.
            durations={
                code: tuple(data["durations"][code])
                for code in DURATION_ORDER
                if code in data["durations"]
            },
            operations=data["operations"],
            monitored=data["monitored"],
        )


def count(reader: Reader, period: Period) -> Counts:
    """Every count of the period in the reader's scope: one statement per table and per
    duration (10 in all)."""
    sessions = screenings(reader, period)
    person_keys = [
        _dimension(dimension, "person__", reader, period) for dimension in person_dimensions(reader)
    ]
    child = Case(
        When(child_path=True, then=Value("child")), default=Value("adult"), output_field=CharField()
    )
    observations = ScreeningObservation.objects.filter(session__in=sessions.values("pk"))
    departed, monitored = coverage_counts(reader, period)
    return Counts(
        # A person has one sex, age band and nationality: distinct persons sum up exactly.
        persons=count_by_keys(sessions, person_keys, distinct="person"),
        screenings=count_by_keys(
            sessions, [F("stage"), F("organisation_id"), F("recommendation"), F("decision")]
        ),
        indicators=count_by(observations, F("indicator")),
        suspicions=count_by_keys(
            suspicions(reader, period), [*person_keys, child, latest_form_expression("person")]
        ),
        holds=count_by(holds(reader, period), F("cause")),
        referrals=count_by_keys(referrals(reader, period), [F("track"), F("status")]),
        durations=durations(reader, period),
        operations=departed,
        monitored=monitored,
    )


# --- the published figures of a period ----------------------------------------------------------


def _breakdowns(
    reader: Reader,
    counts: dict[tuple[str, ...], int],
    dimensions: Sequence[tuple[str, Sequence[str] | None]],
) -> list[Breakdown]:
    return [
        Breakdown(dimension, _series(reader, marginal(counts, index), keys))
        for index, (dimension, keys) in enumerate(dimensions)
    ]


def _measure(code: str, breakdowns: list[Breakdown]) -> Measure:
    """A measure whose total is its breakdowns' (every breakdown has the same total)."""
    return Measure(code, breakdowns[0].series.total, breakdowns)


def publish(reader: Reader, counts: Counts) -> dict[str, Any]:
    """The figures of ``counts`` as the reader may see them (disclosure control applied)."""
    persons = [(dimension, _keys(dimension)) for dimension in person_dimensions(reader)]
    screening_breakdowns = _breakdowns(
        reader, counts.screenings, [(STAGE, _keys(STAGE)), (ORGANISATION, None)]
    )
    measures = [
        _measure(PERSONS_SCREENED, _breakdowns(reader, counts.persons, persons)),
        _measure(SCREENINGS, screening_breakdowns),
        indicators_measure(reader, counts.indicators),
        _measure(
            SUSPICIONS,
            _breakdowns(
                reader,
                counts.suspicions,
                [*persons, ("child_path", ADULT_OR_CHILD), (FORM, _keys(FORM))],
            ),
        ),
        _measure(
            HOLDS,
            [Breakdown("cause", _series(reader, counts.holds, tuple(Hold.Cause.values)))],
        ),
    ]
    return {
        "measures": measures,
        "recommendations_vs_decisions": recommendations_vs_decisions(
            reader, marginal(counts.screenings, 2, 3)
        ),
        "referral_outcomes": referral_outcomes(reader, counts.referrals),
        "durations": [
            _duration(reader, code, *values) for code, values in counts.durations.items()
        ],
        "coverage": coverage(reader, counts.operations, counts.monitored),
    }


def closed(period: Period) -> bool:
    """A whole calendar year that has ended."""
    return period.year is not None and period.year < timezone.localdate().year


def recount_minutes() -> int:
    """How often the current year's national figures are counted again (ADR 0028)."""
    return int(settings.ATPAZIT_STATS_RECOUNT_MINUTES)


def fresh_since() -> datetime.datetime:
    """A count of the current year made before this is too old to be shown: twice the cycle
    (one recount missed, or late, is tolerated; two are not)."""
    return timezone.now() - datetime.timedelta(minutes=2 * recount_minutes())


@dataclass(frozen=True)
class Stored:
    """Counts kept in ``ClosedYear`` and when they were counted."""

    counts: Counts
    computed_at: datetime.datetime


def stored_counts(reader: Reader, period: Period) -> Stored | None:
    """The stored counts of a whole year for a reader of the national figures (ADR 0028): a
    closed year's frozen counts (``services.freeze_closed_years``, counted again nightly), or
    the current year's count (``services.count_current_year``, every ``recount_minutes``)
    while it is not older than ``fresh_since``. None otherwise: then it is counted live. A
    case-level reader's figures are in their own scope, and always live."""
    if not reader.suppressed or period.year is None:
        return None
    if period.year > timezone.localdate().year:
        return None
    rows = ClosedYear.objects.filter(year=period.year)
    if not closed(period):
        rows = rows.filter(computed_at__gte=fresh_since())
    row = rows.values_list("counts", "computed_at").first()
    return None if row is None else Stored(Counts.from_json(row[0]), row[1])


def dashboard(actor: Actor, period: Period, *, shown_on: str | None = None) -> Dashboard:
    """Every figure of the statistics page for ``period``, as the actor may read it.

    A whole year read without case-level access comes from its stored counts
    (``stored_counts``: a closed year's frozen counts, the current year's recent count) when
    they exist; every other read is counted live. ``counted_at`` says when the figures were
    counted; ``recounted_every`` (minutes) is set when they are the current year's stored count.

    ``shown_on`` names where the figures are shown (a page, an API route); the read is then
    audited here as ``stats.dashboard_viewed``, with the period and counts only."""
    reader = reader_for(actor)
    check_period(reader, period)
    stored = stored_counts(reader, period)
    counts = stored.counts if stored else count(reader, period)
    now = timezone.now()
    board = Dashboard(
        period=period,
        suppressed=reader.suppressed,
        k=reader.k,
        **publish(reader, counts),
        overdue_deadlines=_series(
            reader, count_by(overdue(reader), F("kind")), tuple(DeadlineKind.values)
        ),
        generated_at=now,
        counted_at=stored.computed_at if stored else now,
        recounted_every=recount_minutes() if stored and not closed(period) else None,
    )
    if shown_on:
        log_event(
            "stats.dashboard_viewed",
            details={
                "page": shown_on,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "suppressed": board.suppressed,
                "k": board.k,
                "figures": board.cells(),
                "hidden": board.hidden(),
            },
        )
    return board


def indicators_measure(reader: Reader, counts: dict[str, int]) -> Measure:
    """The indicators most often observed in the period's screenings; the others as one cell
    (so the total is the number of observations and no hidden cell is a difference)."""
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_INDICATORS]
    # A suppressed reader gets them by code: their order would bound the hidden ones.
    named = sorted(top) if reader.suppressed else list(top)
    rest = sum(counts.values()) - sum(value for _code, value in named)
    series = protect_series([*named, (OTHER, rest)], k=reader.k, suppress=reader.suppressed)
    return Measure(INDICATORS, series.total, [Breakdown("indicator", series)])


def recommendations_vs_decisions(reader: Reader, counted: dict[tuple[str, str], int]) -> Table:
    """The engine's recommendation (rows) against the screener's decision (columns), from the
    screenings counted by (recommendation, decision)."""
    rows = [recommendation.value for recommendation in Recommendation]
    cols = list(Decision.values)
    counts = [[0] * len(cols) for _ in rows]
    for (recommendation, decision), n in counted.items():
        if recommendation in rows and decision in cols:
            counts[rows.index(recommendation)][cols.index(decision)] += n
    return protect_table(rows, cols, counts, k=reader.k, suppress=reader.suppressed)


def referral_outcomes(reader: Reader, counted: dict[tuple[str, ...], int]) -> Table:
    """Referrals sent in the period: track (rows) by where they stand now (columns)."""
    rows = list(Referral.Track.values)
    cols = list(Referral.Status.values)
    counts = [[0] * len(cols) for _ in rows]
    for (track, status), n in counted.items():
        counts[rows.index(track)][cols.index(status)] += n
    return protect_table(rows, cols, counts, k=reader.k, suppress=reader.suppressed)


# --- durations ----------------------------------------------------------------------------------

SCREENING_TO_REFERRAL = "screening_to_referral"
REFERRAL_TO_DECISION = "referral_to_decision"
HOLD_DURATION = "hold_duration"
DURATION_ORDER = (SCREENING_TO_REFERRAL, REFERRAL_TO_DECISION, HOLD_DURATION)


# The shares read: the median and the 90th percentile.
MEDIAN = 0.5
P90 = 0.9


def percentiles(queryset: QuerySet[Any], expression: Any) -> tuple[int, float | None, float | None]:
    """How many rows have a value of ``expression``, and its median and 90th percentile in days
    (nearest rank: the value at rank ceil(share x count), ranks counted from 1).

    One query reads the values in order (a number per case, nothing personal): the expression
    holds correlated subqueries, and a COUNT and an OFFSET query per share each evaluated them
    all again, as did every reference to a window function."""
    values = list(
        queryset.annotate(_days=ExpressionWrapper(expression, output_field=DurationField()))
        .filter(_days__isnull=False)
        .order_by("_days", "pk")
        .values_list("_days", flat=True)
    )
    count = len(values)
    if count == 0:
        return 0, None, None

    def at(share: float) -> float:
        index = min(count - 1, max(0, math.ceil(share * count) - 1))
        return round(values[index].total_seconds() / 86400, 1)

    return count, at(MEDIAN), at(P90)


def _duration(
    reader: Reader, code: str, count: int, median: float | None, p90: float | None
) -> Duration:
    cell = protect_series([("all", count)], k=reader.k, suppress=reader.suppressed).total
    if cell.suppressed:
        return Duration(code, cell, None, None)
    return Duration(code, cell, median, p90)


def durations(reader: Reader, period: Period) -> dict[str, tuple[int, float | None, float | None]]:
    first_screening = (
        ScreeningSession.objects.filter(person=OuterRef("person"), completed_at__isnull=False)
        .order_by("completed_at")
        .values("completed_at")[:1]
    )
    first_referral = (
        Referral.objects.filter(suspicion=OuterRef("pk")).order_by("sent_at").values("sent_at")[:1]
    )
    to_referral = suspicions(reader, period).annotate(
        _screened=Subquery(first_screening), _referred=Subquery(first_referral)
    )
    decided = (
        ReferralTransition.objects.filter(referral=OuterRef("pk"), to_status__in=DECIDED)
        .order_by("at")
        .values("at")[:1]
    )
    to_decision = referrals(reader, period).annotate(_decided=Subquery(decided))
    released = holds(reader, period).filter(released_at__isnull=False)
    return {
        SCREENING_TO_REFERRAL: percentiles(to_referral, F("_referred") - F("_screened")),
        REFERRAL_TO_DECISION: percentiles(to_decision, F("_decided") - F("sent_at")),
        HOLD_DURATION: percentiles(released, F("released_at") - F("started_at")),
    }


def coverage_counts(reader: Reader, period: Period) -> tuple[int, int]:
    """Operations that departed in the period, and how many of them were monitored."""
    completed = Mission.objects.filter(operation=OuterRef("pk"), status=Mission.Status.COMPLETED)
    totals = operations(reader, period).aggregate(
        all=Count("pk"), monitored=Count("pk", filter=Q(Exists(completed)))
    )
    return totals["all"], totals["monitored"]


def coverage(reader: Reader, departed: int, monitored_count: int) -> Coverage:
    series = protect_series(
        [("monitored", monitored_count), ("not_monitored", departed - monitored_count)],
        k=reader.k,
        suppress=reader.suppressed,
    )
    monitored = series.cell("monitored")
    share = (
        round(100 * monitored.value / series.total.value, 1)
        if monitored.value is not None and series.total.value
        else None
    )
    return Coverage(operations=series.total, monitored=monitored, share=share)
