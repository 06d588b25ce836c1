"""Writes for return cases: persons, their status, and removal holds (I1). Each one is audited.

Every function here is keyword-only, checks the actor's permission and the person's unit,
writes under ``transaction.atomic`` and appends an audit event with codes and ids only.
Views, commands, imports and the API call these; nothing else writes these models.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import F, Field, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.audit.models import AuditEvent
from atpazit.audit.services import log_event
from atpazit.cases import validation
from atpazit.cases.holds import (
    RemovalBlocked,
    active_holds,
    ensure_no_active_hold,
    hold_changed,
    hold_lifecycle,
    on_open_operation,
    release_blockers,
)
from atpazit.cases.matching import likely_matches, store_identity_keys
from atpazit.cases.models import (
    AGE_CHANGE_TRANSITIONS,
    REMOVAL_STEPS,
    TRANSITIONS,
    AgeChange,
    AgeChangeReason,
    CaseNumberCounter,
    Hold,
    IdentityDecision,
    Person,
    PersonNameToken,
    PersonRevision,
    PersonStatusChange,
)
from atpazit.cases.reasons import HOLD_REASONS
from atpazit.cases.rules import is_child
from atpazit.deadlines.rules import Kind
from atpazit.deadlines.services import meet_deadlines
from atpazit.escalations.models import Escalation
from atpazit.escalations.services import raise_escalation
from atpazit.lib.blind_index import name_tokens
from atpazit.lib.errors import (
    ConcurrentEdit,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    ServiceError,
)

EDITABLE_FIELDS = validation.EDITABLE_FIELDS
NAME_FIELDS = ("given_names", "family_name", "aliases")
# What the identity keys and match scores read (cases.identity): a change re-keys the person.
IDENTITY_FIELDS = (
    *NAME_FIELDS,
    "document_numbers",
    "date_of_birth",
    "birth_year",
    "sex",
    "nationality",
)
# What decides the child path (cases.rules.is_child): a change may make the person a child
# without a child screening on a confirmed operation, a blocking conflict (ADR 0014).
AGE_FIELDS = ("date_of_birth", "birth_year", "stated_age", "age_disputed")
CASE_NUMBER_PREFIX = "AT"


class ConcurrentEditError(ConcurrentEdit):
    """The person changed after the form was loaded; nothing was saved.

    ``changed_fields`` are the field names saved meanwhile, ``changed_by`` who saved them, and
    ``current_version`` the version to load the form with to apply the edit knowingly.
    """

    def __init__(self, *, person: Person, changed_fields: list[str], changed_by: list[str]) -> None:
        self.person = person
        self.current_version = person.version
        self.changed_fields = changed_fields
        self.changed_by = changed_by
        labels = ", ".join(field_label(name) for name in changed_fields) or _("status")
        super().__init__(
            _("%(who)s changed this meanwhile: %(fields)s.")
            % {"who": ", ".join(changed_by) or _("Someone"), "fields": labels}
        )


def field_label(name: str) -> str:
    field = cast(Field[Any, Any], Person._meta.get_field(name))
    return str(field.verbose_name)


def _require(actor: Actor, permission: str) -> None:
    if not actor.can(permission):
        raise NotAllowed(_("Your role does not allow this."))


def _own_unit(actor: Actor) -> Organisation:
    if actor.organisation is None:
        raise NotAllowed(_("Your role does not allow this."))
    return actor.organisation


def _check_own_person(actor: Actor, person: Person) -> None:
    if person.organisation_id != _own_unit(actor).pk:
        raise NotAllowed(_("This person is registered by another Border Guard unit."))


def _lock(person: Person) -> Person:
    """Re-read the person under a row lock; every change of a person starts here."""
    return Person.objects.select_for_update().get(pk=person.pk)


# --- persons -------------------------------------------------------------------------------


@transaction.atomic
def register_person(*, actor: Actor, data: Mapping[str, Any]) -> Person:
    """Register a person in the actor's unit with a new pseudonymous case number.

    Needs ``cases.person:write``. Raises InvalidInput naming each bad field, NotAllowed.
    """
    _require(actor, "cases.person:write")
    organisation = _own_unit(actor)
    today = timezone.localdate()
    values = _cleaned(dict(data), today=today)
    person = Person(organisation=organisation, case_number=_next_case_number(today.year))
    for name, value in values.items():
        setattr(person, name, value)
    person.save()
    _store_name_tokens(person)
    store_identity_keys(person)
    PersonStatusChange.objects.create(
        person=person, from_status="", to_status=person.status, changed_by=actor.user
    )
    log_event("person.registered", obj=person, details={"case_number": person.case_number})
    if is_child(person, today):
        # A second registration of someone on a confirmed operation that says "child" puts
        # them on the child path at once (ADR 0014): re-check the likely duplicates' operations.
        hold_changed(person, actor)
    return person


def _cleaned(data: dict[str, Any], *, today: date) -> dict[str, Any]:
    values, errors = validation.clean_person_data(data, today=today)
    if errors:
        raise InvalidInput(errors)
    return values


def _next_case_number(year: int) -> str:
    # The counter row is locked by the UPDATE until commit, so two registrations never share a
    # number; a rolled-back one may leave a gap. Skip numbers taken by other means (imports).
    CaseNumberCounter.objects.get_or_create(year=year)
    while True:
        CaseNumberCounter.objects.filter(year=year).update(last_number=F("last_number") + 1)
        number = CaseNumberCounter.objects.get(year=year).last_number
        case_number = f"{CASE_NUMBER_PREFIX}-{year}-{number:06d}"
        if not Person.objects.filter(case_number=case_number).exists():
            return case_number


def _store_name_tokens(person: Person) -> None:
    tokens: set[str] = set()
    for name in NAME_FIELDS:
        tokens |= name_tokens(getattr(person, name) or "")
    PersonNameToken.objects.filter(person=person).delete()
    PersonNameToken.objects.bulk_create(PersonNameToken(person=person, token=t) for t in tokens)


@transaction.atomic
def update_person(
    *,
    actor: Actor,
    person: Person,
    version: int,
    data: Mapping[str, Any],
    age_reason: str = "",
    age_note: str = "",
) -> Person:
    """Save the edited fields in ``data`` if the person is still at ``version``.

    ``version`` is the one the form was loaded with. If anyone saved the person since, raise
    ConcurrentEditError naming the fields and people (I8: never a silent overwrite). Needs
    ``cases.person:write`` in the person's unit. Raises InvalidInput, NotAllowed.

    A change of the age fields that takes the person off the child path (the dispute cleared,
    the age raised to 18 or more) needs ``age_reason`` (a code of ``AgeChangeReason``; an
    optional ``age_note``). If the person is on a removal operation that has not departed, the
    age fields are not changed: an ``AgeChange`` waits for a second case officer (four eyes,
    ADR 0021) and the returned person carries it as ``pending_age_change``; the other fields
    are saved as usual.
    """
    _require(actor, "cases.person:write")
    current = _lock(person)
    _check_own_person(actor, current)
    current.pending_age_change = None  # type: ignore[attr-defined]
    if current.version != version:
        raise _conflict(current, since=version)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    merged = {name: getattr(current, name) for name in EDITABLE_FIELDS} | dict(data)
    today = timezone.localdate()
    values = _cleaned(merged, today=today)
    changed = [name for name in EDITABLE_FIELDS if getattr(current, name) != values[name]]
    if not changed:
        return current
    age_changed = [name for name in AGE_FIELDS if name in changed]
    if age_changed and leaves_child_path(current, values, today):
        reason = _age_reason(age_reason)
        if on_open_operation(current):
            current.pending_age_change = _propose_age_change(  # type: ignore[attr-defined]
                actor, current, values, reason=reason, note=age_note
            )
            changed = [name for name in changed if name not in AGE_FIELDS]
            if not changed:
                return current
        else:
            log_event(
                "person.age_change_applied",
                obj=current,
                details={"fields": age_changed, "reason": reason, "four_eyes": False},
            )
    if "planned_removal_date" in changed and values["planned_removal_date"] is not None:
        _refuse_removal_date_while_held(current)
    for name in changed:
        setattr(current, name, values[name])
    _save_revision(actor, current, changed)
    if set(changed) & set(NAME_FIELDS):
        _store_name_tokens(current)
    if set(changed) & set(IDENTITY_FIELDS):
        store_identity_keys(current)
    log_event(
        "person.updated", obj=current, details={"fields": changed, "version": current.version}
    )
    if set(changed) & {*IDENTITY_FIELDS, *AGE_FIELDS}:
        # New likely matches, or a child path, may now stop this person's removal: re-check
        # their operations (the blocking conflicts and their escalations).
        hold_changed(current, actor)
    return current


# --- changes of age evidence that leave the child path (four eyes, ADR 0021) -------------------

AGE_CONFIRM = "cases.age_change:confirm"


def _age_values(source: Any) -> dict[str, Any]:
    """The age fields of a person or of cleaned form values, as JSON-ready values."""
    get = source.get if isinstance(source, dict) else lambda name: getattr(source, name)
    return {name: get(name) or (False if name == "age_disputed" else None) for name in AGE_FIELDS}


def _age_view(values: Mapping[str, Any]) -> Person:
    """An unsaved person with only these age values, for ``rules.is_child``."""
    return Person(**{name: values[name] for name in AGE_FIELDS})


def leaves_child_path(person: Person, values: Mapping[str, Any], today: date) -> bool:
    """Whether saving ``values`` takes ``person`` off the child path (I4): a child or a person
    of disputed age now, not one after (the dispute cleared, an age or a birth date raised)."""
    return is_child(person, today) and not is_child(_age_view(_age_values(dict(values))), today)


def _age_reason(code: str) -> str:
    code = (code or "").strip()
    if code not in AgeChangeReason.values:
        raise InvalidInput(
            {
                "age_change_reason": [
                    _(
                        "This change takes the person off the child path: choose why the age "
                        "evidence changed."
                    )
                ]
            }
        )
    return code


def _propose_age_change(
    actor: Actor, person: Person, values: Mapping[str, Any], *, reason: str, note: str
) -> AgeChange:
    if AgeChange.objects.filter(person=person, status=AgeChange.Status.PENDING).exists():
        raise InvalidInput(
            {
                "age_change_reason": [
                    _(
                        "A change of this person's age evidence already waits for a second case "
                        "officer: confirm or decline it on the person's page first."
                    )
                ]
            }
        )
    try:
        with transaction.atomic():
            change = AgeChange.objects.create(
                person=person,
                proposed=json.dumps(_age_values(dict(values)), default=str),
                before=json.dumps(_age_values(person), default=str),
                reason_code=reason,
                note=(note or "").strip(),
                proposed_by=actor.user,
            )
    except IntegrityError:
        raise InvalidInput(
            {"age_change_reason": [_("Another change of the age evidence was proposed meanwhile.")]}
        ) from None
    log_event(
        "person.age_change_proposed",
        obj=change,
        details={
            "person": person.pk,
            "reason": reason,
            "fields": [
                n for n in AGE_FIELDS if _age_values(dict(values))[n] != _age_values(person)[n]
            ],
        },
    )
    return change


def confirm_age_change(*, actor: Actor, change: AgeChange) -> AgeChange:
    """A second, different case officer of the person's unit confirms a waiting change of the
    age evidence: only now are the age fields saved (the person leaves the child path), the
    operations re-checked. Needs ``cases.age_change:confirm``; never the proposer. Refused
    (and marked stale) if the age fields changed since the proposal. Every refusal is audited.
    Raises NotAllowed, InvalidTransition, ServiceError."""
    try:
        decided = _decide_age_change(actor, change, AgeChange.Status.CONFIRMED)
    except ServiceError as exc:
        log_event(
            "person.age_change_confirm_refused",
            obj=change,
            outcome=AuditEvent.Outcome.DENIED,
            details={"person": change.person_id, "error": type(exc).__name__},
        )
        raise
    if decided.status == AgeChange.Status.STALE:
        raise ServiceError(
            _(
                "The age evidence changed after this change was proposed, so nothing was "
                "changed. Edit the person again if the change still holds."
            )
        )
    return decided


def decline_age_change(*, actor: Actor, change: AgeChange) -> AgeChange:
    """Decline a waiting change (a second case officer) or withdraw it (its proposer): the
    record stays as it is. Needs ``cases.age_change:confirm``, or be the proposer."""
    return _decide_age_change(actor, change, AgeChange.Status.DECLINED)


@transaction.atomic
def _decide_age_change(actor: Actor, change: AgeChange, outcome: str) -> AgeChange:
    person = _lock(change.person)
    _check_own_person(actor, person)
    locked = AgeChange.objects.select_for_update().get(pk=change.pk)
    proposer = locked.proposed_by_id == actor.user.pk
    if outcome == AgeChange.Status.DECLINED and proposer:
        outcome = AgeChange.Status.WITHDRAWN
    else:
        _require(actor, AGE_CONFIRM)
    if locked.status != AgeChange.Status.PENDING:
        raise InvalidTransition(_("This change of the age evidence no longer waits."))
    if outcome == AgeChange.Status.CONFIRMED:
        if proposer:
            raise NotAllowed(
                _(
                    "You proposed this change of the age evidence: a second case officer of the "
                    "unit must confirm it."
                )
            )
        if json.loads(locked.before) != json.loads(json.dumps(_age_values(person), default=str)):
            _end_age_change(actor, locked, AgeChange.Status.STALE)
            return locked
        proposed = json.loads(locked.proposed)
        now = json.loads(json.dumps(_age_values(person), default=str))
        fields = [name for name in AGE_FIELDS if now[name] != proposed[name]]
        for name in fields:
            setattr(
                person, name, proposed[name] if name != "date_of_birth" else proposed[name] or ""
            )
        _save_revision(actor, person, fields)
        if set(fields) & set(IDENTITY_FIELDS):
            store_identity_keys(person)
        log_event(
            "person.updated", obj=person, details={"fields": fields, "version": person.version}
        )
    _end_age_change(actor, locked, outcome)
    if outcome == AgeChange.Status.CONFIRMED:
        hold_changed(person, actor)
    return locked


def _end_age_change(actor: Actor, change: AgeChange, status: str) -> None:
    if status not in AGE_CHANGE_TRANSITIONS[change.status]:
        raise InvalidTransition(_("This change of the age evidence no longer waits."))
    change.status = status
    change.decided_by = actor.user
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    log_event(
        f"person.age_change_{status}",
        obj=change,
        details={
            "person": change.person_id,
            "reason": change.reason_code,
            "proposed_by": change.proposed_by_id,
            "decided_by": actor.user.pk,
            "four_eyes": True,
        },
    )


def _refuse_removal_date_while_held(person: Person) -> None:
    # Planning a removal is a removal step (I1): no date may be set or moved while a hold is
    # active. Clearing the date is always allowed.
    if active_holds(person):
        message = _(
            "%(case)s is under a removal hold: a removal date cannot be planned until the hold "
            "is released by a recorded decision. Leave the planned removal date empty."
        ) % {"case": person.case_number}
        raise InvalidInput({"planned_removal_date": [message]})


def _save_revision(actor: Actor, person: Person, changed: list[str]) -> None:
    person.version += 1
    person.save()
    PersonRevision.objects.create(
        person=person, version=person.version, changed_by=actor.user, fields=changed
    )


def _conflict(current: Person, *, since: int) -> ConcurrentEditError:
    revisions = PersonRevision.objects.filter(person=current, version__gt=since).select_related(
        "changed_by"
    )
    fields: list[str] = []
    people: list[str] = []
    for revision in revisions:
        fields += [name for name in revision.fields if name not in fields]
        who = revision.changed_by.display_name() if revision.changed_by else _("the system")
        if who not in people:
            people.append(who)
    return ConcurrentEditError(person=current, changed_fields=fields, changed_by=people)


def change_status(*, actor: Actor, person: Person, to_status: str, reason: str = "") -> Person:
    """Move a person along the status table. Moving to a removal step (removal planned,
    departed) passes the hold guard after locking the person: a held person is refused with
    RemovalBlocked, and the refusal is audited. Needs ``cases.person:write``.
    Raises InvalidTransition, NotAllowed, RemovalBlocked.
    """
    try:
        return _change_status(actor=actor, person=person, to_status=to_status, reason=reason)
    except RemovalBlocked as exc:
        log_event(
            "person.removal_refused",
            obj=person,
            outcome=AuditEvent.Outcome.DENIED,
            details={"to": to_status, **exc.codes},
        )
        raise


@transaction.atomic
def _change_status(*, actor: Actor, person: Person, to_status: str, reason: str) -> Person:
    _require(actor, "cases.person:write")
    current = _lock(person)
    _check_own_person(actor, current)
    if to_status not in TRANSITIONS.get(current.status, frozenset()):
        raise InvalidTransition(
            _("A person whose status is “%(from)s” cannot be moved to “%(to)s”.")
            % {"from": current.get_status_display(), "to": _status_label(to_status)}
        )
    if to_status in REMOVAL_STEPS:
        ensure_no_active_hold(current)
    from_status = current.status
    current.status = to_status
    _save_revision(actor, current, ["status"])
    PersonStatusChange.objects.create(
        person=current,
        from_status=from_status,
        to_status=to_status,
        changed_by=actor.user,
        reason=reason.strip(),
    )
    log_event("person.status_changed", obj=current, details={"from": from_status, "to": to_status})
    return current


def _status_label(status: str) -> str:
    return str(dict(Person.Status.choices).get(status, status))


# --- removal holds (I1) ----------------------------------------------------------------------


@transaction.atomic
def place_hold(
    *,
    actor: Actor,
    person: Person,
    reason: str = "",
    reason_code: str = "",
    cause: str = Hold.Cause.MANUAL,
    cause_reference: str = "",
) -> Hold:
    """Put a removal hold on a person; from now on no removal step passes the guard.

    A manual hold needs ``cases.hold:create`` in the person's unit and is confirmed at once.
    Holds of other causes are placed by the identification workflow, which checks its own
    permissions; they wait for the Border Guard to confirm them. Such a workflow passes a
    ``reason_code`` of cases/reasons.py instead of text, so the reason shows in each reader's
    language; a manual hold's reason is the officer's own words. Raises InvalidInput, NotAllowed.
    """
    if cause == Hold.Cause.MANUAL:
        _require(actor, "cases.hold:create")
    current = _lock(person)
    if cause == Hold.Cause.MANUAL:
        _check_own_person(actor, current)
    now = timezone.now()
    manual = cause == Hold.Cause.MANUAL
    reason = (reason or "").strip()
    if reason_code and (manual or reason_code not in HOLD_REASONS):
        raise InvalidInput({"reason": [_("Write why the removal must be held.")]})
    if not reason and not reason_code:
        raise InvalidInput({"reason": [_("Write why the removal must be held.")]})
    hold = Hold.objects.create(
        person=current,
        cause=cause,
        cause_reference=cause_reference,
        reason="" if reason_code else reason,
        reason_code=reason_code,
        started_by=actor.user,
        confirmed_at=now if manual else None,
        confirmed_by=actor.user if manual else None,
    )
    log_event("hold.placed", obj=hold, details={"person": current.pk, "cause": cause})
    hold_changed(current, actor)
    hold_lifecycle(hold, "started")
    return hold


def _lock_hold(hold: Hold) -> Hold:
    return Hold.objects.select_for_update().select_related("person").get(pk=hold.pk)


@transaction.atomic
def confirm_hold(*, actor: Actor, hold: Hold) -> Hold:
    """The Border Guard acknowledges a hold raised by the identification workflow (target: the
    same working day). Needs ``cases.hold:create`` in the person's unit."""
    _require(actor, "cases.hold:create")
    current = _lock_hold(hold)
    _check_own_person(actor, current.person)
    if not current.is_active:
        raise ServiceError(_("This hold has already been released."))
    if current.confirmed_at is not None:
        raise ServiceError(_("This hold is already confirmed."))
    current.confirmed_at = timezone.now()
    current.confirmed_by = actor.user
    current.save(update_fields=["confirmed_at", "confirmed_by"])
    # Confirming here or on the suspicion page is the same duty: stop the clock either way.
    meet_deadlines(subject=current, kinds=[Kind.HOLD_CONFIRMATION])
    log_event("hold.confirmed", obj=current, details={"person": current.person_id})
    return current


