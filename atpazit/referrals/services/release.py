"""Pre-return risk assessment, releasing a suspicion's hold by a decision (I1), closure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.audit.services import log_event
from atpazit.cases import geo
from atpazit.cases import services as cases_services
from atpazit.cases.holds import release_blockers
from atpazit.cases.models import Hold
from atpazit.lib.errors import InvalidInput, ServiceError
from atpazit.notifications.services import notify
from atpazit.referrals import hooks
from atpazit.referrals.models import (
    OPEN_STATUSES,
    Consent,
    Referral,
    ReturnRiskAssessment,
    Suspicion,
)
from atpazit.referrals.services.common import (
    HTCDS_CASE_STATUS,
    check_open,
    check_unit,
    checked_date,
    clean_text,
    current_consent,
    date_errors,
    information_sheet_offered,
    lock_suspicion,
    person_languages,
    raise_if_errors,
    require_permission,
    suspicion_url,
)
from atpazit.referrals.services.tracks import IdentificationStatus, identification_status

# --- pre-return risk assessment, hold release, closure (DESIGN.md §3 step 7) ----------------------


@transaction.atomic
def record_return_risk_assessment(
    *,
    actor: Actor,
    suspicion: Suspicion,
    rights_explained_in: str,
    risk_of_retrafficking: str,
    who_meets_at_handover: str,
    assessment: str,
    assessed_on: dt.date | None,
) -> ReturnRiskAssessment:
    """Document a pre-return risk assessment: the risk of re-trafficking on return and who meets
    the person at hand-over. Needs ``referrals.risk_assessment:record`` in the person's unit.
    Raises InvalidInput naming each field, NotAllowed."""
    require_permission(actor, "referrals.risk_assessment:record")
    current = lock_suspicion(suspicion)
    check_unit(actor, current)
    who, text = clean_text(who_meets_at_handover), clean_text(assessment)
    errors: dict[str, list[str]] = {}
    if not geo.is_language(rights_explained_in):
        errors["rights_explained_in"] = [_("Choose the language the rights were explained in.")]
    if risk_of_retrafficking not in ReturnRiskAssessment.Risk.values:
        errors["risk_of_retrafficking"] = [_("Choose the risk of re-trafficking.")]
    if not who:
        errors["who_meets_at_handover"] = [
            _("Write who meets the person at hand-over, or that nobody is known.")
        ]
    if not text:
        errors["assessment"] = [_("Write the assessment.")]
    date_errors(assessed_on, "assessed_on", errors)
    raise_if_errors(errors)
    record = ReturnRiskAssessment.objects.create(
        suspicion=current,
        rights_explained_in=rights_explained_in,
        risk_of_retrafficking=risk_of_retrafficking,
        who_meets_at_handover=who,
        assessment=text,
        assessed_by=actor.user,
        assessed_on=checked_date(assessed_on),
    )
    log_event(
        "risk_assessment.recorded",
        obj=record,
        details={"suspicion": current.pk, "risk": risk_of_retrafficking},
    )
    return record


class ReleaseBasis:
    """Why a suspicion's hold may be released (DESIGN.md §3 step 7, I1).

    Only a recorded negative outcome of the identification — the provider's commission or the
    police deciding "not recognised" — or what follows a recognition lets one case officer
    release the hold. A withdrawn, expired or declined track is no outcome: where no decision
    of the people who decide ends the hold (every track ended without one, or an adult refused
    referral), two case officers decide together and the Ombudsman is told (``FOUR_EYES``).
    """

    NEGATIVE_OUTCOME = "negative_outcome"  # not recognised by a commission or the police
    RESIDENCE_OR_RETURN = "residence_or_return_decided"  # recognised; what follows is decided
    TRACKS_WITHOUT_OUTCOME = "tracks_without_outcome"  # withdrawn, expired or declined: four eyes
    ADULT_REFUSED = "adult_refused"  # informed in their language, refused; risk assessed: four eyes


FOUR_EYES = frozenset({ReleaseBasis.TRACKS_WITHOUT_OUTCOME, ReleaseBasis.ADULT_REFUSED})
# Ended tracks that no decision of the people who decide ended (the sender withdrew it, or
# closed it unanswered). A declined track is the recipient's refusal to take the case: not an
# outcome either, but where another track has one, that decision stands.
ENDED_BY_SENDER = frozenset({Referral.Status.WITHDRAWN, Referral.Status.EXPIRED})


@dataclass(frozen=True)
class ReleaseAssessment:
    """The referral flow's answer on releasing a suspicion's hold: a basis, or blockers."""

    basis: str | None
    blockers: tuple[str, ...]

    @property
    def needs_four_eyes(self) -> bool:
        """No identification outcome supports the release: a second case officer must approve
        a colleague's proposal (``propose_hold_release`` / ``approve_hold_release``)."""
        return self.basis in FOUR_EYES and not self.blockers


