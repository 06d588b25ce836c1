"""The manifest: adding (one by one or by import) and taking persons off (I1 on every path)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.audit.models import AuditEvent
from atpazit.audit.services import log_event
from atpazit.cases.holds import ensure_no_active_hold, removal_blocks
from atpazit.cases.models import Person
from atpazit.cases.selectors import persons_visible_to
from atpazit.lib.errors import ServiceError
from atpazit.lib.spreadsheet import ImportProblem
from atpazit.removals import interviews, manifest_import
from atpazit.removals.conflicts import sync_conflict_escalations
from atpazit.removals.models import ManifestEntry, RemovalOperation
from atpazit.removals.selectors import may_change, may_take_off
from atpazit.removals.services.common import (
    Status,
    check_may_change,
    closed,
    locked,
    not_allowed,
    person_to,
    refusal_audited,
)


@dataclass(frozen=True)
class ManifestImport:
    """The outcome of an import: how many persons were added, or every problem found."""

    added: int = 0
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def add_to_manifest(*, actor: Actor, operation: RemovalOperation, person: Person) -> ManifestEntry:
    """Put ``person`` on the manifest of an open operation of the actor's unit.

    Raises RemovalBlocked if the person is under an active hold (I1), ServiceError if the
    person is not removable or already on this or another open operation. Refusals are audited.
    """
    with refusal_audited(actor, "manifest.add_refused", operation, person=person):
        return _add(actor, operation, person)


def add_case_to_manifest(
    *, actor: Actor, operation: RemovalOperation, case_number: str
) -> ManifestEntry:
    """``add_to_manifest`` for a case number typed by the user. An unknown case number and one
    of another unit get the same answer, so the form never reveals who exists elsewhere."""
    number = manifest_import.clean_case_number(case_number)
    person = (
        persons_visible_to(actor)
        .filter(case_number=number, organisation=operation.organisation_id)
        .first()
    )
    if person is None:
        log_event(
            "manifest.add_refused",
            obj=operation,
            outcome=AuditEvent.Outcome.DENIED,
            details={"reason": "unknown_case"},
        )
        raise ServiceError(
            manifest_import.unknown_case_message(number), code="unknown_case", field="case_number"
        )
    return add_to_manifest(actor=actor, operation=operation, person=person)


@transaction.atomic
def _add(actor: Actor, operation: RemovalOperation, person: Person) -> ManifestEntry:
    current = locked(operation)
    check_may_change(actor, current)
    if not current.manifest_is_open:
        raise closed(current)
    locked_person = Person.objects.select_for_update().get(pk=person.pk)
    problem = manifest_import.person_problem(
        current,
        locked_person,
        elsewhere=manifest_import.open_operations_of([locked_person.pk], current),
    )
    if problem:
        raise ServiceError(problem, code="not_removable", field="case_number")
    # A confirmed operation's manifest is a confirmed removal: its preconditions apply too.
    ensure_no_active_hold(locked_person, confirmed=current.status == Status.CONFIRMED)
    entry = ManifestEntry.objects.create(
        operation=current, person=locked_person, added_by=actor.user
    )
    if current.status == Status.CONFIRMED:
        person_to(actor, locked_person, Person.Status.REMOVAL_PLANNED)
    log_event(
        "manifest.person_added",
        obj=entry,
        details={"operation": current.pk, "person": locked_person.pk, "source": "form"},
    )
    interviews.on_persons_added(operation=current, persons=[locked_person], actor=actor)
    return entry


def remove_from_manifest(*, actor: Actor, entry: ManifestEntry) -> None:
    """Take a person off an open operation's manifest. Always allowed while the operation is
    open — it is how a blocking conflict is resolved — and resolves that conflict's escalation.
    A person taken off a confirmed operation goes back from "removal planned" to "registered".
    Whoever may change the operation may do it, and so may its escort leader (``may_take_off``:
    taking someone off is always safe for them), who answers a monitor's request to."""
    with refusal_audited(actor, "manifest.remove_refused", entry.operation):
        _remove(actor, entry)


