"""The tracks' status flow (models.TRANSITIONS), their outcomes, and the derived status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.audit.services import log_event, record_disclosure
from atpazit.deadlines.models import Deadline
from atpazit.deadlines.rules import Kind
from atpazit.deadlines.services import cancel_deadlines, meet_deadlines, open_deadline
from atpazit.lib.errors import ConcurrentEdit, InvalidInput, InvalidTransition
from atpazit.notifications.services import notify
from atpazit.referrals.hooks import referral_changed
from atpazit.referrals.models import (
    NEGATIVE_END_STATUSES,
    TRANSITIONS,
    CommissionAssessment,
    PoliceOutcome,
    Referral,
    ReferralTransition,
    Suspicion,
)
from atpazit.referrals.services.common import (
    FIRST_CONTACT_PERMISSION,
    RECIPIENT_PERMISSIONS,
    RESPONSE_DEADLINES,
    Status,
    Track,
    check_receiver,
    check_sender,
    checked_date,
    clean_text,
    date_errors,
    is_eu_national,
    local_today,
    raise_if_errors,
    referral_url,
    require_permission,
    suspicion_url,
)

# --- the tracks' status flow (models.TRANSITIONS) ------------------------------------------------

# Who moves a track to each status: the receiving organisation answers and assesses, the sender
# withdraws or, once the response deadline has passed, closes it as expired.
RECEIVER_MOVES = {
    Status.ACCEPTED: "referrals.referral:respond",
    Status.DECLINED: "referrals.referral:respond",
    Status.ASSESSING: "referrals.referral:respond",
}
SENDER_MOVES = {
    Status.WITHDRAWN: "referrals.referral:send",
    Status.EXPIRED: "referrals.referral:send",
}
# Reached only through the assessment and the police outcome, which record what was decided.
OUTCOME_MOVES = {
    Track.PROVIDER: "referrals.commission:record",
    Track.POLICE: "referrals.police:record",
}
REASON_REQUIRED = frozenset({Status.DECLINED, Status.WITHDRAWN})


def transition_referral(
    *,
    actor: Actor,
    referral: Referral,
    to_status: str,
    reason: str = "",
    version: int | None = None,
) -> Referral:
    """Move a track along TRANSITIONS, checking the table, the permission and the organisation.

    Only the receiving organisation accepts, declines or starts the assessment; the sender
    withdraws, or closes an unanswered referral as expired after its deadline. Recognised / not
    recognised are reached through record_commission_assessment or record_police_outcome.
    Writes the status, a ReferralTransition row and an audit event atomically; answering meets the
    response deadline. A police refusal never touches the provider track. ``version`` (the one the
    page showed) detects a concurrent change. Raises InvalidTransition, NotAllowed, InvalidInput,
    ConcurrentEdit.
    """
    with transaction.atomic():
        current = _lock_referral(referral, version)
        if to_status in (Status.RECOGNISED, Status.NOT_RECOGNISED):
            raise InvalidTransition(
                _(
                    "Record the commission's assessment or the police outcome: that decides the track."
                )
            )
        _check_move(actor, current, to_status)
        reason = clean_text(reason)
        if to_status in REASON_REQUIRED and not reason:
            raise InvalidInput({"reason": [_("Write the reason.")]})
        if to_status == Status.EXPIRED and not _response_overdue(current):
            raise InvalidTransition(
                _(
                    "The referral can be closed as expired only after its response deadline has passed."
                )
            )
        return _move(actor, current, to_status, reason)


def _lock_referral(referral: Referral, version: int | None) -> Referral:
    current = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("suspicion__person", "suspicion__raised_by_organisation", "to_organisation")
        .get(pk=referral.pk)
    )
    if version is not None and current.version != version:
        raise ConcurrentEdit(
            _(
                "This referral changed while you were looking at it (now: %(status)s). Nothing was saved; check it and try again."
            )
            % {"status": current.get_status_display()}
        )
    return current


def _check_move(actor: Actor, referral: Referral, to_status: str) -> None:
    if to_status not in TRANSITIONS.get(referral.status, frozenset()):
        raise InvalidTransition(
            _("A referral whose status is “%(from)s” cannot be moved to “%(to)s”.")
            % {"from": referral.get_status_display(), "to": _status_label(to_status)}
        )
    if to_status in RECEIVER_MOVES:
        _check_receiver(actor, referral, RECEIVER_MOVES[Status(to_status)])
    elif to_status in SENDER_MOVES:
        require_permission(actor, SENDER_MOVES[Status(to_status)])
        check_sender(actor, referral.suspicion)
    else:
        _check_receiver(actor, referral, OUTCOME_MOVES[Track(referral.track)])


def _check_receiver(actor: Actor, referral: Referral, permission: str) -> None:
    require_permission(actor, permission)
    check_receiver(actor, referral)


def _status_label(status: str) -> str:
    return str(dict(Status.choices).get(status, status))


def _response_overdue(referral: Referral) -> bool:
    return Deadline.objects.filter(
        subject=f"{Referral._meta.label_lower}:{referral.pk}",
        kind=RESPONSE_DEADLINES[Track(referral.track)],
        due_at__lt=timezone.now(),
    ).exists()


def _move(actor: Actor, referral: Referral, to_status: str, reason: str) -> Referral:
    """Write one status change (the table and the actor are already checked)."""
    from_status = referral.status
    referral.status = to_status
    referral.version += 1
    referral.save(update_fields=["status", "version", "status_changed_at"])
    ReferralTransition.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=to_status,
        by=actor.user,
        reason=reason,
    )
    log_event(
        f"referral.{to_status}",
        obj=referral,
        details={"from": from_status, "to": to_status, "track": referral.track},
    )
    _after_move(referral, to_status)
    referral_changed(referral, to_status)
    return referral


def _after_move(referral: Referral, to_status: str) -> None:
    kinds: list[str] = [RESPONSE_DEADLINES[Track(referral.track)]]
    if to_status in (Status.ACCEPTED, Status.DECLINED):
        meet_deadlines(subject=referral, kinds=kinds)
    elif to_status in (Status.WITHDRAWN, Status.EXPIRED):
        cancel_deadlines(subject=referral, kinds=kinds)
    _victim_step(referral, to_status)
    suspicion = referral.suspicion
    case_number = suspicion.person.case_number
    link = suspicion_url(suspicion)
    kind = {
        Status.ACCEPTED: "referral.accepted",
        Status.DECLINED: "referral.declined",
        Status.RECOGNISED: "identification.decided",
        Status.NOT_RECOGNISED: "identification.decided",
    }.get(Status(to_status))
    if kind is not None:
        # The sender, and the person's unit that keeps the hold if someone else raised it.
        for organisation in {suspicion.raised_by_organisation, suspicion.person.organisation}:
            notify(
                organisation=organisation,
                kind=kind,
                link=link,
                case_number=case_number,
                permission=FIRST_CONTACT_PERMISSION,
            )
            if to_status in (Status.RECOGNISED, Status.NOT_RECOGNISED):
                _disclose_outcome(referral, organisation)
    elif to_status in (Status.WITHDRAWN, Status.EXPIRED):
        notify(
            organisation=referral.to_organisation,
            kind="referral.withdrawn" if to_status == Status.WITHDRAWN else "referral.expired",
            link=referral_url(referral),
            case_number=case_number,
            permission=RECIPIENT_PERMISSIONS[Track(referral.track)],
        )


VICTIM_STEP_KINDS: list[str] = [Kind.VICTIM_STEP_REMINDER, Kind.VICTIM_STEP]


def _victim_step(referral: Referral, to_status: str) -> None:
    """The three-day step after recognition (Law on the Residence of a Victim of THB, s.4(1)).

    A non-EU national recognised by a provider's commission turns to the investigating
    institution or the person directing the proceedings within 3 days: the provider who helps
    them gets a reminder on day 2 and on day 3 (deadlines, no escalation). The police track
    taking the case (accepted, under assessment, recognised) means the person is in touch with
    the investigator: the reminders are met. A reflection period granted meets them too.
    """
    suspicion = referral.suspicion
    if referral.track == Track.POLICE and to_status in (
        Status.ACCEPTED,
        Status.ASSESSING,
        Status.RECOGNISED,
    ):
        meet_deadlines(subject=suspicion, kinds=VICTIM_STEP_KINDS)
        return
    if referral.track != Track.PROVIDER or to_status != Status.RECOGNISED:
        return
    if is_eu_national(suspicion.person) or _victim_step_open(suspicion):
        return
    for kind in VICTIM_STEP_KINDS:
        open_deadline(
            kind=kind,
            subject=suspicion,
            responsible_organisation=referral.to_organisation,
            case_number=suspicion.person.case_number,
            link=referral_url(referral),
        )


def _victim_step_open(suspicion: Suspicion) -> bool:
    return Deadline.objects.filter(
        subject=f"{Suspicion._meta.label_lower}:{suspicion.pk}",
        kind__in=VICTIM_STEP_KINDS,
    ).exists()


def _disclose_outcome(referral: Referral, organisation: Organisation) -> None:
    """The identification outcome goes back to the sender and the unit keeping the hold: they
    need it for the removal hold (I1), so it is disclosed by law and logged (I6)."""
    transition = referral.transitions.order_by("-at", "-pk").first()
    record_disclosure(
        from_organisation=referral.to_organisation,
        to_organisation=organisation,
        subject=referral,
        legal_basis=Referral.LegalBasis.LAW,
        purpose="identification outcome for the removal hold",
        data_categories=["identification_outcome"],
        case_number=referral.suspicion.person.case_number,
        recorded_by=transition.by if transition is not None else None,
    )


def _advance_to_assessing(actor: Actor, referral: Referral) -> None:
    """An outcome recorded on an accepted track passes through "assessment under way" first,
    so the history shows every step and never a move the table forbids."""
    if referral.status == Status.ACCEPTED:
        _move(actor, referral, Status.ASSESSING, "")


# --- outcomes --------------------------------------------------------------------------------


@transaction.atomic
def record_commission_assessment(
    *,
    actor: Actor,
    referral: Referral,
    assessed_on: dt.date | None,
    members_present: str,
    result: str,
    protocol_reference: str,
    notes: str = "",
    version: int | None = None,
) -> CommissionAssessment:
    """Record the provider commission's assessment (Cabinet Regulation No. 344) and move the
    provider track to recognised / not recognised. Needs ``referrals.commission:record`` in the
    receiving provider; the track must be accepted or under assessment (an accepted one passes
    through "assessment under way" first, so every row of the history is a move the table allows).
    Raises InvalidInput naming each field, InvalidTransition, NotAllowed, ConcurrentEdit."""
    current = _lock_referral(referral, version)
    target = (
        Status.RECOGNISED
        if result == CommissionAssessment.Result.CRITERIA_MET
        else Status.NOT_RECOGNISED
    )
    _check_receiver(actor, current, "referrals.commission:record")
    if current.track != Track.PROVIDER:
        raise InvalidTransition(_("Only a service provider's track has a commission assessment."))
    if current.status not in (Status.ACCEPTED, Status.ASSESSING):
        raise InvalidTransition(
            _(
                "The commission's assessment is recorded on an accepted referral; this one is “%(status)s”."
            )
            % {"status": current.get_status_display()}
        )
    members_present, protocol_reference = (
        clean_text(members_present),
        clean_text(protocol_reference),
    )
    errors: dict[str, list[str]] = {}
    if result not in CommissionAssessment.Result.values:
        errors["result"] = [_("Choose the commission's result.")]
    if not members_present:
        errors["members_present"] = [_("List the members present (name and role).")]
    if not protocol_reference:
        errors["protocol_reference"] = [_("Give the reference of the assessment protocol.")]
    elif len(protocol_reference) > 64:
        errors["protocol_reference"] = [_("The reference is at most 64 characters.")]
    date_errors(assessed_on, "assessed_on", errors)
    raise_if_errors(errors)
    _advance_to_assessing(actor, current)
    assessment = CommissionAssessment.objects.create(
        referral=current,
        assessed_on=checked_date(assessed_on),
        members_present=members_present,
        result=result,
        protocol_reference=protocol_reference,
        notes=clean_text(notes),
        recorded_by=actor.user,
    )
    log_event(
        "commission.recorded", obj=assessment, details={"referral": current.pk, "result": result}
    )
    _move(actor, current, target, "")
    return assessment


@transaction.atomic
def record_police_outcome(
    *,
    actor: Actor,
    referral: Referral,
    proceedings: str,
    victim_status: str,
    proceedings_reference: str = "",
    decided_on: dt.date | None = None,
    notes: str = "",
    version: int | None = None,
) -> PoliceOutcome:
    """Record the police track: criminal proceedings opened / refused and victim (cietušais)
    status. Victim status recognised moves the track to recognised; refused proceedings or victim
    status not recognised to not recognised; otherwise it stays under assessment. The provider
    track is never touched (D6). Needs ``referrals.police:record`` in the receiving police; the
    track must be accepted or under assessment.
    Raises InvalidInput, InvalidTransition, NotAllowed, ConcurrentEdit."""
    current = _lock_referral(referral, version)
    _check_receiver(actor, current, "referrals.police:record")
    if current.track != Track.POLICE:
        raise InvalidTransition(_("Only the State Police track has a police outcome."))
    if current.status not in (Status.ACCEPTED, Status.ASSESSING):
        raise InvalidTransition(
            _("The police outcome is recorded on an accepted referral; this one is “%(status)s”.")
            % {"status": current.get_status_display()}
        )
    proceedings_reference = clean_text(proceedings_reference)
    raise_if_errors(_police_errors(proceedings, victim_status, proceedings_reference, decided_on))
    _advance_to_assessing(actor, current)
    outcome, _created = PoliceOutcome.objects.update_or_create(
        referral=current,
        defaults={
            "proceedings": proceedings,
            "proceedings_reference": proceedings_reference,
            "decided_on": decided_on,
            "victim_status": victim_status,
            "notes": clean_text(notes),
            "updated_by": actor.user,
        },
    )
    log_event(
        "police_outcome.recorded",
        obj=outcome,
        details={
            "referral": current.pk,
            "proceedings": proceedings,
            "victim_status": victim_status,
        },
    )
    target = police_track_status(outcome)
    if target != Status.ASSESSING:
        _move(actor, current, target, "")
    return outcome


def police_track_status(outcome: PoliceOutcome) -> str:
    """Where a police outcome leaves the police track."""
    if outcome.victim_status == PoliceOutcome.VictimStatus.RECOGNISED:
        return Status.RECOGNISED
    if (
        outcome.proceedings == PoliceOutcome.Proceedings.DECLINED
        or outcome.victim_status == PoliceOutcome.VictimStatus.NOT_RECOGNISED
    ):
        return Status.NOT_RECOGNISED
    return Status.ASSESSING


def _police_errors(
    proceedings: str, victim_status: str, reference: str, decided_on: dt.date | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if proceedings not in PoliceOutcome.Proceedings.values:
        errors["proceedings"] = [_("Choose the decision on criminal proceedings.")]
    if victim_status not in PoliceOutcome.VictimStatus.values:
        errors["victim_status"] = [_("Choose the victim status.")]
    elif (
        victim_status == PoliceOutcome.VictimStatus.RECOGNISED
        and proceedings != PoliceOutcome.Proceedings.OPENED
    ):
        errors["victim_status"] = [
            _("Victim status (cietušais) is granted only in criminal proceedings that were opened.")
        ]
    if len(reference) > 64:
        errors["proceedings_reference"] = [_("The reference is at most 64 characters.")]
    if proceedings != PoliceOutcome.Proceedings.PENDING:
        date_errors(decided_on, "decided_on", errors)
    elif decided_on is not None and decided_on > local_today():
        errors["decided_on"] = [_("The date cannot be in the future.")]
    return errors


# --- the derived identification status ------------------------------------------------------------


@dataclass(frozen=True)
class IdentificationStatus:
    """Derived from the tracks, never stored (issue 5 §3). ``routes`` are the tracks that
    recognised the person ("provider": the commission; "police": the criminal-justice route)."""

    PENDING = "pending"
    IDENTIFIED = "identified"
    NOT_IDENTIFIED = "not_identified"
    # Every track ended, none with a decision of the people who decide (withdrawn, expired,
    # declined): not an outcome of identification (I1).
    NO_OUTCOME = "no_outcome"

    code: str
    routes: tuple[str, ...] = ()
    referred: bool = False

    @property
    def label(self) -> str:
        if self.code == self.IDENTIFIED:
            routes = ", ".join(str(Track(route).label) for route in self.routes)
            return _("identified as a victim (%(routes)s)") % {"routes": routes}
        if self.code == self.NOT_IDENTIFIED:
            return _("not identified: every track ended without recognition")
        if self.code == self.NO_OUTCOME:
            return _(
                "no outcome: every track was withdrawn, expired or declined without a decision on identification"
            )
        if not self.referred:
            return _("pending: not referred yet")
        return _("pending: identification under way")


def identification_status(
    suspicion: Suspicion, referrals: list[Referral] | None = None
) -> IdentificationStatus:
    """Pending, identified (by which route), not identified (a commission or the police said
    so on a track, every track ended) or no outcome, from the tracks' statuses.
    Pass ``referrals`` when they are already loaded, to save the query."""
    tracks = list(suspicion.referrals.all()) if referrals is None else referrals
    routes = tuple(sorted({r.track for r in tracks if r.status == Status.RECOGNISED}))
    if routes:
        return IdentificationStatus(IdentificationStatus.IDENTIFIED, routes, True)
    if tracks and all(r.status in NEGATIVE_END_STATUSES for r in tracks):
        if any(r.status == Status.NOT_RECOGNISED for r in tracks):
            return IdentificationStatus(IdentificationStatus.NOT_IDENTIFIED, (), True)
        return IdentificationStatus(IdentificationStatus.NO_OUTCOME, (), True)
    return IdentificationStatus(IdentificationStatus.PENDING, (), bool(tracks))
