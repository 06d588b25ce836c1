"""What every removal service shares: its errors, locking, scope checks, refusal audit.

Refusals are the common errors of ``atpazit.lib.errors``; the two subclasses here carry what
the view shows besides the message (the operation as saved, the held persons)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.audit.models import AuditEvent
from atpazit.audit.services import log_event
from atpazit.cases import services as cases_services
from atpazit.cases.holds import RemovalBlocked
from atpazit.cases.models import Person
from atpazit.lib.errors import ConcurrentEdit, NotAllowed, ServiceError
from atpazit.removals.conflicts import sync_conflict_escalations
from atpazit.removals.models import RemovalOperation
from atpazit.removals.selectors import may_change

Status = RemovalOperation.Status


class OperationChanged(ConcurrentEdit):
    """Someone else changed the operation after the form was opened; nothing was saved (I8)."""

    def __init__(self, current: RemovalOperation) -> None:
        super().__init__(
            _(
                "Someone else changed this operation while you were editing it, so your changes "
                "were not saved. The form now shows what differs from the saved operation; "
                "check it and save again."
            ),
        )
        self.current = current


class OperationBlocked(ServiceError):
    """Confirming or completing was refused: persons on the manifest are held. Every one of
    them is listed in ``blocked``; nothing was changed."""

    def __init__(self, message: str, blocked: list[RemovalBlocked]) -> None:
        super().__init__(message, code="held_persons")
        self.blocked = blocked


def person_to(actor: Actor, person: Person, status: str) -> None:
    """Move a person along the case status table through the cases service, which runs the
    hold guard again for removal steps. A person already there is left alone; reverting is
    only from "removal planned" (set when the operation was confirmed)."""
    if person.status == status:
        return
    if status == Person.Status.REGISTERED and person.status != Person.Status.REMOVAL_PLANNED:
        return
    try:
        changed = cases_services.change_status(actor=actor, person=person, to_status=status)
    except ServiceError as exc:
        # Re-coded for the audit trail: the refusal came from the person's status table.
        raise ServiceError(exc.message, code="person_status") from exc
    person.status = changed.status


@contextmanager
def refusal_audited(
    actor: Actor, action: str, operation: RemovalOperation, *, person: Person | None = None
) -> Iterator[None]:
    """Audit a refused write after its transaction has rolled back, then re-raise; a refusal
    for held persons also raises their conflict escalations (never silent)."""
    details: dict[str, object] = {"person": person.pk} if person else {}
    try:
        yield
    except RemovalBlocked as exc:
        log_event(
            action,
            obj=operation,
            outcome=AuditEvent.Outcome.DENIED,
            details={
                **details,
                "reason": "hold" if exc.holds else "precondition",
                "held": [exc.person.pk],
                "obstacles": [obstacle.code for obstacle in exc.obstacles],
            },
        )
        raise
    except OperationBlocked as exc:
        held = [blocked.person.pk for blocked in exc.blocked]
        obstacles = sorted({o.code for blocked in exc.blocked for o in blocked.obstacles})
        log_event(
            action,
            obj=operation,
            outcome=AuditEvent.Outcome.DENIED,
            details={**details, "reason": exc.code, "held": held, "obstacles": obstacles},
        )
        sync_conflict_escalations(operation=operation, actor=actor)
        raise
    except ServiceError as exc:
        log_event(
            action,
            obj=operation,
            outcome=AuditEvent.Outcome.DENIED,
            details={**details, "reason": exc.code},
        )
        raise


def locked(operation: RemovalOperation) -> RemovalOperation:
    return RemovalOperation.objects.select_for_update().get(pk=operation.pk)


def locked_persons(operation: RemovalOperation) -> list[Person]:
    # Ordered by primary key so two transactions lock persons in the same order (no deadlock).
    return list(
        Person.objects.select_for_update()
        .filter(manifest_entries__operation=operation)
        .order_by("pk")
    )


def check_may_change(actor: Actor, operation: RemovalOperation) -> None:
    if not may_change(actor, operation):
        raise not_allowed()


def not_allowed() -> NotAllowed:
    return NotAllowed(_("You cannot plan or change removal operations of this unit."))


def closed(operation: RemovalOperation) -> ServiceError:
    return ServiceError(
        _("The operation's status is “%(status)s”; its manifest can no longer be changed.")
        % {"status": operation.get_status_display()},
        code="closed",
    )


def operation_codes(operation: RemovalOperation) -> dict[str, object]:
    return {
        "type": operation.type,
        "country": operation.country_of_return,
        "departure": operation.departure_at.isoformat(),
        "organisation": operation.organisation_id,
    }
