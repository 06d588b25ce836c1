"""Blocking conflicts and their escalation to the Ombudsman (I1: an override is never silent).

A blocking conflict is a person under an active hold on the manifest of an open operation. It
can only arise when a hold is placed on someone already on a manifest (every path onto a
manifest refuses held persons). A child (or a person whose age is disputed) without a completed
child screening on a *confirmed* operation is one too (ADR 0014): it arises when the age is
recorded, or disputed, after the operation was confirmed. Each conflict gets one open
REMOVAL_CONFLICT escalation, raised through ``atpazit.escalations.services.raise_escalation``
and resolved automatically, with an audit event, when the person leaves the manifest, the hold
is released (the child is screened) or the operation ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from atpazit.accounts.access import Actor
from atpazit.cases.matching import likely_matches, linked_ids
from atpazit.cases.models import Hold, Person
from atpazit.escalations.models import Escalation
from atpazit.escalations.services import (
    close_cleared_escalation,
    raise_escalation,
    update_escalation_summary,
)
from atpazit.removals.models import OPEN_STATUSES, ManifestEntry, RemovalOperation
from atpazit.removals.selectors import ManifestRow, conflicts_for
from atpazit.screening.children import child_screenings
from atpazit.screening.models import ScreeningSession

# The escalation's summary code, by the kind of conflict.
HELD_ON_MANIFEST = "removals.held_person_on_manifest"
CHILD_NOT_SCREENED_ON_MANIFEST = "removals.child_not_screened_on_manifest"
# A child conflict that ended because the age data changed, not because the child was screened.
AGE_EVIDENCE_CHANGED = "age_evidence_changed"


@dataclass(frozen=True)
class ConflictSync:
    raised: int = 0
    resolved: int = 0


def conflict_subject(operation: RemovalOperation) -> str:
    return f"{operation._meta.label_lower}:{operation.pk}"


def sync_conflict_escalations(
    *,
    operation: RemovalOperation,
    actor: Actor | None = None,
    conflicts: list[ManifestRow] | None = None,
) -> ConflictSync:
    """Make the Ombudsman's escalations match the operation's blocking conflicts.

    One REMOVAL_CONFLICT escalation is open per held person on an open operation — raised
    once, never duplicated — and it is resolved when the person leaves the manifest, the
    hold is released or the operation ends. Called by the hold services after placing or
    releasing a hold (through ``sync_conflicts_for_person``), by every manifest write and
    refusal, and by the operation and pre-departure pages, so a conflict is never silent.

    When nothing changed it only reads (a constant number of queries, no write lock); a page
    that has just computed the operation's ``conflicts`` passes them in. Changes are made
    under a lock of the operation row, after reading again, so two concurrent calls never
    raise the same escalation twice.
    """
    status, escalated = _state(operation)
    if conflicts is None or status not in OPEN_STATUSES:
        conflicts = conflicts_for(operation) if status in OPEN_STATUSES else []
    wanted = {row.person.case_number: conflict_code(row) for row in conflicts}
    if wanted == {number: escalation.summary_code for number, escalation in escalated.items()}:
        return ConflictSync()
    with transaction.atomic():
        status, escalated = _state(operation, lock=True)
        current = (
            {row.person.case_number: row for row in conflicts_for(operation)}
            if status in OPEN_STATUSES
            else {}
        )
        to_raise = [row for number, row in current.items() if number not in escalated]
        stale = [escalation for number, escalation in escalated.items() if number not in current]
        for row in to_raise:
            _raise_conflict(operation, row, actor)
        for number, row in current.items():
            # Still a conflict, of another kind now (an unscreened child then held, or the
            # reverse): the summary follows what the conflict is today.
            if number in escalated and escalated[number].summary_code != conflict_code(row):
                update_escalation_summary(
                    escalation=escalated[number],
                    summary_code=conflict_code(row),
                    updated_by=actor.user if actor else None,
                )
        for escalation in stale:
            reason = _resolution(operation, escalation, status in OPEN_STATUSES)
            if reason == AGE_EVIDENCE_CHANGED:
                # The age was un-disputed or changed, not the child screened: one officer's edit
                # must not close the Ombudsman's question for them. It stays open; they close it.
                continue
            _resolve_conflict(operation, escalation, actor, reason=reason)
    return ConflictSync(raised=len(to_raise), resolved=len(stale))


def _state(
    operation: RemovalOperation, *, lock: bool = False
) -> tuple[str | None, dict[str, Escalation]]:
    """The operation's status and its open conflict escalations by case number."""
    operations = RemovalOperation.objects.filter(pk=operation.pk)
    if lock:
        operations = operations.select_for_update()
    status = operations.values_list("status", flat=True).first()
    open_escalations = Escalation.objects.filter(
        kind=Escalation.Kind.REMOVAL_CONFLICT,
        subject=conflict_subject(operation),
        resolved_at__isnull=True,
    )
    return status, {escalation.case_number: escalation for escalation in open_escalations}