def hold_release_assessment(suspicion: Suspicion) -> ReleaseAssessment:
    """Whether the identification tracks let the hold end (I1), on which basis, or why not.

    Never while a track is open. A recognised person's hold stays until a residence permit is
    granted or a return decision is recorded. A negative outcome recorded by the provider's
    commission or the police, with no other track withdrawn or expired, is a basis for one
    case officer's decision. Every other ending needs four eyes: tracks that all ended without an
    outcome (withdrawn, expired, declined) and a pre-return risk assessment documented since the
    last one ended; or an adult who refused referral after being informed of their rights in their
    language (for a non-EU national: the written information on the reflection period handed
    over), with a pre-return risk assessment documented after that. A child's hold ends only on
    an outcome. The reflection-period rule is registered by the reflection work;
    cases.holds.release_blockers combines them all.
    """
    tracks = list(suspicion.referrals.select_related("to_organisation"))
    open_tracks = [r for r in tracks if r.status in OPEN_STATUSES]
    if open_tracks:
        return ReleaseAssessment(None, tuple(_open_track_blocker(r) for r in open_tracks))
    status = identification_status(suspicion, tracks)
    if status.code == IdentificationStatus.IDENTIFIED:
        return _recognised_release(suspicion)
    if tracks:
        return _ended_tracks_release(suspicion, tracks)
    if suspicion.child_path:
        return ReleaseAssessment(
            None,
            (
                _(
                    "A child is referred by law: the hold stays until the referrals have been sent and every track has ended."
                ),
            ),
        )
    return _refusal_release(suspicion)


def _ended_tracks_release(suspicion: Suspicion, tracks: list[Referral]) -> ReleaseAssessment:
    outcome = any(r.status == Referral.Status.NOT_RECOGNISED for r in tracks)
    if outcome and not any(r.status in ENDED_BY_SENDER for r in tracks):
        return ReleaseAssessment(ReleaseBasis.NEGATIVE_OUTCOME, ())
    if suspicion.child_path:
        return ReleaseAssessment(
            None,
            (
                _(
                    "A child's hold ends only on a decision of the provider's commission or the police on every track: a withdrawn, expired or declined track is not one. Send new referrals."
                ),
            ),
        )
    last_ended = max(timezone.localdate(r.status_changed_at) for r in tracks)
    if not suspicion.risk_assessments.filter(assessed_on__gte=last_ended).exists():
        return ReleaseAssessment(
            None,
            (
                _(
                    "No track ended with a decision of the provider's commission or the police: document a pre-return risk assessment made after the last track ended."
                ),
            ),
        )
    return ReleaseAssessment(ReleaseBasis.TRACKS_WITHOUT_OUTCOME, ())


def _open_track_blocker(referral: Referral) -> str:
    return _("The %(track)s track (%(organisation)s) is still open: %(status)s.") % {
        "track": referral.get_track_display(),
        "organisation": referral.to_organisation.name,
        "status": referral.get_status_display(),
    }


def _recognised_release(suspicion: Suspicion) -> ReleaseAssessment:
    if hooks.residence_or_return_decided(suspicion):
        return ReleaseAssessment(ReleaseBasis.RESIDENCE_OR_RETURN, ())
    return ReleaseAssessment(
        None,
        (
            _(
                "The person is recognised as a victim: the hold stays until a residence permit is granted or a return decision is recorded."
            ),
        ),
    )


