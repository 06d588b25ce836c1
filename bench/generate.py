"""Synthetic data for the benchmark, scaling to 1,000,000 persons and 50,000 operations.

Everything is invented and deterministic (a seeded generator). Rows are written with
``bulk_create`` in batches, bypassing the services on purpose: the point is volume, not
history. Encrypted fields are really encrypted (the pages decrypt them as in production), but
from a small pool of names: ``memoised_encryption`` caches one token per (value, column), so
a million persons cost a few hundred AES operations instead of millions. Blind-index tokens
come from the same pool. Equal names therefore have equal ciphertexts here, which production
never has (random nonces); it does not change what the pages do.

Shape (per 1,000,000 persons): 20 Border Guard units, the first holding 30% of the persons;
2-3 name tokens and one status-history row per person; 4% with a removal hold (a fifth of them
released); operations spread over five years back and three months ahead with 1-20 persons
each; and one planned 200-person charter in the first unit with 5 held persons on it.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

BATCH = 5_000
UNITS = 20
FIRST_UNIT_SHARE = 0.3
HOLD_SHARE = 0.04
CHARTER_SIZE = 200
CHARTER_HELD = 5
CHARTER_REFERENCE = "BENCH-CHARTER-200"
CASE_PREFIX = "BX-"
OFFICER = "bench.lietvedis"
MONITOR = "bench.monitors"

GIVEN = [
    "Dilshod",
    "Jasur",
    "Madina",
    "Gulnora",
    "Rahul",
    "Priya",
    "Gurpreet",
    "Firuz",
    "Zarina",
    "Van Hung",
    "Thi Lan",
    "Bikash",
    "Sita",
    "Rakib",
    "Nasrin",
    "Nuwan",
    "Oleksandr",
    "Olena",
    "Ion",
    "Natalia",
    "Giorgi",
    "Nino",
    "Chinedu",
    "Ngozi",
    "Imran",
    "Ayesha",
    "Aleksei",
    "Svetlana",
    "Pavel",
    "Volha",
    "Abdirahman",
    "Hodan",
    "Yunior",
    "Yanet",
    "Reza",
    "Maryam",
    "Дильшод",
    "Алексей",
    "Наталья",
    "Ольга",
    "Jānis",
    "Ilze",
]
FAMILY = [
    "Karimov",
    "Karimova",
    "Tursunov",
    "Rahimova",
    "Singh",
    "Kaur",
    "Kumar",
    "Sharma",
    "Patel",
    "Rahmonov",
    "Nazarova",
    "Nguyen",
    "Tran",
    "Pham",
    "Gurung",
    "Tamang",
    "Hossain",
    "Rahman",
    "Perera",
    "Silva",
    "Kovalenko",
    "Bondarenko",
    "Rusu",
    "Ciobanu",
    "Beridze",
    "Kapanadze",
    "Okafor",
    "Adeyemi",
    "Khan",
    "Malik",
    "Ivanov",
    "Smirnova",
    "Kuznetsov",
    "Novik",
    "Warsame",
    "Farah",
    "Pérez",
    "Rodríguez",
    "Hosseini",
    "Ahmadi",
    "Каримов",
    "Иванова",
    "Смирнова",
    "Bērziņš",
    "Ozoliņa",
]
NATIONALITIES = {
    "UZ": 25,
    "IN": 22,
    "VN": 12,
    "TJ": 10,
    "RU": 7,
    "NP": 6,
    "BD": 6,
    "PK": 6,
    "UA": 5,
    "NG": 5,
    "LK": 4,
    "MD": 4,
    "GE": 4,
    "BY": 3,
    "SO": 3,
    "CU": 2,
    "IR": 2,
}
LANGUAGES = {"UZ": "uz", "IN": "hi", "VN": "vi", "TJ": "tg", "RU": "ru", "UA": "uk", "MD": "ro"}
STATUSES = [
    ("registered", 55),
    ("removal_planned", 25),
    ("departed", 15),
    ("released", 3),
    ("closed", 2),
]
HOLD_REASONS = [
    "Stāsta par parādu darba devējam; pase atņemta.",
    "Pretrunīgas ziņas par darba vietu; jāpārbauda pazīmes.",
    "Skrīningā konstatētas maldināšanas pazīmes.",
]


@dataclass
class Generated:
    persons: int
    operations: int
    charter_id: int
    officer_id: int


@contextlib.contextmanager
def memoised_encryption() -> Iterator[None]:
    """Reuse one ciphertext per (value, column) while generating; see the module docstring."""
    from atpazit.lib import crypto

    original = crypto.encrypt
    cached = functools.lru_cache(maxsize=50_000)(
        lambda plaintext, context: original(plaintext, context=context)
    )
    crypto.encrypt = lambda plaintext, *, context, keyring=None: cached(plaintext, context)
    try:
        yield
    finally:
        crypto.encrypt = original


@contextlib.contextmanager
def explicit_created_at() -> Iterator[None]:
    """Let bulk_create keep the created_at we set (a decade of registrations, not one instant)."""
    from atpazit.cases.models import Person

    field = Person._meta.get_field("created_at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


def generate(*, persons: int, operations: int, seed: int = 2026, say=print) -> Generated:
    """Fill an empty, migrated database. Takes minutes at a million persons."""
    rng = random.Random(seed)
    with memoised_encryption(), explicit_created_at():
        units, officer = _organisations_and_users()
        ids_by_unit = _persons(rng, units, persons, say)
        _operations(rng, units, ids_by_unit, operations, officer, say)
        charter = _charter(rng, units[0], ids_by_unit[units[0].pk], officer)
    analyse()
    return Generated(persons, operations, charter, officer.pk)


def analyse() -> None:
    """Refresh the planner statistics, as a maintained production database has them."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _organisations_and_users():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from atpazit.accounts.models import Membership, Organisation, User

    units = [
        Organisation.objects.create(name=f"Bench Border Guard unit {n:02d}", type="border_guard")
        for n in range(1, UNITS + 1)
    ]
    ombudsman = Organisation.objects.create(name="Bench Ombudsman", type="ombudsman")
    officer = User.objects.create(
        username=OFFICER, first_name="Ilze", last_name="Sols", language="en"
    )
    monitor = User.objects.create(
        username=MONITOR, first_name="Dace", last_name="Sols", language="en"
    )
    Membership.objects.create(user=officer, organisation=units[0], role="bg_case_officer")
    Membership.objects.create(user=monitor, organisation=ombudsman, role="monitor")
    for user in (officer, monitor):
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return units, officer


