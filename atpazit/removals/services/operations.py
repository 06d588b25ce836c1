"""Planning operations and moving them along their status table (I1 at confirm and complete)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership, User
from atpazit.audit.services import log_event
from atpazit.cases.holds import RemovalBlocked, removal_blocks
from atpazit.cases.models import OPEN_STATUSES, Person
from atpazit.lib.errors import InvalidInput, InvalidTransition, ServiceError
from atpazit.removals.conflicts import sync_conflict_escalations
from atpazit.removals.countries import is_return_country
from atpazit.removals.models import OperationStatusChange, RemovalOperation
from atpazit.removals.services.common import (
    OperationBlocked,
    OperationChanged,
    Status,
    check_may_change,
    closed,
    locked,
    locked_persons,
    not_allowed,
    operation_codes,
    person_to,
    refusal_audited,
)


@dataclass(frozen=True)
class OperationDetails:
    """What a case officer enters for an operation."""

    type: str
    departure_at: datetime.datetime
    route: str
    country_of_return: str
    reference: str = ""
    escort_leader: User | None = None
    escort_team: Sequence[User] = field(default_factory=tuple)


@transaction.atomic
def create_operation(*, actor: Actor, details: OperationDetails) -> RemovalOperation:
    """Plan an operation for the actor's own Border Guard unit. Case officers call it.

    Raises InvalidInput (naming the field) for invalid details, NotAllowed for an actor
    without the right.
    """
    organisation = actor.organisation
    if organisation is None or not actor.can("removals.operation:write"):
        raise not_allowed()
    operation = RemovalOperation(organisation=organisation, created_by=actor.user)
    _check_details(organisation.pk, details, departure_changed=True)
    _apply(operation, details)
    operation.save()
    operation.escort_team.set(details.escort_team)
    log_event("operation.created", obj=operation, details=operation_codes(operation))
    return operation


@transaction.atomic
def update_operation(
    *, actor: Actor, operation: RemovalOperation, expected_version: int, details: OperationDetails
) -> RemovalOperation:
    """Change an open operation's details. Raises OperationChanged if it changed since
    ``expected_version`` was read (no silent overwrite), ServiceError if it is closed."""
    current = locked(operation)
    check_may_change(actor, current)
    if current.version != expected_version:
        raise OperationChanged(current)
    if not current.manifest_is_open:
        raise closed(current)
    _check_details(
        current.organisation_id,
        details,
        departure_changed=details.departure_at != current.departure_at,
    )
    changed = _changed_fields(current, details)
    _apply(current, details)
    current.version += 1
    current.save()
    current.escort_team.set(details.escort_team)
    log_event("operation.updated", obj=current, details={"fields": changed})
    return current


def _stored_values(details: OperationDetails) -> dict[str, object]:
    """The operation's own fields as they will be stored (trimmed, country upper-case)."""
    return {
        "type": details.type,
        "departure_at": details.departure_at,
        "route": details.route.strip(),
        "country_of_return": details.country_of_return.upper(),
        "reference": details.reference.strip(),
        "escort_leader_id": details.escort_leader.pk if details.escort_leader else None,
    }


def _apply(operation: RemovalOperation, details: OperationDetails) -> None:
    for name, value in _stored_values(details).items():
        setattr(operation, name, value)


def _changed_fields(operation: RemovalOperation, details: OperationDetails) -> list[str]:
    values = _stored_values(details)
    changed = [name for name, value in values.items() if getattr(operation, name) != value]
    changed = [name.removesuffix("_id") for name in changed]
    team = {user.pk for user in details.escort_team}
    if team != set(operation.escort_team.values_list("pk", flat=True)):
        changed.append("escort_team")
    return changed


def _check_details(
    organisation_id: int, details: OperationDetails, *, departure_changed: bool
) -> None:
    if details.type not in RemovalOperation.Type.values:
        raise InvalidInput({"type": [_("Choose the type of operation.")]})
    if not details.route.strip():
        raise InvalidInput({"route": [_("Enter the route.")]})
    if not is_return_country(details.country_of_return.upper()):
        raise InvalidInput({"country_of_return": [_("Choose the country of return.")]})
    if departure_changed and details.departure_at <= timezone.now():
        raise InvalidInput({"departure_at": [_("The departure must be in the future.")]})
    _check_escort(organisation_id, details)


