"""Permission-aware reads of removal operations, their conflicts and the pre-departure check.

Every function here runs a fixed number of queries, whatever the size of the manifest: the
operation page and the pre-departure check of a 200-person charter cost the same as of one
person (DESIGN §9; pinned by tests with django_assert_num_queries).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.access import Actor
from atpazit.accounts.roles import OrganisationType
from atpazit.audit.services import log_event
from atpazit.cases.holds import (
    RemovalBlocked,
    RemovalObstacle,
    describe_duplicate,
    removal_blocks,
)
from atpazit.cases.models import AppealStatus, Hold, Person, ReturnDecisionType
from atpazit.cases.rules import is_child
from atpazit.removals.hooks import ManifestAlert, manifest_alerts
from atpazit.removals.models import OPEN_STATUSES, ManifestEntry, RemovalOperation
from atpazit.screening.children import CHILD_NOT_SCREENED

READ = "removals.operation:read"
WRITE = "removals.operation:write"
# The only person and hold fields the manifest pages, the check and the export use. Loading just
# these skips decrypting names and reasons on every row. (The date of birth is loaded: it
# decides the child path.)
MANIFEST_PERSON_FIELDS = (
    "case_number",
    "organisation_id",
    "status",
    "nationality",
    "sex",
    "date_of_birth",
    "birth_year",
    "stated_age",
    "age_disputed",
    "preferred_language",
    "interpreter_needed",
    "appeal_status",
    "return_decision_type",
)
MANIFEST_HOLD_FIELDS = ("person_id", "cause", "started_at", "released_at")


# --- Which operations an actor may see ----------------------------------------------------


def operations_visible_to(actor: Actor) -> QuerySet[RemovalOperation]:
    """Border Guard users see their own unit's operations; the Ombudsman's Office (the
    forced-return monitor) sees every operation; everyone else sees none (deny when unsure)."""
    organisation = actor.organisation
    if organisation is None or not actor.can(READ):
        return RemovalOperation.objects.none()
    if organisation.type == OrganisationType.OMBUDSMAN:
        return RemovalOperation.objects.all()
    if organisation.type == OrganisationType.BORDER_GUARD:
        return RemovalOperation.objects.filter(organisation=organisation)
    return RemovalOperation.objects.none()


def get_operation_for_user(actor: Actor, pk: int, *, write: bool = False) -> RemovalOperation:
    """The operation ``pk`` if the actor may see it, else Http404 (its existence stays hidden).

    With ``write=True`` the actor must also hold the write permission in the operation's own
    unit, else PermissionDenied (a monitor may read an operation but never change it).
    """
    try:
        operation = operations_visible_to(actor).select_related("organisation").get(pk=pk)
    except RemovalOperation.DoesNotExist as exc:
        raise Http404 from exc
    if write and not may_change(actor, operation):
        raise PermissionDenied
    return operation


def may_change(actor: Actor, operation: RemovalOperation) -> bool:
    """Only the unit that runs an operation plans it, and only with the write permission."""
    organisation = actor.organisation
    return (
        actor.can(WRITE)
        and organisation is not None
        and organisation.type == OrganisationType.BORDER_GUARD
        and operation.organisation_id == organisation.pk
    )


def may_take_off(actor: Actor, operation: RemovalOperation) -> bool:
    """Taking a person off a manifest is always safe for the person: whoever may change the
    operation may, and so may its escort leader in the unit running it, who answers a monitor's
    request to take someone off (monitoring, issue 12 item 4). Adding someone stays with
    ``may_change``."""
    if may_change(actor, operation):
        return True
    organisation = actor.organisation
    return (
        actor.can(READ)
        and organisation is not None
        and organisation.type == OrganisationType.BORDER_GUARD
        and operation.organisation_id == organisation.pk
        and operation.escort_leader_id is not None
        and operation.escort_leader_id == actor.user.pk
    )


# --- Lists ------------------------------------------------------------------------------


def _active_hold_on(person_ref: str) -> Exists:
    """An active hold on the person or on a record linked with them as the same human (SQL:
    the interview-before-departure list leaves out held persons with it). A likely, unresolved
    duplicate that is held is found by ``removal_blocks``, which every conflict count uses."""
    linked = Q(person=OuterRef(person_ref)) | Q(
        person__identity_root_id__isnull=False,
        person__identity_root_id=OuterRef(f"{person_ref}__identity_root_id"),
    )
    return Exists(Hold.objects.active().filter(linked))


def _count_of(entries: QuerySet[ManifestEntry]) -> Coalesce:
    counted = entries.order_by().values("operation").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_manifest_counts(operations: QuerySet[RemovalOperation]) -> QuerySet[RemovalOperation]:
    """Annotate ``manifest_count`` with a subquery, so a page of operations stays one query.
    (The conflict count is not SQL: ``with_conflict_counts`` on the page's operations.)"""
    entries = ManifestEntry.objects.filter(operation=OuterRef("pk"))
    return operations.annotate(manifest_count=_count_of(entries))


def filter_operations(
    operations: QuerySet[RemovalOperation],
    *,
    status: str = "",
    departs_from: datetime.date | None = None,
    departs_until: datetime.date | None = None,
    country: str = "",
) -> QuerySet[RemovalOperation]:
    """Narrow a visible list by status, departure window (dates inclusive) and country."""
    if status:
        operations = operations.filter(status=status)
    if departs_from:
        operations = operations.filter(departure_at__gte=_start_of(departs_from))
    if departs_until:
        next_day = departs_until + datetime.timedelta(days=1)
        operations = operations.filter(departure_at__lt=_start_of(next_day))
    if country:
        operations = operations.filter(country_of_return=country.upper())
    return operations


def countries_of(operations: QuerySet[RemovalOperation]) -> list[str]:
    """The countries of return that occur among ``operations`` (for the list's filter)."""
    return list(operations.order_by().values_list("country_of_return", flat=True).distinct())


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def operations_with_conflicts(actor: Actor) -> list[RemovalOperation]:
    """Open operations the actor can see that have at least one blocking conflict (the same
    rule as the operation page: ``conflict_counts``), soonest first, each with
    ``manifest_count`` and ``conflict_count``."""
    operations = list(
        with_manifest_counts(operations_visible_to(actor).filter(status__in=OPEN_STATUSES))
        .select_related("organisation")
        .order_by("departure_at", "pk")
    )
    return [operation for operation in with_conflict_counts(operations) if operation.conflict_count]  # type: ignore[attr-defined]


# --- Conflicts and the pre-departure check ---------------------------------------------------


class ScreeningStatus(Enum):
    """Where the person stands in screening, as the pre-departure check shows it."""

    NOT_SCREENED = "not_screened"
    SCREENED = "screened"
    SUSPICION_RAISED = "suspicion_raised"

    @property
    def label(self) -> str | Promise:
        return {
            ScreeningStatus.NOT_SCREENED: _("not screened"),
            ScreeningStatus.SCREENED: _("screened"),
            ScreeningStatus.SUSPICION_RAISED: _("suspicion raised"),
        }[self]


def screening_statuses(persons: list[Person]) -> dict[int, ScreeningStatus]:
    """HOOK for the screening app: each person's latest screening status, in ONE query.

    The latest *decided* screening counts (an interview still in progress is not a screening
    yet). Each person also gets ``latest_screening``: a ``screening.selectors.LatestScreening``
    (``completed_at``, ``stage``/``stage_label``, ``recommendation``/``recommendation_label``,
    ``decision``/``decision_label``, ``session_id``) or None, for the check to show.
    """
    from atpazit.screening.selectors import latest_screenings

    latest = latest_screenings(person.pk for person in persons)
    statuses = {}
    for person in persons:
        screening = latest.get(person.pk)
        person.latest_screening = screening  # type: ignore[attr-defined]
        if screening is None:
            statuses[person.pk] = ScreeningStatus.NOT_SCREENED
        elif screening.raised_suspicion:
            statuses[person.pk] = ScreeningStatus.SUSPICION_RAISED
        else:
            statuses[person.pk] = ScreeningStatus.SCREENED
    return statuses


@dataclass(frozen=True)
class Flag:
    """Something the escort leader or the monitor should notice about a returnee."""

    code: str
    label: str | Promise
    level: str  # "danger", "warn" or "info" (the badge style)


@dataclass(frozen=True)
class ManifestRow:
    entry: ManifestEntry
    person: Person
    holds: list[Hold]
    screening: ScreeningStatus
    # Under 18 by any evidence, or age disputed, on the day of departure: the child path (I4).
    is_child: bool
    flags: list[Flag] = field(default_factory=list)
    # R7: the latest decided screening asks for a closer interview before departure, and no
    # hold blocks the person (a hold is the stronger, blocking signal). Advice, never a block.
    interview_before_departure: bool = False
    # Registered removal preconditions not met (e.g. "re-screen before removal"): the removal
    # steps refuse this person just as they refuse a held one, though it is no hold.
    obstacles: list[RemovalObstacle] = field(default_factory=list)
    # Why a hold applies beyond the person's own: a linked record, a likely held duplicate.
    notes: list[str] = field(default_factory=list)
    # The operation is confirmed (its removal is decided), so a step still to do is a conflict.
    on_confirmed: bool = False
    # Causes of the active holds on the person's own record and the records linked with them
    # (not a likely duplicate's): what the conflict escalation's summary says happened.
    hold_causes: frozenset[str] = frozenset()

    @property
    def is_held(self) -> bool:
        """Held directly, through a linked record, or through a likely unresolved duplicate."""
        return bool(self.holds) or bool(self.notes)

    @property
    def child_not_screened(self) -> bool:
        """A child or age-disputed person without a completed child screening (ADR 0014)."""
        return any(obstacle.code == CHILD_NOT_SCREENED for obstacle in self.obstacles)

    @property
    def is_conflict(self) -> bool:
        """A held person on a manifest (I1), or an unscreened child on a *confirmed* operation
        (I4, ADR 0014): the operation must not go ahead with them. (On an operation still being
        planned the unscreened child is only *blocked*: confirming is refused until screened.)"""
        return self.is_held or (self.on_confirmed and self.child_not_screened)

    @property
    def is_blocked(self) -> bool:
        """Held, or a removal precondition not met: confirming or completing is refused."""
        return bool(self.holds or self.obstacles or self.notes)


@dataclass(frozen=True)
class PreDepartureCheck:
    operation: RemovalOperation
    rows: list[ManifestRow]

    # Computed once: the pages ask for each of these several times.
    @cached_property
    def conflicts(self) -> list[ManifestRow]:
        return [row for row in self.rows if row.is_conflict]

    @cached_property
    def held(self) -> list[ManifestRow]:
        return [row for row in self.rows if row.is_held]

    @cached_property
    def unscreened_children(self) -> list[ManifestRow]:
        """Blocking conflicts of a confirmed operation: children not screened as children."""
        return [row for row in self.rows if row.is_conflict and not row.is_held]

    @cached_property
    def blocked(self) -> list[ManifestRow]:
        """Blocked without a hold: a removal precondition is not met yet."""
        return [row for row in self.rows if row.obstacles and not row.is_conflict]

    @cached_property
    def children(self) -> list[ManifestRow]:
        return [row for row in self.rows if row.is_child]

    @cached_property
    def interviews(self) -> list[ManifestRow]:
        return [row for row in self.rows if row.interview_before_departure]

    @cached_property
    def not_screened(self) -> list[ManifestRow]:
        return [row for row in self.rows if row.screening is ScreeningStatus.NOT_SCREENED]

    @cached_property
    def alerts(self) -> list[ManifestAlert]:
        """What the apps above removals ask the escort leader to act on before departure
        (``removals.hooks``: a monitor's signs of trafficking), about persons on the manifest."""
        return manifest_alerts(self.operation, self.rows)


def _manifest_entries(*operations: RemovalOperation) -> list[ManifestEntry]:
    active = Hold.objects.active().only(*MANIFEST_HOLD_FIELDS).order_by("started_at", "pk")
    entries = ManifestEntry.objects.filter(operation__in=[operation.pk for operation in operations])
    return list(
        entries.select_related("person")
        .only(
            "operation_id",
            "added_by_id",
            "added_at",
            *(f"person__{name}" for name in MANIFEST_PERSON_FIELDS),
            "person__identity_root_id",
        )
        .prefetch_related(
            # Prefetched, not joined: one instance per officer, not one per row.
            "added_by",
            Prefetch("person__holds", queryset=active, to_attr="active_holds"),
        )
        .order_by("person__case_number")
    )


def conflicts_for(operation: RemovalOperation) -> list[ManifestRow]:
    """Every person on the manifest to whom a hold applies (their own, a linked record's, or a
    likely unresolved duplicate's), with the holds, and on a confirmed operation every child
    not screened as one: the blocking conflicts of the operation (I1, I4). A constant number of
    queries, whatever the manifest size."""
    return [row for row in _rows(_manifest_entries(operation), [operation]) if row.is_conflict]


def conflict_counts(operations: list[RemovalOperation]) -> dict[int, int]:
    """The number of blocking conflicts on each operation (0 on one that has ended): the very
    rows ``conflicts_for`` and the pre-departure check find, so the operation list, the
    dashboard panels, the operation page and the check never disagree. A constant number of
    queries for any number of operations."""
    counts = dict.fromkeys((operation.pk for operation in operations), 0)
    still_open = [operation for operation in operations if operation.status in OPEN_STATUSES]
    if not still_open:
        return counts
    for row in _rows(_manifest_entries(*still_open), still_open):
        if row.is_conflict:
            counts[row.entry.operation_id] += 1
    return counts


def with_conflict_counts(operations: list[RemovalOperation]) -> list[RemovalOperation]:
    """Set ``conflict_count`` (``conflict_counts``) on each of ``operations`` (a page)."""
    counts = conflict_counts(operations)
    for operation in operations:
        operation.conflict_count = counts[operation.pk]  # type: ignore[attr-defined]
    return operations


def manifest_rows(operation: RemovalOperation) -> list[ManifestRow]:
    """The manifest with holds, screening status, child markers and flags (five queries)."""
    return pre_departure_check(operation).rows


# The pages that show an operation's manifest, and the read event each one leaves (I7).
SHOWN_ON = {
    "detail": "operation.viewed",
    "pre_departure": "operation.pre_departure_viewed",
}


def pre_departure_check(
    operation: RemovalOperation, *, shown_on: str | None = None
) -> PreDepartureCheck:
    """Everything the pre-departure check shows, for every person on the manifest.

    ``shown_on`` names the page (a key of ``SHOWN_ON``) that shows the manifest; the read is
    then audited here with the number of persons shown (I7). Internal uses (the export, the
    conflict sync) pass nothing.

    A fixed number of queries whatever the manifest size: entries with persons, the officers
    who added them, active holds, the screening hook's latest screenings, and
    ``cases.holds.removal_blocks`` (holds through linked records and likely duplicates, one
    query per registered removal precondition). Scope is the caller's business: pass an
    operation obtained through
    ``get_operation_for_user``.
    """
    rows = _rows(_manifest_entries(operation), [operation])
    # Blocking conflicts first, then those blocked by a step still to do, so the escort leader
    # and the monitor cannot miss one.
    rows.sort(key=lambda row: (not row.is_conflict, not row.is_blocked))
    if shown_on is not None:
        log_event(SHOWN_ON[shown_on], obj=operation, details={"persons": len(rows)})
    return PreDepartureCheck(operation=operation, rows=rows)


def _rows(entries: list[ManifestEntry], operations: list[RemovalOperation]) -> list[ManifestRow]:
    """The manifest rows of the ``entries`` of ``operations`` (one or several operations: the
    same queries either way)."""
    by_pk = {operation.pk: operation for operation in operations}
    persons = [entry.person for entry in entries]
    screening = screening_statuses(persons)
    # The guard's answer for every person (holds through linked records and likely
    # duplicates, removal preconditions), without locks: a page reads.
    blocks = removal_blocks(persons, lock=False)
    return [
        _row(entry, by_pk[entry.operation_id], screening, blocks.get(entry.person.pk))
        for entry in entries
    ]


def _row(
    entry: ManifestEntry,
    operation: RemovalOperation,
    screening: dict[int, ScreeningStatus],
    blocked: RemovalBlocked | None,
) -> ManifestRow:
    person = entry.person
    obstacles = blocked.obstacles if blocked is not None else []
    return ManifestRow(
        entry=entry,
        person=person,
        holds=_all_holds(person, blocked),
        screening=screening.get(person.pk, ScreeningStatus.NOT_SCREENED),
        # Under 18 or age disputed on the day of departure, or put on the child path by a linked
        # record or a likely unresolved duplicate that says so (the child-screening obstacle).
        is_child=is_child(person, timezone.localdate(operation.departure_at))
        or any(obstacle.code == CHILD_NOT_SCREENED for obstacle in obstacles),
        flags=_flags(person, operation),
        interview_before_departure=_asks_interview(person),
        obstacles=obstacles,
        notes=_block_notes(person, blocked),
        on_confirmed=operation.status == RemovalOperation.Status.CONFIRMED,
        hold_causes=_own_hold_causes(person, blocked),
    )


def _asks_interview(person: Person) -> bool:
    """From the screening hook's ``latest_screening``, already loaded: no query."""
    from atpazit.screening.hooks import asks_interview_before_departure

    latest = getattr(person, "latest_screening", None)
    if latest is None or person.active_holds:  # type: ignore[attr-defined]
        return False
    return asks_interview_before_departure(latest.recommendation, latest.decision)


def _all_holds(person: Person, blocked: RemovalBlocked | None) -> list[Hold]:
    own: list[Hold] = list(person.active_holds)  # type: ignore[attr-defined]
    if blocked is None:
        return own
    known = {hold.pk for hold in own}
    return own + [hold for hold in blocked.holds if hold.pk not in known]


def _own_hold_causes(person: Person, blocked: RemovalBlocked | None) -> frozenset[str]:
    own: list[Hold] = list(person.active_holds)  # type: ignore[attr-defined]
    linked = blocked.linked_holds if blocked is not None else []
    return frozenset(hold.cause for hold in own + linked)


def _block_notes(person: Person, blocked: RemovalBlocked | None) -> list[str]:
    if blocked is None:
        return []
    notes = []
    if blocked.linked_holds:
        notes.append(str(_("hold on a linked record of the same person")))
    for duplicate in blocked.duplicates:
        notes.append(
            str(_("likely the same person as a held record: %(record)s"))
            % {"record": describe_duplicate(duplicate, person.organisation_id)}
        )
    return notes


def _flags(person: Person, operation: RemovalOperation) -> list[Flag]:
    flags = []
    if person.appeal_status == AppealStatus.PENDING:
        flags.append(Flag("appeal_pending", _("appeal pending"), "danger"))
    if person.return_decision_type != ReturnDecisionType.FORCED_REMOVAL:
        flags.append(Flag("no_removal_decision", _("no forced-removal decision recorded"), "warn"))
    if person.nationality and person.nationality != operation.country_of_return:
        flags.append(
            Flag("other_country", _("returned to a country other than nationality"), "info")
        )
    return flags
