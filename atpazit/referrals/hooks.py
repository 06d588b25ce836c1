"""What the apps above referrals (reflection, aftercare, exchange) tell it, without referrals
importing them (docs/architecture.md, "Layers of imports").

Referral changes go the other way: ``register_referral_listener`` lets an app above hear that a
referral was sent or moved (webhooks).

The hold-release rules need two facts those apps own: whether the written information on the
reflection period was handed over (reflection) and whether a residence permit was granted or a
return decision recorded (aftercare). The four-eyes fingerprint of a case includes the reflection
app's information sheets, and the referral page shows the exchange's thread panel. Each app
registers its part from ``AppConfig.ready``, as the holds do with
``cases.holds.register_release_condition``.

When nothing is registered, the facts answer False, which keeps a hold in place (I1): a missing
registration can never release anyone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

    from django.http import HttpRequest

    from atpazit.referrals.models import Referral, Suspicion

SuspicionFact = Callable[["Suspicion"], bool]
SuspicionDate = Callable[["Suspicion"], "date | None"]
CaseStatePart = Callable[["Suspicion"], object]
ReferralPanel = Callable[["HttpRequest", "Referral"], dict[str, Any]]
ReferralListener = Callable[["Referral", str], None]

_SHEET_HANDED_OVER: list[SuspicionFact] = []
_RESIDENCE_OR_RETURN_DECIDED: list[SuspicionFact] = []
_CASE_STATE_PARTS: dict[str, CaseStatePart] = {}
_REFERRAL_PANELS: list[ReferralPanel] = []
_REFLECTION_UNTIL: list[SuspicionDate] = []
_REFERRAL_LISTENERS: list[ReferralListener] = []


def register_sheet_handed_over(fact: SuspicionFact) -> None:
    """``fact(suspicion)``: True once the information sheet's receipt is recorded (reflection)."""
    if fact not in _SHEET_HANDED_OVER:
        _SHEET_HANDED_OVER.append(fact)


def register_residence_or_return_decided(fact: SuspicionFact) -> None:
    """``fact(suspicion)``: True once a residence permit was granted or a return decision
    recorded after identification (aftercare)."""
    if fact not in _RESIDENCE_OR_RETURN_DECIDED:
        _RESIDENCE_OR_RETURN_DECIDED.append(fact)


def register_reflection_until(fact: SuspicionDate) -> None:
    """``fact(suspicion)``: the last day of a reflection period protecting the person today, or
    None (reflection). Read by the hold line, which says what keeps the hold in force."""
    if fact not in _REFLECTION_UNTIL:
        _REFLECTION_UNTIL.append(fact)


def reflection_until(suspicion: Suspicion) -> date | None:
    days = [day for fact in _REFLECTION_UNTIL if (day := fact(suspicion)) is not None]
    return max(days) if days else None


def register_case_state_part(key: str, part: CaseStatePart) -> None:
    """Add ``part(suspicion)`` (JSON-serialisable) under ``key`` to the fingerprint a four-eyes
    release proposal rests on; a second app taking a key is a wiring mistake."""
    if _CASE_STATE_PARTS.get(key, part) is not part:
        raise ValueError(f"case state part {key!r} is already registered")
    _CASE_STATE_PARTS[key] = part


def register_referral_panel(panel: ReferralPanel) -> None:
    """``panel(request, referral)`` returns context for the referral page (and audits its own
    reads); its template is included by ``referrals/referral_detail.html``."""
    if panel not in _REFERRAL_PANELS:
        _REFERRAL_PANELS.append(panel)


def register_referral_listener(listener: ReferralListener) -> None:
    """``listener(referral, change)`` is called inside the transaction that sent a referral
    (change ``"sent"``) or moved its status (the new status), as the removals app listens to
    ``cases.holds.HOLD_CHANGE_LISTENERS``. The webhooks app announces the change from here, after
    the commit; a listener must never fail the change it hears of."""
    if listener not in _REFERRAL_LISTENERS:
        _REFERRAL_LISTENERS.append(listener)


def referral_changed(referral: Referral, change: str) -> None:
    for listener in _REFERRAL_LISTENERS:
        listener(referral, change)


def information_sheet_handed_over(suspicion: Suspicion) -> bool:
    return any(fact(suspicion) for fact in _SHEET_HANDED_OVER)


def residence_or_return_decided(suspicion: Suspicion) -> bool:
    """True once a residence permit was granted or a return decision recorded after
    identification: what lets a recognised person's hold be released."""
    return any(fact(suspicion) for fact in _RESIDENCE_OR_RETURN_DECIDED)


def case_state_parts(suspicion: Suspicion) -> dict[str, object]:
    return {key: part(suspicion) for key, part in _CASE_STATE_PARTS.items()}


def referral_panels_context(request: HttpRequest, referral: Referral) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for panel in _REFERRAL_PANELS:
        context |= panel(request, referral)
    return context