def _check_escort(organisation_id: int, details: OperationDetails) -> None:
    people = [*details.escort_team, *([details.escort_leader] if details.escort_leader else [])]
    members = set(
        Membership.objects.filter(
            organisation_id=organisation_id, is_active=True, user__in=people, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    if details.escort_leader and details.escort_leader.pk not in members:
        raise InvalidInput(
            {"escort_leader": [_("The escort leader must be an active member of the unit.")]}
        )
    if any(user.pk not in members for user in details.escort_team):
        raise InvalidInput(
            {"escort_team": [_("Every escort officer must be an active member of the unit.")]}
        )


# --- Status changes -------------------------------------------------------------------------


def confirm_operation(*, actor: Actor, operation: RemovalOperation) -> RemovalOperation:
    """Confirm a planned operation. Refused (OperationBlocked, listing every held person)
    while anyone on the manifest is under an active hold; refused for an empty manifest."""
    with refusal_audited(actor, "operation.confirm_refused", operation):
        return _confirm(actor, operation)


@transaction.atomic
def _confirm(actor: Actor, operation: RemovalOperation) -> RemovalOperation:
    current = locked(operation)
    check_may_change(actor, current)
    _check_transition(current, Status.CONFIRMED)
    persons = locked_persons(current)
    if not persons:
        raise ServiceError(
            _("Add at least one person to the manifest before confirming the operation."),
            code="empty_manifest",
        )
    _check_removable(persons)
    _ensure_nobody_held(persons, step=Status.CONFIRMED)
    for person in persons:
        person_to(actor, person, Person.Status.REMOVAL_PLANNED)
    return _move(actor, current, Status.CONFIRMED)


def complete_operation(*, actor: Actor, operation: RemovalOperation) -> RemovalOperation:
    """Record a confirmed operation as carried out and mark everyone on it departed.

    All or nothing: if any person on the manifest is held (OperationBlocked lists each one)
    or no longer in an active return procedure, nobody is marked departed. Refused before the
    day of departure (local time): an operation cannot have been carried out before it leaves.
    """
    with refusal_audited(actor, "operation.complete_refused", operation):
        return _complete(actor, operation)


@transaction.atomic
def _complete(actor: Actor, operation: RemovalOperation) -> RemovalOperation:
    current = locked(operation)
    check_may_change(actor, current)
    _check_transition(current, Status.COMPLETED)
    persons = locked_persons(current)
    _check_removable(persons)
    _ensure_nobody_held(persons, step=Status.COMPLETED)
    _check_departure_day_reached(current)
    for person in persons:
        person_to(actor, person, Person.Status.REMOVAL_PLANNED)
        person_to(actor, person, Person.Status.DEPARTED)
    return _move(actor, current, Status.COMPLETED)


def _check_departure_day_reached(operation: RemovalOperation) -> None:
    departure_day = timezone.localdate(operation.departure_at)
    if timezone.localdate() < departure_day:
        raise ServiceError(
            _(
                "The operation departs on %(date)s. It can be recorded as completed only on or "
                "after that day; nobody was marked departed."
            )
            % {"date": formats.date_format(departure_day, "SHORT_DATE_FORMAT")},
            code="not_departed",
        )


def cancel_operation(*, actor: Actor, operation: RemovalOperation) -> RemovalOperation:
    """Cancel a planned or confirmed operation; its open conflict escalations are resolved."""
    with refusal_audited(actor, "operation.cancel_refused", operation):
        cancelled = _cancel(actor, operation)
    sync_conflict_escalations(operation=cancelled, actor=actor)
    return cancelled


@transaction.atomic
def _cancel(actor: Actor, operation: RemovalOperation) -> RemovalOperation:
    current = locked(operation)
    check_may_change(actor, current)
    _check_transition(current, Status.CANCELLED)
    if current.status == Status.CONFIRMED:
        for person in locked_persons(current):
            person_to(actor, person, Person.Status.REGISTERED)
    return _move(actor, current, Status.CANCELLED)


def _check_transition(operation: RemovalOperation, to: Status) -> None:
    if not operation.can_become(to):
        raise InvalidTransition(
            _("The operation's status is “%(current)s”; it cannot be changed to “%(new)s”.")
            % {"current": operation.get_status_display(), "new": to.label},
            code="transition",
        )


def _move(actor: Actor, operation: RemovalOperation, to: Status) -> RemovalOperation:
    previous = operation.status
    OperationStatusChange.objects.create(
        operation=operation, from_status=previous, to_status=to, changed_by=actor.user
    )
    operation.status = to
    operation.version += 1
    operation.save(update_fields=["status", "version", "updated_at"])
    log_event(f"operation.{to}", obj=operation, details={"from": previous, "to": str(to)})
    return operation


def _check_removable(persons: list[Person]) -> None:
    inactive = [person for person in persons if person.status not in OPEN_STATUSES]
    if inactive:
        listed = "; ".join(f"{p.case_number} ({p.get_status_display()})" for p in inactive)
        raise ServiceError(
            _(
                "These persons on the manifest are no longer in an active return procedure: "
                "%(persons)s. Remove them from the manifest first."
            )
            % {"persons": listed},
            code="inactive_person",
        )


def _ensure_nobody_held(persons: list[Person], *, step: Status) -> None:
    """Run the I1 guard for every person and report every one that is held, not just the first
    (``cases.holds.removal_blocks``: ``ensure_no_active_hold`` for the whole manifest in a
    constant number of queries, holds on linked records and likely duplicates included)."""
    blocks = removal_blocks(persons)
    blocked = [blocks[person.pk] for person in persons if person.pk in blocks]
    if not blocked:
        return
    listed = "; ".join(_held_description(exc) for exc in blocked)
    if any(exc.obstacles for exc in blocked):
        message = _blocked_message(step, len(blocked))
    elif step == Status.COMPLETED:
        message = ngettext(
            "Nothing was changed and nobody was marked departed: %(count)d person on the "
            "manifest is under a removal hold: %(persons)s. Remove them from the manifest first.",
            "Nothing was changed and nobody was marked departed: %(count)d persons on the "
            "manifest are under a removal hold: %(persons)s. Remove them from the manifest first.",
            len(blocked),
        )
    else:
        message = ngettext(
            "The operation cannot be confirmed: %(count)d person on the manifest is under a "
            "removal hold: %(persons)s. Remove them from the manifest, or wait until the hold "
            "is released by a recorded decision.",
            "The operation cannot be confirmed: %(count)d persons on the manifest are under a "
            "removal hold: %(persons)s. Remove them from the manifest, or wait until each hold "
            "is released by a recorded decision.",
            len(blocked),
        )
    raise OperationBlocked(message % {"count": len(blocked), "persons": listed}, blocked)


def _blocked_message(step: Status, count: int) -> str:
    """Some are held, some have a step still to do first (a removal precondition)."""
    if step == Status.COMPLETED:
        return ngettext(
            "Nothing was changed and nobody was marked departed: %(count)d person on the "
            "manifest cannot be removed yet: %(persons)s. Remove them from the manifest first.",
            "Nothing was changed and nobody was marked departed: %(count)d persons on the "
            "manifest cannot be removed yet: %(persons)s. Remove them from the manifest first.",
            count,
        )
    return ngettext(
        "The operation cannot be confirmed: %(count)d person on the manifest cannot be removed "
        "yet: %(persons)s. Remove them from the manifest, or do first what is named.",
        "The operation cannot be confirmed: %(count)d persons on the manifest cannot be removed "
        "yet: %(persons)s. Remove them from the manifest, or do first what is named.",
        count,
    )


def _held_description(blocked: RemovalBlocked) -> str:
    return f"{blocked.person.case_number} ({blocked.summary})"
