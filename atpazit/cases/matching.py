"""Finding records that may be the same human, across every unit, on identity keys (I1).

``store_identity_keys(person)`` writes a person's keys (``cases.identity``) whenever their names,
birth or documents are saved. ``likely_matches(person_ids)`` finds, for each person, the other
records that are likely the same human: candidates share a key (a name word's exact, sound or
fuzzy form within a year of the birth year, or a document number), each candidate is scored
from its keys and the facts kept in clear, and nothing is decrypted. It costs six queries
whatever the number of persons, so the removal guard and the pre-departure check of a
200-person charter stay constant-query.

Records linked as one human (``Person.identity_root``) are not "matches": they are the same
person, and their holds apply to each other (``cases.holds``). A pair a case officer confirmed
as different people is returned with ``decision="different"`` and blocks nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from atpazit.cases import identity
from atpazit.cases.models import Hold, IdentityDecision, IdentityKey, Person

# Candidates sharing one name word only are scored while there are at most this many.
ONE_WORD_CAP = 300
# Keys that find candidates; the short one-typo forms only count in the score.
BLOCKING_KINDS = (identity.EXACT, identity.SOUND, identity.FUZZY, identity.BIRTH)


@dataclass(frozen=True)
class OtherRecord:
    """What the matcher knows of a candidate record without decrypting anything."""

    pk: int
    case_number: str
    organisation_id: int
    identity_root_id: int | None


@dataclass(frozen=True)
class PossibleDuplicate:
    """A likely match of ``person_id``: the other record, the score and evidence, the active
    holds that apply to the other record (its own and its linked records'), and the case
    officers' decision about the pair, if any ("different"; "same" pairs are linked and never
    listed)."""

    person_id: int
    other: OtherRecord
    match: identity.Match
    holds: tuple[Hold, ...]
    decision: str | None

    @property
    def held(self) -> bool:
        return bool(self.holds)

    @property
    def blocks_removal(self) -> bool:
        """A likely match with an active hold that nobody has resolved stops removal (I1)."""
        return self.held and self.decision != IdentityDecision.Decision.DIFFERENT


def store_identity_keys(person: Person) -> None:
    """Replace the person's identity keys from their current (decrypted, in-memory) values.
    Called by the services that save names, birth or documents, inside their transaction."""
    keys = identity.identity_keys(
        given_names=person.given_names,
        family_name=person.family_name,
        aliases=person.aliases,
        date_of_birth=person.date_of_birth,
        document_numbers_text=person.document_numbers,
    )
    IdentityKey.objects.filter(person=person).delete()
    IdentityKey.objects.bulk_create(
        IdentityKey(
            person=person,
            kind=key.kind,
            word=key.word,
            token=key.token,
            birth_year=person.birth_year,
        )
        for key in keys
    )


def linked_ids(person: Person) -> set[int]:
    """The records linked with ``person`` as one human, the person included (no query when
    the person stands alone)."""
    if person.identity_root_id is None:
        return {person.pk}
    return set(
        Person.objects.filter(identity_root_id=person.identity_root_id).values_list("pk", flat=True)
    ) | {person.pk}


def likely_matches(person_ids: Iterable[int]) -> dict[int, list[PossibleDuplicate]]:
    """For each person, the other records that are likely the same human and not linked with
    them, best first. Six queries whatever the number of persons."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    subjects = _subjects(ids)
    shortlists = _shortlists(subjects)
    candidates = _candidates({pk for pks in shortlists.values() for pk in pks})
    found: dict[int, list[tuple[OtherRecord, identity.Match]]] = defaultdict(list)
    for pk, (subject_root, subject_facts) in subjects.items():
        for other_pk in sorted(shortlists.get(pk, ())):
            other, facts = candidates[other_pk]
            if subject_root and other.identity_root_id == subject_root:
                continue
            match = identity.score(subject_facts, facts)
            if match.likely:
                found[pk].append((other, match))
    if not found:
        return {}
    others = {other for pairs in found.values() for other, _match in pairs}
    holds = _holds_of(others)
    decisions = _decisions(ids)
    result: dict[int, list[PossibleDuplicate]] = {}
    for pk, pairs in found.items():
        pairs.sort(key=lambda pair: (-pair[1].score, pair[0].case_number))
        result[pk] = [
            PossibleDuplicate(
                person_id=pk,
                other=other,
                match=match,
                holds=tuple(holds.get(other.pk, ())),
                decision=decisions.get((min(pk, other.pk), max(pk, other.pk))),
            )
            for other, match in pairs
        ]
    return result


def blocking_matches(person_ids: Iterable[int]) -> dict[int, list[PossibleDuplicate]]:
    """Only the likely matches that stop removal: held and not confirmed different."""
    found = {}
    for pk, duplicates in likely_matches(person_ids).items():
        blocking = [duplicate for duplicate in duplicates if duplicate.blocks_removal]
        if blocking:
            found[pk] = blocking
    return found


# --- the six queries -------------------------------------------------------------------------


def _subjects(ids: list[int]) -> dict[int, tuple[int | None, identity.Facts]]:
    persons = Person.objects.filter(pk__in=ids).values_list(
        "pk", "birth_year", "sex", "nationality", "identity_root_id"
    )
    keys: dict[int, set[identity.Key]] = defaultdict(set)
    for pk, kind, word, token in IdentityKey.objects.filter(person_id__in=ids).values_list(
        "person_id", "kind", "word", "token"
    ):
        keys[pk].add(identity.Key(kind, token, word))
    return {
        pk: (root, _facts(keys[pk], birth_year, sex, nationality))
        for pk, birth_year, sex, nationality, root in persons
    }


