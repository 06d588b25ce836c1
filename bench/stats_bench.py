"""Benchmark of the statistics page (DESIGN.md §9: <= 1.5 s, and <= 2x the raw SQL of the same
aggregates).

    .venv/bin/python bench/stats_bench.py --persons 100000
    .venv/bin/python bench/stats_bench.py --persons 1000000 --database postgres

Builds (or reuses) a database of its own (SQLite under ``var/bench/``, or a PostgreSQL database
``atpazit_stats_bench_<persons>``, or ``--name``): invented persons in ten Border Guard units
over five years, three decided screenings per person on average (each with 0-3 indicators), a
suspicion for 10 % of the persons with its hold (60 % released), a referral for 80 % of the
suspicions with the decision transitions. No operations (the coverage figure counts none). Rows
are written straight through the cursor (see "data" below); nothing here is realistic beyond
the shape and the volume.

Then, for the national coordinator (suppressed, national: the heaviest reader, no scope filter),
it times ``stats.selectors.dashboard`` for last year (the whole page's figures, including the
disclosure control) twice: counted live, and read from the closed year's frozen counts (ADR
0028) after counting them once as the nightly task does. Each against the *raw SQL* of the same
figures: the exact statements the selector sent (captured once), executed again through the
database cursor and fetched, with no ORM, no Python around them. It reports p50 and max of both,
their ratio, and how long the freezing took, as Markdown and as JSON in ``var/bench/``. It
measures; it never fails on a budget.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
DEFAULT_POSTGRES = "postgres://atpazit:atpazit-ci@127.0.0.1:5432/postgres"
PREFIX = "SB-"
BATCH = 5_000
UNITS = 10
YEARS = 5
NATIONALITIES = {"UZ": 20, "IN": 15, "RU": 12, "BY": 8, "TJ": 8, "VN": 6, "LT": 4, "LV": 3, "PL": 2}
INDICATORS = ["DR-01", "DR-02", "CD-01", "CD-02", "EX-01", "EX-02", "EX-03", "RC-01", "RC-03"]
STAGES = ["detention_intake", "pre_return_interview", "pre_departure"]
DECISIONS = ["no_action"] * 6 + ["rescreen_next_stage"] * 2 + ["raise_suspicion"]
RECOMMENDATIONS = ["no_action"] * 5 + ["rescreen_next_stage"] * 2 + ["refer_for_identification"]


def main() -> None:
    args = _arguments()
    url = _prepare(args)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from atpazit.cases.models import Person

    have = Person.objects.filter(case_number__startswith=PREFIX).count()
    if have == 0:
        started = time.perf_counter()
        generate(args.persons, say=print)
        print(f"  generated in {time.perf_counter() - started:.0f} s")
    elif have != args.persons:
        sys.exit(f"the database holds another size ({have:,} persons); use --fresh")
    else:
        print(f"Reusing the database ({have:,} persons).")
    result = measure(args.repeats)
    report(args, url, result)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument(
        "--name", help="the database's name (default atpazit_stats_bench_<persons>)"
    )
    return parser.parse_args()


def _prepare(args: argparse.Namespace) -> str:
    (BENCH_DIR / "static").mkdir(parents=True, exist_ok=True)
    sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["ATPAZIT_VAR_DIR"] = str(BENCH_DIR)
    name = args.name or f"atpazit_stats_bench_{args.persons}"
    if args.database == "sqlite":
        path = BENCH_DIR / f"{name}.sqlite3"
        if args.fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        from run import _postgres_database

        url = _postgres_database(args.postgres_url, name, fresh=args.fresh)
    os.environ["DATABASE_URL"] = url
    return url


# --- data ---------------------------------------------------------------------------------------
#
# Written straight through the database cursor (COPY on PostgreSQL, executemany on SQLite), in
# one transaction, with explicit primary keys: the ORM's model instances cost ~60 µs a row, which
# made 20,000 persons take twenty minutes. Every column gets the value a model instance would
# store (``_template``: each model's fields prepared once for the database, encrypted fields
# included, so every row shares one ciphertext: the dashboard never decrypts); only the columns
# the statistics read vary per row.


def generate(persons: int, *, say: Any = print) -> None:
    from django.db import connection, transaction

    rng = random.Random(14)  # noqa: S311 - invented benchmark data
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
    with transaction.atomic():
        units, officer, _coordinator = _organisations()
        say(f"Generating {persons:,} persons ...")
        first_person = _persons(rng, units, persons)
        say("  screenings and indicators ...")
        screenings, observations = _screenings(rng, units, officer, first_person, persons)
        say(f"  {screenings:,} screenings, {observations:,} indicators; suspicions ...")
        _suspicions(rng, officer, first_person, persons)
        _reset_sequences()
    if connection.vendor == "postgresql":
        say("  ANALYZE ...")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _organisations() -> tuple[list[Any], Any, Any]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from atpazit.accounts.models import Membership, Organisation, User

    units = [
        Organisation.objects.create(name=f"Stats bench unit {n:02d}", type="border_guard")
        for n in range(1, UNITS + 1)
    ]
    Organisation.objects.create(name="Stats bench provider", type="service_provider")
    ministry = Organisation.objects.create(name="Stats bench ministry", type="ministry")
    officer = User.objects.create(username="stats.bench.officer", first_name="I", last_name="S")
    coordinator = User.objects.create(username="stats.bench.coordinator", first_name="R")
    Membership.objects.create(user=officer, organisation=units[0], role="bg_case_officer")
    Membership.objects.create(user=coordinator, organisation=ministry, role="national_coordinator")
    for user in (officer, coordinator):
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return units, officer, coordinator


NOW = datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def _moment(rng: random.Random) -> datetime.datetime:
    return NOW - datetime.timedelta(minutes=rng.randint(0, YEARS * 365 * 24 * 60))


def _template(instance: Any) -> dict[str, Any]:
    """Every column of ``instance`` as the ORM would write it (primary key left out)."""
    from django.db import connection

    return {
        field.column: field.get_db_prep_save(field.pre_save(instance, add=True), connection)
        for field in instance._meta.concrete_fields
        if not field.primary_key
    }


class _Table:
    """Rows into one model's table: the template's values, some columns varying per row."""

    def __init__(self, instance: Any, varying: list[str]) -> None:
        from django.db import connection

        self.model = type(instance)
        self.table = self.model._meta.db_table
        template = _template(instance)
        self.varying = ["id", *varying]
        self.fixed = [column for column in template if column not in self.varying]
        self.fixed_values = tuple(template[column] for column in self.fixed)
        self.start = (self.model.objects.aggregate(m=models_max("pk"))["m"] or 0) + 1
        self.postgres = connection.vendor == "postgresql"

    def when(self, moment: datetime.datetime | None) -> Any:
        if moment is None or self.postgres:
            return moment
        return moment.replace(tzinfo=None).isoformat(sep=" ")

    def write(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """``rows`` hold the varying columns, the primary key first."""
        from django.db import connection

        columns = [*self.varying, *self.fixed]
        fixed = self.fixed_values
        full = (row + fixed for row in rows)
        with connection.cursor() as cursor:
            if self.postgres:
                from psycopg import sql

                statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                    sql.Identifier(self.table), sql.SQL(", ").join(map(sql.Identifier, columns))
                )
                with cursor.cursor.copy(statement) as copy:
                    for row in full:
                        copy.write_row(row)
            else:
                names = ", ".join(f'"{column}"' for column in columns)
                marks = ", ".join("?" for _ in columns)
                raw = cursor.cursor
                while batch := list(itertools.islice(full, BATCH)):
                    raw.executemany(f'INSERT INTO "{self.table}" ({names}) VALUES ({marks})', batch)


def models_max(name: str) -> Any:
    from django.db.models import Max

    return Max(name)


def _persons(rng: random.Random, units: list[Any], total: int) -> int:
    from atpazit.cases.models import Person

    table = _Table(
        Person(organisation=units[0], family_name="Bench", nationality="UZ"),
        ["case_number", "organisation_id", "birth_year", "sex", "nationality"],
    )
    codes, weights = list(NATIONALITIES), list(NATIONALITIES.values())
    cumulative = list(itertools.accumulate(weights))
    unit_ids = [unit.pk for unit in units]
    sexes = ["male", "male", "male", "female"]
    first = table.start
    table.write(
        (
            first + number,
            f"{PREFIX}{number:08d}",
            unit_ids[rng.randrange(UNITS)],
            rng.randint(1960, 2012),
            rng.choice(sexes),
            rng.choices(codes, cum_weights=cumulative)[0],
        )
        for number in range(total)
    )
    return first


def _screenings(
    rng: random.Random, units: list[Any], officer: Any, first_person: int, total: int
) -> tuple[int, int]:
    from atpazit.screening.models import ScreeningObservation, ScreeningSession

    template = ScreeningSession(
        person_id=first_person,
        screener=officer,
        organisation=units[0],
        stage=STAGES[0],
        interview_language="ru",
        prompt_language="ru",
        officer_language="lv",
        catalogue_version="bench",
        recommendation=RECOMMENDATIONS[0],
        decision=DECISIONS[0],
        decided_by=officer,
    )
    sessions = _Table(
        template,
        [
            "person_id",
            "organisation_id",
            "started_at",
            "completed_at",
            "stage",
            "recommendation",
            "decision",
            "exploitation_form",
        ],
    )
    observations = _Table(
        ScreeningObservation(session=template, indicator="X", source="observed", stage="other"),
        ["session_id", "indicator"],
    )
    unit_ids = [unit.pk for unit in units]
    forms = ["labour", "labour", "sexual", "unknown"]
    per_person = [1, 2, 3, 3, 4, 5]
    indicator_rows: list[tuple[Any, ...]] = []
    counts = [0, 0]

    def session_rows() -> Iterator[tuple[Any, ...]]:
        pk = sessions.start
        observation_pk = observations.start
        for person_id in range(first_person, first_person + total):
            for _ in range(rng.choice(per_person)):
                when = sessions.when(_moment(rng))
                yield (
                    pk,
                    person_id,
                    unit_ids[rng.randrange(UNITS)],
                    when,
                    when,
                    rng.choice(STAGES),
                    rng.choice(RECOMMENDATIONS),
                    rng.choice(DECISIONS),
                    rng.choice(forms),
                )
                for code in rng.sample(INDICATORS, rng.randint(0, 3)):
                    indicator_rows.append((observation_pk, pk, code))
                    observation_pk += 1
                pk += 1
                counts[0] += 1

    # The sessions first (the indicators refer to them), the indicators batch by batch after.
    rows = session_rows()
    while batch := list(itertools.islice(rows, BATCH * 20)):
        sessions.write(batch)
        observations.write(indicator_rows)
        counts[1] += len(indicator_rows)
        indicator_rows.clear()
    return counts[0], counts[1]


def _suspicions(rng: random.Random, officer: Any, first_person: int, total: int) -> None:
    from atpazit.accounts.models import Organisation
    from atpazit.cases.models import Hold, Person
    from atpazit.referrals.models import Referral, ReferralTransition, Suspicion

    provider = Organisation.objects.get(type="service_provider")
    organisation_id = officer.memberships.get().organisation_id
    person = Person(pk=first_person)
    hold = Hold(person=person, cause="suspicion", reason="")
    suspicion = Suspicion(
        person=person,
        raised_by=officer,
        raised_by_organisation_id=organisation_id,
        reason="bench",
        hold=hold,
    )
    referral = Referral(
        suspicion=suspicion,
        track="provider",
        to_organisation=provider,
        legal_basis="consent",
        package="{}",
        sent_by=officer,
    )
    holds = _Table(hold, ["person_id", "started_at", "released_at"])
    suspicions = _Table(suspicion, ["person_id", "hold_id", "raised_at", "child_path"])
    referrals = _Table(referral, ["suspicion_id", "status", "sent_at"])
    transitions = _Table(
        ReferralTransition(referral=referral, from_status="assessing", to_status="recognised"),
        ["referral_id", "to_status", "at"],
    )
    chosen = sorted(rng.sample(range(first_person, first_person + total), max(1, total // 10)))
    hold_rows, suspicion_rows, referral_rows, transition_rows = [], [], [], []
    for number, person_id in enumerate(chosen):
        when = _moment(rng)
        released = when + datetime.timedelta(days=rng.randint(1, 120))
        hold_pk, suspicion_pk = holds.start + number, suspicions.start + number
        hold_rows.append(
            (
                hold_pk,
                person_id,
                holds.when(when),
                holds.when(released if rng.random() < 0.6 else None),
            )
        )
        suspicion_rows.append(
            (suspicion_pk, person_id, hold_pk, holds.when(when), rng.random() < 0.08)
        )
        if rng.random() < 0.8:
            status = rng.choice(["sent", "accepted", "recognised", "not_recognised"])
            sent = when + datetime.timedelta(days=rng.randint(0, 10))
            referral_pk = referrals.start + len(referral_rows)
            referral_rows.append((referral_pk, suspicion_pk, status, holds.when(sent)))
            if status in ("recognised", "not_recognised"):
                decided = sent + datetime.timedelta(days=rng.randint(5, 60))
                transition_rows.append(
                    (
                        transitions.start + len(transition_rows),
                        referral_pk,
                        status,
                        holds.when(decided),
                    )
                )
    holds.write(hold_rows)
    suspicions.write(suspicion_rows)
    referrals.write(referral_rows)
    transitions.write(transition_rows)


def _reset_sequences() -> None:
    from django.core.management.color import no_style
    from django.db import connection

    from atpazit.cases.models import Hold, Person
    from atpazit.referrals.models import Referral, ReferralTransition, Suspicion
    from atpazit.screening.models import ScreeningObservation, ScreeningSession

    models = [Person, ScreeningSession, ScreeningObservation, Hold, Suspicion, Referral]
    statements = connection.ops.sequence_reset_sql(no_style(), [*models, ReferralTransition])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# --- measuring ----------------------------------------------------------------------------------


def measure(repeats: int) -> dict[str, Any]:
    """The page for last year twice: counted live (no frozen counts), then read from the
    closed year's frozen counts (ADR 0028) after counting them once, as the nightly task does."""
    from django.utils import timezone

    from atpazit.accounts.access import Actor
    from atpazit.accounts.models import Membership
    from atpazit.stats import selectors, services
    from atpazit.stats.models import ClosedYear

    membership = Membership.objects.select_related("user", "organisation").get(
        user__username="stats.bench.coordinator"
    )
    actor = Actor(user=membership.user, membership=membership)
    year = timezone.localdate().year - 1
    period = selectors.Period.calendar_year(year)
    ClosedYear.objects.filter(year=year).delete()
    live = _timed(actor, period, repeats)
    started = time.perf_counter()
    services.freeze_closed_years(years=[year])
    freezing = time.perf_counter() - started
    frozen = _timed(actor, period, repeats)
    assert frozen["persons_screened"] == live["persons_screened"]
    return {"live": live, "frozen": frozen, "freeze_s": freezing, "load": os.getloadavg()[0]}


