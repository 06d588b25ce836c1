from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.access import Actor
from atpazit.deadlines.selectors import open_deadlines_for
from atpazit.lib.registry import PANEL_PROVIDERS, Panel


def deadlines_panel(actor: Actor) -> Panel | None:
    deadlines = list(open_deadlines_for(actor)[:20])
    if not deadlines:
        return None
    return Panel(
        _("Deadlines, soonest first"),
        "deadlines/panel.html",
        {"deadlines": deadlines, "now": timezone.now()},
    )


def register() -> None:
    if deadlines_panel not in PANEL_PROVIDERS:
        PANEL_PROVIDERS.append(deadlines_panel)
