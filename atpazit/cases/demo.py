"""Synthetic return cases for the demo: a few hundred invented persons in both detention centres.

Every name is an invented combination of common given and family names; no real person is
meant. The set is deterministic (a fixed seed) and keyed by its decision references, so running
``atpazit demo`` again adds nothing. Dates are relative to today, so the demo stays current.
Everything is written through the services, exactly as an officer's actions would be.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership, Organisation, User
from atpazit.accounts.roles import Role
from atpazit.cases import services
from atpazit.cases.models import DetentionCentre, Person

SEED = 2026
RIGA = "Valsts robežsardzes Rīgas pārvalde"
DAUGAVPILS = "Valsts robežsardzes Daugavpils pārvalde"
OMBUDSMAN = "Tiesībsarga birojs"
UNITS = [
    (RIGA, "RP", 190, DetentionCentre.MUCENIEKI),
    (DAUGAVPILS, "DP", 130, DetentionCentre.DAUGAVPILS),
]


@dataclass(frozen=True)
class Names:
    """Name pools of one nationality: male and female given names, family names (male,
    female form), the languages spoken, and optional Cyrillic spellings for aliases."""

    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[tuple[str, str], ...]
    languages: tuple[str, ...]
    cyrillic: dict[str, str]
    weight: int


NAMES: dict[str, Names] = {
    "UZ": Names(
        ("Dilshod", "Jasur", "Sherzod", "Bekzod", "Otabek", "Rustam"),
        ("Dilnoza", "Madina", "Gulnora", "Shahnoza"),
        (
            ("Karimov", "Karimova"),
            ("Tursunov", "Tursunova"),
            ("Rahimov", "Rahimova"),
            ("Yusupov", "Yusupova"),
        ),
        ("uz", "ru"),
        {
            "Dilshod": "Дильшод",
            "Jasur": "Жасур",
            "Karimov": "Каримов",
            "Tursunov": "Турсунов",
            "Yusupova": "Юсупова",
            "Madina": "Мадина",
        },
        25,
    ),
    "IN": Names(
        ("Rahul", "Amit", "Gurpreet", "Harjit", "Sandeep", "Vikram"),
        ("Priya", "Manpreet", "Sunita", "Kavita"),
        (("Singh", "Kaur"), ("Kumar", "Kumari"), ("Sharma", "Sharma"), ("Patel", "Patel")),
        ("hi", "pa", "en"),
        {},
        22,
    ),
    "TJ": Names(
        ("Firuz", "Umed", "Davlat", "Shuhrat"),
        ("Nilufar", "Zarina", "Mehrangez"),
        (("Rahmonov", "Rahmonova"), ("Nazarov", "Nazarova"), ("Safarov", "Safarova")),
        ("tg", "ru"),
        {"Firuz": "Фируз", "Rahmonov": "Рахмонов", "Nazarova": "Назарова", "Zarina": "Зарина"},
        10,
    ),
    "VN": Names(
        ("Van Hung", "Minh Tuan", "Duc Anh", "Quang Huy"),
        ("Thi Lan", "Thi Hoa", "Ngoc Anh"),
        (("Nguyen", "Nguyen"), ("Tran", "Tran"), ("Le", "Le"), ("Pham", "Pham")),
        ("vi",),
        {},
        12,
    ),
    "NP": Names(
        ("Bikash", "Suman", "Prakash"),
        ("Sita", "Anita"),
        (("Gurung", "Gurung"), ("Tamang", "Tamang"), ("Shrestha", "Shrestha")),
        ("ne", "en"),
        {},
        6,
    ),
    "BD": Names(
        ("Rakib", "Shafiq", "Tanvir"),
        ("Nasrin", "Farzana"),
        (("Hossain", "Hossain"), ("Rahman", "Rahman"), ("Islam", "Islam")),
        ("bn", "en"),
        {},
        6,
    ),
    "LK": Names(
        ("Nuwan", "Chaminda", "Kasun"),
        ("Dilani", "Nadeesha"),
        (("Perera", "Perera"), ("Fernando", "Fernando"), ("Silva", "Silva")),
        ("si", "ta", "en"),
        {},
        4,
    ),
    "UA": Names(
        ("Oleksandr", "Andrii", "Serhii"),
        ("Olena", "Iryna"),
        (("Kovalenko", "Kovalenko"), ("Bondarenko", "Bondarenko"), ("Shevchuk", "Shevchuk")),
        ("uk", "ru"),
        {
            "Oleksandr": "Олександр",
            "Kovalenko": "Коваленко",
            "Olena": "Олена",
            "Bondarenko": "Бондаренко",
        },
        5,
    ),
    "MD": Names(
        ("Ion", "Vasile", "Mihai"),
        ("Ana", "Natalia"),
        (("Rusu", "Rusu"), ("Ciobanu", "Ciobanu"), ("Munteanu", "Munteanu")),
        ("ro", "ru"),
        {"Rusu": "Русу", "Ion": "Ион"},
        4,
    ),
    "GE": Names(
        ("Giorgi", "Levan", "Irakli"),
        ("Nino", "Tamar"),
        (("Beridze", "Beridze"), ("Kapanadze", "Kapanadze"), ("Gelashvili", "Gelashvili")),
        ("ka", "ru"),
        {"Giorgi": "Георгий", "Beridze": "Беридзе"},
        4,
    ),
    "NG": Names(
        ("Chinedu", "Emeka", "Tunde"),
        ("Ngozi", "Blessing"),
        (("Okafor", "Okafor"), ("Adeyemi", "Adeyemi"), ("Eze", "Eze")),
        ("en", "yo", "ig"),
        {},
        5,
    ),
    "PK": Names(
        ("Imran", "Bilal", "Usman"),
        ("Ayesha", "Sana"),
        (("Khan", "Khan"), ("Butt", "Butt"), ("Malik", "Malik")),
        ("ur", "pa", "en"),
        {},
        6,
    ),
    "RU": Names(
        ("Aleksei", "Dmitrii", "Sergei"),
        ("Natalia", "Olga", "Svetlana"),
        (("Ivanov", "Ivanova"), ("Smirnov", "Smirnova"), ("Kuznetsov", "Kuznetsova")),
        ("ru",),
        {
            "Aleksei": "Алексей",
            "Ivanov": "Иванов",
            "Ivanova": "Иванова",
            "Smirnova": "Смирнова",
            "Natalia": "Наталья",
            "Olga": "Ольга",
        },
        7,
    ),
    "BY": Names(
        ("Pavel", "Andrei"),
        ("Tatsiana", "Volha"),
        (("Kavalenka", "Kavalenka"), ("Novik", "Novik")),
        ("be", "ru"),
        {"Pavel": "Павел", "Kavalenka": "Коваленко", "Tatsiana": "Татьяна", "Volha": "Ольга"},
        3,
    ),
    "SO": Names(
        ("Abdirahman", "Mohamed"),
        ("Hodan", "Amina"),
        (("Warsame", "Warsame"), ("Farah", "Farah")),
        ("so", "ar"),
        {},
        3,
    ),
    "CU": Names(
        ("Yunior", "Osvaldo"),
        ("Yanet", "Dayami"),
        (("Pérez", "Pérez"), ("Rodríguez", "Rodríguez")),
        ("es",),
        {},
        2,
    ),
    "IR": Names(
        ("Reza", "Mehdi"),
        ("Maryam", "Shirin"),
        (("Hosseini", "Hosseini"), ("Ahmadi", "Ahmadi")),
        ("fa",),
        {},
        2,
    ),
}

MANUAL_HOLD_REASONS = [
    "Intervijā stāsta, ka darba devējs paturējis pasi un algu; jāpārbauda pazīmes.",
    "Saka, ka ir parādā starpniekam par ceļu un darbu; baidās atgriezties.",
    "Pretrunīgas ziņas par darba vietu Latvijā; lūgts sociālā darbinieka atzinums.",
    "Informācija no citas aizturētās personas par piespiedu darbu būvniecībā.",
]
SUSPICION_REASON = "Skrīninga laikā konstatētas spēcīgas maldināšanas pazīmes."


def _latvian(name: str, female: bool) -> str:
    """A Latvian-document spelling of an invented name: š/č/ž and a Latvian ending."""
    spelled = name.replace("sh", "š").replace("Sh", "Š").replace("ch", "č").replace("zh", "ž")
    if female or name[-1] in "aeiouys":
        return spelled
    return f"{spelled}s"


# The referral flow registers how a demo suspicion is raised (with its hold) from its
# ``AppConfig.ready``, so this app does not import it: (monitor, person, reason) -> None.
SUSPICION_RAISERS: list[Callable[[Actor, Person, str], object]] = []


def _actor(user: User, organisation: Organisation, role: str) -> Actor:
    # The demo acts as a case officer of each unit; the membership object only carries the role.
    membership = Membership(user=user, organisation=organisation, role=role)
    return Actor(user=user, membership=membership)


@transaction.atomic
def load() -> list[str]:
    """Create the demo persons, holds and status history if missing; idempotent."""
    names = [RIGA, DAUGAVPILS, OMBUDSMAN]
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    users = {
        u.username: u for u in User.objects.filter(username__in=["rs.lietvedis", "tb.monitors"])
    }
    if len(organisations) < len(names) or len(users) < 2:
        return ["cases: demo organisations or users missing; load the accounts demo first"]
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    units = [organisations[RIGA], organisations[DAUGAVPILS]]
    monitor = _actor(users["tb.monitors"], organisations[OMBUDSMAN], Role.MONITOR)
    existing = set(
        Person.objects.filter(organisation__in=units).values_list(
            "return_decision_reference", flat=True
        )
    )
    created = holds = 0
    births: dict[tuple[str, str], list[int]] = {}
    for org_name, code, count, centre in UNITS:
        organisation = organisations[org_name]
        officer = _actor(users["rs.lietvedis"], organisation, Role.BG_CASE_OFFICER)
        for index in range(1, count + 1):
            plan = _plan(rng, code, index, centre, today)
            _keep_apart(plan, births)
            if plan["data"]["return_decision_reference"] in existing:
                continue
            holds += _create(officer, monitor, plan)
            created += 1
    created += _duplicate_pair(users["rs.lietvedis"], units, existing, today)
    total = Person.objects.filter(organisation__in=units).count()
    return [
        f"cases: {created} demo persons added ({total} in the demo units), {holds} holds placed"
    ]


def _plan(rng: random.Random, code: str, index: int, centre: str, today: date) -> dict[str, Any]:
    """Everything about one demo person, drawn from the seeded generator in a fixed order."""
    nationality = rng.choices(list(NAMES), weights=[n.weight for n in NAMES.values()])[0]
    pool = NAMES[nationality]
    female = rng.random() < 0.22
    given = rng.choice(pool.female if female else pool.male)
    family = rng.choice(pool.family)[1 if female else 0]
    aliases = _aliases(rng, pool, given, family, female)
    age_roll = rng.random()
    age = rng.randint(15, 17) if age_roll < 0.06 else rng.randint(19, 52)
    birth = today - timedelta(days=365 * age + rng.randint(0, 360))
    detained_days = rng.choice([1, 2, 4, 6, 8, 9, 10, 11, 14, 21, 30, 45, 60, 90])
    detained_since = today - timedelta(days=detained_days)
    has_order = detained_days > 10 or (detained_days >= 6 and rng.random() < 0.5)
    decision_date = detained_since - timedelta(days=rng.randint(0, 20))
    departure_order = rng.random() < 0.15
    data: dict[str, Any] = {
        "given_names": given,
        "family_name": family,
        "aliases": aliases,
        "date_of_birth": birth if rng.random() < 0.7 else None,
        "birth_year": birth.year,
        "stated_age": None,
        "age_disputed": False,
        "sex": "female" if female else "male",
        "nationality": nationality,
        "languages": list(pool.languages),
        "preferred_language": pool.languages[0],
        "interpreter_needed": pool.languages[0] not in ("ru", "en"),
        "detention_centre": centre if rng.random() < 0.9 else _other_centre(centre),
        "detained_since": detained_since,
        "detention_court_order_on": detained_since + timedelta(days=rng.randint(1, 9))
        if has_order
        else None,
        "return_decision_type": "departure_order" if departure_order else "forced_removal",
        "return_decision_reference": f"RS/{code}-{today.year}-{index:04d}",
        "return_decision_date": decision_date,
        "voluntary_departure_until": decision_date + timedelta(days=30)
        if departure_order
        else None,
        "appeal_status": rng.choice(["none"] * 6 + ["pending", "dismissed"]),
    }
    if age_roll > 0.94:  # says 17, documents say otherwise: age disputed, child path (I4)
        data.update({"stated_age": 17, "age_disputed": True, "date_of_birth": None})
    status_roll = rng.random()
    plan: dict[str, Any] = {"data": data, "status": "registered", "hold": None}
    if status_roll < 0.32:
        plan["status"] = "removal_planned"
        data["planned_removal_date"] = today + timedelta(days=rng.randint(2, 40))
    elif status_roll < 0.37:
        plan["status"] = "departed"
        data["planned_removal_date"] = today - timedelta(days=rng.randint(1, 30))
    elif status_roll < 0.39:
        plan["status"] = "released"
    hold_roll = rng.random()
    if (age_roll < 0.06 or age_roll > 0.94) and plan["status"] in ("removal_planned", "departed"):
        # A child is never planned for removal or removed unscreened (ADR 0014); the demo has
        # no screenings yet when persons are registered.
        plan["status"] = "registered"
        data["planned_removal_date"] = None
    if plan["status"] in ("registered", "removal_planned") and hold_roll < 0.09:
        plan["hold"] = "manual"
        plan["hold_reason"] = rng.choice(MANUAL_HOLD_REASONS)
        plan["release"] = hold_roll < 0.015
    elif plan["status"] in ("registered", "removal_planned") and hold_roll < 0.115:
        plan["hold"] = "suspicion"
    return plan


DUPLICATE_REFERENCE = "RS/{code}-{year}-DUP{n}"


def _duplicate_pair(user: User, units: list[Organisation], existing: set[str], today: date) -> int:
    """Three records of one invented man, so identity matching is visible in the demo: the
    Riga record is held; Daugavpils registered him again in Cyrillic without the day of birth
    (its case officer sees only that Riga holds a likely duplicate, and whom to call); Riga
    registered him a second time with the names swapped (the two Riga records show each other
    by case number). Nobody has decided about the matches yet."""
    riga, daugavpils = units
    born = date(today.year - 34, 3, 14)
    common = {
        "sex": "male",
        "nationality": "UZ",
        "languages": ["uz", "ru"],
        "preferred_language": "uz",
        "interpreter_needed": True,
        "birth_year": born.year,
    }
    records: list[tuple[Organisation, str, int, dict[str, Any]]] = [
        (
            riga,
            "RP",
            1,
            {
                "given_names": "Rustam",
                "family_name": "Yuldashev",
                "date_of_birth": born,
                "document_numbers": "FA 4417203",
            },
        ),
        (
            daugavpils,
            "DP",
            2,
            {"given_names": "Рустам", "family_name": "Юлдашев", "aliases": "Rustams Juldaševs"},
        ),
        (riga, "RP", 3, {"given_names": "YULDASHEV", "family_name": "RUSTAM"}),
    ]
    created = 0
    for unit, code, number, names in records:
        reference = DUPLICATE_REFERENCE.format(code=code, year=today.year, n=number)
        if reference in existing:
            continue
        officer = _actor(user, unit, Role.BG_CASE_OFFICER)
        data = {**common, **names, "return_decision_reference": reference}
        data |= {"return_decision_type": "forced_removal", "return_decision_date": today}
        person = services.register_person(actor=officer, data=data)
        if number == 1:
            services.place_hold(actor=officer, person=person, reason=MANUAL_HOLD_REASONS[0])
        created += 1
    return created


def _keep_apart(plan: dict[str, Any], births: dict[tuple[str, str], list[int]]) -> None:
    """The name pools are small, so two invented persons may share both names. Born within a
    year of each other they would be a likely duplicate (``cases.identity``), which the demo
    shows on purpose only once (``_duplicate_pair``): move such a birth back by three years
    until it stands apart. ``births`` collects the birth years per pair of names."""
    data = plan["data"]
    years = births.setdefault((data["given_names"], data["family_name"]), [])
    while any(abs(year - data["birth_year"]) <= 1 for year in years):
        data["birth_year"] -= 3
        born = data["date_of_birth"]
        if born is not None:
            day = min(born.day, 28) if born.month == 2 else born.day
            data["date_of_birth"] = born.replace(year=data["birth_year"], day=day)
    years.append(data["birth_year"])


def _aliases(rng: random.Random, pool: Names, given: str, family: str, female: bool) -> str:
    lines = []
    if rng.random() < 0.5:
        lines.append(f"{_latvian(given, female)} {_latvian(family, female)}")
    cyrillic = [pool.cyrillic[name] for name in (given, family) if name in pool.cyrillic]
    if cyrillic and rng.random() < 0.8:
        lines.append(" ".join(cyrillic))
    return "\n".join(line for line in lines if line != f"{given} {family}")


def _other_centre(centre: str) -> str:
    return (
        DetentionCentre.DAUGAVPILS
        if centre == DetentionCentre.MUCENIEKI
        else DetentionCentre.MUCENIEKI
    )


def _create(officer: Actor, monitor: Actor, plan: dict[str, Any]) -> int:
    person = services.register_person(actor=officer, data=plan["data"])
    if plan["status"] in ("removal_planned", "departed"):
        person = services.change_status(actor=officer, person=person, to_status="removal_planned")
    if plan["status"] == "departed":
        person = services.change_status(actor=officer, person=person, to_status="departed")
    if plan["status"] == "released":
        person = services.change_status(actor=officer, person=person, to_status="released")
    if plan["hold"] == "manual":
        hold = services.place_hold(actor=officer, person=person, reason=plan["hold_reason"])
        if plan["release"]:
            services.release_hold(
                actor=officer,
                hold=hold,
                reason="Papildu intervijā pazīmes neapstiprinājās; persona informēta par tiesībām.",
                decision_reference=f"{plan['data']['return_decision_reference']}/A",
            )
        return 1
    if plan["hold"] == "suspicion" and SUSPICION_RAISERS:
        # Through the referral flow, so the hold has its suspicion and can later be released.
        SUSPICION_RAISERS[0](monitor, person, SUSPICION_REASON)
        return 1
    return 0
