"""How well identity matching works: a generated set with realistic variants, and its score.

``generated_set(seed, persons)`` invents persons (Cyrillic names written in several
transliterations, Arabic-script names in their common Latin spellings, Vietnamese, South Asian
and Latin-script names) and, for about half of them, a second registration of the same human
with realistic differences: another transliteration, given and family name swapped, a typo,
the day of birth missing, another letter case, a zero-width character, diacritics dropped, a
Latvian ending, the original script as an alias, a year of birth one off. It also adds hard
negatives: siblings (same family name, nationality and near birth year) and namesakes.

``evaluate(records)`` runs the real ``cases.identity`` keys and score, with the same blocking
rule as ``cases.matching`` (a shared key, birth years at most one apart or unknown, any
document), and returns precision and recall over pairs. Everything is invented; no real
person is meant. ``bench/identity_quality.py`` prints the figures; a test pins them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from atpazit.cases import identity
from atpazit.cases.matching import BLOCKING_KINDS, shortlisted

# Cyrillic names and the letters that different transliterations spell differently.
CYRILLIC_MALE = [
    "Александр",
    "Дмитрий",
    "Сергей",
    "Андрей",
    "Алексей",
    "Михаил",
    "Иван",
    "Николай",
    "Юрий",
    "Владимир",
    "Евгений",
    "Олег",
    "Виталий",
    "Богдан",
    "Тарас",
    "Рустам",
    "Бахтиёр",
    "Шерзод",
    "Жасур",
    "Фаррух",
    "Хуршид",
    "Дильшод",
    "Азиз",
    "Тимур",
    "Улугбек",
    "Ильхом",
]
CYRILLIC_FEMALE = [
    "Анна",
    "Елена",
    "Ольга",
    "Татьяна",
    "Наталья",
    "Юлия",
    "Ирина",
    "Оксана",
    "Мадина",
    "Гульнора",
    "Дильноза",
    "Шахноза",
    "Зарина",
    "Нилуфар",
    "Людмила",
    "Екатерина",
]
CYRILLIC_FAMILY = [
    "Иванов",
    "Петренко",
    "Шевченко",
    "Коваленко",
    "Бондаренко",
    "Ткаченко",
    "Кравчук",
    "Мельник",
    "Каримов",
    "Юсупов",
    "Рахимов",
    "Турсунов",
    "Хасанов",
    "Назаров",
    "Сафаров",
    "Рахмонов",
    "Жуков",
    "Щербаков",
    "Кузнецов",
    "Соколов",
    "Попов",
    "Лебедев",
    "Ёлдошев",
    "Абдуллаев",
    "Исмоилов",
    "Махмудов",
    "Ахмедов",
    "Шарипов",
    "Чернов",
    "Зайцев",
    "Цой",
    "Ким",
    "Ли",
    "Ершов",
    "Яковлев",
    "Юлдашев",
    "Хайдаров",
    "Гайратов",
    "Кодиров",
    "Эргашев",
]
TRANSLITERATIONS = [
    # passport-like, BGN-like, Latvian documents, German-like
    {
        "х": "kh",
        "ж": "zh",
        "ш": "sh",
        "щ": "shch",
        "ч": "ch",
        "ц": "ts",
        "й": "i",
        "ю": "iu",
        "я": "ia",
        "ё": "e",
        "ы": "y",
        "э": "e",
        "е": "e",
        "ь": "",
        "ъ": "ie",
        "у": "u",
        "г": "g",
    },
    {
        "х": "kh",
        "ж": "zh",
        "ш": "sh",
        "щ": "shch",
        "ч": "ch",
        "ц": "ts",
        "й": "y",
        "ю": "yu",
        "я": "ya",
        "ё": "yo",
        "ы": "y",
        "э": "e",
        "е": "ye",
        "ь": "",
        "ъ": "",
        "у": "u",
        "г": "g",
    },
    {
        "х": "h",
        "ж": "ž",
        "ш": "š",
        "щ": "šč",
        "ч": "č",
        "ц": "c",
        "й": "j",
        "ю": "ju",
        "я": "ja",
        "ё": "jo",
        "ы": "i",
        "э": "e",
        "е": "e",
        "ь": "",
        "ъ": "",
        "у": "u",
        "г": "g",
    },
    {
        "х": "ch",
        "ж": "sh",
        "ш": "sch",
        "щ": "schtsch",
        "ч": "tsch",
        "ц": "z",
        "й": "j",
        "ю": "ju",
        "я": "ja",
        "ё": "jo",
        "ы": "y",
        "э": "e",
        "е": "e",
        "ь": "",
        "ъ": "",
        "у": "u",
        "г": "g",
    },
    {
        "х": "x",
        "ж": "j",
        "ш": "sh",
        "щ": "sh",
        "ч": "ch",
        "ц": "ts",
        "й": "y",
        "ю": "yu",
        "я": "ya",
        "ё": "yo",
        "ы": "i",
        "э": "e",
        "е": "e",
        "ь": "",
        "ъ": "",
        "у": "u",
        "г": "g",
    },
]
_CYRILLIC_PLAIN = dict(zip("абвдзиклмнопрстф", "abvdziklmnoprstf", strict=True))

# Arabic-script names: each human name with the spellings it is commonly written in.
ARABIC_MALE = [
    ["Mohammad", "Muhammad", "Mohammed", "Mohamad", "Muhamed"],
    ["Ahmad", "Ahmed", "Akhmad"],
    ["Hussein", "Husain", "Hossein", "Hussain"],
    ["Yusuf", "Yousef", "Youssef", "Jusuf"],
    ["Mustafa", "Mostafa", "Moustafa"],
    ["Hassan", "Hasan"],
    ["Omar", "Umar"],
    ["Khalid", "Khaled", "Chalid"],
    ["Abdullah", "Abdallah", "Abdulla"],
    ["Karim", "Kareem"],
    ["Mahmoud", "Mahmud", "Mahmood"],
    ["Jamal", "Djamal", "Gamal"],
    ["Rashid", "Rasheed", "Rachid"],
    ["Samir", "Sameer"],
    ["Tariq", "Tarek", "Tarik"],
    ["Walid", "Waleed"],
    ["Zakaria", "Zakariya", "Zakariyya"],
    ["Faisal", "Faysal"],
    ["Nasser", "Naser", "Nasir"],
    ["Sulaiman", "Suleiman", "Soliman"],
]
ARABIC_FEMALE = [
    ["Fatima", "Fatemeh", "Fatma"],
    ["Aisha", "Aysha", "Ayesha"],
    ["Maryam", "Mariam", "Meryem"],
    ["Zainab", "Zeinab", "Zaynab"],
    ["Khadija", "Khadidja", "Hatice"],
    ["Layla", "Leila", "Laila"],
    ["Nour", "Noor", "Nur"],
    ["Samira", "Sameera"],
]
ARABIC_FAMILY = [
    ["Ahmadi", "Ahmedi"],
    ["Mohammadi", "Muhammadi", "Mohamadi"],
    ["Haidari", "Haydari", "Heidari"],
    ["Hosseini", "Husseini", "Hussaini"],
    ["Rahimi", "Rahime"],
    ["Nazari", "Nasari"],
    ["Sultani", "Soltani"],
    ["Qasimi", "Kasimi", "Ghasemi"],
    ["Noori", "Nuri", "Nouri"],
    ["Karimi", "Kareemi"],
    ["Rezaei", "Rezai", "Rezayi"],
    ["Al-Hassan", "Alhassan", "El Hassan"],
    ["Abdulrahman", "Abdul Rahman", "Abdelrahman"],
    ["Mansour", "Mansur"],
    ["Saleh", "Salih"],
    ["Haddad", "Hadad"],
    ["Khalil", "Halil"],
    ["Jaber", "Jabir", "Djaber"],
    ["Naseri", "Nasseri"],
    ["Yousefi", "Yusufi", "Jusufi"],
    ["Sharifi", "Sherifi"],
    ["Azizi", "Asisi"],
    ["Hamidi", "Hamedi"],
    ["Safi", "Saafi"],
]
VIETNAMESE_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Đặng", "Bùi"]
VIETNAMESE_MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Hữu", "Quang", "Ngọc"]
VIETNAMESE_GIVEN = [
    "Hùng",
    "Lan",
    "Dũng",
    "Hương",
    "Tuấn",
    "Mai",
    "Nam",
    "Linh",
    "Thắng",
    "Hà",
    "Phong",
    "Trang",
    "Long",
    "Thảo",
    "Khánh",
    "Hải",
    "Anh",
    "Cường",
    "Yến",
    "Sơn",
]
SOUTH_ASIAN_GIVEN = [
    "Rahul",
    "Amit",
    "Gurpreet",
    "Harjit",
    "Sandeep",
    "Vikram",
    "Priya",
    "Manpreet",
    "Sunita",
    "Kavita",
    "Bikash",
    "Sita",
    "Rakib",
    "Nasrin",
    "Nuwan",
    "Arjun",
    "Deepak",
    "Ramesh",
    "Suresh",
    "Anil",
    "Pooja",
    "Neha",
    "Ravi",
    "Sanjay",
    "Kiran",
    "Ajay",
    "Vijay",
    "Rajesh",
]
SOUTH_ASIAN_FAMILY = [
    "Singh",
    "Kaur",
    "Kumar",
    "Sharma",
    "Patel",
    "Gurung",
    "Tamang",
    "Rai",
    "Shrestha",
    "Hossain",
    "Rahman",
    "Islam",
    "Perera",
    "Fernando",
    "Silva",
    "Das",
    "Gupta",
    "Yadav",
    "Thapa",
    "Magar",
    "Khan",
    "Chowdhury",
    "Mondal",
    "Sarkar",
]
LATIN_GIVEN = [
    "Ion",
    "Vasile",
    "Mihai",
    "Andrei",
    "Elena",
    "Maria",
    "Giorgi",
    "Levan",
    "Nino",
    "Tamar",
    "Kwame",
    "Chinedu",
    "Oluwaseun",
    "Ngozi",
    "Amara",
    "José",
    "Luis",
    "Carlos",
    "Ana",
    "Bogdan",
    "Mehmet",
    "Ayşe",
    "Emre",
    "Zeynep",
    "Yaw",
    "Kofi",
    "Abebe",
    "Selam",
]
LATIN_FAMILY = [
    "Popescu",
    "Rusu",
    "Ciobanu",
    "Ceban",
    "Lungu",
    "Beridze",
    "Kapanadze",
    "Gelashvili",
    "Mensah",
    "Okafor",
    "Adeyemi",
    "Okonkwo",
    "García",
    "Rodríguez",
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Tesfaye",
    "Bekele",
    "Asante",
    "Boateng",
    "Moldovan",
]
NATIONALITIES = {
    "cyrillic": ["RU", "UA", "BY", "UZ", "TJ", "KZ", "KG"],
    "arabic": ["AF", "IQ", "SY", "IR", "EG", "MA"],
    "vietnamese": ["VN"],
    "south_asian": ["IN", "NP", "BD", "LK", "PK"],
    "latin": ["MD", "GE", "GH", "NG", "CO", "TR", "ET"],
}
GROUP_WEIGHTS = {"cyrillic": 35, "arabic": 25, "vietnamese": 10, "south_asian": 18, "latin": 12}


@dataclass
class Record:
    """One registration: the fields a case officer types, and the human it belongs to."""

    human: int
    given_names: str
    family_name: str
    birth_year: int | None
    date_of_birth: str
    sex: str
    nationality: str
    aliases: str = ""
    documents: str = ""
    variants: list[str] = field(default_factory=list)

    def facts(self) -> identity.Facts:
        keys = identity.identity_keys(
            given_names=self.given_names,
            family_name=self.family_name,
            aliases=self.aliases,
            date_of_birth=self.date_of_birth,
            document_numbers_text=self.documents,
        )
        return identity.Facts(
            keys=frozenset(keys),
            birth_year=self.birth_year,
            sex=self.sex,
            nationality=self.nationality,
            has_full_birth_date=bool(self.date_of_birth),
        )


@dataclass(frozen=True)
class Quality:
    records: int
    true_pairs: int
    found_pairs: int
    correct_pairs: int
    missed: list[tuple[Record, Record]]
    wrong: list[tuple[Record, Record]]

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.found_pairs if self.found_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0


# --- generating ------------------------------------------------------------------------------


def _transliterate(word: str, system: dict[str, str]) -> str:
    out = []
    for char in word:
        lower = char.lower()
        spelled = system.get(lower, _CYRILLIC_PLAIN.get(lower, lower))
        out.append(spelled.capitalize() if char.isupper() else spelled)
    return "".join(out)


def _female_family(name: str) -> str:
    if name.endswith(("ов", "ев", "ёв", "ин")):
        return name + "а"
    return name


class _Human:
    """One invented human and the ways their names may be written."""

    def __init__(self, rng: random.Random, number: int) -> None:
        self.number = number
        self.group = rng.choices(list(GROUP_WEIGHTS), weights=list(GROUP_WEIGHTS.values()))[0]
        self.sex = rng.choice(["male", "female"])
        self.nationality = rng.choice(NATIONALITIES[self.group])
        year = rng.randint(1960, 2008)
        self.birth = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        self.birth_year = year
        self.has_full_date = rng.random() < 0.75
        self.document = (
            f"{rng.choice('ABCEKMNP')}{rng.choice('ABCEKMNP')}{rng.randint(1000000, 9999999)}"
            if rng.random() < 0.4
            else ""
        )
        self._names(rng)

    def _names(self, rng: random.Random) -> None:
        female = self.sex == "female"
        if self.group == "cyrillic":
            given = rng.choice(CYRILLIC_FEMALE if female else CYRILLIC_MALE)
            family = rng.choice(CYRILLIC_FAMILY)
            self.original = (given, _female_family(family) if female else family)
        elif self.group == "arabic":
            given_forms = rng.choice(ARABIC_FEMALE if female else ARABIC_MALE)
            self.spellings: tuple[list[str], ...] = (given_forms, rng.choice(ARABIC_FAMILY))
            if rng.random() < 0.3:  # a second given name
                self.spellings = (
                    given_forms,
                    rng.choice(ARABIC_FAMILY),
                    rng.choice(ARABIC_MALE),
                )
        elif self.group == "vietnamese":
            middle = "Thị" if female else rng.choice([m for m in VIETNAMESE_MIDDLE if m != "Thị"])
            self.original = (
                f"{middle} {rng.choice(VIETNAMESE_GIVEN)}",
                rng.choice(VIETNAMESE_FAMILY),
            )
        elif self.group == "south_asian":
            self.original = (rng.choice(SOUTH_ASIAN_GIVEN), rng.choice(SOUTH_ASIAN_FAMILY))
        else:
            self.original = (rng.choice(LATIN_GIVEN), rng.choice(LATIN_FAMILY))

    def written(self, rng: random.Random) -> tuple[str, str, str]:
        """(given names, family name, how) as one officer writes them down."""
        if self.group == "cyrillic":
            system = rng.randrange(len(TRANSLITERATIONS))
            given, family = (_transliterate(w, TRANSLITERATIONS[system]) for w in self.original)
            return given, family, f"translit{system}"
        if self.group == "arabic":
            given_forms, family_forms, *more = self.spellings
            given = rng.choice(given_forms)
            if more:
                given = f"{given} {rng.choice(more[0])}"
            return given, rng.choice(family_forms), "spelling"
        return self.original[0], self.original[1], "original"

    def record(self, rng: random.Random) -> Record:
        given, family, how = self.written(rng)
        return Record(
            human=self.number,
            given_names=given,
            family_name=family,
            birth_year=self.birth_year,
            date_of_birth=self.birth if self.has_full_date else "",
            sex=self.sex,
            nationality=self.nationality,
            documents=self.document,
            variants=[how],
        )


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["substitute", "delete", "insert", "swap"])
    letters = "abcdefghijklmnopqrstuvwxyz"
    if kind == "substitute":
        return word[:i] + rng.choice(letters) + word[i + 1 :]
    if kind == "delete":
        return word[:i] + word[i + 1 :]
    if kind == "insert":
        return word[:i] + rng.choice(letters) + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _variant(rng: random.Random, human: _Human, base: Record) -> Record:
    """A second registration of the same human, with one to three realistic differences."""
    record = human.record(rng)  # possibly another transliteration or spelling
    record.variants = [record.variants[0]]
    changes = rng.sample(
        [
            "swap",
            "typo",
            "no_day",
            "case",
            "zero_width",
            "ascii",
            "latvian",
            "alias",
            "year_off",
            "no_document",
            "nationality_unknown",
        ],
        k=rng.randint(1, 3),
    )
    for change in changes:
        _apply(rng, change, human, record)
    record.variants += changes
    return record


def _apply(  # noqa: C901 - one branch per kind of variant, as a table would be
    rng: random.Random, change: str, human: _Human, record: Record
) -> None:
    if change == "swap":
        record.given_names, record.family_name = record.family_name, record.given_names
    elif change == "typo":
        if rng.random() < 0.5:
            record.family_name = _typo(rng, record.family_name)
        else:
            record.given_names = _typo(rng, record.given_names)
    elif change == "no_day":
        record.date_of_birth = ""
    elif change == "case":
        record.given_names, record.family_name = (
            record.given_names.upper(),
            record.family_name.upper(),
        )
    elif change == "zero_width":
        name = record.family_name
        i = rng.randrange(1, max(2, len(name)))
        record.family_name = (
            name[:i] + rng.choice(["\u200b", "\u200d", "\u2060", "\u00ad"]) + name[i:]
        )
    elif change == "ascii":
        record.given_names = _ascii(record.given_names)
        record.family_name = _ascii(record.family_name)
    elif change == "latvian" and record.sex == "male" and record.family_name[-1:] not in "sS":
        record.family_name += "s"
    elif change == "alias" and human.group == "cyrillic":
        record.aliases = " ".join(human.original)
    elif change == "year_off" and record.birth_year:
        record.birth_year += rng.choice([-1, 1])
        record.date_of_birth = ""
    elif change == "no_document":
        record.documents = ""
    elif change == "nationality_unknown":
        record.nationality = "ZZ"


def _ascii(name: str) -> str:
    return " ".join(identity.romanise(word).capitalize() for word in name.split())


def _sibling(rng: random.Random, human: _Human, number: int) -> _Human:
    """Another human of the same family: same family name and nationality, near birth year."""
    sibling = _Human(rng, number)
    sibling.group, sibling.nationality = human.group, human.nationality
    sibling.birth_year = human.birth_year + rng.choice([-3, -2, 2, 3, 0])  # 0: twins
    sibling.birth = f"{sibling.birth_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if sibling.birth_year == human.birth_year:
        sibling.birth = human.birth
    sibling._names(rng)
    if human.group == "arabic":
        sibling.spellings = (sibling.spellings[0], human.spellings[1])
    elif human.group in ("cyrillic", "vietnamese", "south_asian", "latin"):
        family = human.original[1]
        if human.group == "cyrillic":
            family = family.removesuffix("а") if family.endswith(("ова", "ева", "ина")) else family
            family = _female_family(family) if sibling.sex == "female" else family
        sibling.original = (sibling.original[0], family)
    return sibling


def generated_set(*, seed: int = 8, persons: int = 3000) -> list[Record]:
    """Records of ``persons`` invented humans: each once, about half twice (a variant), and a
    tenth with a sibling registered too. Deterministic for a seed."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    records: list[Record] = []
    number = 0
    for _ in range(persons):
        human = _Human(rng, number)
        number += 1
        base = human.record(rng)
        records.append(base)
        if rng.random() < 0.5:
            records.append(_variant(rng, human, base))
        if rng.random() < 0.1:
            sibling = _sibling(rng, human, number)
            number += 1
            records.append(sibling.record(rng))
    return records