def _facts(
    keys: set[identity.Key], birth_year: int | None, sex: str, nationality: str
) -> identity.Facts:
    return identity.Facts(
        keys=frozenset(keys),
        birth_year=birth_year,
        sex=sex,
        nationality=nationality,
        has_full_birth_date=any(key.kind == identity.BIRTH for key in keys),
    )


def _blocking_filter(subjects: dict[int, tuple[int | None, identity.Facts]]) -> Q:
    """Rows sharing a key with a subject: names and birth dates within a year of the
    subject's birth year (or with either year unknown), document numbers at any age."""
    by_year: dict[int | None, set[str]] = defaultdict(set)
    documents: set[str] = set()
    for _root, facts in subjects.values():
        for key in facts.keys:
            if key.kind == identity.DOCUMENT:
                documents.add(key.token)
            elif key.kind in BLOCKING_KINDS:
                by_year[facts.birth_year].add(key.token)
    condition = Q(kind=identity.DOCUMENT, token__in=sorted(documents)) if documents else Q()
    for year, tokens in by_year.items():
        near = Q(token__in=sorted(tokens), kind__in=BLOCKING_KINDS)
        if year is not None:
            window = (year - identity.MAX_YEAR_GAP, year + identity.MAX_YEAR_GAP)
            near &= Q(birth_year__range=window) | Q(birth_year__isnull=True)
        condition |= near
    return condition


def _shortlists(subjects: dict[int, tuple[int | None, identity.Facts]]) -> dict[int, set[int]]:
    """For each subject, the records worth scoring (``shortlisted``), or sharing a document
    number. One query reads only the key rows that matched."""
    condition = _blocking_filter(subjects)
    if not condition:
        return {}
    postings: dict[str, list[tuple[int, str, int, int | None]]] = defaultdict(list)
    for pk, kind, word, token, year in IdentityKey.objects.filter(condition).values_list(
        "person_id", "kind", "word", "token", "birth_year"
    ):
        postings[token].append((pk, kind, word, year))
    shortlists: dict[int, set[int]] = {}
    for subject, (_root, facts) in subjects.items():
        words: dict[int, set[int]] = defaultdict(set)
        strong: set[int] = set()
        for key in facts.keys:
            for pk, kind, word, year in postings.get(key.token, ()):
                if pk == subject:
                    continue
                if kind == identity.DOCUMENT:
                    strong.add(pk)
                elif _years_near(facts.birth_year, year):
                    if kind == identity.BIRTH:
                        words[pk].add(-1)
                    else:
                        words[pk].add(word)
        shortlists[subject] = strong | shortlisted(words, facts)
    return shortlists


def shortlisted(words: dict[int, set[int]], facts: identity.Facts) -> set[int]:
    """Candidates sharing keys of two words (one for a single-word name); those sharing one
    word only while they are few (a typo in the other word, or a short name such as "Li"
    matched only by its short keys). A common name shared by thousands is not enough."""
    need = min(2, len({key.word for key in facts.keys if key.kind == identity.EXACT}))
    found = {pk for pk, hits in words.items() if len(hits) >= need}
    single = {pk for pk, hits in words.items() if len(hits) == 1}
    if len(single) <= ONE_WORD_CAP:
        found |= single
    return found


def _years_near(year: int | None, other: int | None) -> bool:
    return year is None or other is None or abs(year - other) <= identity.MAX_YEAR_GAP


def _candidates(ids: set[int]) -> dict[int, tuple[OtherRecord, identity.Facts]]:
    """The keys and clear facts of the shortlisted records (one query)."""
    if not ids:
        return {}
    rows = IdentityKey.objects.filter(person_id__in=sorted(ids)).values_list(
        "person_id",
        "kind",
        "word",
        "token",
        "person__birth_year",
        "person__sex",
        "person__nationality",
        "person__case_number",
        "person__organisation_id",
        "person__identity_root_id",
    )
    keys: dict[int, set[identity.Key]] = defaultdict(set)
    about: dict[int, tuple[OtherRecord, int | None, str, str]] = {}
    for pk, kind, word, token, year, sex, nationality, number, organisation, root in rows:
        keys[pk].add(identity.Key(kind, token, word))
        if pk not in about:
            about[pk] = (OtherRecord(pk, number, organisation, root), year, sex, nationality)
    return {
        pk: (other, _facts(keys[pk], year, sex, nationality))
        for pk, (other, year, sex, nationality) in about.items()
    }


def _holds_of(others: set[OtherRecord]) -> dict[int, list[Hold]]:
    """Active holds applying to each record: its own and those of its linked records."""
    ids = {other.pk for other in others}
    roots = {other.identity_root_id for other in others if other.identity_root_id}
    holds = (
        Hold.objects.active()
        .filter(Q(person_id__in=ids) | Q(person__identity_root_id__in=roots))
        .select_related("person__organisation")
        .only(
            "cause",
            "started_at",
            "released_at",
            "person__case_number",
            "person__identity_root_id",
            "person__organisation__name",
            "person__organisation__email",
        )
        .order_by("started_at", "pk")
    )
    found: dict[int, list[Hold]] = defaultdict(list)
    for hold in holds:
        for other in others:
            linked = (
                other.identity_root_id and hold.person.identity_root_id == other.identity_root_id
            )
            if hold.person_id == other.pk or linked:
                found[other.pk].append(hold)
    return found


def _decisions(ids: list[int]) -> dict[tuple[int, int], str]:
    rows = IdentityDecision.objects.filter(Q(person_id__in=ids) | Q(other_id__in=ids)).values_list(
        "person_id", "other_id", "decision"
    )
    return {(person, other): decision for person, other, decision in rows}
