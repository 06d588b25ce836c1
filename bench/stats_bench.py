"""Benchmark of the statistics page (DESIGN.md §9: <= 1.5 s, and <= 2x the raw SQL of the same
aggregates).

    .venv/bin/python bench/stats_bench.py --persons 100000
    .venv/bin/python bench/stats_bench.py --persons 1000000 --database postgres

Builds (or reuses) a database of its own (SQLite under ``var/bench/``, or a PostgreSQL database
``atpazit_stats_bench_<persons>``): invented persons in ten Border Guard units over five years,
three screenings per person on average (each with 0-3 indicators), a suspicion for 10 % of the
persons with its hold, a referral for most suspicions with its transitions, released holds,
operations and missions. Rows are written with ``bulk_create`` (encrypted fields memoised, as in
``bench/generate.py``); nothing here is realistic beyond the shape and the volume.

Then, for the national coordinator (suppressed, national: the heaviest reader, no scope filter),
it times ``stats.selectors.dashboard`` for last year (the whole page's figures, including the
disclosure control), and the *raw SQL* of the same aggregates: the exact statements the
selector sent (captured once), executed again through the database cursor and fetched, with no
ORM, no Python around them. It reports p50 and max of both, and their ratio, as Markdown and as
JSON in ``var/bench/``. It measures; it never fails on a budget.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import sys
import time
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
    return parser.parse_args()


def _prepare(args: argparse.Namespace) -> str:
    (BENCH_DIR / "static").mkdir(parents=True, exist_ok=True)
    sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["ATPAZIT_VAR_DIR"] = str(BENCH_DIR)
    name = f"atpazit_stats_bench_{args.persons}"
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


def generate(persons: int, *, say: Any = print) -> None:
    from django.db import transaction
    from generate import memoised_encryption

    rng = random.Random(14)  # noqa: S311 - invented benchmark data
    with memoised_encryption(), transaction.atomic():
        units, officer, ministry_user = _organisations()
        say(f"Generating {persons:,} persons ...")
        person_ids = _persons(rng, units, persons)
        say(f"  {len(person_ids):,} persons; screenings ...")
        screenings = _screenings(rng, units, officer, person_ids)
        say(f"  {screenings:,} screenings; suspicions, holds and referrals ...")
        _suspicions(rng, officer, person_ids)
    del ministry_user


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


def _moment(rng: random.Random) -> datetime.datetime:
    from django.utils import timezone

    return timezone.now() - datetime.timedelta(minutes=rng.randint(0, YEARS * 365 * 24 * 60))


def _persons(rng: random.Random, units: list[Any], total: int) -> list[int]:
    from atpazit.cases.models import Person

    codes, weights = list(NATIONALITIES), list(NATIONALITIES.values())
    ids: list[int] = []
    for start in range(0, total, BATCH):
        batch = [
            Person(
                case_number=f"{PREFIX}{number:08d}",
                organisation=units[rng.randrange(UNITS)],
                family_name="Bench",
                birth_year=rng.randint(1960, 2012),
                sex=rng.choice(["male", "male", "male", "female"]),
                nationality=rng.choices(codes, weights)[0],
            )
            for number in range(start, min(total, start + BATCH))
        ]
        ids += [person.pk for person in Person.objects.bulk_create(batch)]
    return ids


def _screenings(rng: random.Random, units: list[Any], officer: Any, person_ids: list[int]) -> int:
    from atpazit.screening.models import ScreeningObservation, ScreeningSession

    completed_field = ScreeningSession._meta.get_field("started_at")
    completed_field.auto_now_add = False  # type: ignore[attr-defined]
    total = 0
    sessions: list[ScreeningSession] = []
    observations: list[tuple[int, list[str]]] = []

    def flush() -> None:
        nonlocal total
        created = ScreeningSession.objects.bulk_create(sessions)
        rows = [
            ScreeningObservation(session=session, indicator=code, source="observed", stage="other")
            for session, (_i, codes) in zip(created, observations, strict=True)
            for code in codes
        ]
        ScreeningObservation.objects.bulk_create(rows, batch_size=BATCH)
        total += len(created)
        sessions.clear()
        observations.clear()

    try:
        for person_id in person_ids:
            for _ in range(rng.choice([1, 2, 3, 3, 4, 5])):
                when = _moment(rng)
                sessions.append(
                    ScreeningSession(
                        person_id=person_id,
                        screener=officer,
                        organisation_id=units[rng.randrange(UNITS)].pk,
                        started_at=when,
                        completed_at=when,
                        stage=rng.choice(STAGES),
                        interview_language="ru",
                        prompt_language="ru",
                        officer_language="lv",
                        catalogue_version="bench",
                        recommendation=rng.choice(RECOMMENDATIONS),
                        decision=rng.choice(DECISIONS),
                        exploitation_form=rng.choice(["labour", "labour", "sexual", "unknown"]),
                        decided_by=officer,
                    )
                )
                observations.append((0, rng.sample(INDICATORS, rng.randint(0, 3))))
                if len(sessions) >= BATCH:
                    flush()
        if sessions:
            flush()
    finally:
        completed_field.auto_now_add = True  # type: ignore[attr-defined]
    return total


def _suspicions(rng: random.Random, officer: Any, person_ids: list[int]) -> None:
    from atpazit.accounts.models import Organisation
    from atpazit.cases.models import Hold
    from atpazit.referrals.models import Referral, ReferralTransition, Suspicion

    provider = Organisation.objects.get(type="service_provider")
    chosen = rng.sample(person_ids, max(1, len(person_ids) // 10))
    for start in range(0, len(chosen), BATCH):
        part = chosen[start : start + BATCH]
        holds = Hold.objects.bulk_create(
            [Hold(person_id=pk, cause="suspicion", reason="") for pk in part]
        )
        moments = [_moment(rng) for _ in part]
        for hold, when in zip(holds, moments, strict=True):
            hold.started_at = when
            if rng.random() < 0.6:
                hold.released_at = when + datetime.timedelta(days=rng.randint(1, 120))
        Hold.objects.bulk_update(holds, ["started_at", "released_at"], batch_size=BATCH)
        suspicions = Suspicion.objects.bulk_create(
            [
                Suspicion(
                    person_id=pk,
                    raised_by=officer,
                    raised_by_organisation_id=officer.memberships.get().organisation_id,
                    reason="bench",
                    hold=hold,
                    child_path=rng.random() < 0.08,
                )
                for pk, hold in zip(part, holds, strict=True)
            ]
        )
        for suspicion, when in zip(suspicions, moments, strict=True):
            suspicion.raised_at = when
        Suspicion.objects.bulk_update(suspicions, ["raised_at"], batch_size=BATCH)
        referrals = Referral.objects.bulk_create(
            [
                Referral(
                    suspicion=suspicion,
                    track="provider",
                    to_organisation=provider,
                    status=rng.choice(["sent", "accepted", "recognised", "not_recognised"]),
                    legal_basis="consent",
                    package="{}",
                    sent_by=officer,
                )
                for suspicion in suspicions
                if rng.random() < 0.8
            ]
        )
        for referral in referrals:
            referral.sent_at = referral.suspicion.raised_at + datetime.timedelta(
                days=rng.randint(0, 10)
            )
        Referral.objects.bulk_update(referrals, ["sent_at"], batch_size=BATCH)
        transitions = ReferralTransition.objects.bulk_create(
            [
                ReferralTransition(
                    referral=referral, from_status="assessing", to_status=referral.status
                )
                for referral in referrals
                if referral.status in ("recognised", "not_recognised")
            ]
        )
        for transition in transitions:
            transition.at = transition.referral.sent_at + datetime.timedelta(
                days=rng.randint(5, 60)
            )
        ReferralTransition.objects.bulk_update(transitions, ["at"], batch_size=BATCH)


# --- measuring ----------------------------------------------------------------------------------


def measure(repeats: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from atpazit.accounts.access import Actor
    from atpazit.accounts.models import Membership
    from atpazit.stats import selectors

    membership = Membership.objects.select_related("user", "organisation").get(
        user__username="stats.bench.coordinator"
    )
    actor = Actor(user=membership.user, membership=membership)
    period = selectors.Period.calendar_year(timezone.localdate().year - 1)
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
    load = os.getloadavg()[0]
    budget = "met" if result["page_p50_s"] <= 1.5 and result["ratio"] <= 2 else "MISSED"
    print()
    print(
        f"Statistics page, national coordinator, {args.persons:,} persons, {args.database}, "
        f"{platform.processor() or platform.machine()}, load {load:.1f}"
    )
    print()
    print("| What | p50 | max | SQL statements |")
    print("|---|---|---|---|")
    print(
        f"| `stats.selectors.dashboard` (all figures, suppressed) | "
        f"{result['page_p50_s'] * 1000:.0f} ms | {result['page_max_s'] * 1000:.0f} ms | "
        f"{result['queries']} |"
    )
    print(
        f"| the same SQL, raw through the cursor | {result['raw_p50_s'] * 1000:.0f} ms | "
        f"{result['raw_max_s'] * 1000:.0f} ms | {result['queries']} |"
    )
    print()
    print(f"Ratio page / raw SQL: {result['ratio']:.2f}; budget (<= 1.5 s, <= 2x): {budget}")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    out = BENCH_DIR / f"stats-{args.database}-{args.persons}.json"
    out.write_text(json.dumps({**result, "persons": args.persons, "load": load}, indent=2))


if __name__ == "__main__":
    main()
