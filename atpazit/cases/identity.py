"""Identity keys and match scores: is this record the same human as another one? (I1)

Pure functions, no database: ``identity_keys(facts)`` turns a person's names, date of birth and
document numbers into keyed blind-index tokens (``lib.blind_index``), and ``score(a, b)``
compares two persons from those tokens and the facts kept in clear (year of birth, sex,
nationality). ``cases.matching`` stores the keys and finds candidates in the database; the
benchmark and the quality test (``bench/identity_quality.py``) use the same functions.

Three keys per name word, from strict to loose, so transliterations and typos still meet:

- **exact**: the word romanised (``anyascii``: "Бахтиёр" -> "bakhtier", "محمد" -> "mhmd") after
  ``blind_index.normalise`` (case, Latin diacritics), letters and digits only;
- **sound**: a skeleton of the romanised word that folds the usual transliteration variants:
  sh/ch/zh/ts/kh/gh/ph to one letter, x to h (Uzbek) and to ks, w to v, q to k, z to s, j/y to i, every
  vowel after the first letter dropped, doubled letters made single. "Bakhtiyor", "Baxtiyor"
  and "Bakhtier" all give "bhtr"; "Шарифов" and "Šarifovs" give "srfv" and "srfvs";
- **fuzzy**: the skeleton and every skeleton with one letter after the first deleted (for
  skeletons of four letters or more), so one typo, an added Latvian ending (-s) or two swapped
  consonants still share a key. Words with digits are no names and get no fuzzy keys.

The word number travels with each name key, so a score can pair the words of two persons
(the order of the names does not matter). Document numbers are keyed whole, dates of birth
whole and with day and month swapped.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from anyascii import anyascii
from django.conf import settings

from atpazit.lib.blind_index import keyed_token, normalise

EXACT = "exact"
SOUND = "sound"
FUZZY = "fuzzy"
# One-typo forms shorter than three letters: too common to find candidates by, but they count
# in the score of a candidate found through another key ("Singh" / "Sigh").
FUZZY_SHORT = "fuzzy2"
# Likewise sound keys shorter than three letters ("Li", "Tsoy" -> "l", "s").
SOUND_SHORT = "sound2"
BIRTH = "dob"
DOCUMENT = "doc"
NAME_KINDS = (EXACT, SOUND, SOUND_SHORT, FUZZY, FUZZY_SHORT)
# The blocking keys: a candidate shares at least one of these (within the birth-year window).
MAX_YEAR_GAP = 1
MIN_FUZZY_LENGTH = 3
MIN_BLOCKING_LENGTH = 3

# Nationality codes that say nothing: stateless, not known.
UNKNOWN_NATIONALITIES = frozenset({"", "XX", "ZZ"})
UNKNOWN_SEX = "unknown"

# Replacements applied in order to a romanised word; digraphs before single letters.
_FOLDS = (
    ("shch", "s"),
    ("sch", "s"),
    ("tch", "c"),
    ("dzh", "j"),
    ("sh", "s"),
    ("ch", "c"),
    ("zh", "z"),
    ("dj", "j"),
    ("ts", "c"),
    ("tz", "c"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
    ("w", "v"),
    ("z", "s"),
    ("c", "s"),
    ("y", "i"),
    ("j", "i"),
)
_VOWELS = frozenset("aeiou")
_NOT_LETTER_OR_DIGIT = re.compile(r"[^a-z0-9]+")
# Zero-width, bidirectional and other invisible format characters (Unicode category Cf).
_INVISIBLE = "Cf"


@dataclass(frozen=True)
class Key:
    """One identity key: its kind, the word it comes from (names only), and the token."""

    kind: str
    token: str
    word: int = 0


@dataclass(frozen=True)
class Facts:
    """What a score reads about one person: keys plus the facts kept in clear."""

    keys: frozenset[Key]
    birth_year: int | None = None
    sex: str = UNKNOWN_SEX
    nationality: str = ""
    has_full_birth_date: bool = False


@dataclass(frozen=True)
class Match:
    """How a pair compares: a score in [0, 1] and the evidence, as codes (for the audit)."""

    score: float
    likely: bool
    evidence: tuple[str, ...] = field(default_factory=tuple)


# --- cleaning input ------------------------------------------------------------------------


def clean_name(value: str) -> str:
    """A name as it should be stored: invisible format characters (zero-width spaces and
    joiners, bidirectional marks, soft hyphens...) removed, NFC, whitespace collapsed.

    Called by ``cases.validation`` for every name field, so a pasted "Bēr\\u200bziņa" is
    stored, searched and matched as "Bērziņa"."""
    text = unicodedata.normalize("NFC", value or "")
    text = "".join(char for char in text if unicodedata.category(char) != _INVISIBLE)
    return " ".join(text.split())


def clean_lines(value: str) -> str:
    """``clean_name`` for each line of a multi-line field (aliases, documents)."""
    lines = (clean_name(line) for line in (value or "").splitlines())
    return "\n".join(line for line in lines if line)


# --- keys ----------------------------------------------------------------------------------


def romanise(word: str) -> str:
    """The word in lower-case ASCII letters and digits ("Bērziņa" -> "berzina")."""
    return _NOT_LETTER_OR_DIGIT.sub("", anyascii(normalise(word)).lower())


def skeletons(romanised: str) -> set[str]:
    """The sound keys of a romanised word: more than one when an x may be kh or ks, a ch may
    be č or kh (German, Czech), or a final s may be the Latvian ending ("Karimovs")."""
    if not romanised:
        return set()
    variants = {romanised}
    if len(romanised) > 2 and romanised.endswith("s") and not romanised.endswith("ss"):
        variants.add(romanised[:-1])
    for old, new in (("x", "h"), ("x", "ks"), ("ch", "h")):
        variants |= {variant.replace(old, new) for variant in variants}
    return {_skeleton(variant.replace("x", "h")) for variant in variants}


def _skeleton(word: str) -> str:
    for old, new in _FOLDS:
        word = word.replace(old, new)
    first, rest = word[0], word[1:]
    first = "a" if first in _VOWELS or first == "i" else first
    consonants = "".join(char for char in rest if char not in _VOWELS)
    return _single(first + consonants)


def _single(word: str) -> str:
    """Doubled letters made single (digits stay: "Karimov55" is not "Karimov5")."""
    out: list[str] = []
    for char in word:
        if not out or out[-1] != char or char.isdigit():
            out.append(char)
    return "".join(out)


def fuzzy_forms(skeleton: str) -> set[str]:
    """The skeleton and each form with one letter deleted."""
    if len(skeleton) < MIN_FUZZY_LENGTH or any(char.isdigit() for char in skeleton):
        return {skeleton}
    return {skeleton} | {skeleton[:i] + skeleton[i + 1 :] for i in range(len(skeleton))}


def name_words(*names: str) -> list[str]:
    """The distinct romanised words of the given name fields, in order."""
    return [word for word, _joined in _words_and_joins(*names)]


def _words_and_joins(*names: str) -> list[tuple[str, str]]:
    """Each distinct romanised word, with the whole name it starts written as one word
    ("Abdul Rahman" -> ("abdul", "abdulrahman"); "" when the word stands alone), so a name
    written in one word or two still meets."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name in names:
        for line in clean_lines(name or "").splitlines():
            words = [romanise(word) for word in normalise(line).split()]
            words = [word for word in words if len(word) >= 2]
            for position, word in enumerate(words):
                if word in seen:
                    continue
                seen.add(word)
                rest = words[position + 1 :]
                found.append((word, word + "".join(rest[:1]) if rest else ""))
    return found


