"""What the feature apps contribute to the shell: dashboard panels, menu entries, demo loaders.

The registries live here, at the bottom of the layers (docs/architecture.md, "Layers of
imports"), so an app contributes by importing this module from its ``AppConfig.ready`` and the
shell (``atpazit.web``) reads them without importing any feature app. Nothing here knows an app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

# --- dashboard panels ---------------------------------------------------------------------------


@dataclass
class Panel:
    title: str | Promise
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # How many things in it need the reader; the dashboard's summary shows it first (issue 11).
    count: int | None = None


# A provider takes the actor (``atpazit.accounts.access.Actor``; typed loosely here, since this
# module sits below accounts) and returns its panel for actors it serves, or None.
PanelProvider = Callable[[Any], Panel | None]

# Features append providers, in the order their apps are ready.
PANEL_PROVIDERS: list[PanelProvider] = []


def register_panel(provider: PanelProvider) -> None:
    if provider not in PANEL_PROVIDERS:
        PANEL_PROVIDERS.append(provider)


# --- navigation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    """One menu entry, shown only to actors holding ``permission``. ``position`` orders the
    menu whatever order the apps register in (the dashboard is 0)."""

    position: int
    label: str | Promise
    url_name: str
    permission: str


NAVIGATION: list[NavItem] = []


def register_nav_item(item: NavItem) -> None:
    """Add a menu entry; a second entry at a taken position is a wiring mistake."""
    if item in NAVIGATION:
        return
    taken = {existing.position: existing for existing in NAVIGATION}
    if item.position in taken:
        raise ValueError(
            f"menu position {item.position} is taken by {taken[item.position].url_name}"
        )
    NAVIGATION.append(item)
    NAVIGATION.sort(key=lambda entry: entry.position)


# --- demo data ----------------------------------------------------------------------------------

# (position, "dotted.path.to.load"): ``atpazit demo`` imports and calls each loader in order; a
# loader creates its demo records if missing and returns lines to print. Paths, not functions,
# so the demo modules are imported only by the command.
DEMO_LOADERS: list[tuple[int, str]] = []


def register_demo_loader(position: int, dotted: str) -> None:
    if (position, dotted) not in DEMO_LOADERS:
        DEMO_LOADERS.append((position, dotted))
        DEMO_LOADERS.sort()


# --- scripts on every page ------------------------------------------------------------------------


@dataclass(frozen=True)
class PageScript:
    """A script module an app adds to every page for actors holding ``permission`` (the
    monitor's tablet wipes its offline key at sign-out), or with ``signed_out`` to every page
    of nobody signed in (``permission`` then unused). The element gets the id
    ``script-<name>`` and a ``data-<key>`` attribute per entry of ``data`` (texts through
    gettext), which the script reads."""

    name: str
    path: str  # a static file path
    permission: str
    data: tuple[tuple[str, str | Promise], ...] = ()
    # Instead on the pages of nobody signed in (the sign-in page a session that timed out
    # lands on): for clean-up that must happen even when nobody signed out.
    signed_out: bool = False


PAGE_SCRIPTS: list[PageScript] = []


def register_page_script(script: PageScript) -> None:
    if script not in PAGE_SCRIPTS:
        PAGE_SCRIPTS.append(script)


# --- jobs of ``atpazit tick`` ---------------------------------------------------------------------

# (name, job): ``atpazit tick`` calls each job on every run; a job returns how many things it
# started (printed when not zero) and decides itself how often it really acts (the retention
# purge: at most once a day, and only when switched on).
TICK_JOBS: list[tuple[str, Callable[[], int]]] = []


def register_tick_job(name: str, job: Callable[[], int]) -> None:
    if all(registered != name for registered, _job in TICK_JOBS):
        TICK_JOBS.append((name, job))
