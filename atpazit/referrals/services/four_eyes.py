"""Four eyes on a release that no identification outcome supports (I1, docs/decisions/0008).

Where every track ended without a decision of the provider's commission or the police
(withdrawn, expired, declined) or an adult refused referral, no single case officer releases a
suspicion's hold. One proposes, with reasons and a decision reference; a second, different case
officer of the person's unit approves — and only then is the hold released, in the same
transaction as the Ombudsman's notification and escalation — or declines. The proposer may
withdraw. A proposal fingerprints the case (``release_case_state``): if the case changed after it
was made (a new referral, consent, screening, risk assessment, hold...), approving it is refused
and it is marked stale. Status flow: ``models.PROPOSAL_TRANSITIONS``.
"""

from __future__ import annotations

import hashlib
import json

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.accounts.roles import OrganisationType
from atpazit.audit.models import AuditEvent
from atpazit.audit.services import log_event
from atpazit.cases.models import Hold, Person
from atpazit.cases.services import release_input_errors
from atpazit.lib.errors import ConcurrentEdit, InvalidInput, NotAllowed, ServiceError
from atpazit.notifications.services import notify
from atpazit.referrals import hooks
from atpazit.referrals.models import PROPOSAL_TRANSITIONS, HoldReleaseProposal, Suspicion
from atpazit.referrals.services.common import (
    check_unit,
    clean_text,
    lock_suspicion,
    raise_if_errors,
    require_permission,
    suspicion_url,
)
from atpazit.referrals.services.release import (
    after_release,
    four_eyes_blockers_for,
    hold_release_assessment,
    release_suspicion_hold,
)

PROPOSE = "referrals.hold_release:propose"
APPROVE = "referrals.hold_release:approve"
Proposal = HoldReleaseProposal.Status


class ProposalStale(ConcurrentEdit):
    """The case changed after the proposal was made; it is now marked stale (nothing else).
    A ConcurrentEdit of its own because the page says so and offers to propose again."""

    default_code = "proposal_stale"


