"""What a recorded screening asks of other apps, without screening importing them.

Screening records a decision; other apps act on it (the removals app asks the case officer to
defer a person who must be interviewed before departure, the referrals app sends the labour
inspectorate its de-identified notice). They register a listener here from their
``AppConfig.ready``, as ``removals`` does with ``cases.holds.HOLD_CHANGE_LISTENERS``, so the
dependency runs one way: those apps know screening, screening knows none of them.

A "raise a suspicion" decision is handed over the same way: the referral flow registers the one
``SuspicionHandler`` (docs/decisions/0009-screening-decision-listeners.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

from atpazit.screening.engine import Recommendation
from atpazit.screening.models import Decision, ScreeningSession

# R7 (DESIGN.md §5, catalogue release 2026.2): "interview now, before departure". The
# recommendation and the decision that takes it share the code.
INTERVIEW_BEFORE_DEPARTURE = Recommendation.INTERVIEW_BEFORE_DEPARTURE.value
RAISE_SUSPICION = Decision.RAISE_SUSPICION.value

# Called inside the decision's transaction, after the session is closed and saved, with
# (session, actor). A listener that raises undoes the decision: keep listeners to what must
# happen together with it (a notice, a notification), and never to anything that may fail for
# reasons the screener cannot fix.
SCREENING_DECIDED_LISTENERS: list[Callable[[ScreeningSession, Any], None]] = []


def screening_decided(session: ScreeningSession, actor: Any) -> None:
    """Tell every registered listener that ``session`` was decided by ``actor``."""
    for listener in SCREENING_DECIDED_LISTENERS:
        listener(session, actor)


def register_decided_listener(listener: Callable[[ScreeningSession, Any], None]) -> None:
    if listener not in SCREENING_DECIDED_LISTENERS:
        SCREENING_DECIDED_LISTENERS.append(listener)


class RaiseSuspicion(Protocol):
    def __call__(
        self, *, actor: Any, session: ScreeningSession, reason: str, orphans_court: Any
    ) -> int: ...


@dataclass(frozen=True)
class SuspicionHandler:
    """What the referral flow does for screening (DESIGN.md §3 step 3).

    ``raise_suspicion`` runs inside the decision's transaction: it raises the person's suspicion
    (or joins the one already open), which places the removal hold at once (I1), and returns the
    suspicion's id. It raises ``InvalidInput`` (atpazit.lib.errors) naming the decision form's field,
    or another ``ServiceError``: either undoes the decision. ``suspicion_of`` finds the suspicion a
    decided session led to, for a link, or None.
    """

    raise_suspicion: RaiseSuspicion
    suspicion_of: Callable[[ScreeningSession], int | None]


_SUSPICION_HANDLERS: list[SuspicionHandler] = []


def register_suspicion_handler(handler: SuspicionHandler) -> None:
    """Register THE handler of "raise a suspicion" decisions; there is exactly one."""
    if handler in _SUSPICION_HANDLERS:
        return
    if _SUSPICION_HANDLERS:
        raise ImproperlyConfigured("A second handler of screening suspicions was registered.")
    _SUSPICION_HANDLERS.append(handler)


def suspicion_decided(
    *, actor: Any, session: ScreeningSession, reason: str, orphans_court: Any
) -> int:
    """Hand a "raise a suspicion" decision over to the registered handler; returns the
    suspicion's id. Without a handler nothing could hold the removal, so the decision fails
    (deny when unsure, I1)."""
    if not _SUSPICION_HANDLERS:
        raise ImproperlyConfigured("No handler of screening suspicions is registered (I1).")
    return _SUSPICION_HANDLERS[0].raise_suspicion(
        actor=actor, session=session, reason=reason, orphans_court=orphans_court
    )


def suspicion_of(session: ScreeningSession) -> int | None:
    """The suspicion a decided session led to, as the handler finds it; None without one."""
    if not _SUSPICION_HANDLERS:
        return None
    return _SUSPICION_HANDLERS[0].suspicion_of(session)


def asks_interview_before_departure(recommendation: str, decision: str) -> bool:
    """True when a decided screening asks for a closer interview before the person leaves.

    Either the engine advised it (R7) or the screener decided it, and no suspicion was raised
    (a suspicion holds the removal, which is stronger). The advice stands whatever else the
    screener decided: the case officer is asked to defer the person (advice, not a hold — I2).
    """
    if decision == RAISE_SUSPICION:
        return False
    return INTERVIEW_BEFORE_DEPARTURE in (recommendation, decision)
