"""What a recorded screening asks of other apps, without screening importing them.

Screening records a decision; other apps act on it (the removals app asks the case officer to
defer a person who must be interviewed before departure, the referrals app sends the labour
inspectorate its de-identified notice). They register a listener here from their
``AppConfig.ready``, as ``removals`` does with ``cases.holds.HOLD_CHANGE_LISTENERS``, so the
dependency runs one way: those apps know screening, screening knows none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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


def asks_interview_before_departure(recommendation: str, decision: str) -> bool:
    """True when a decided screening asks for a closer interview before the person leaves.

    Either the engine advised it (R7) or the screener decided it, and no suspicion was raised
    (a suspicion holds the removal, which is stronger). The advice stands whatever else the
    screener decided: the case officer is asked to defer the person (advice, not a hold — I2).
    """
    if decision == RAISE_SUSPICION:
        return False
    return INTERVIEW_BEFORE_DEPARTURE in (recommendation, decision)
