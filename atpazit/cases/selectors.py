"""Permission-aware reads of persons and holds, search by case number or name, and the list.

``persons_visible_to`` is the one scope rule for persons: every page, export and API call that
shows a person starts from it. Lists defer the encrypted name columns, so a page decrypts only
what it shows (the date of birth, for the child marker) and never a name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from atpazit.accounts.access import Actor
from atpazit.accounts.roles import OrganisationType
from atpazit.audit.services import log_event
from atpazit.cases.matching import likely_matches
from atpazit.cases.models import AgeChange, Hold, Person, PersonNameToken, PersonStatusChange
from atpazit.lib.blind_index import name_tokens

# Roles whose organisation type sees every person (the independent forced-return monitor).
_SEES_ALL_PERSONS = frozenset({OrganisationType.OMBUDSMAN})
# Organisation types that see the persons they registered.
_SEES_OWN_PERSONS = frozenset({OrganisationType.BORDER_GUARD})

# Hook for the referral work: functions (actor) -> Q of persons referred to the actor's
# organisation (providers, police, orphan's courts). Each may return None for "none".
REFERRED_PERSONS_SCOPES: list[Callable[[Actor], Q | None]] = []

LIST_FIELDS = (
    "id",
    "case_number",
    "organisation_id",
    "nationality",
    "status",
    "detention_centre",
    "detained_since",
    "detention_court_order_on",
    "planned_removal_date",
    "date_of_birth",
    "birth_year",
    "stated_age",
    "age_disputed",
    "created_at",
)
CASE_NUMBER_QUERY = re.compile(r"^(AT[-\s]?)?\d[\d-]*$", re.IGNORECASE)


def persons_visible_to(actor: Actor) -> QuerySet[Person]:
    """Persons the actor may see. Needs ``cases.person:read``: the Ombudsman's Office sees all,
    a Border Guard unit sees its own; anyone else sees only persons referred to their
    organisation (REFERRED_PERSONS_SCOPES, filled by the referral work). Denies when unsure."""
    organisation = actor.organisation
    if organisation is None:
        return Person.objects.none()
    if actor.can("cases.person:read"):
        if organisation.type in _SEES_ALL_PERSONS:
            return Person.objects.all()
        if organisation.type in _SEES_OWN_PERSONS:
            return Person.objects.filter(organisation=organisation)
    scopes = [scope for hook in REFERRED_PERSONS_SCOPES if (scope := hook(actor)) is not None]
    if not scopes:
        return Person.objects.none()
    combined = Q()
    for scope in scopes:
        combined |= scope
    return Person.objects.filter(combined)


def get_person_for_user(actor: Actor, pk: int, *, shown_on: str | None = None) -> Person:
    """The person with ``pk`` if the actor may see them; Http404 otherwise (never 403).

    ``shown_on`` names the page that shows the person's data; the read is then audited here as
    ``person.viewed`` (I7). A caller that only acts on the person (a POST) passes nothing."""
    queryset = persons_visible_to(actor).select_related("organisation")
    try:
        person = queryset.get(pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    if shown_on is not None:
        log_event("person.viewed", obj=person, details={"page": shown_on})
    return person


def get_person_page(actor: Actor, pk: int) -> Person:
    """The person with everything the person page shows, in a fixed number of queries; the
    read is audited as ``person.viewed`` (I7). Http404 outside the actor's scope."""
    holds = Hold.objects.select_related("started_by", "confirmed_by", "released_by")
    changes = PersonStatusChange.objects.select_related("changed_by")
    queryset = (
        persons_visible_to(actor)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("holds", queryset=holds), Prefetch("status_changes", queryset=changes)
        )
    )
    try:
        person = queryset.get(pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    log_event("person.viewed", obj=person)
    return person


def get_hold_for_user(actor: Actor, pk: int, *, shown: bool = False) -> Hold:
    """A hold on a person the actor may see; Http404 otherwise. With ``shown`` the hold is
    displayed, and the read is audited here as ``hold.viewed`` (I7)."""
    visible = persons_visible_to(actor)
    try:
        hold = Hold.objects.select_related("person").get(pk=pk, person__in=visible)
    except Hold.DoesNotExist as exc:
        raise Http404 from exc
    if shown:
        log_event("hold.viewed", obj=hold, details={"person": hold.person_id})
    return hold


def get_age_change_for_user(actor: Actor, pk: int) -> AgeChange:
    """A change of age evidence of a person the actor may see; Http404 otherwise."""
    try:
        return AgeChange.objects.select_related("person").get(
            pk=pk, person__in=persons_visible_to(actor)
        )
    except AgeChange.DoesNotExist as exc:
        raise Http404 from exc


def pending_age_changes(person: Person) -> list[AgeChange]:
    """The change of age evidence waiting for a second case officer (at most one), with its
    proposed values decoded for the person's page (which is itself an audited read)."""
    waiting = list(
        AgeChange.objects.filter(person=person, status=AgeChange.Status.PENDING).select_related(
            "proposed_by"
        )
    )
    for change in waiting:
        change.proposed_values = json.loads(change.proposed)  # type: ignore[attr-defined]
    return waiting


def _active_hold_exists() -> Exists:
    return Exists(Hold.objects.active().filter(person=OuterRef("pk")))


def with_hold_flag(queryset: QuerySet[Person]) -> QuerySet[Person]:
    """Annotate ``has_active_hold`` (one subquery, no extra query per row)."""
    return queryset.annotate(has_active_hold=_active_hold_exists())


def search_persons(queryset: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Narrow ``queryset`` by a case number (whole, its beginning — "2026-12" means
    "AT-2026-12..." — or its serial number: "85" or "000085" finds AT-2026-000085) or by name: every word of the query must be a word of the person's given
    names, family name or other names. Diacritics and case do not matter, Cyrillic works; words
    are matched whole through the blind index, so no name is decrypted to search."""
    query = (query or "").strip()
    if not query:
        return queryset
    if CASE_NUMBER_QUERY.match(query):
        return queryset.filter(
            Q(case_number__startswith=_case_number_prefix(query))
            | Q(case_number__in=_case_numbers_ending(query))
        )
    tokens = list(dict.fromkeys(name_tokens(query)))
    if not tokens:
        return queryset.none()
    return queryset.filter(pk__in=_persons_with_all_tokens(tokens))


def _persons_with_all_tokens(tokens: list[str]) -> RawSQL:
    """The ids of the persons having every one of ``tokens``, as a subquery driven from the
    token table: each word's posting list is read from the ``(token, person)`` index alone, so
    the persons table is touched only for the matches. (A correlated ``EXISTS`` per word made
    SQLite walk every person of the unit and probe the token index for each.)

    SQLite intersects the posting lists (``INTERSECT``: two index ranges and a temporary
    B-tree, ~3x faster there than probing the unique ``(person, token)`` index per candidate).
    PostgreSQL gets a join instead: it merge-joins the two sorted ranges just as fast, and,
    unlike for ``INTERSECT``, can estimate the result as small, so it looks the matches up by
    primary key instead of hash-joining every person of the unit.

    Only quoted identifiers from the model's metadata are put into the SQL; the tokens (keyed
    hashes of the words) are always parameters."""
    quote = connection.ops.quote_name
    table = quote(PersonNameToken._meta.db_table)
    person = quote(str(PersonNameToken._meta.get_field("person").column))
    token = quote(str(PersonNameToken._meta.get_field("token").column))
    if connection.vendor == "postgresql":
        joins = "".join(
            f" INNER JOIN {table} t{i} ON t{i}.{person} = t0.{person} AND t{i}.{token} = %s"
            for i in range(1, len(tokens))
        )
        sql = f"SELECT t0.{person} FROM {table} t0{joins} WHERE t0.{token} = %s"  # noqa: S608
        return RawSQL(sql, [*tokens[1:], tokens[0]])  # noqa: S611 - parameters, see above
    one = f"SELECT {person} FROM {table} WHERE {token} = %s"  # noqa: S608
    return RawSQL(" INTERSECT ".join([one] * len(tokens)), tokens)  # noqa: S611


SERIAL_QUERY = re.compile(r"^(?:AT-?)?(?:(?P<year>\d{4})-)?(?P<serial>\d{1,6})$")
FIRST_CASE_YEAR = 2000


def _case_numbers_ending(query: str) -> list[str]:
    """The case numbers a serial number stands for: "85" and "000085" are AT-<year>-000085 of
    any year, "2026-85" is AT-2026-000085. Exact numbers, so the lookup uses the unique index."""
    found = SERIAL_QUERY.match(query.upper().replace(" ", ""))
    if found is None:
        return []
    serial = int(found["serial"])
    if found["year"]:
        years = [int(found["year"])]
    else:
        years = list(range(FIRST_CASE_YEAR, timezone.localdate().year + 2))
    return [f"AT-{year}-{serial:06d}" for year in years]


def _case_number_prefix(query: str) -> str:
    digits = re.sub(r"^AT[-\s]?", "", query.upper().replace(" ", ""))
    return f"AT-{digits}"


def is_case_number_query(query: str) -> bool:
    return bool(CASE_NUMBER_QUERY.match((query or "").strip()))


@dataclass(frozen=True)
class PersonFilters:
    """The list filters, as the filter form cleans them."""

    query: str = ""
    status: str = ""
    detention_centre: str = ""
    nationality: str = ""
    removal_from: date | None = None
    removal_until: date | None = None
    hold: str = ""  # "yes", "no" or "" for either
    sort: str = ""

    def audit_codes(self) -> dict[str, Any]:
        """The filters as codes for the audit trail: never the search text (it may be a name)."""
        codes: dict[str, Any] = {
            "status": self.status,
            "centre": self.detention_centre,
            "nationality": self.nationality,
            "removal_from": self.removal_from.isoformat() if self.removal_from else "",
            "removal_until": self.removal_until.isoformat() if self.removal_until else "",
            "hold": self.hold,
            "sort": self.sort,
        }
        if self.query:
            codes["search"] = "case_number" if is_case_number_query(self.query) else "name"
        return {key: value for key, value in codes.items() if value}


SORTS = {
    "case_number": ("case_number",),
    "-case_number": ("-case_number",),
    "planned_removal_date": ("planned_removal_date", "case_number"),
    "-planned_removal_date": ("-planned_removal_date", "case_number"),
    "nationality": ("nationality", "case_number"),
    "-nationality": ("-nationality", "case_number"),
    "status": ("status", "case_number"),
    "-status": ("-status", "case_number"),
    "": ("-created_at", "-id"),
}


def person_list(actor: Actor, filters: PersonFilters) -> QuerySet[Person]:
    """The actor's persons, filtered, searched and sorted, with only the list columns loaded
    and ``has_active_hold`` annotated: the list page costs the same queries at any size."""
    queryset = persons_visible_to(actor)
    queryset = search_persons(queryset, filters.query)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.detention_centre:
        queryset = queryset.filter(detention_centre=filters.detention_centre)
    if filters.nationality:
        queryset = queryset.filter(nationality=filters.nationality)
    if filters.removal_from:
        queryset = queryset.filter(planned_removal_date__gte=filters.removal_from)
    if filters.removal_until:
        queryset = queryset.filter(planned_removal_date__lte=filters.removal_until)
    if filters.hold == "yes":
        queryset = queryset.filter(_active_hold_exists())
    elif filters.hold == "no":
        queryset = queryset.filter(~_active_hold_exists())
    queryset = with_hold_flag(queryset)
    return queryset.only(*LIST_FIELDS).order_by(*SORTS.get(filters.sort, SORTS[""]))


# --- identity: likely duplicates and linked records (I1, I6) ---------------------------------


@dataclass(frozen=True)
class OtherRecordView:
    """Another record as the actor may see it. Within scope: its case number (and a link).
    Outside scope: only the unit that registered it and how to reach it — never a case
    number, a name or any other personal data (I6)."""

    pk: int
    case_number: str | None
    unit: str
    unit_email: str
    held: bool
    score: float = 0.0
    evidence: tuple[str, ...] = ()
    decision: str | None = None

    @property
    def in_scope(self) -> bool:
        return self.case_number is not None

    @property
    def blocks_removal(self) -> bool:
        return self.held and self.decision != "different"


def possible_duplicates_for(actor: Actor, person: Person) -> list[OtherRecordView]:
    """The likely matches of ``person`` the actor may be told about: records within their
    scope in full, another unit's record only when it is under an active hold (then the unit
    and its contact, nothing else). A constant number of queries."""
    duplicates = likely_matches([person.pk]).get(person.pk, [])
    if not duplicates:
        return []
    ids = [duplicate.other.pk for duplicate in duplicates]
    units = _units_of(ids)
    visible = set(persons_visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))
    views = []
    for duplicate in duplicates:
        in_scope = duplicate.other.pk in visible
        if not in_scope and not duplicate.held:
            continue
        name, email = units[duplicate.other.pk]
        views.append(
            OtherRecordView(
                pk=duplicate.other.pk,
                case_number=duplicate.other.case_number if in_scope else None,
                unit=name,
                unit_email=email,
                held=duplicate.held,
                score=duplicate.match.score,
                evidence=duplicate.match.evidence,
                decision=duplicate.decision,
            )
        )
    return views


def linked_records_for(actor: Actor, person: Person) -> list[OtherRecordView]:
    """The other records linked with ``person`` as the same human, as the actor may see them
    (another unit's record: the unit and its contact only), with whether a hold is active."""
    if person.identity_root_id is None:
        return []
    others = (
        Person.objects.filter(identity_root_id=person.identity_root_id)
        .exclude(pk=person.pk)
        .annotate(held=_active_hold_exists())
        .select_related("organisation")
        .only("case_number", "organisation__name", "organisation__email")
        .order_by("pk")
    )
    visible = set(
        persons_visible_to(actor).filter(pk__in=others.values("pk")).values_list("pk", flat=True)
    )
    return [
        OtherRecordView(
            pk=other.pk,
            case_number=other.case_number if other.pk in visible else None,
            unit=other.organisation.name,
            unit_email=other.organisation.email,
            held=other.held,
        )
        for other in others
    ]


def other_records_shown(
    actor: Actor, person: Person
) -> tuple[list[OtherRecordView], list[OtherRecordView]]:
    """The likely duplicates and the linked records of ``person`` as the person page shows
    them (``possible_duplicates_for``, ``linked_records_for``); showing any is audited here as
    ``identity.matches_shown`` with the records' ids (I7)."""
    duplicates = possible_duplicates_for(actor, person)
    linked = linked_records_for(actor, person)
    if duplicates or linked:
        log_event(
            "identity.matches_shown",
            obj=person,
            details={
                "duplicates": [view.pk for view in duplicates],
                "in_scope": [view.pk for view in duplicates if view.in_scope],
                "linked": [view.pk for view in linked],
            },
        )
    return duplicates, linked


def get_possible_duplicate_for_user(
    actor: Actor, pk: int, other_pk: int, *, shown: bool = False
) -> tuple[Person, OtherRecordView]:
    """A person the actor may see and one of the likely matches they are told about; Http404
    for anything else (another record that is no likely match reveals nothing). With ``shown``
    the pair is displayed (the page deciding on it), and the read is audited here as
    ``identity.match_viewed`` (I7)."""
    person = get_person_for_user(actor, pk)
    for view in possible_duplicates_for(actor, person):
        if view.pk == other_pk:
            if shown:
                log_event(
                    "identity.match_viewed",
                    obj=person,
                    details={"other": view.pk, "in_scope": view.in_scope},
                )
            return person, view
    raise Http404


def _units_of(ids: list[int]) -> dict[int, tuple[str, str]]:
    rows = Person.objects.filter(pk__in=ids).values_list(
        "pk", "organisation__name", "organisation__email"
    )
    return {pk: (name, email) for pk, name, email in rows}