def _refusal_release(suspicion: Suspicion) -> ReleaseAssessment:
    consent = current_consent(suspicion)
    if consent is None:
        return ReleaseAssessment(
            None, (_("Record the person's decision on referral (consent given or refused) first."),)
        )
    if consent.decision == Consent.Decision.GIVEN and consent.withdrawn_at is None:
        return ReleaseAssessment(
            None,
            (_("The person consented to referral: send the referrals and wait for them to end."),),
        )
    blockers = []
    person = suspicion.person
    understood = (
        consent.interpreter_used
        or not person.languages
        or consent.language in person_languages(person)
    )
    if not understood:
        blockers.append(_("The person's rights were not explained in a language they understand."))
    if information_sheet_offered(suspicion) and not hooks.information_sheet_handed_over(suspicion):
        blockers.append(
            _(
                "The written information on the reflection period has not been handed over (receipt not recorded)."
            )
        )
    if not suspicion.risk_assessments.filter(assessed_on__gte=consent.explained_on).exists():
        blockers.append(
            _(
                "Document a pre-return risk assessment (risk of re-trafficking, who meets the person at hand-over) made after the refusal."
            )
        )
    if blockers:
        return ReleaseAssessment(None, tuple(blockers))
    return ReleaseAssessment(ReleaseBasis.ADULT_REFUSED, ())


# Set while a release decision runs (decide_hold_release, or approve_hold_release with four
# eyes), so the cases rule below knows the release comes through the recorded decision with its
# checks (and not from the generic hold page): (suspicion pk, approved by a second officer).
_RELEASING: ContextVar[tuple[int, bool] | None] = ContextVar("referrals_releasing", default=None)


@contextmanager
def releasing(suspicion: Suspicion, *, four_eyes: bool = False) -> Iterator[None]:
    token = _RELEASING.set((suspicion.pk, four_eyes))
    try:
        yield
    finally:
        _RELEASING.reset(token)


def suspicion_hold_blockers(hold: Hold) -> list[str]:
    """The release rule of SUSPICION holds, registered with cases.holds (apps.ready)."""
    suspicion = Suspicion.objects.filter(hold=hold).select_related("person").first()
    if suspicion is None:
        return [_("No suspicion record belongs to this hold; it stays in force.")]
    blockers = []
    running = _RELEASING.get()
    if running is None or running[0] != suspicion.pk:
        blockers.append(
            _(
                "A hold raised by a suspicion of trafficking is released only by the hold-release decision on the suspicion's page, which checks the identification tracks."
            )
        )
    assessment = hold_release_assessment(suspicion)
    if assessment.needs_four_eyes and not (running is not None and running[1]):
        blockers.append(FOUR_EYES_BLOCKER())
    return blockers + list(assessment.blockers)


def FOUR_EYES_BLOCKER() -> str:  # noqa: N802 - reads as the constant message it is
    return _(
        "No decision of the provider's commission or the police ends this hold (every track was withdrawn, expired or declined, or the person refused referral): one case officer proposes the release with reasons, a second case officer of the unit approves it, and the Ombudsman is told."
    )


def release_blockers_for(suspicion: Suspicion) -> list[str]:
    """Every reason the suspicion's hold cannot be released now by one case officer's decision
    (all rules, including those other work registered, such as a running reflection period)."""
    with releasing(suspicion):
        return release_blockers(suspicion.hold)


def four_eyes_blockers_for(suspicion: Suspicion) -> list[str]:
    """Every reason the hold cannot be released now even with a second case officer's approval."""
    with releasing(suspicion, four_eyes=True):
        return release_blockers(suspicion.hold)


def decide_hold_release(
    *, actor: Actor, suspicion: Suspicion, reason: str, decision_reference: str
) -> Suspicion:
    """Release the suspicion's hold by one case officer's recorded decision with reasons (I1).

    Needs ``referrals.hold:release_decision`` in the person's unit (and the cases service's own
    ``cases.hold:release``). Only on a recorded negative outcome (or, for a recognised person, a
    residence or return decision); refused while any release rule says no: an open track, a
    running reflection period, no identification outcome (that needs four eyes:
    ``propose_hold_release``). On release: the Ombudsman gets an escalation (cases service), the
    person is marked "re-screen before removal" and the unit is notified. Raises InvalidInput,
    NotAllowed, ServiceError (with the blockers).
    """
    require_permission(actor, "referrals.hold:release_decision")
    with transaction.atomic():
        current = lock_suspicion(suspicion)
        check_unit(actor, current)
        basis = hold_release_assessment(current).basis
        release_suspicion_hold(
            actor=actor,
            suspicion=current,
            reason=reason,
            decision_reference=decision_reference,
            four_eyes=False,
        )
        after_release(actor, current, basis=basis, decision_reference=decision_reference)
    return current


