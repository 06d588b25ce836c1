"""Benchmark of the de-identified case-level export (HTCDS JSON): time and peak memory by size.

    .venv/bin/python bench/htcds_bench.py --years 2021:10000,2022:100000,2023:300000
    .venv/bin/python bench/htcds_bench.py --years 2024:1000000 --database postgres
    .venv/bin/python bench/htcds_bench.py --years 2021:10000 --tracemalloc

Each ``YEAR:ROWS`` is a year holding that many suspicions of trafficking (one person, hold and
suspicion each; a third with a provider referral, a tenth with a screening of two observed
indicators, a twentieth with SIVA and rehabilitation), generated once into a database of its
own (SQLite under ``var/bench/``, or the PostgreSQL database ``atpazit_bench_htcds``), invented
and deterministic (seed 2026). Then, for each year, a **fresh process** runs exactly what the
download runs — ``start_htcds_export`` (first pass, plan, audit, disclosure log) and every chunk
of ``export.chunks()`` (second pass, records, validation) — writing the bytes to a file, and
reports wall time, CPU time, the process's peak resident memory (``ru_maxrss``: Python, the
SQLite library and the database driver, everything) before and after, and with
``--tracemalloc`` the peak of Python allocations (slower). DESIGN.md §9: peak memory <= 250 MB
for 1,000,000 rows. It measures; it never fails on a budget.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
DEFAULT_POSTGRES = "postgres://atpazit:atpazit-ci@127.0.0.1:5432/postgres"
DATABASE_NAME = "atpazit_bench_htcds"
BATCH = 5_000
COORDINATOR = "bench.koordinators"
BUDGET_MB = 250


def main() -> None:
    args = _arguments()
    _prepare_environment(args)
    import django

    django.setup()
    if args.measure:
        print(json.dumps(measure(args.measure, tracemalloc_on=args.tracemalloc)))
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    years = _years(args.years)
    for year, rows in years.items():
        have = _suspicions_in(year)
        if have == 0:
            print(f"Generating {rows:,} suspicions in {year} ...", flush=True)
            started = time.perf_counter()
            generate(year, rows)
            print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)
        elif have != rows:
            sys.exit(f"{year} holds {have:,} suspicions, not {rows:,}; use --fresh.")
    django.db.connections.close_all()
    results = []
    for year in years:
        command = [sys.executable, __file__, "--measure", str(year), "--database", args.database]
        command += ["--postgres-url", args.postgres_url] + (
            ["--tracemalloc"] if args.tracemalloc else []
        )
        load_before = os.getloadavg()[0]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        result = json.loads(output.strip().splitlines()[-1])
        result["load"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
        results.append(result)
        print(_line(result), flush=True)
    report(args, results)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", default="2021:10000,2022:100000,2023:300000")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the data")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


def _years(text: str) -> dict[int, int]:
    years = {}
    for part in text.split(","):
        year, rows = part.split(":")
        years[int(year)] = int(rows)
    return years


def _prepare_environment(args: argparse.Namespace) -> None:
    (BENCH_DIR / "static").mkdir(parents=True, exist_ok=True)
    sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["ATPAZIT_VAR_DIR"] = str(BENCH_DIR)
    if args.database == "sqlite":
        path = BENCH_DIR / f"{DATABASE_NAME}.sqlite3"
        if args.fresh and not args.measure:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        from run import _postgres_database

        fresh = args.fresh and not args.measure
        os.environ["DATABASE_URL"] = _postgres_database(
            args.postgres_url, DATABASE_NAME, fresh=fresh
        )


# --- Data ------------------------------------------------------------------------------------


def _suspicions_in(year: int) -> int:
    from atpazit.referrals.models import Suspicion

    return Suspicion.objects.filter(raised_at__year=year).count()


@contextlib.contextmanager
def explicit_dates() -> Iterator[None]:
    """Let bulk_create keep the moments we set (a year of suspicions, not one instant)."""
    from atpazit.cases.models import Hold
    from atpazit.referrals.models import Referral, Suspicion
    from atpazit.screening.models import ScreeningSession

    fields = [
        Hold._meta.get_field("started_at"),
        Suspicion._meta.get_field("raised_at"),
        Referral._meta.get_field("sent_at"),
        ScreeningSession._meta.get_field("started_at"),
    ]
    for field in fields:
        field.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True  # type: ignore[attr-defined]


def _setting_up() -> dict[str, Any]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from atpazit.accounts.models import Membership, Organisation, User

    existing = User.objects.filter(username=COORDINATOR).first()
    if existing is None:
        ministry = Organisation.objects.create(name="Bench Ministry", type="ministry")
        coordinator = User.objects.create(
            username=COORDINATOR, first_name="Anna", last_name="Sols", language="en"
        )
        Membership.objects.create(
            user=coordinator, organisation=ministry, role="national_coordinator"
        )
        TOTPDevice.objects.create(user=coordinator, name="bench", confirmed=True)
        for n in range(1, 6):
            Organisation.objects.create(name=f"Bench HTCDS unit {n}", type="border_guard")
        Organisation.objects.create(name="Bench HTCDS provider", type="service_provider")
        User.objects.create(username="bench.htcds.officer", first_name="Ilze", last_name="Sols")
    return {
        "units": list(Organisation.objects.filter(name__startswith="Bench HTCDS unit")),
        "provider": Organisation.objects.get(name="Bench HTCDS provider"),
        "officer": User.objects.get(username="bench.htcds.officer"),
    }


def generate(year: int, rows: int, seed: int = 2026) -> None:
    from django.db import connection, transaction

    if connection.vendor == "postgresql":
        generate_in_sql(year, rows)
        return
    from generate import NATIONALITIES, memoised_encryption

    rng = random.Random(seed + year)
    with memoised_encryption(), explicit_dates():
        base = _setting_up()
        for start in range(0, rows, BATCH):
            with transaction.atomic():
                _batch(rng, base, year, start, min(BATCH, rows - start), NATIONALITIES)
            if (start // BATCH) % 20 == 0:
                print(f"  {min(start + BATCH, rows):,} / {rows:,}", flush=True)
    from generate import analyse

    analyse()


def _batch(  # noqa: C901 - one flat recipe of rows
    rng: random.Random, base: dict[str, Any], year: int, start: int, count: int, nationalities
) -> None:
    from atpazit.aftercare.models import Rehabilitation, ServiceDecision
    from atpazit.cases.models import Hold, Person
    from atpazit.referrals.models import Referral, Suspicion
    from atpazit.screening.models import ScreeningObservation, ScreeningSession

    zone = dt.timezone(dt.timedelta(hours=2))
    first = dt.datetime(year, 1, 1, tzinfo=zone)
    codes, weights = list(nationalities), list(nationalities.values())
    people, moments = [], []
    for number in range(start, start + count):
        moment = first + dt.timedelta(minutes=rng.randint(0, 364 * 24 * 60))
        age = rng.randint(14, 60)
        born = moment.date() - dt.timedelta(days=365 * age + rng.randint(0, 364))
        people.append(
            Person(
                case_number=f"HX-{year}-{number:07d}",
                organisation=rng.choice(base["units"]),
                given_names=rng.choice(["Dilshod", "Madina", "Rahul", "Olena", "Giorgi"]),
                family_name=rng.choice(["Karimov", "Tursunova", "Singh", "Bondar", "Beridze"]),
                document_numbers=rng.choice(["FA1234567", "AB7654321", ""]),
                date_of_birth=born.isoformat() if rng.random() < 0.7 else "",
                birth_year=born.year,
                age_disputed=rng.random() < 0.03,
                sex=rng.choice(["male", "male", "female", "female", "other", "unknown"]),
                nationality=rng.choices(codes, weights)[0],
            )
        )
        moments.append(moment)
    people = Person.objects.bulk_create(people, batch_size=BATCH)
    holds = Hold.objects.bulk_create(
        [
            Hold(
                person=person,
                cause="suspicion",
                reason_code="suspicion.raised",
                started_at=moment,
                released_at=moment + dt.timedelta(days=rng.randint(1, 200))
                if rng.random() < 0.6
                else None,
            )
            for person, moment in zip(people, moments, strict=True)
        ],
        batch_size=BATCH,
    )
    suspicions = Suspicion.objects.bulk_create(
        [
            Suspicion(
                person=person,
                raised_by=base["officer"],
                raised_by_organisation=person.organisation,
                raised_at=moment,
                reason="Sintētisks iemesls.",
                hold=hold,
                child_path=moment.year - person.birth_year < 18 or person.age_disputed,
                closure_reason=rng.choice(["", "", "not_a_victim", "rehabilitation_completed"]),
            )
            for person, hold, moment in zip(people, holds, moments, strict=True)
        ],
        batch_size=BATCH,
    )
    referrals, sessions, decisions, rehabilitations = [], [], [], []
    for suspicion in suspicions:
        draw = rng.random()
        if draw < 0.33:
            referrals.append(
                Referral(
                    suspicion=suspicion,
                    track="provider",
                    to_organisation=base["provider"],
                    status=rng.choice(["sent", "accepted", "recognised", "not_recognised"]),
                    legal_basis="consent",
                    package="{}",
                    sent_by=base["officer"],
                    sent_at=suspicion.raised_at + dt.timedelta(days=1),
                )
            )
        if draw < 0.1:
            sessions.append(
                ScreeningSession(
                    person_id=suspicion.person_id,
                    screener=base["officer"],
                    organisation_id=suspicion.raised_by_organisation_id,
                    started_at=suspicion.raised_at - dt.timedelta(hours=1),
                    stage="detention_intake",
                    interview_language="ru",
                    prompt_language="ru",
                    officer_language="lv",
                    exploitation_form=rng.choice(["labour", "sexual", "unknown", "begging"]),
                    catalogue_version="2026.2",
                    recommendation="refer_for_identification",
                )
            )
        if draw < 0.05:
            decisions.append(
                ServiceDecision(
                    suspicion=suspicion,
                    decision="assigned",
                    decided_on=suspicion.raised_at.date(),
                    decided_by=base["officer"],
                )
            )
            rehabilitations.append(
                Rehabilitation(
                    suspicion=suspicion,
                    provider=base["provider"],
                    started_on=suspicion.raised_at.date(),
                )
            )
    Referral.objects.bulk_create(referrals, batch_size=BATCH)
    sessions = ScreeningSession.objects.bulk_create(sessions, batch_size=BATCH)
    ScreeningObservation.objects.bulk_create(
        [
            ScreeningObservation(
                session=session, indicator=code, source="said_by_person", stage=session.stage
            )
            for session in sessions
            for code in ("DR-01", "CR-02")
        ],
        batch_size=BATCH,
    )
    ServiceDecision.objects.bulk_create(decisions, batch_size=BATCH)
    Rehabilitation.objects.bulk_create(rehabilitations, batch_size=BATCH)


# --- Data, fast: PostgreSQL copies template rows with INSERT ... SELECT ----------------------


def generate_in_sql(year: int, rows: int) -> None:
    """The same shape as ``generate``, written by the database itself: one template row per
    table is made through the ORM (encrypted fields really encrypted), then copied ``rows``
    times with ``INSERT ... SELECT`` over ``generate_series``, the varying columns computed from
    the row number (nationality by the generator's weights, sex, age evidence, dates spread over
    the year, closures, holds released). A million suspicions take minutes, not hours."""
    from django.db import connection, transaction
    from generate import NATIONALITIES, analyse

    from atpazit.aftercare.models import Rehabilitation, ServiceDecision
    from atpazit.cases.models import Hold, Person
    from atpazit.referrals.models import Referral, Suspicion
    from atpazit.screening.models import ScreeningObservation, ScreeningSession

    base = _setting_up()
    officer, provider, units = base["officer"], base["provider"], base["units"]
    template_day = dt.datetime(1999, 6, 1, tzinfo=dt.UTC)
    person = Person.objects.create(
        case_number=f"HT-{year}", organisation=units[0], family_name="Template", nationality="UZ"
    )
    hold = Hold.objects.create(person=person, cause="suspicion", reason_code="suspicion.raised")
    suspicion = Suspicion.objects.create(
        person=person,
        raised_by=officer,
        raised_by_organisation=units[0],
        reason="Sintētisks iemesls.",
        hold=hold,
    )
    referral = Referral.objects.create(
        suspicion=suspicion,
        track="provider",
        to_organisation=provider,
        legal_basis="consent",
        package="{}",
        sent_by=officer,
    )
    session = ScreeningSession.objects.create(
        person=person,
        screener=officer,
        organisation=units[0],
        stage="detention_intake",
        interview_language="ru",
        prompt_language="ru",
        officer_language="lv",
        catalogue_version="2026.2",
        recommendation="refer_for_identification",
    )
    observation = ScreeningObservation.objects.create(
        session=session, indicator="DR-01", source="said_by_person", stage="detention_intake"
    )
    decision = ServiceDecision.objects.create(
        suspicion=suspicion, decision="assigned", decided_on=template_day.date(), decided_by=officer
    )
    rehabilitation = Rehabilitation.objects.create(
        suspicion=suspicion, provider=provider, started_on=template_day.date()
    )
    Suspicion.objects.filter(pk=suspicion.pk).update(raised_at=template_day)
    Hold.objects.filter(pk=hold.pk).update(started_at=template_day)
    dob = Person._meta.get_field("date_of_birth")
    births = [
        dob.get_db_prep_value(f"{year - age}-{1 + age % 12:02d}-{1 + age % 28:02d}", connection)
        for age in range(14, 61)
    ]
    nationalities = [code for code, weight in NATIONALITIES.items() for _ in range(weight)]
    prefix = f"HY-{year}-"
    start = f"make_timestamptz({year}, 1, 1, 0, 0, 0, 'Europe/Riga')"
    ours = f"p.case_number LIKE '{prefix}%%'"
    with transaction.atomic():
        _copy(
            Person,
            person.pk,
            f"SELECT i FROM generate_series(1, {rows}) AS i",
            {
                "case_number": f"'{prefix}' || x.i",
                "organisation_id": (
                    f"(%s::int[])[1 + x.i %% {len(units)}]",
                    [[u.pk for u in units]],
                ),
                "nationality": (
                    f"(%s::text[])[1 + (x.i * 7) %% {len(nationalities)}]",
                    [nationalities],
                ),
                "sex": "(ARRAY['male','male','female','female','other','unknown'])[1 + (x.i * 11) %% 6]",
                "birth_year": f"{year} - 14 - (x.i * 13) %% 47",
                "date_of_birth": (
                    "CASE WHEN x.i %% 10 < 7 THEN (%s::text[])[1 + (x.i * 13) %% 47] ELSE t.date_of_birth END",
                    [births],
                ),
                "age_disputed": "x.i %% 33 = 0",
            },
        )
        _copy(
            Hold,
            hold.pk,
            f"SELECT p.id, {start} + ((p.id * 7919) %% 524160) * interval '1 minute' AS moment "
            f"FROM cases_person p WHERE {ours}",
            {
                "person_id": "x.id",
                "started_at": "x.moment",
                "released_at": "CASE WHEN x.id %% 5 < 3 THEN x.moment + (1 + x.id %% 200) * interval '1 day' END",
            },
        )
        _copy(
            Suspicion,
            suspicion.pk,
            "SELECT p.id AS person_id, h.id AS hold_id, h.started_at, p.organisation_id, "
            f"({year} - p.birth_year < 18 OR p.age_disputed) AS child "
            f"FROM cases_hold h JOIN cases_person p ON h.person_id = p.id WHERE {ours}",
            {
                "person_id": "x.person_id",
                "hold_id": "x.hold_id",
                "raised_at": "x.started_at",
                "raised_by_organisation_id": "x.organisation_id",
                "child_path": "x.child",
                "closure_reason": "(ARRAY['','','not_a_victim','rehabilitation_completed'])[1 + x.hold_id %% 4]",
            },
        )
        theirs = (
            f"FROM referrals_suspicion s JOIN cases_person p ON s.person_id = p.id WHERE {ours}"
        )
        _copy(
            Referral,
            referral.pk,
            f"SELECT s.id, s.raised_at {theirs} AND s.id %% 3 = 0",
            {
                "suspicion_id": "x.id",
                "status": "(ARRAY['sent','accepted','recognised','not_recognised'])[1 + x.id %% 4]",
                "sent_at": "x.raised_at + interval '1 day'",
            },
        )
        _copy(
            ScreeningSession,
            session.pk,
            f"SELECT s.id, s.person_id, s.raised_at, s.raised_by_organisation_id {theirs} "
            "AND s.id %% 10 = 0",
            {
                "person_id": "x.person_id",
                "organisation_id": "x.raised_by_organisation_id",
                "started_at": "x.raised_at - interval '1 hour'",
                "exploitation_form": "(ARRAY['labour','sexual','unknown','begging'])[1 + x.id %% 4]",
            },
        )
        _copy(
            ScreeningObservation,
            observation.pk,
            "SELECT ss.id, c.code FROM screening_screeningsession ss "
            f"JOIN cases_person p ON ss.person_id = p.id CROSS JOIN "
            f"(VALUES ('DR-01'), ('CR-02')) AS c(code) WHERE {ours}",
            {"session_id": "x.id", "indicator": "x.code"},
        )
        for model, template in ((ServiceDecision, decision), (Rehabilitation, rehabilitation)):
            day = "decided_on" if model is ServiceDecision else "started_on"
            _copy(
                model,
                template.pk,
                f"SELECT s.id, s.raised_at {theirs} AND s.id %% 20 = 0",
                {"suspicion_id": "x.id", day: "(x.raised_at AT TIME ZONE 'Europe/Riga')::date"},
            )
    analyse()


def _copy(model: Any, template: int, source: str, overrides: dict[str, Any]) -> None:
    """INSERT one row of ``model`` per row of ``source`` (aliased x): the template row's
    columns, except ``overrides`` (SQL over x, or (SQL, parameters))."""
    from django.db import connection

    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    values, params = [], []
    for column in columns:
        override = overrides.get(column, f"t.{column}")
        expression, parameters = override if isinstance(override, tuple) else (override, [])
        values.append(expression)
        params += parameters
    table = model._meta.db_table
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "
        f"FROM {table} t CROSS JOIN ({source}) AS x WHERE t.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, template])


# --- Measuring (in a fresh process) ----------------------------------------------------------


def _rss_mb() -> float:
    """Peak resident set size of this process so far (Linux: kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(year: int, *, tracemalloc_on: bool) -> dict[str, Any]:
    import tracemalloc

    from atpazit.accounts.access import Actor
    from atpazit.accounts.models import Membership
    from atpazit.stats import htcds

    membership = Membership.objects.select_related("user", "organisation").get(
        user__username=COORDINATOR
    )
    actor = Actor(user=membership.user, membership=membership)
    htcds.HtcdsRecord.model_json_schema()  # import-time work done before the baseline
    baseline = _rss_mb()
    output = BENCH_DIR / f"htcds-{year}.json"
    if tracemalloc_on:
        tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    export = htcds.start_htcds_export(actor=actor, year=year)
    planned = time.perf_counter() - wall
    written = 0
    samples = []
    with output.open("wb") as file:
        for number, chunk in enumerate(export.chunks()):
            file.write(chunk)
            written += len(chunk)
            if number % 50_000 == 0:
                samples.append(round(_current_rss_mb(), 1))
    result = {
        "year": year,
        "rows": export.plan.total,
        "records": export.plan.released,
        "withheld": export.plan.withheld,
        "generalised": {str(k): v for k, v in export.plan.by_level.items()},
        "bytes": written,
        "first_pass_s": round(planned, 1),
        "wall_s": round(time.perf_counter() - wall, 1),
        "cpu_s": round(time.process_time() - cpu, 1),
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_mb": round(_rss_mb(), 1),
        "rss_samples_mb": samples,
        "database": os.environ["DATABASE_URL"].split(":")[0],
    }
    if tracemalloc_on:
        result["python_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    output.unlink()
    return result


def _line(r: dict[str, Any]) -> str:
    traced = f", Python peak {r['python_peak_mb']} MB" if "python_peak_mb" in r else ""
    return (
        f"{r['year']}: {r['rows']:,} rows ({r['records']:,} written, {r['withheld']:,} withheld), "
        f"{r['bytes'] / 2**20:.0f} MiB in {r['wall_s']} s (first pass {r['first_pass_s']} s, CPU "
        f"{r['cpu_s']} s); peak RSS {r['peak_rss_mb']} MB (baseline {r['baseline_rss_mb']} MB)"
        f"{traced}; load {r['load']}"
    )


def report(args: argparse.Namespace, results: list[dict[str, Any]]) -> None:
    print()
    print("| Rows | Written | Withheld | File | Time (first pass) | CPU | Peak RSS | Budget |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        verdict = "met" if r["peak_rss_mb"] <= BUDGET_MB else "MISSED"
        print(
            f"| {r['rows']:,} | {r['records']:,} | {r['withheld']:,} | "
            f"{r['bytes'] / 2**20:.0f} MiB | {r['wall_s']} s ({r['first_pass_s']} s) | "
            f"{r['cpu_s']} s | {r['peak_rss_mb']} MB | ≤ {BUDGET_MB} MB {verdict} |"
        )
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    path = BENCH_DIR / f"htcds-{args.database}-{stamp}.json"
    path.write_text(
        json.dumps({"machine": platform.platform(), "results": results}, indent=1),
        encoding="utf-8",
    )
    print(f"\nSaved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
