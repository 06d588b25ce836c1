"""The hand-over from a screening decision to the referral flow (DESIGN.md §3 step 3).

Registered with ``screening.hooks.register_suspicion_handler`` in ``ReferralsConfig.ready``, so
screening never imports referrals: this app knows screening, screening knows none of it.
"""

from __future__ import annotations

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.lib.errors import InvalidInput
from atpazit.referrals import services as referrals
from atpazit.referrals.models import Suspicion
from atpazit.screening.hooks import SuspicionHandler
from atpazit.screening.models import ScreeningSession


def hand_over_suspicion(
    *,
    actor: Actor,
    session: ScreeningSession,
    reason: str,
    orphans_court: Organisation | None = None,
) -> int:
    """THE call site for "raise a suspicion" from a screening decision.

    ``referrals.services.raise_suspicion`` places the removal hold at once (I1), starts the child
    path for a child (I4) and the referral. Runs inside the decision's transaction, so the
    decision is kept only together with the hold. If the person already has an open suspicion
    that still holds the removal, that one goes on; one whose hold was released does not (a new
    suspicion with its own hold is raised, docs/decisions/0008). Returns the suspicion's id.
    Refusals are the common ServiceErrors, passed on as they are; an InvalidInput names the
    decision form's field (e.g. the orphan's court to notify about a child).
    """
    open_suspicion = (
        referrals.holding_suspicions(session.person).values_list("pk", flat=True).first()
    )
    if open_suspicion is not None:
        return open_suspicion
    try:
        suspicion = referrals.raise_suspicion(
            actor=actor,
            person=session.person,
            reason=reason,
            source_reference=session.source_reference,
            orphans_court=orphans_court,
        )
    except InvalidInput as exc:
        # The same refusal, its messages put on the decision form's fields.
        known = {"orphans_court", "reason"}
        raise InvalidInput(
            {key if key in known else "decision": messages for key, messages in exc.errors.items()}
        ) from exc
    return suspicion.pk


def suspicion_of(session: ScreeningSession) -> int | None:
    """The suspicion a decided session led to: the one it raised, or else the person's latest
    (the one that was already open when it was decided)."""
    suspicions = Suspicion.objects.filter(person_id=session.person_id)
    own = suspicions.filter(source_reference=session.source_reference)
    found = own.values_list("pk", flat=True).first()
    if found is None:
        found = suspicions.order_by("-raised_at").values_list("pk", flat=True).first()
    return found


HANDLER = SuspicionHandler(raise_suspicion=hand_over_suspicion, suspicion_of=suspicion_of)
