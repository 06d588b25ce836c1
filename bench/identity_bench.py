"""Time identity matching at scale: the removal guard and the likely-match lookup per person.

    .venv/bin/python bench/identity_bench.py --persons 100000 [--samples 300] [--fresh]

Builds (or reuses) a SQLite database ``var/bench/identity-<persons>.sqlite3`` with persons and
their identity keys, then times, for ``--samples`` persons drawn at random:

- ``likely_matches([pk])`` — what the person page and the decision page run;
- ``removal_blocks([person])`` — what ``ensure_no_active_hold`` runs for one person;
- ``removal_blocks`` for a 200-person manifest at once (confirm, complete, the check).

Names are invented from syllables with a Zipf-like frequency (a few very common given and family
names, a long tail), so candidate lists are as long as the common names make them; 4% of the
persons have an active hold, and a tenth are second registrations of another person with a
realistic variant (``cases.identity_eval``). Only the clear facts and the keys are written:
matching never reads an encrypted column. It measures; it never fails on a budget.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BATCH = 5000
SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "va",
    "na",
    "sa",
    "lo",
    "di",
    "te",
    "ru",
    "ba",
    "ho",
    "li",
    "me",
    "za",
    "shi",
    "ya",
    "ko",
    "ne",
    "ta",
    "ga",
    "fa",
    "ju",
    "kh",
    "al",
    "in",
    "ov",
    "ar",
    "em",
    "ul",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    path = ROOT / "var" / "bench" / f"identity-{args.persons}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    if args.fresh and path.exists():
        path.unlink()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("ATPAZIT_VAR_DIR", str(path.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from atpazit.cases.models import Person

    have = Person.objects.count()
    if have == 0:
        started = time.perf_counter()
        _generate(args.persons)
        print(f"generated {args.persons:,} persons in {time.perf_counter() - started:.0f} s")
    elif have < args.persons:
        sys.exit(f"{path} holds {have:,} persons; use --fresh")
    _measure(args.samples)


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _pools(rng: random.Random) -> tuple[list[str], list[float], list[str], list[float]]:
    given = list(dict.fromkeys(_name(rng, rng.choice([2, 2, 3])) for _ in range(4000)))
    family = list(dict.fromkeys(_name(rng, rng.choice([2, 3, 3, 4])) for _ in range(60000)))
    # Zipf-like: the k-th name is about 1/k as frequent as the first.
    return (
        given,
        [1 / (k + 1) for k in range(len(given))],
        family,
        [1 / (k + 1) for k in range(len(family))],
    )


def _generate(total: int) -> None:
    from django.db import transaction

    from atpazit.accounts.models import Organisation
    from atpazit.cases import identity
    from atpazit.cases.models import Hold, IdentityKey, Person

    rng = random.Random(2026)  # noqa: S311 - synthetic data
    given, given_w, family, family_w = _pools(rng)
    unit, _ = Organisation.objects.get_or_create(name="Bench unit", type="border_guard")
    keys_of: dict[tuple[str, str, str, str], set[identity.Key]] = {}
    nationalities = ["UZ", "TJ", "IN", "VN", "UA", "RU", "AF", "SY", "NG", "GE"]
    previous: list[tuple[str, str, str, int]] = []
    for start in range(0, total, BATCH):
        people, names = [], []
        for number in range(start, min(total, start + BATCH)):
            if previous and rng.random() < 0.1:  # a second registration of someone
                first, last, born, _year = rng.choice(previous)
                first, last = (last, first) if rng.random() < 0.3 else (first, last)
                if rng.random() < 0.5:
                    last = last[:-1] + rng.choice("aeiouz") if len(last) > 4 else last
                born = "" if rng.random() < 0.5 else born
                year = _year
            else:
                first = " ".join(
                    rng.choices(given, given_w)[0] for _ in range(rng.choice([1, 1, 2]))
                )
                last = rng.choices(family, family_w)[0]
                year = rng.randint(1960, 2008)
                born = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                born = born if rng.random() < 0.7 else ""
                previous.append((first, last, born, year))
            people.append(
                Person(
                    case_number=f"IB-{number:08d}",
                    organisation=unit,
                    family_name="-",
                    birth_year=year,
                    sex=rng.choice(["male", "male", "female"]),
                    nationality=rng.choice(nationalities),
                )
            )
            names.append((first, last, born, ""))
        with transaction.atomic():
            created = Person.objects.bulk_create(people, batch_size=BATCH)
            rows = []
            for person, key in zip(created, names, strict=True):
                if key not in keys_of:
                    keys_of[key] = identity.identity_keys(
                        given_names=key[0], family_name=key[1], date_of_birth=key[2]
                    )
                    if len(keys_of) > 200_000:
                        keys_of.clear()
                rows += [
                    IdentityKey(
                        person_id=person.pk,
                        kind=k.kind,
                        word=k.word,
                        token=k.token,
                        birth_year=person.birth_year,
                    )
                    for k in keys_of.get(key, ())
                ]
            IdentityKey.objects.bulk_create(rows, batch_size=BATCH)
            Hold.objects.bulk_create(
                Hold(person=person, cause="manual", reason="-")
                for person in created
                if rng.random() < 0.04
            )
        if (start // BATCH) % 20 == 0:
            print(f"  {start + len(people):,} / {total:,}")


def _measure(samples: int) -> None:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from atpazit.cases.holds import removal_blocks
    from atpazit.cases.matching import likely_matches
    from atpazit.cases.models import IdentityKey, Person

    rng = random.Random(7)  # noqa: S311
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = [rng.randint(1, top) for _ in range(samples)]
    persons = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    keys = IdentityKey.objects.count()
    print(f"{Person.objects.count():,} persons, {keys:,} identity keys")
    for pk in ids[:5]:  # warm up
        likely_matches([pk])

    def timed(function) -> tuple[list[float], int, int]:
        times, found = [], 0
        for pk in ids:
            person = persons.get(pk)
            if person is None:
                continue
            started = time.perf_counter()
            with transaction.atomic():
                result = function(person)
            times.append((time.perf_counter() - started) * 1000)
            found += bool(result)
        with CaptureQueriesContext(connection) as captured:
            function(persons[next(iter(persons))])
        return times, found, len(captured)

    for name, function in (
        ("likely_matches, one person", lambda p: likely_matches([p.pk])),
        ("guard (removal_blocks), one person", lambda p: removal_blocks([p])),
    ):
        times, found, queries = timed(function)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"{name}: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
            f"max {times[-1]:.1f} ms, {queries} queries, {found}/{len(times)} with a result"
        )
    manifest = list(Person.objects.filter(pk__in=rng.sample(range(1, top), 200)))
    runs = []
    for _ in range(10):
        started = time.perf_counter()
        with transaction.atomic():
            removal_blocks(manifest)
        runs.append((time.perf_counter() - started) * 1000)
    print(f"guard for a 200-person manifest: median {statistics.median(runs):.0f} ms")


if __name__ == "__main__":
    main()