@functools.lru_cache(maxsize=65536)
def _word_keys(word: str, joined: str, secret: str) -> frozenset[tuple[str, str]]:
    """(kind, token) of one romanised word; cached per word and index key (``secret`` only
    makes a changed key miss the cache)."""
    keys = {(EXACT, keyed_token(word, purpose="identity-exact"))}
    for skeleton in skeletons(word) | (skeletons(joined) if joined else set()):
        sound = SOUND if len(skeleton) >= MIN_BLOCKING_LENGTH else SOUND_SHORT
        keys.add((sound, keyed_token(skeleton, purpose="identity-sound")))
        for form in fuzzy_forms(skeleton):
            kind = FUZZY if len(form) >= MIN_BLOCKING_LENGTH else FUZZY_SHORT
            keys.add((kind, keyed_token(form, purpose="identity-fuzzy")))
    return frozenset(keys)


def _birth_dates(date_of_birth: str) -> set[str]:
    """The date of birth (ISO), and with day and month swapped when that is a date too: the
    commonest slip between DD.MM and MM/DD forms."""
    if not date_of_birth:
        return set()
    dates = {date_of_birth}
    year, month, day = date_of_birth.split("-")
    if int(day) <= 12 and day != month:
        dates.add(f"{year}-{day}-{month}")
    return dates


def document_numbers(value: str) -> list[str]:
    """Document numbers, one per line, compared without spaces, dashes and case."""
    numbers = []
    for line in (value or "").splitlines():
        number = _NOT_LETTER_OR_DIGIT.sub("", anyascii(line).lower())
        if len(number) >= 4 and number not in numbers:
            numbers.append(number)
    return numbers


