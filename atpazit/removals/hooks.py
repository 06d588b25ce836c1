"""What the apps above removals tell the escort leader on the operation's pages, without removals
importing them (docs/architecture.md, "Layers of imports").

The escort leader and the unit's case officers work from the operation page and the
pre-departure check. Something an app above removals learns about a person on the manifest that
must be acted on before departure — a monitor's signs of trafficking, on which the screening
rules advise an interview before departure or a referral (monitoring, issue 12 item 9) — is
contributed here as a ``ManifestAlert``: the app registers a provider from its
``AppConfig.ready``, as referrals do in ``referrals.hooks``. The pre-departure check asks every
provider once (``PreDepartureCheck.alerts``) and both pages show the alerts above the manifest.

An alert carries a case number and fixed texts (what was seen, what the rules advise, what to do),
never a monitor's words: the Border Guard never reads the Office's observations (I6).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from atpazit.removals.models import RemovalOperation
    from atpazit.removals.selectors import ManifestRow


@dataclass(frozen=True)
class ManifestAlert:
    """Something to act on about one person on the manifest before they depart."""

    person_id: int
    case_number: str
    # Fixed texts, translated where shown: what was seen, the advice, what to do.
    title: str | Promise
    advice: str | Promise
    action: str | Promise
    raised_at: datetime.datetime


# A provider takes the operation and its manifest rows (``removals.selectors.ManifestRow``:
# the person, holds, latest screening) and returns the alerts about persons on them.
AlertProvider = Callable[["RemovalOperation", "Sequence[ManifestRow]"], list[ManifestAlert]]

_ALERT_PROVIDERS: list[AlertProvider] = []


def register_manifest_alerts(provider: AlertProvider) -> None:
    if provider not in _ALERT_PROVIDERS:
        _ALERT_PROVIDERS.append(provider)


def manifest_alerts(
    operation: RemovalOperation, rows: Sequence[ManifestRow]
) -> list[ManifestAlert]:
    """Every registered provider's alerts about the persons in ``rows``, oldest first. An
    operation that has ended has none: there is no departure left to act before."""
    if not operation.manifest_is_open or not rows:
        return []
    on_manifest = {row.person.pk for row in rows}
    alerts = [
        alert
        for provider in _ALERT_PROVIDERS
        for alert in provider(operation, rows)
        if alert.person_id in on_manifest
    ]
    return sorted(alerts, key=lambda alert: (alert.raised_at, alert.case_number))