@transaction.atomic
def release_hold(
    *,
    actor: Actor,
    hold: Hold,
    reason: str,
    decision_reference: str,
    escalation_code: str = "hold.released",
) -> Hold:
    """End a hold by a recorded decision (I1): needs ``cases.hold:release`` in the person's
    unit, a written reason, a decision reference, and no release blockers. The release is
    audited and raises a HOLD_RELEASED escalation for the Ombudsman: never silent (the caller
    may name a more specific ``escalation_code``, e.g. a four-eyes release).
    Raises InvalidInput, NotAllowed, ServiceError (with the blockers).
    """
    _require(actor, "cases.hold:release")
    current = _lock_hold(hold)
    _check_own_person(actor, current.person)
    reason, decision_reference = (reason or "").strip(), (decision_reference or "").strip()
    errors = release_input_errors(reason, decision_reference)
    if errors:
        raise InvalidInput(errors)
    blockers = release_blockers(current)
    if blockers:
        raise ServiceError(" ".join(blockers))
    current.released_at = timezone.now()
    current.released_by = actor.user
    current.release_reason = reason
    current.release_decision_reference = decision_reference
    current.save(
        update_fields=["released_at", "released_by", "release_reason", "release_decision_reference"]
    )
    log_event(
        "hold.released",
        obj=current,
        details={
            "person": current.person_id,
            "cause": current.cause,
            "decision": decision_reference,
        },
    )
    raise_escalation(
        kind=Escalation.Kind.HOLD_RELEASED,
        subject=current,
        responsible_organisation=current.person.organisation,
        case_number=current.person.case_number,
        summary_code=escalation_code,
        raised_by=actor.user,
    )
    hold_changed(current.person, actor)
    hold_lifecycle(current, "released")
    return current