def identity_keys(
    *,
    given_names: str = "",
    family_name: str = "",
    aliases: str = "",
    date_of_birth: str = "",
    document_numbers_text: str = "",
) -> set[Key]:
    """Every identity key of a person (tokens only; nothing here can be read back)."""
    keys: set[Key] = set()
    secret = getattr(settings, "ATPAZIT_BLIND_INDEX_KEY", "")
    for index, (word, joined) in enumerate(_words_and_joins(given_names, family_name, aliases)):
        keys |= {Key(kind, token, index) for kind, token in _word_keys(word, joined, secret)}
    for date in _birth_dates(date_of_birth):
        keys.add(Key(BIRTH, keyed_token(date, purpose="identity-dob")))
    for number in document_numbers(document_numbers_text):
        keys.add(Key(DOCUMENT, keyed_token(number, purpose="identity-doc")))
    return keys


# --- scores --------------------------------------------------------------------------------

WORD_WEIGHTS = {EXACT: 1.0, SOUND: 0.95, SOUND_SHORT: 0.95, FUZZY: 0.7, FUZZY_SHORT: 0.7}
LIKELY = 0.75


def score(a: Facts, b: Facts) -> Match:
    """Compare two persons. ``likely`` means a case officer must look at the pair.

    Names count most (the best pairing of their words, over the shorter name), then the birth
    (full date equal, or the year), nationality and sex. A shared document number makes a
    match likely whatever else differs; a different sex or birth years more than one apart
    make it unlikely.
    """
    evidence: list[str] = []
    if _shared(a, b, DOCUMENT):
        return Match(1.0, True, ("document",))
    name, matched_words = _name_score(a, b)
    total = 0.6 * name
    evidence.append(f"names:{matched_words}")
    birth, birth_code = _birth_score(a, b)
    if birth is None:
        return Match(0.0, False, (*evidence, birth_code))
    total += birth
    evidence.append(birth_code)
    total += _nationality_score(a, b, evidence)
    if a.sex != UNKNOWN_SEX and b.sex != UNKNOWN_SEX and a.sex != b.sex:
        evidence.append("sex:differs")
        total -= 0.5
    shorter = min(_word_count(a), _word_count(b))
    enough_words = matched_words >= min(2, shorter)
    total = max(0.0, min(1.0, total))
    return Match(round(total, 3), enough_words and total >= LIKELY, tuple(evidence))


def _shared(a: Facts, b: Facts, kind: str) -> bool:
    mine = {key.token for key in a.keys if key.kind == kind}
    return any(key.kind == kind and key.token in mine for key in b.keys)


def _word_count(facts: Facts) -> int:
    return len({key.word for key in facts.keys if key.kind == EXACT})


def _name_score(a: Facts, b: Facts) -> tuple[float, int]:
    """The best one-to-one pairing of words (greedy on the strongest links)."""
    links: dict[tuple[int, int], float] = {}
    for kind in NAME_KINDS:
        mine: dict[str, set[int]] = {}
        for key in a.keys:
            if key.kind == kind:
                mine.setdefault(key.token, set()).add(key.word)
        for key in b.keys:
            for word in mine.get(key.token, ()) if key.kind == kind else ():
                pair = (word, key.word)
                links[pair] = max(links.get(pair, 0.0), WORD_WEIGHTS[kind])
    used_a: set[int] = set()
    used_b: set[int] = set()
    total = 0.0
    matched = 0
    for (word_a, word_b), weight in sorted(links.items(), key=lambda item: (-item[1], item[0])):
        if word_a in used_a or word_b in used_b:
            continue
        used_a.add(word_a)
        used_b.add(word_b)
        total += weight
        matched += 1
    shorter = min(_word_count(a), _word_count(b))
    if shorter == 0:
        return 0.0, 0
    return min(1.0, total / shorter), matched


def _birth_score(a: Facts, b: Facts) -> tuple[float | None, str]:
    """Points for the birth, or None when the births rule a match out."""
    if a.has_full_birth_date and b.has_full_birth_date:
        if _shared(a, b, BIRTH):
            return 0.3, "birth:date"
        if a.birth_year == b.birth_year:
            return 0.0, "birth:year_other_date"
        return None, "birth:differs"
    if a.birth_year is None or b.birth_year is None:
        return 0.15, "birth:unknown"
    gap = abs(a.birth_year - b.birth_year)
    if gap == 0:
        return 0.25, "birth:year"
    if gap <= MAX_YEAR_GAP:
        return 0.15, "birth:year_near"
    return None, "birth:differs"


def _nationality_score(a: Facts, b: Facts, evidence: list[str]) -> float:
    if a.nationality in UNKNOWN_NATIONALITIES or b.nationality in UNKNOWN_NATIONALITIES:
        evidence.append("nationality:unknown")
        return 0.05
    if a.nationality == b.nationality:
        evidence.append("nationality:same")
        return 0.1
    evidence.append("nationality:differs")
    return -0.1


def best_matches(subject: Facts, candidates: Iterable[tuple[int, Facts]]) -> dict[int, Match]:
    """The likely matches among ``candidates`` (id, facts), by id."""
    found = {}
    for pk, facts in candidates:
        match = score(subject, facts)
        if match.likely:
            found[pk] = match
    return found
