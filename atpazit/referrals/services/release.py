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
from atpazit.accounts.roles import Role
from atpazit.audit.services import log_event
from atpazit.cases import geo
from atpazit.cases import services as cases_services
from atpazit.cases.holds import release_blockers
from atpazit.cases.models import Hold
from atpazit.notifications.services import notify
from atpazit.referrals.models import (
    OPEN_STATUSES,
    Consent,
    InformationSheet,
    Referral,
    ReturnRiskAssessment,
    Suspicion,
)
from atpazit.referrals.selectors import residence_or_return_decided
from atpazit.referrals.services.common import (
    HTCDS_CASE_STATUS,
    InvalidInput,
    ReferralError,
    _check_open,
    _check_unit,
    _checked,
    _date_errors,
    _lock,
    _raise_if,
    _require,
    _text,
    current_consent,
    information_sheet_offered,
    person_languages,
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
    _require(actor, "referrals.risk_assessment:record")
    current = _lock(suspicion)
    _check_unit(actor, current)
    who, text = _text(who_meets_at_handover), _text(assessment)
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
    _date_errors(assessed_on, "assessed_on", errors)
    _raise_if(errors)
    record = ReturnRiskAssessment.objects.create(
        suspicion=current,
        rights_explained_in=rights_explained_in,
        risk_of_retrafficking=risk_of_retrafficking,
        who_meets_at_handover=who,
        assessment=text,
        assessed_by=actor.user,
        assessed_on=_checked(assessed_on),
    )
    log_event(
        "risk_assessment.recorded",
        obj=record,
        details={"suspicion": current.pk, "risk": risk_of_retrafficking},
    )
    return record


class ReleaseBasis:
    """Why a suspicion's hold may be released: the three roads of DESIGN.md §3 step 7."""

    NEGATIVE_OUTCOME = "negative_outcome"  # every track ended negatively
    ADULT_REFUSED = "adult_refused"  # informed in their language, refused; risk assessed
    RESIDENCE_OR_RETURN = "residence_or_return_decided"  # recognised; what follows is decided


@dataclass(frozen=True)
class ReleaseAssessment:
    """The referral flow's answer on releasing a suspicion's hold: a basis, or blockers."""

    basis: str | None
    blockers: tuple[str, ...]


def hold_release_assessment(suspicion: Suspicion) -> ReleaseAssessment:
    """Whether the identification tracks let the hold end (I1), and if not, why not.

    Never while a track is open. A recognised person's hold stays until a residence permit is
    granted or a return decision is recorded. Otherwise either every track ended negatively, or an
    adult refused referral after being informed of their rights in their language (for a non-EU
    national: the written information on the reflection period handed over) and a pre-return
    risk assessment was documented after that. The reflection-period rule is registered by the
    reflection work; cases.holds.release_blockers combines them all.
    """
    tracks = list(suspicion.referrals.select_related("to_organisation"))
    open_tracks = [r for r in tracks if r.status in OPEN_STATUSES]
    if open_tracks:
        return ReleaseAssessment(None, tuple(_open_track_blocker(r) for r in open_tracks))
    status = identification_status(suspicion, tracks)
    if status.code == IdentificationStatus.IDENTIFIED:
        return _recognised_release(suspicion)
    if status.code == IdentificationStatus.NOT_IDENTIFIED:
        return ReleaseAssessment(ReleaseBasis.NEGATIVE_OUTCOME, ())
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


def _open_track_blocker(referral: Referral) -> str:
    return _("The %(track)s track (%(organisation)s) is still open: %(status)s.") % {
        "track": referral.get_track_display(),
        "organisation": referral.to_organisation.name,
        "status": referral.get_status_display(),
    }


def _recognised_release(suspicion: Suspicion) -> ReleaseAssessment:
    if residence_or_return_decided(suspicion):
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
    if (
        information_sheet_offered(suspicion)
        and not InformationSheet.objects.filter(
            suspicion=suspicion, handed_over_on__isnull=False
        ).exists()
    ):
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


# Set while decide_hold_release runs, so the cases rule below knows the release comes through
# the recorded decision with its checks (and not from the generic hold page).
_RELEASING: ContextVar[int | None] = ContextVar("referrals_releasing", default=None)


@contextmanager
def _releasing(suspicion: Suspicion) -> Iterator[None]:
    token = _RELEASING.set(suspicion.pk)
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
    if _RELEASING.get() != suspicion.pk:
        blockers.append(
            _(
                "A hold raised by a suspicion of trafficking is released only by the hold-release decision on the suspicion's page, which checks the identification tracks."
            )
        )
    return blockers + list(hold_release_assessment(suspicion).blockers)


def release_blockers_for(suspicion: Suspicion) -> list[str]:
    """Every reason the suspicion's hold cannot be released now by a decision (all rules,
    including those other work registered, such as a running reflection period)."""
    with _releasing(suspicion):
        return release_blockers(suspicion.hold)


def decide_hold_release(
    *, actor: Actor, suspicion: Suspicion, reason: str, decision_reference: str
) -> Suspicion:
    """Release the suspicion's hold by a recorded decision with reasons (I1).

    Needs ``referrals.hold:release_decision`` in the person's unit (and the cases service's own
    ``cases.hold:release``). Refused while any release rule says no: an open track, a running
    reflection period, a recognised person without a residence or return decision, or neither a
    negative outcome nor a documented refusal with a risk assessment. On release: the Ombudsman
    gets an escalation (cases service), the person is marked "re-screen before removal" and the
    unit is notified. Raises InvalidInput, NotAllowed, ReferralError (with the blockers).
    """
    _require(actor, "referrals.hold:release_decision")
    with transaction.atomic():
        current = _lock(suspicion)
        _check_unit(actor, current)
        basis = hold_release_assessment(current).basis
        try:
            with _releasing(current):
                cases_services.release_hold(
                    actor=actor,
                    hold=current.hold,
                    reason=reason,
                    decision_reference=decision_reference,
                )
        except cases_services.InvalidInput as exc:
            raise InvalidInput(exc.errors) from exc
        except cases_services.CasesError as exc:
            raise ReferralError(str(exc)) from exc
        current.rescreen_required_since = timezone.now()
        current.version += 1
        current.save(update_fields=["rescreen_required_since", "version"])
        log_event(
            "suspicion.hold_release_decided",
            obj=current,
            details={
                "hold": current.hold_id,
                "basis": basis,
                "decision": _text(decision_reference),
            },
        )
        person = current.person
        notify(
            organisation=person.organisation,
            kind="hold.rescreen_required",
            link=suspicion_url(current),
            case_number=person.case_number,
            roles=[Role.BG_OFFICER, Role.BG_CASE_OFFICER],
        )
    return current


# Closure reasons that say the person was not identified, and those that need identification.
NEGATIVE_CLOSURES = frozenset(
    {
        Suspicion.ClosureReason.NOT_A_VICTIM,
        Suspicion.ClosureReason.NOT_A_VICTIM_LABOUR,
        Suspicion.ClosureReason.REMOVAL_RESUMED,
    }
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
    does. Raises InvalidInput, NotAllowed, ReferralError."""
    _require(actor, "referrals.suspicion:close")
    current = _lock(suspicion)
    _check_unit(actor, current)
    _check_open(current)
    if reason not in Suspicion.ClosureReason.values:
        raise InvalidInput({"reason": [_("Choose the reason for closing.")]})
    tracks = list(current.referrals.all())
    if any(r.status in OPEN_STATUSES for r in tracks):
        raise ReferralError(
            _("A referral track is still open: it must end before the suspicion is closed.")
        )
    identified = identification_status(current, tracks).code == IdentificationStatus.IDENTIFIED
    if identified and reason in NEGATIVE_CLOSURES:
        raise InvalidInput(
            {"reason": [_("The person was identified as a victim: choose another reason.")]}
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