# --- evaluating ------------------------------------------------------------------------------


def evaluate(records: list[Record]) -> Quality:
    """Precision and recall of likely matches over every pair of records, with the blocking
    rule of ``cases.matching``: candidates share a key within a year of birth (or any year
    unknown), or a document number."""
    facts = [record.facts() for record in records]
    index: dict[str, list[tuple[int, identity.Key]]] = defaultdict(list)
    for position, item in enumerate(facts):
        for key in item.keys:
            index[key.token].append((position, key))
    found: set[tuple[int, int]] = set()
    for position, item in enumerate(facts):
        for other in _candidates(position, item, facts, index):
            pair = (min(position, other), max(position, other))
            if pair not in found and identity.score(item, facts[other]).likely:
                found.add(pair)
    by_human: dict[int, list[int]] = defaultdict(list)
    for position, record in enumerate(records):
        by_human[record.human].append(position)
    truth = {(positions[0], positions[1]) for positions in by_human.values() if len(positions) == 2}
    return Quality(
        records=len(records),
        true_pairs=len(truth),
        found_pairs=len(found),
        correct_pairs=len(found & truth),
        missed=[(records[a], records[b]) for a, b in sorted(truth - found)],
        wrong=[(records[a], records[b]) for a, b in sorted(found - truth)],
    )


def _candidates(
    position: int,
    item: identity.Facts,
    facts: list[identity.Facts],
    index: dict[str, list[tuple[int, identity.Key]]],
) -> set[int]:
    """The shortlist rule of ``cases.matching._shortlists``: keys of two name words (one for a
    single-word name), or a name word and the date of birth, within a year; or a document."""
    words: dict[int, set[int]] = defaultdict(set)
    strong: set[int] = set()
    for key in item.keys:
        if key.kind not in BLOCKING_KINDS and key.kind != identity.DOCUMENT:
            continue
        for other, other_key in index[key.token]:
            if other == position:
                continue
            if key.kind == identity.DOCUMENT:
                strong.add(other)
            elif _years_near(item, facts[other]):
                words[other].add(-1 if key.kind == identity.BIRTH else other_key.word)
    return strong | shortlisted(words, item)


def _years_near(a: identity.Facts, b: identity.Facts) -> bool:
    if a.birth_year is None or b.birth_year is None:
        return True
    return abs(a.birth_year - b.birth_year) <= identity.MAX_YEAR_GAP
