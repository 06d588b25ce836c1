"""What each role's front page shows. Later features register panels for the roles they serve."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from atpazit.accounts.access import Actor


@dataclass
class Panel:
    title: str | Promise
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelProvider = Callable[[Actor], Panel | None]

# Features append providers; each returns a panel for actors it serves, or None.
PANEL_PROVIDERS: list[PanelProvider] = []


def dashboard_panels(actor: Actor) -> list[Panel]:
    return [panel for provider in PANEL_PROVIDERS if (panel := provider(actor)) is not None]