def _timed(actor: Any, period: Any, repeats: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from atpazit.stats import selectors

    selectors.dashboard(actor, period)  # warm-up
    with CaptureQueriesContext(connection) as captured:
        board = selectors.dashboard(actor, period)
    statements = [query["sql"] for query in captured.captured_queries]
    page, raw = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        selectors.dashboard(actor, period)
        page.append(time.perf_counter() - started)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
        raw.append(time.perf_counter() - started)
    return {
        "persons_screened": board.measure(selectors.PERSONS_SCREENED).total.value,
        "queries": len(statements),
        "page_p50_s": statistics.median(page),
        "page_max_s": max(page),
        "raw_p50_s": statistics.median(raw),
        "raw_max_s": max(raw),
        "ratio": statistics.median(page) / statistics.median(raw),
    }


def report(args: argparse.Namespace, url: str, result: dict[str, Any]) -> None:
    print()
    print(
        f"Statistics page, national coordinator, last year, {args.persons:,} persons, "
        f"{args.database}, {platform.processor() or platform.machine()}, "
        f"load {result['load']:.1f} (1 min average after the runs)"
    )
    print()
    live, frozen = result["live"], result["frozen"]
    print("| What | p50 | max | SQL statements |")
    print("|---|---|---|---|")
    for label, row in (("counted live", live), ("from the frozen year", frozen)):
        print(
            f"| `dashboard`, {label} | {row['page_p50_s'] * 1000:.0f} ms | "
            f"{row['page_max_s'] * 1000:.0f} ms | {row['queries']} |"
        )
        print(
            f"| its own SQL, raw through the cursor | {row['raw_p50_s'] * 1000:.0f} ms | "
            f"{row['raw_max_s'] * 1000:.0f} ms | {row['queries']} |"
        )
    # The raw SQL of the same aggregates is the live count's: the frozen page reads a row.
    same_aggregates = frozen["page_p50_s"] / live["raw_p50_s"]
    print()
    print(f"Counting the closed year once (freeze_closed_years): {result['freeze_s']:.1f} s")
    print(
        f"Live: {live['page_p50_s']:.2f} s, {live['ratio']:.2f}x its raw SQL: "
        f"{'met' if live['page_p50_s'] <= 1.5 and live['ratio'] <= 2 else 'MISSED'}"
    )
    print(
        f"Frozen: {frozen['page_p50_s']:.3f} s, {same_aggregates:.3f}x the raw SQL of the same "
        f"aggregates (counted live), {frozen['ratio']:.1f}x its own {frozen['queries']} "
        f"statements: {'met' if frozen['page_p50_s'] <= 1.5 and same_aggregates <= 2 else 'MISSED'}"
    )
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    out = BENCH_DIR / f"stats-{args.database}-{args.persons}.json"
    out.write_text(json.dumps({**result, "persons": args.persons}, indent=2))


if __name__ == "__main__":
    main()