def release_input_errors(reason: str, decision_reference: str) -> dict[str, list[str]]:
    """The field errors of a hold release's reasons and decision reference (empty when valid);
    every way of releasing a hold (here, and a four-eyes proposal) asks for the same two."""
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Write the reasons for releasing the hold.")]
    if not decision_reference:
        errors["decision_reference"] = [_("Give the reference of the recorded release decision.")]
    elif len(decision_reference) > 64:
        errors["decision_reference"] = [_("The decision reference is at most 64 characters.")]
    return errors


# --- identity: linking records of the same human (I1) -------------------------------------------


@transaction.atomic
def decide_identity(
    *, actor: Actor, person: Person, other: Person, decision: str, reason: str
) -> IdentityDecision:
    """Record a case officer's decision about a likely match of ``person`` (their own unit's
    record) and ``other`` (any unit): the same person — the records are linked, so every hold
    on either applies to both (I1) — or different people, which lifts the block the match put
    on removal. Needs ``cases.identity:decide`` in the person's unit, a written reason, and
    ``other`` must be a current likely match. "Same" is final; a different-people decision
    about a held record raises an escalation to the Ombudsman (never silent).
    Raises InvalidInput, NotAllowed, ServiceError.
    """
    _require(actor, "cases.identity:decide")
    first, second = sorted((person.pk, other.pk))
    locked = {p.pk: p for p in _lock_groups([person.pk, other.pk])}
    current, other_current = locked[person.pk], locked[other.pk]
    _check_own_person(actor, current)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if decision not in IdentityDecision.Decision.values:
        errors["decision"] = [_("Choose whether the records are the same person.")]
    if not reason:
        errors["reason"] = [
            _("Write how you established this (documents compared, whom you called).")
        ]
    if errors:
        raise InvalidInput(errors)
    if _linked(current, other_current):
        raise ServiceError(_("These records are already linked as the same person."))
    duplicate = next(
        (d for d in likely_matches([current.pk]).get(current.pk, []) if d.other.pk == other.pk),
        None,
    )
    if duplicate is None:
        raise NotAllowed(
            _("This record is not a likely match of %(case)s.") % {"case": current.case_number}
        )
    record, _created = IdentityDecision.objects.update_or_create(
        person_id=first,
        other_id=second,
        defaults={
            "decision": decision,
            "reason": reason,
            "decided_by": actor.user,
            "organisation": _own_unit(actor),
        },
    )
    details = {
        "person": current.pk,
        "other": other_current.pk,
        "score": duplicate.match.score,
        "evidence": list(duplicate.match.evidence),
        "held": duplicate.held,
    }
    if decision == IdentityDecision.Decision.SAME:
        root = _link(list(locked.values()))
        log_event("identity.linked", obj=record, details={**details, "group": root})
    else:
        log_event("identity.confirmed_different", obj=record, details=details)
        if duplicate.held:
            raise_escalation(
                kind=Escalation.Kind.DUPLICATE_DISMISSED,
                subject=record,
                responsible_organisation=current.organisation,
                case_number=current.case_number,
                summary_code="identity.confirmed_different",
                raised_by=actor.user,
            )
    for member in locked.values():
        hold_changed(member, actor)
    return record


def _lock_groups(ids: list[int]) -> list[Person]:
    """Lock the persons and every record linked with them, in primary-key order."""
    roots = Person.objects.filter(pk__in=ids, identity_root__isnull=False).values(
        "identity_root_id"
    )
    return list(
        Person.objects.select_for_update()
        .filter(Q(pk__in=ids) | Q(identity_root_id__in=roots))
        .order_by("pk")
    )


def _linked(person: Person, other: Person) -> bool:
    return person.identity_root_id is not None and person.identity_root_id == other.identity_root_id


def _link(persons: list[Person]) -> int:
    """Make the locked ``persons`` (two records and their groups) one group, rooted at the
    oldest record. Returns the root's id."""
    root = min(person.pk for person in persons)
    Person.objects.filter(pk__in=[person.pk for person in persons]).update(identity_root_id=root)
    for person in persons:
        person.identity_root_id = root
    return root
