"""What each role's front page shows: the panels the apps registered in ``atpazit.lib.registry``."""

from __future__ import annotations

from atpazit.accounts.access import Actor
from atpazit.lib.registry import PANEL_PROVIDERS, Panel


def dashboard_panels(actor: Actor) -> list[Panel]:
    return [panel for provider in PANEL_PROVIDERS if (panel := provider(actor)) is not None]
