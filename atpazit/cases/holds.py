"""The one guard every removal path calls (invariant I1)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from atpazit.cases import matching
from atpazit.cases.matching import PossibleDuplicate
from atpazit.cases.models import Hold, Person


@dataclass(frozen=True)
class RemovalObstacle:
    """Something other than a hold that stops a removal step for now (e.g. "re-screen before
    removal"). ``code`` is stable (audit details, tests); ``message`` is translated."""

    code: str
    message: str


class RemovalBlocked(Exception):
    """A removal step was refused: the person is under an active hold — directly, through a
    record linked as the same human, or through a likely unresolved duplicate that is held — or
    a registered removal precondition is not met (``obstacles``).

    ``holds`` are every active hold that applies (the person's, the linked records', the
    duplicates'); ``linked_holds`` those on linked records; ``duplicates`` the likely matches
    with an active hold that nobody has resolved."""

    def __init__(
        self,
        person: Person,
        holds: list[Hold],
        obstacles: list[RemovalObstacle] | None = None,
        *,
        duplicates: list[PossibleDuplicate] | None = None,
    ) -> None:
        self.person = person
        self.obstacles = list(obstacles or [])
        self.duplicates = list(duplicates or [])
        self.holds = list(holds)
        self.linked_holds = [hold for hold in holds if hold.person_id != person.pk]
        for duplicate in self.duplicates:
            self.holds += [hold for hold in duplicate.holds if hold not in self.holds]
        super().__init__(self._message(holds))

    def _message(self, holds: list[Hold]) -> str:
        parts = []
        own = [hold for hold in holds if hold.person_id == self.person.pk]
        if own:
            parts.append(
                _(
                    "%(case)s is under a removal hold (%(causes)s): they cannot be put on a manifest, "
                    "marked departed or have a removal confirmed until the hold is released by a recorded decision."
                )
                % {"case": self.person.case_number, "causes": _causes(own)}
            )
        if self.linked_holds:
            parts.append(
                _(
                    "%(case)s is linked as the same person with a record under a removal hold "
                    "(%(causes)s): the hold applies to every linked record."
                )
                % {"case": self.person.case_number, "causes": _causes(self.linked_holds)}
            )
        if self.duplicates:
            parts.append(
                _(
                    "%(case)s may be the same person as a record under a removal hold (%(where)s). "
                    "No removal step can go ahead until a case officer links the records as one "
                    "person or confirms, with a reason, that they are different people."
                )
                % {
                    "case": self.person.case_number,
                    "where": "; ".join(
                        describe_duplicate(duplicate, self.person.organisation_id)
                        for duplicate in self.duplicates
                    ),
                }
            )
        if self.obstacles:
            parts.append(
                _(
                    "%(case)s cannot be put on a manifest, marked departed or have a removal confirmed yet: %(reasons)s"
                )
                % {
                    "case": self.person.case_number,
                    "reasons": " ".join(obstacle.message for obstacle in self.obstacles),
                }
            )
        return " ".join(parts)

    @property
    def summary(self) -> str:
        """Short: the hold causes (saying where a hold is not the person's own) and the
        obstacles, for a list of blocked persons."""
        causes = list(dict.fromkeys(str(hold.get_cause_display()) for hold in self.holds))
        if self.duplicates:
            causes.append(_("on a likely duplicate"))
        elif self.linked_holds:
            causes.append(_("on a linked record"))
        return ", ".join(causes + [obstacle.message for obstacle in self.obstacles])

    @property
    def codes(self) -> dict[str, list[Any]]:
        """For audit details: hold ids, duplicate record ids and obstacle codes, never text."""
        return {
            "holds": [hold.pk for hold in self.holds],
            "duplicates": [duplicate.other.pk for duplicate in self.duplicates],
            "obstacles": [obstacle.code for obstacle in self.obstacles],
        }


def _causes(holds: list[Hold]) -> str:
    return ", ".join(dict.fromkeys(str(hold.get_cause_display()) for hold in holds))


def describe_duplicate(duplicate: PossibleDuplicate, unit_id: int) -> str:
    """The other record as the person's own unit may see it: its case number if it is the
    unit's own record, otherwise only the holding unit and how to reach it (no personal data)."""
    if duplicate.other.organisation_id == unit_id:
        return duplicate.other.case_number
    organisation = duplicate.holds[0].person.organisation if duplicate.holds else None
    if organisation is None:
        return _("a record of another unit")
    if organisation.email:
        return _("a record of %(unit)s, contact %(email)s") % {
            "unit": organisation.name,
            "email": organisation.email,
        }
    return _("a record of %(unit)s") % {"unit": organisation.name}


def active_holds(person: Person) -> list[Hold]:
    """Active holds on the person and on every record linked with them (one query)."""
    linked = Q(person=person)
    if person.identity_root_id is not None:
        linked |= Q(person__identity_root_id=person.identity_root_id)
    return list(Hold.objects.active().filter(linked).order_by("started_at", "pk"))


def ensure_no_active_hold(person: Person, *, confirmed: bool = True) -> None:
    """Raise RemovalBlocked if a hold applies to ``person`` — their own, one on a record linked
    as the same human, or one on a likely duplicate nobody has resolved — or if a registered
    removal precondition is not met. ``confirmed`` says the step is a confirmed removal
    (confirming an operation, the manifest of a confirmed one, *removal planned*, *departed*);
    only putting someone on an operation that is not confirmed yet passes False, which skips
    the preconditions registered ``confirmed_only`` (the child screening). Every removal path
    calls this inside its transaction, after locking the person row; the linked records' rows
    are locked here too, so a hold placed concurrently on any of them is not missed (placing a
    hold locks the held record's row). A hold placed at the same moment on an *unlinked*
    likely duplicate is caught by the conflict check that every hold placement runs.
    A constant number of queries."""
    blocked = removal_blocks([person], confirmed=confirmed).get(person.pk)
    if blocked is not None:
        raise blocked


def removal_blocks(
    persons: list[Person], *, lock: bool = True, confirmed: bool = True
) -> dict[int, RemovalBlocked]:
    """What the guard would raise for each of ``persons`` (locked by the caller), in a
    constant number of queries: the removal services and the pre-departure check call it for a
    whole manifest at once. With ``lock`` (inside a transaction: every removal path) the rows
    of the records linked with them are locked first; pages and file checks read without.
    ``confirmed`` as for ``ensure_no_active_hold`` (deny when unsure: True unless the caller
    knows the step is only a planned operation's manifest)."""
    if not persons:
        return {}
    roots = {person.identity_root_id for person in persons if person.identity_root_id}
    group: dict[int | None, list[int]] = defaultdict(list)
    if roots:
        linked = Person.objects.filter(identity_root_id__in=roots)
        if lock:
            linked = linked.select_for_update()
        for pk, root in linked.order_by("pk").values_list("pk", "identity_root_id"):
            group[root].append(pk)
    ids = {person.pk for person in persons}
    holds_q = Q(person_id__in=ids)
    if roots:
        holds_q |= Q(person__identity_root_id__in=roots)
    holds = list(Hold.objects.active().filter(holds_q).order_by("started_at", "pk"))
    members = {person.pk: group.get(person.identity_root_id, [person.pk]) for person in persons}
    duplicates = matching.blocking_matches({pk for pks in members.values() for pk in pks} | ids)
    obstacles = removal_obstacles(sorted(ids), confirmed=confirmed)
    blocks = {}
    for person in persons:
        own = set(members[person.pk]) | {person.pk}
        applying = [hold for hold in holds if hold.person_id in own]
        found = [duplicate for pk in sorted(own) for duplicate in duplicates.get(pk, [])]
        found = [duplicate for duplicate in found if duplicate.other.pk not in own]
        pending = obstacles.get(person.pk, [])
        if applying or found or pending:
            blocks[person.pk] = RemovalBlocked(person, applying, pending, duplicates=_unique(found))
    return blocks


def _unique(duplicates: list[PossibleDuplicate]) -> list[PossibleDuplicate]:
    seen: set[int] = set()
    unique = []
    for duplicate in duplicates:
        if duplicate.other.pk not in seen:
            seen.add(duplicate.other.pk)
            unique.append(duplicate)
    return unique


# --- removal preconditions ----------------------------------------------------------------------
# Besides holds, other apps may need something done before a person is removed (the referral
# work: "re-screen before removal" after a hold was released). They register a check here from
# AppConfig.ready(), so cases never imports them and every removal path (which all go through
# ensure_no_active_hold) enforces it. A check takes person ids and answers, in a fixed number of
# queries, the obstacles per person id (persons without any are left out).
# A check registered ``confirmed_only`` stops a *confirmed* removal only (confirming an
# operation, a confirmed operation's manifest, removal planned, departed), not putting someone
# on an operation still being planned: the screening app's "a child must be screened" (ADR 0014).

RemovalPrecondition = Callable[[list[int]], dict[int, list[RemovalObstacle]]]

_REMOVAL_PRECONDITIONS: list[tuple[RemovalPrecondition, bool]] = []


def register_removal_precondition(
    check: RemovalPrecondition, *, confirmed_only: bool = False
) -> None:
    if all(registered is not check for registered, _only in _REMOVAL_PRECONDITIONS):
        _REMOVAL_PRECONDITIONS.append((check, confirmed_only))


def removal_obstacles(
    person_ids: Iterable[int], *, confirmed: bool = True
) -> dict[int, list[RemovalObstacle]]:
    """Every registered precondition's obstacles for these persons (one call per check);
    without ``confirmed``, those registered ``confirmed_only`` are not asked."""
    ids = list(person_ids)
    found: dict[int, list[RemovalObstacle]] = {}
    if not ids:
        return found
    for check, confirmed_only in _REMOVAL_PRECONDITIONS:
        if confirmed_only and not confirmed:
            continue
        for pk, obstacles in check(ids).items():
            found.setdefault(pk, []).extend(obstacles)
    return found


# --- release conditions -------------------------------------------------------------------------
# A hold is released only when its release conditions hold (I1). Each cause has its own rules;
# the referral work registers the rules of the causes it creates (reflection period running,
# referral track still open...). A cause with no registered rule cannot be released at all:
# deny when unsure.

ReleaseCondition = Callable[[Hold], list[str]]

_RELEASE_CONDITIONS: dict[str, list[ReleaseCondition]] = {}


def register_release_condition(cause: str, condition: ReleaseCondition) -> None:
    """Add a rule for holds of ``cause``: it returns translated reasons why release must wait,
    or an empty list. Called from AppConfig.ready() of the app that owns the cause."""
    conditions = _RELEASE_CONDITIONS.setdefault(cause, [])
    if condition not in conditions:
        conditions.append(condition)


def release_blockers(hold: Hold) -> list[str]:
    """Translated reasons why ``hold`` cannot be released now; empty when it may be."""
    if not hold.is_active:
        return [_("This hold has already been released.")]
    conditions = _RELEASE_CONDITIONS.get(hold.cause)
    if conditions is None:
        return [
            _(
                "No release rule exists yet for holds of this cause (%(cause)s); it stays in force "
                "until the identification workflow decides."
            )
            % {"cause": hold.get_cause_display()}
        ]
    return [reason for condition in conditions for reason in condition(hold)]


def _manual_hold_conditions(hold: Hold) -> list[str]:
    # A manual hold is the Border Guard's own precaution; a recorded decision may end it.
    return []


register_release_condition(Hold.Cause.MANUAL, _manual_hold_conditions)


# Called after a hold is placed or released, inside the same transaction, with (person, actor).
# The removals app registers its conflict check here, so a hold on someone already on a manifest
# becomes a blocking conflict at once — without cases importing removals.
HOLD_CHANGE_LISTENERS: list[Callable[[Person, Any], None]] = []


def hold_changed(person: Person, actor: Any = None) -> None:
    for listener in HOLD_CHANGE_LISTENERS:
        listener(person, actor)


# Called when a hold starts (placed) or ends (released), inside the same transaction, with
# (hold, change) where change is "started" or "released". The webhooks app registers here to
# announce the change to the organisations that may see the hold, after the commit.
HOLD_LIFECYCLE_LISTENERS: list[Callable[[Hold, str], None]] = []


def hold_lifecycle(hold: Hold, change: str) -> None:
    for listener in HOLD_LIFECYCLE_LISTENERS:
        listener(hold, change)


# Whether a person (or a record linked with them) is on a removal operation that has not
# departed yet: the removals app registers its answer, so cases never imports it. A change of
# age evidence that takes such a person off the child path needs four eyes (ADR 0021).
OPEN_OPERATION_CHECKS: list[Callable[[Person], bool]] = []


def on_open_operation(person: Person) -> bool:
    return any(check(person) for check in OPEN_OPERATION_CHECKS)