def release_suspicion_hold(
    *,
    actor: Actor,
    suspicion: Suspicion,
    reason: str,
    decision_reference: str,
    four_eyes: bool,
    escalation_code: str = "hold.released",
) -> None:
    """Internal, under the caller's lock: release through the cases service with the rule."""
    with releasing(suspicion, four_eyes=four_eyes):
        cases_services.release_hold(
            actor=actor,
            hold=suspicion.hold,
            reason=reason,
            decision_reference=decision_reference,
            escalation_code=escalation_code,
        )


def after_release(
    actor: Actor,
    suspicion: Suspicion,
    *,
    basis: str | None,
    decision_reference: str,
    proposal: int | None = None,
) -> None:
    """Internal: mark "re-screen before removal", audit the decision, tell the unit."""
    suspicion.rescreen_required_since = timezone.now()
    suspicion.version += 1
    suspicion.save(update_fields=["rescreen_required_since", "version"])
    details: dict[str, object] = {
        "hold": suspicion.hold_id,
        "basis": basis,
        "decision": clean_text(decision_reference),
    }
    if proposal is not None:
        details["proposal"] = proposal
    log_event("suspicion.hold_release_decided", obj=suspicion, details=details)
    person = suspicion.person
    notify(
        organisation=person.organisation,
        kind="hold.rescreen_required",
        link=suspicion_url(suspicion),
        case_number=person.case_number,
        permission="cases.hold:create",
    )


# Closure reasons that say the person was not identified, and those that need identification.
NEGATIVE_CLOSURES = frozenset(
    {
        Suspicion.ClosureReason.NOT_A_VICTIM,
        Suspicion.ClosureReason.NOT_A_VICTIM_LABOUR,
        Suspicion.ClosureReason.REMOVAL_RESUMED,
    }
)
# "Not a victim" needs a decision that said so, where the person was referred at all.
NOT_A_VICTIM = frozenset(
    {Suspicion.ClosureReason.NOT_A_VICTIM, Suspicion.ClosureReason.NOT_A_VICTIM_LABOUR}
)
IDENTIFIED_CLOSURES = frozenset(
    {Suspicion.ClosureReason.REHABILITATION_COMPLETED, Suspicion.ClosureReason.RESIDENCE_GRANTED}
)


@transaction.atomic
def close_suspicion(*, actor: Actor, suspicion: Suspicion, reason: str) -> Suspicion:
    """Close the suspicion with an HTCDS-compatible reason (``HTCDS_CASE_STATUS``).

    Needs ``referrals.suspicion:close`` in the person's unit; no track may be open, and the
    reason must fit the derived status (no "not a victim" for an identified person, no "residence
    granted" for one who was not). Closing does not release the hold: only decide_hold_release
    does. Raises InvalidInput, NotAllowed, ServiceError."""
    require_permission(actor, "referrals.suspicion:close")
    current = lock_suspicion(suspicion)
    check_unit(actor, current)
    check_open(current)
    if reason not in Suspicion.ClosureReason.values:
        raise InvalidInput({"reason": [_("Choose the reason for closing.")]})
    tracks = list(current.referrals.all())
    if any(r.status in OPEN_STATUSES for r in tracks):
        raise ServiceError(
            _("A referral track is still open: it must end before the suspicion is closed.")
        )
    code = identification_status(current, tracks).code
    identified = code == IdentificationStatus.IDENTIFIED
    if identified and reason in NEGATIVE_CLOSURES:
        raise InvalidInput(
            {"reason": [_("The person was identified as a victim: choose another reason.")]}
        )
    if reason in NOT_A_VICTIM and tracks and code != IdentificationStatus.NOT_IDENTIFIED:
        raise InvalidInput(
            {
                "reason": [
                    _(
                        "No track ended with a decision of the provider's commission or the police: the person was not found not to be a victim. Choose another reason."
                    )
                ]
            }
        )
    if not identified and reason in IDENTIFIED_CLOSURES:
        raise InvalidInput(
            {"reason": [_("This reason needs the person to have been identified as a victim.")]}
        )
    current.closed_at = timezone.now()
    current.closed_by = actor.user
    current.closure_reason = reason
    current.version += 1
    current.save(update_fields=["closed_at", "closed_by", "closure_reason", "version"])
    log_event(
        "suspicion.closed",
        obj=current,
        details={"reason": reason, "htcds_status": HTCDS_CASE_STATUS[reason]},
    )
    return current
