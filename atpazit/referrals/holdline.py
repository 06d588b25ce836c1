"""What keeps a suspicion's removal hold in force *now*, for the one-line summaries of the
referral page (provider, police) and the child page (orphan's court).

"No removal while identification is pending" is true only while it is pending. Afterwards the
hold stays for another reason, derived here from the state (never stored): a reflection period
running (until its last day), a recognised victim whose residence permit or return decision is
not decided yet, an adult who refused referral, or simply no release decision recorded yet.
Only the ground is said, never who else works on the case (I6: a provider does not learn of
the police track from this line).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from atpazit.referrals import hooks
from atpazit.referrals.models import Consent, Suspicion
from atpazit.referrals.services import IdentificationStatus, current_consent


@dataclass(frozen=True)
class HoldLine:
    """``code`` is stable (tests, templates): released, pending, reflection, residence,
    refused, awaiting_release. ``text`` is in the reader's language."""

    code: str
    text: str

    @property
    def active(self) -> bool:
        return self.code != "released"


def hold_line(suspicion: Suspicion, status: IdentificationStatus) -> HoldLine:
    """The ground of the hold now; ``status`` is the identification status the page already
    computed (``services.identification_status``)."""
    hold = suspicion.hold
    if hold is None or hold.released_at is not None:
        return HoldLine("released", _("released"))
    until = hooks.reflection_until(suspicion)
    if until is not None:
        return HoldLine("reflection", _reflection_text(until))
    if status.code == IdentificationStatus.IDENTIFIED:
        if not hooks.residence_or_return_decided(suspicion):
            return HoldLine(
                "residence",
                _(
                    "no removal: recognised as a victim, until a residence permit is granted or a return decision is recorded"
                ),
            )
        return _awaiting_release()
    if status.code == IdentificationStatus.PENDING:
        consent = current_consent(suspicion)
        refused = (
            not suspicion.child_path
            and not suspicion.referrals.exists()
            and consent is not None
            and (consent.decision == Consent.Decision.REFUSED or consent.withdrawn_at is not None)
        )
        if refused:
            return HoldLine(
                "refused",
                _(
                    "no removal: the person refused referral, until two case officers decide on releasing the hold"
                ),
            )
        return HoldLine("pending", _("no removal while identification is pending"))
    return _awaiting_release()


def _reflection_text(until: datetime.date) -> str:
    return _("no removal during the reflection period, until %(date)s") % {
        "date": formats.date_format(until, "SHORT_DATE_FORMAT")
    }


def _awaiting_release() -> HoldLine:
    return HoldLine(
        "awaiting_release",
        _(
            "no removal: identification has ended, and the hold stays until a decision on releasing it is recorded"
        ),
    )