@transaction.atomic
def _remove(actor: Actor, entry: ManifestEntry) -> None:
    operation = locked(entry.operation)
    if not may_take_off(actor, operation):
        raise not_allowed()
    if not operation.manifest_is_open:
        raise closed(operation)
    person = Person.objects.select_for_update().get(pk=entry.person_id)
    ManifestEntry.objects.filter(pk=entry.pk).delete()
    log_event(
        "manifest.person_removed",
        obj=entry,
        details={"operation": operation.pk, "person": person.pk},
    )
    if operation.status == Status.CONFIRMED:
        person_to(actor, person, Person.Status.REGISTERED)
    sync_conflict_escalations(operation=operation, actor=actor)


def import_manifest(
    *, actor: Actor, operation: RemovalOperation, data: bytes, filename: str
) -> ManifestImport:
    """Add every person listed in an uploaded CSV or XLSX file, or nobody (I8).

    Every row is checked first (see ``manifest_import``); any problem — unreadable file, wrong
    columns, unknown case number, duplicate, held person, bad date, formula — is returned with
    its row and column, and nothing is imported. Held persons are refused again, under lock,
    by the I1 guard while writing. Raises ServiceError only if the actor may not change the
    operation or it is closed.
    """
    if not may_change(actor, operation):
        raise not_allowed()
    if not operation.manifest_is_open:
        raise closed(operation)
    candidates, problems = manifest_import.validate(
        operation, data, filename, persons=persons_visible_to(actor)
    )
    if not problems:
        try:
            added = _write_import(actor, operation, candidates, filename)
        except _ImportRaced as exc:
            problems = exc.problems
        else:
            return ManifestImport(added=added)
    log_event(
        "manifest.import_refused",
        obj=operation,
        outcome=AuditEvent.Outcome.FAILURE,
        details={"problems": len(problems), "rows": len(candidates)},
    )
    return ManifestImport(problems=problems)


class _ImportRaced(Exception):
    """Internal: between checking and writing, something changed (e.g. a hold was placed)."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__("import raced")
        self.problems = problems


def _write_import(
    actor: Actor,
    operation: RemovalOperation,
    candidates: list[manifest_import.Candidate],
    filename: str,
) -> int:
    rows_of = {candidate.person.pk: candidate.row for candidate in candidates}
    try:
        with transaction.atomic():
            current = locked(operation)
            if not current.manifest_is_open:
                raise closed(current)
            persons = list(Person.objects.select_for_update().filter(pk__in=rows_of).order_by("pk"))
            _guard_imported(current, persons, rows_of)
            entries = ManifestEntry.objects.bulk_create(
                ManifestEntry(operation=current, person=person, added_by=actor.user)
                for person in persons
            )
            for person, entry in zip(persons, entries, strict=True):
                if current.status == Status.CONFIRMED:
                    person_to(actor, person, Person.Status.REMOVAL_PLANNED)
                source = {"operation": current.pk, "person": person.pk, "source": "import"}
                log_event("manifest.person_added", obj=entry, details=source)
            suffix = filename.rsplit(".", 1)[-1].lower()[:8]
            log_event(
                "manifest.imported", obj=current, details={"added": len(entries), "format": suffix}
            )
            interviews.on_persons_added(operation=current, persons=persons, actor=actor)
    except IntegrityError:
        message = _("The manifest changed while the file was being imported. Upload it again.")
        raise _ImportRaced([ImportProblem(None, None, message)]) from None
    return len(entries)


def _guard_imported(
    operation: RemovalOperation, persons: list[Person], rows_of: dict[int, int]
) -> None:
    """Re-check each locked person: a hold, or another manifest, may have come since validation
    (a concurrent import waits for our row locks, then sees our entries and is refused)."""
    problems = []
    elsewhere = manifest_import.open_operations_of([p.pk for p in persons], operation)
    # The I1 guard for every row at once (``ensure_no_active_hold`` per person, batched).
    blocks = removal_blocks(persons, confirmed=operation.status == Status.CONFIRMED)
    for person in persons:
        problem = manifest_import.person_problem(operation, person, elsewhere=elsewhere)
        if person.pk in blocks:
            problem = str(blocks[person.pk])
        if problem:
            problems.append(ImportProblem(rows_of[person.pk], manifest_import.CASE_NUMBER, problem))
    if problems:
        raise _ImportRaced(sorted(problems, key=lambda p: p.row or 0))