def sync_conflicts_for_person(*, person: Person, actor: Actor | None = None) -> ConflictSync:
    """Re-check the conflicts of every open operation ``person`` is on — or any record a hold
    on them applies to: the records linked with them and their likely duplicates (with their
    linked records). The hold and identity services call this right after a hold is placed or
    released, a record's identity changed or two records were linked, in the same transaction."""
    raised = resolved = 0
    affected = _affected_persons(person)
    operations = RemovalOperation.objects.filter(
        manifest__person__in=[pk for pk, _number in affected], status__in=OPEN_STATUSES
    ).distinct()
    subjects = Escalation.objects.filter(
        kind=Escalation.Kind.REMOVAL_CONFLICT,
        case_number__in=[number for _pk, number in affected],
        resolved_at__isnull=True,
    ).values_list("subject", flat=True)
    closed = RemovalOperation.objects.filter(
        pk__in=[_subject_pk(s) for s in subjects if _subject_pk(s) is not None]
    )
    for operation in {*operations, *closed}:
        result = sync_conflict_escalations(operation=operation, actor=actor)
        raised, resolved = raised + result.raised, resolved + result.resolved
    return ConflictSync(raised=raised, resolved=resolved)


def _affected_persons(person: Person) -> list[tuple[int, str]]:
    """(id, case number) of the person, their linked records, their likely duplicates and
    the records linked with those: everyone whose removal a hold on ``person`` may stop."""
    ids = linked_ids(person)
    for duplicates in likely_matches(ids).values():
        ids |= {duplicate.other.pk for duplicate in duplicates}
    roots = Person.objects.filter(pk__in=ids, identity_root__isnull=False).values("identity_root")
    return list(
        Person.objects.filter(Q(pk__in=ids) | Q(identity_root__in=roots)).values_list(
            "pk", "case_number"
        )
    )


def on_open_operation(person: Person) -> bool:
    """Registered with ``cases.holds.OPEN_OPERATION_CHECKS``: the person, or a record linked
    with them, is on an operation that has not departed (planned or confirmed)."""
    return ManifestEntry.objects.filter(
        person__in=linked_ids(person), operation__status__in=OPEN_STATUSES
    ).exists()


def on_hold_changed(person: Person, actor: Actor | None) -> None:
    """Listener for atpazit.cases.holds.hold_changed: any hold placed or released re-checks the
    person's operations, so a conflict is escalated (or resolved) at once."""
    sync_conflicts_for_person(person=person, actor=actor)


def on_screening_decided(session: Any, actor: Actor | None) -> None:
    """Listener for ``screening.hooks.screening_decided``: a child screened as a child clears
    the conflict of a confirmed operation (ADR 0014), so its escalation is resolved at once."""
    sync_conflicts_for_person(person=session.person, actor=actor)


def _subject_pk(subject: str) -> int | None:
    prefix = f"{RemovalOperation._meta.label_lower}:"
    tail = subject.removeprefix(prefix)
    return int(tail) if subject.startswith(prefix) and tail.isdigit() else None


def _raise_conflict(operation: RemovalOperation, row: ManifestRow, actor: Actor | None) -> None:
    raise_escalation(
        kind=Escalation.Kind.REMOVAL_CONFLICT,
        subject=operation,
        responsible_organisation=operation.organisation,
        summary_code=conflict_code(row),
        case_number=row.person.case_number,
        raised_by=actor.user if actor else None,
    )


def conflict_code(row: ManifestRow) -> str:
    """What the conflict is now, as the escalation's summary code (labels in
    escalations/labels.py): a suspicion recorded for the person (or a linked record), another
    hold placed on them, a hold found on a likely duplicate, or a child not screened as one.
    Read from the row (no query), so the sync's read-only path can compare it."""
    if not row.is_held:
        return CHILD_NOT_SCREENED_ON_MANIFEST
    if Hold.Cause.SUSPICION in row.hold_causes:
        return "removals.suspicion_on_manifest"
    if row.hold_causes:
        return "removals.hold_on_manifest"
    return HELD_ON_MANIFEST


def _resolution(operation: RemovalOperation, escalation: Escalation, is_open: bool) -> str:
    if not is_open:
        return "operation_closed"
    still_listed = ManifestEntry.objects.filter(
        operation=operation, person__case_number=escalation.case_number
    ).exists()
    if not still_listed:
        return "removed_from_manifest"
    if escalation.ever_had(CHILD_NOT_SCREENED_ON_MANIFEST):
        # Once a child question, only a child screening answers it (a hold released since
        # does not): otherwise the Ombudsman closes it.
        return (
            "child_screened" if _screened_as_child(escalation.case_number) else AGE_EVIDENCE_CHANGED
        )
    return "hold_released"


def _screened_as_child(case_number: str) -> bool:
    """Whether the person (or a record linked with them) has a decided child screening."""
    person = Person.objects.filter(case_number=case_number).first()
    if person is None:
        return False
    return ScreeningSession.objects.filter(
        child_screenings(), person__in=linked_ids(person)
    ).exists()


def _resolve_conflict(
    operation: RemovalOperation, escalation: Escalation, actor: Actor | None, *, reason: str
) -> None:
    # resolve_escalation is the Ombudsman's manual close (their permission, their note); a
    # conflict that cleared is closed with a system resolution code (escalations/labels.py).
    close_cleared_escalation(
        escalation=escalation,
        code=reason,
        closed_by=actor.user if actor else None,
        details={"operation": operation.pk, "reason": reason},
    )