def release_case_state(suspicion: Suspicion) -> str:
    """A fingerprint of everything a release decision rests on: the suspicion and the person
    (their versions), each track's status, consents, risk assessments, information sheets,
    anonymous notifications, the person's holds and screenings. Any change makes it differ."""
    person = Person.objects.only("version").get(pk=suspicion.person_id)
    screenings = _screenings_of(suspicion.person_id)
    state = {
        "suspicion": Suspicion.objects.values_list("version", flat=True).get(pk=suspicion.pk),
        "person": person.version,
        "tracks": list(suspicion.referrals.order_by("pk").values_list("pk", "status", "version")),
        "consents": list(suspicion.consents.order_by("pk").values_list("pk", "withdrawn_at")),
        "risk": list(suspicion.risk_assessments.order_by("pk").values_list("pk", flat=True)),
        "anonymous": suspicion.anonymous_notifications.count(),
        "holds": list(
            Hold.objects.filter(person_id=suspicion.person_id)
            .order_by("pk")
            .values_list("pk", "released_at")
        ),
        "screenings": screenings,
        # The apps above add theirs (the reflection app: its information sheets).
        **hooks.case_state_parts(suspicion),
    }
    canonical = json.dumps(state, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _screenings_of(person_id: int) -> list[object]:
    from atpazit.screening.models import ScreeningSession

    found = ScreeningSession.objects.filter(person_id=person_id).aggregate(
        count=Count("pk"), last=Max("pk"), completed=Max("completed_at")
    )
    return [found["count"], found["last"], found["completed"]]


def is_stale(proposal: HoldReleaseProposal) -> bool:
    """For the pages: a waiting proposal whose case changed since (approving it is refused)."""
    return proposal.status == Proposal.PENDING and (
        proposal.case_state != release_case_state(proposal.suspicion)
        or proposal.hold_id != proposal.suspicion.hold_id
    )


def propose_hold_release(
    *, actor: Actor, suspicion: Suspicion, reason: str, decision_reference: str
) -> HoldReleaseProposal:
    """Propose releasing a suspicion's hold that no identification outcome ends (four eyes).

    Needs ``referrals.hold_release:propose`` in the person's unit. Refused unless the release
    rule's basis needs four eyes and nothing else blocks the release (an open track, a
    reflection period...), and while a proposal still waits (a waiting one whose case changed
    is marked stale first). The unit's case officers are told that a proposal waits.
    Raises InvalidInput naming each field, NotAllowed, ServiceError (with the blockers).
    """
    require_permission(actor, PROPOSE)
    reason, decision_reference = clean_text(reason), clean_text(decision_reference)
    try:
        with transaction.atomic():
            return _propose(actor, suspicion, reason, decision_reference)
    except IntegrityError:
        # A colleague's proposal was saved between our check and our write.
        raise ServiceError(
            _("Another release proposal is already waiting for this suspicion.")
        ) from None


def proposal_blockers(suspicion: Suspicion) -> list[str]:
    """Why a release cannot be proposed now (empty when it can): the basis does not need four
    eyes (a decision exists, or nothing allows a release yet), or another rule blocks it."""
    if not suspicion.hold.is_active:
        return [_("This hold has already been released.")]
    assessment = hold_release_assessment(suspicion)
    if not assessment.needs_four_eyes:
        return list(assessment.blockers) or [
            _(
                "A decision of the provider's commission or the police supports this release: decide it on the hold-release page; no proposal is needed."
            )
        ]
    return four_eyes_blockers_for(suspicion)


def _propose(
    actor: Actor, suspicion: Suspicion, reason: str, decision_reference: str
) -> HoldReleaseProposal:
    current = lock_suspicion(suspicion)
    check_unit(actor, current)
    raise_if_errors(release_input_errors(reason, decision_reference))
    blockers = proposal_blockers(current)
    if blockers:
        raise ServiceError(" ".join(blockers))
    assessment = hold_release_assessment(current)
    state = release_case_state(current)
    waiting = (
        HoldReleaseProposal.objects.select_for_update()
        .filter(suspicion=current, status=Proposal.PENDING)
        .first()
    )
    if waiting is not None:
        if waiting.case_state == state and waiting.hold_id == current.hold_id:
            raise ServiceError(
                _(
                    "A release proposal is already waiting for a second case officer: approve or decline it, or withdraw it if it is yours."
                )
            )
        _end(actor, waiting, Proposal.STALE, note="")
    proposal = HoldReleaseProposal.objects.create(
        suspicion=current,
        hold=current.hold,
        basis=str(assessment.basis),
        reason=reason,
        decision_reference=decision_reference,
        case_state=state,
        proposed_by=actor.user,
    )
    log_event(
        "hold_release.proposed",
        obj=proposal,
        details={"suspicion": current.pk, "hold": current.hold_id, "basis": proposal.basis},
    )
    notify(
        organisation=current.person.organisation,
        kind="hold.release_proposed",
        link=suspicion_url(current),
        case_number=current.person.case_number,
        permission=APPROVE,
    )
    return proposal


def approve_hold_release(
    *, actor: Actor, proposal: HoldReleaseProposal, version: int | None = None
) -> HoldReleaseProposal:
    """The second case officer approves: the hold is released on the proposal's reasons and
    reference, the Ombudsman's Office is notified and gets an escalation
    (``hold.released_four_eyes``), the person is marked "re-screen before removal" — all in one
    transaction, so the person cannot be put on an operation before the Ombudsman is told.

    Needs ``referrals.hold_release:approve`` in the person's unit; never the proposer. Refused if
    the proposal is no longer waiting, or ``version`` (the one the page showed) is old; if the
    case changed since the proposal, it is marked stale and ProposalStale is raised. Every
    refusal is audited. Raises NotAllowed, ProposalStale, ServiceError.
    """
    try:
        with transaction.atomic():
            outcome = _approve(actor, proposal, version)
    except ServiceError as exc:
        _refused(proposal, "hold_release.approve_refused", exc)
        raise
    if outcome.status == Proposal.STALE:
        raise ProposalStale(
            _(
                "The case changed after the release was proposed (for example a new referral, consent, screening or risk assessment), so the proposal is now stale and nothing was released. Propose the release again if it still holds."
            )
        )
    return outcome


def _approve(
    actor: Actor, proposal: HoldReleaseProposal, version: int | None
) -> HoldReleaseProposal:
    require_permission(actor, APPROVE)
    current = lock_suspicion(proposal.suspicion)
    check_unit(actor, current)
    locked = _lock_proposal(proposal, version)
    if locked.proposed_by_id == actor.user.pk:
        raise NotAllowed(
            _(
                "You proposed this release: a second case officer of the unit must approve it. You may withdraw it."
            )
        )
    if locked.hold_id != current.hold_id or locked.case_state != release_case_state(current):
        _end(actor, locked, Proposal.STALE, note="")
        return locked
    assessment = hold_release_assessment(current)
    if assessment.basis != locked.basis:
        _end(actor, locked, Proposal.STALE, note="")
        return locked
    release_suspicion_hold(
        actor=actor,
        suspicion=current,
        reason=locked.reason,
        decision_reference=locked.decision_reference,
        four_eyes=True,
        escalation_code="hold.released_four_eyes",
    )
    _end(actor, locked, Proposal.APPROVED, note="")
    after_release(
        actor,
        current,
        basis=locked.basis,
        decision_reference=locked.decision_reference,
        proposal=locked.pk,
    )
    _tell_the_ombudsman(current)
    return locked


def decline_hold_release(
    *, actor: Actor, proposal: HoldReleaseProposal, note: str, version: int | None = None
) -> HoldReleaseProposal:
    """A second case officer declines the proposal, or the proposer withdraws it, with a note.
    The hold stays. Needs ``referrals.hold_release:approve`` (declining) or
    ``referrals.hold_release:propose`` (the proposer withdrawing), in the person's unit.
    Raises InvalidInput, NotAllowed, ServiceError."""
    with transaction.atomic():
        current = lock_suspicion(proposal.suspicion)
        locked = _lock_proposal(proposal, version)
        own = locked.proposed_by_id == actor.user.pk
        require_permission(actor, PROPOSE if own else APPROVE)
        check_unit(actor, current)
        note = clean_text(note)
        if not note:
            raise InvalidInput({"note": [_("Write why the proposal is declined or withdrawn.")]})
        _end(actor, locked, Proposal.WITHDRAWN if own else Proposal.DECLINED, note=note)
    return locked


def _lock_proposal(proposal: HoldReleaseProposal, version: int | None) -> HoldReleaseProposal:
    locked = HoldReleaseProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != Proposal.PENDING:
        raise ServiceError(
            _("This release proposal is no longer waiting: %(status)s.")
            % {"status": locked.get_status_display()}
        )
    if version is not None and locked.version != version:
        raise ServiceError(
            _("This release proposal changed while you were looking at it. Check it again.")
        )
    return locked


def _end(actor: Actor, proposal: HoldReleaseProposal, to: str, *, note: str) -> None:
    if to not in PROPOSAL_TRANSITIONS[proposal.status]:
        raise ServiceError(_("This release proposal is no longer waiting."))
    proposal.status = to
    proposal.decided_by = actor.user
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    proposal.version += 1
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "version"])
    log_event(
        f"hold_release.{to}",
        obj=proposal,
        details={
            "suspicion": proposal.suspicion_id,
            "hold": proposal.hold_id,
            "basis": proposal.basis,
            "proposed_by": proposal.proposed_by_id,
        },
    )


def _tell_the_ombudsman(suspicion: Suspicion) -> None:
    for ombudsman in Organisation.objects.filter(type=OrganisationType.OMBUDSMAN, is_active=True):
        notify(
            organisation=ombudsman,
            kind="hold.released_four_eyes",
            link=suspicion_url(suspicion),
            case_number=suspicion.person.case_number,
            permission="escalations.escalation:resolve",
        )


def _refused(proposal: HoldReleaseProposal, action: str, exc: ServiceError) -> None:
    code = "not_allowed" if isinstance(exc, NotAllowed) else "refused"
    log_event(
        action,
        obj=proposal,
        outcome=AuditEvent.Outcome.DENIED,
        details={"suspicion": proposal.suspicion_id, "reason": code},
    )
