"""What an actor may see and do on a referral page and a suspicion page (I6: need to know).

Selectors decide *which* objects an actor reaches; these functions decide which *parts* of a
page show and which actions are offered. Services check the same rules again when acting, so a
hidden button is a courtesy, never the protection.
"""

from __future__ import annotations

from dataclasses import dataclass

from atpazit.accounts.access import Actor
from atpazit.referrals.models import OPEN_STATUSES, TRANSITIONS, Referral, Suspicion

Status = Referral.Status


# The one set of "which side is the actor on" rules: pages use these predicates, services the
# raising ``services.check_sender`` / ``check_unit`` built on them. No organisation, no side.


def _is(actor: Actor, organisation_id: int | None) -> bool:
    return actor.organisation is not None and actor.organisation.pk == organisation_id


def is_receiver(actor: Actor, referral: Referral) -> bool:
    """The actor works for the organisation the referral was sent to."""
    return _is(actor, referral.to_organisation_id)


def is_sender(actor: Actor, suspicion: Suspicion) -> bool:
    """The actor works for the organisation that raised the suspicion (and sends its tracks)."""
    return _is(actor, suspicion.raised_by_organisation_id)


def is_unit(actor: Actor, suspicion: Suspicion) -> bool:
    """The actor works for the person's Border Guard unit."""
    return _is(actor, suspicion.person.organisation_id)


def is_orphans_court(actor: Actor, suspicion: Suspicion) -> bool:
    """The actor works for the orphan's court named on a child-path suspicion (no court, no one)."""
    return (
        suspicion.child_path
        and suspicion.orphans_court_id is not None
        and (_is(actor, suspicion.orphans_court_id))
    )


def sees_guardian_in_full(actor: Actor, suspicion: Suspicion) -> bool:
    """Who reads the guardian's name, contact and decision number: the orphan's court that
    appointed them and the Border Guard side the appointment is disclosed to (the raising
    organisation, the child's unit). Anyone else who sees the suspicion (the Ombudsman's Office)
    learns that a guardian is appointed and since when, which is what their role needs (I6)."""
    return (
        is_orphans_court(actor, suspicion)
        or is_sender(actor, suspicion)
        or is_unit(actor, suspicion)
    )


@dataclass(frozen=True)
class ReferralParts:
    """Which parts of a referral page the actor sees. The Border Guard and the Ombudsman see the
    status only; the receiving organisation sees the package and its own notes."""

    package: bool
    commission_details: bool
    commission_notes: bool
    police_details: bool
    police_notes: bool
    transition_reasons: bool


def referral_parts(actor: Actor, referral: Referral) -> ReferralParts:
    receiver = is_receiver(actor, referral) and actor.can("referrals.referral:read")
    provider = referral.track == Referral.Track.PROVIDER
    police = referral.track == Referral.Track.POLICE
    sides = receiver or is_sender(actor, referral.suspicion)
    return ReferralParts(
        package=receiver,
        commission_details=receiver and provider,
        commission_notes=receiver and provider and actor.can("referrals.commission_notes:read"),
        police_details=receiver and police,
        police_notes=receiver and police and actor.can("referrals.police:record"),
        # Why a track was declined or withdrawn: for the two sides of the referral only.
        transition_reasons=sides,
    )


@dataclass(frozen=True)
class ReferralActions:
    accept: bool
    decline: bool
    start_assessment: bool
    commission: bool
    police_outcome: bool
    withdraw: bool
    expire: bool

    @property
    def any(self) -> bool:
        return any(vars(self).values())


def referral_actions(actor: Actor, referral: Referral) -> ReferralActions:
    allowed = TRANSITIONS.get(referral.status, frozenset())
    receiver = is_receiver(actor, referral)
    respond = receiver and actor.can("referrals.referral:respond")
    sender = is_sender(actor, referral.suspicion) and actor.can("referrals.referral:send")
    assessing = referral.status in (Status.ACCEPTED, Status.ASSESSING)
    return ReferralActions(
        accept=respond and Status.ACCEPTED in allowed,
        decline=respond and Status.DECLINED in allowed,
        start_assessment=respond and Status.ASSESSING in allowed,
        commission=receiver
        and assessing
        and referral.track == Referral.Track.PROVIDER
        and actor.can("referrals.commission:record"),
        police_outcome=receiver
        and assessing
        and referral.track == Referral.Track.POLICE
        and actor.can("referrals.police:record"),
        withdraw=sender and Status.WITHDRAWN in allowed,
        expire=sender and Status.EXPIRED in allowed,
    )


@dataclass(frozen=True)
class SuspicionActions:
    """The actions a suspicion page offers the actor (the services decide again)."""

    confirm_hold: bool
    consent: bool
    withdraw_consent: bool
    send_referrals: bool
    anonymous: bool
    risk_assessment: bool
    release: bool
    propose_release: bool
    review_release: bool
    close: bool


def suspicion_actions(
    actor: Actor,
    suspicion: Suspicion,
    *,
    consent_in_force: bool,
    consent_refused: bool,
    anonymous_sent: bool = False,
    both_tracks_open: bool = False,
) -> SuspicionActions:
    is_open = suspicion.closed_at is None
    sender = is_sender(actor, suspicion) and is_open
    unit = is_unit(actor, suspicion)
    hold = suspicion.hold
    adult = not suspicion.child_path
    return SuspicionActions(
        confirm_hold=unit
        and actor.can("cases.hold:create")
        and hold.is_active
        and hold.confirmed_at is None,
        consent=sender and adult and actor.can("referrals.consent:record"),
        withdraw_consent=sender and consent_in_force and actor.can("referrals.consent:record"),
        send_referrals=sender
        and not both_tracks_open
        and (consent_in_force or not adult)
        and actor.can("referrals.referral:send"),
        anonymous=sender
        and adult
        and consent_refused
        and not anonymous_sent
        and actor.can("referrals.referral:send"),
        risk_assessment=unit and actor.can("referrals.risk_assessment:record"),
        release=unit and hold.is_active and actor.can("referrals.hold:release_decision"),
        propose_release=unit and hold.is_active and actor.can("referrals.hold_release:propose"),
        review_release=unit and actor.can("referrals.hold_release:approve"),
        close=unit and is_open and actor.can("referrals.suspicion:close"),
    )


def open_tracks(referrals: list[Referral]) -> list[Referral]:
    return [referral for referral in referrals if referral.status in OPEN_STATUSES]