def _unit_for(rng: random.Random, units: list[Any]) -> Any:
    if rng.random() < FIRST_UNIT_SHARE:
        return units[0]
    return units[rng.randrange(1, len(units))]


def _persons(rng: random.Random, units: list, total: int, say) -> dict[int, list[int]]:
    ids_by_unit: dict[int, list[int]] = {unit.pk: [] for unit in units}
    for start in range(0, total, BATCH):
        count = min(BATCH, total - start)
        with transaction.atomic():
            created = _person_batch(rng, units, start, count)
            _name_tokens(created)
            _status_history(created)
            _holds(rng, created)
        for person in created:
            ids_by_unit[person.organisation_id].append(person.pk)
        if (start // BATCH) % 20 == 0:
            say(f"  persons: {start + count:,} / {total:,}")
    return ids_by_unit


def _person_batch(rng: random.Random, units: list, start: int, count: int) -> list:
    from atpazit.cases.models import Person

    today = timezone.localdate()
    now = timezone.now()
    nationalities, weights = list(NATIONALITIES), list(NATIONALITIES.values())
    statuses, status_weights = zip(*STATUSES, strict=True)
    people = []
    for number in range(start + 1, start + count + 1):
        nationality = rng.choices(nationalities, weights)[0]
        age = rng.randint(15, 60)
        born = today - datetime.timedelta(days=365 * age + rng.randint(0, 364))
        detained = today - datetime.timedelta(days=rng.randint(0, 120))
        status = rng.choices(statuses, status_weights)[0]
        people.append(
            Person(
                case_number=f"{CASE_PREFIX}{number:07d}",
                organisation=_unit_for(rng, units),
                given_names=rng.choice(GIVEN),
                family_name=rng.choice(FAMILY),
                aliases=rng.choice(["", "", "", rng.choice(FAMILY)]),
                date_of_birth=born.isoformat() if rng.random() < 0.7 else "",
                birth_year=born.year,
                age_disputed=rng.random() < 0.03,
                sex=rng.choice(["male", "male", "male", "female"]),
                nationality=nationality,
                languages=[LANGUAGES.get(nationality, "en"), "ru"],
                preferred_language=LANGUAGES.get(nationality, "en"),
                interpreter_needed=rng.random() < 0.6,
                detention_centre=rng.choice(["mucenieki", "daugavpils", "other"]),
                detained_since=detained,
                detention_court_order_on=detained + datetime.timedelta(days=rng.randint(1, 9)),
                return_decision_type=rng.choice(["forced_removal"] * 5 + ["departure_order"]),
                return_decision_reference=f"BENCH/{number}",
                return_decision_date=detained - datetime.timedelta(days=rng.randint(0, 20)),
                appeal_status=rng.choice(["none"] * 8 + ["pending", "dismissed"]),
                planned_removal_date=today + datetime.timedelta(days=rng.randint(-30, 90))
                if status in ("removal_planned", "departed")
                else None,
                status=status,
                created_at=now - datetime.timedelta(minutes=rng.randint(0, 10 * 365 * 24 * 60)),
            )
        )
    return Person.objects.bulk_create(people, batch_size=BATCH)


@functools.lru_cache(maxsize=1024)
def _tokens_of(name: str) -> frozenset[str]:
    from atpazit.lib.blind_index import name_tokens

    return frozenset(name_tokens(name))


def _name_tokens(people: list) -> None:
    from atpazit.cases.models import PersonNameToken

    rows = []
    for person in people:
        tokens = _tokens_of(person.given_names) | _tokens_of(person.family_name)
        tokens |= _tokens_of(person.aliases) if person.aliases else frozenset()
        rows += [PersonNameToken(person_id=person.pk, token=token) for token in tokens]
    PersonNameToken.objects.bulk_create(rows, batch_size=BATCH)


def _status_history(people: list) -> None:
    from atpazit.cases.models import PersonStatusChange

    PersonStatusChange.objects.bulk_create(
        [PersonStatusChange(person_id=p.pk, from_status="", to_status=p.status) for p in people],
        batch_size=BATCH,
    )


def _holds(rng: random.Random, people: list) -> None:
    from atpazit.cases.models import Hold

    now = timezone.now()
    holds = []
    for person in people:
        if person.status in ("registered", "removal_planned") and rng.random() < HOLD_SHARE:
            released = rng.random() < 0.2
            holds.append(
                Hold(
                    person_id=person.pk,
                    cause=rng.choice(["manual", "suspicion", "referral"]),
                    reason=rng.choice(HOLD_REASONS),
                    confirmed_at=now,
                    released_at=now if released else None,
                    release_reason="Pārbaudīts." if released else "",
                    release_decision_reference="BENCH/R" if released else "",
                )
            )
    Hold.objects.bulk_create(holds, batch_size=BATCH)


def _operations(rng: random.Random, units: list, ids_by_unit, total: int, officer, say) -> None:
    from atpazit.removals.models import ManifestEntry, RemovalOperation

    now = timezone.now()
    for start in range(0, total, BATCH):
        count = min(BATCH, total - start)
        batch = []
        for number in range(start + 1, start + count + 1):
            departure = now + datetime.timedelta(hours=rng.randint(-5 * 365 * 24, 90 * 24))
            past = departure < now
            status = (
                rng.choice(["completed"] * 9 + ["cancelled"])
                if past
                else rng.choice(["planned", "planned", "confirmed"])
            )
            batch.append(
                RemovalOperation(
                    type=rng.choice(
                        ["scheduled_flight", "scheduled_flight", "charter", "land_escort"]
                    ),
                    reference=f"BENCH-{number:06d}",
                    departure_at=departure,
                    route="Rīga – Stambula – Taškenta",
                    country_of_return=rng.choice(list(NATIONALITIES)),
                    organisation=_unit_for(rng, units),
                    status=status,
                    created_by=officer,
                )
            )
        with transaction.atomic():
            created = RemovalOperation.objects.bulk_create(batch, batch_size=BATCH)
            entries = []
            for operation in created:
                pool = ids_by_unit[operation.organisation_id]
                for person_id in rng.sample(pool, min(len(pool), rng.randint(1, 20))):
                    entries.append(ManifestEntry(operation_id=operation.pk, person_id=person_id))
            ManifestEntry.objects.bulk_create(entries, batch_size=BATCH)
        say(f"  operations: {start + count:,} / {total:,}")


def _charter(rng: random.Random, unit, pool: list[int], officer) -> int:
    """The operation the pre-departure check is measured on: 200 persons, 5 of them held."""
    from atpazit.cases.models import Hold, Person
    from atpazit.removals.models import ManifestEntry, RemovalOperation

    operation = RemovalOperation.objects.create(
        type="charter",
        reference=CHARTER_REFERENCE,
        departure_at=timezone.now() + datetime.timedelta(days=5),
        route="Rīga – Taškenta",
        country_of_return="UZ",
        organisation=unit,
        created_by=officer,
    )
    chosen = rng.sample(pool, CHARTER_SIZE)
    Person.objects.filter(pk__in=chosen).update(status="registered")
    ManifestEntry.objects.bulk_create(
        ManifestEntry(operation=operation, person_id=person_id, added_by=officer)
        for person_id in chosen
    )
    Hold.objects.bulk_create(
        Hold(
            person_id=person_id,
            cause="suspicion",
            reason=HOLD_REASONS[2],
            confirmed_at=timezone.now(),
        )
        for person_id in chosen[:CHARTER_HELD]
    )
    return operation.pk
