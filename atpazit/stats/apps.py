"""Django app configuration for stats."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """Aggregates over every wing, suppressed for readers without case-level access."""

    name = "atpazit.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from atpazit.lib.registry import (
            NavItem,
            register_demo_loader,
            register_nav_item,
            register_tick_job,
        )
        from atpazit.stats.tasks import queue_current_year_count

        register_nav_item(NavItem(75, self.verbose_name, "stats:dashboard", "stats.dashboard:view"))
        # --- The de-identified case-level export (stats/htcds.py) ---
        register_nav_item(
            NavItem(
                76,
                _("Case-level export (HTCDS)"),
                "stats:htcds_export",
                "stats.htcds:export",
            )
        )
        # After every other loader: it screens the persons the cases demo registered.
        register_demo_loader(95, "atpazit.stats.demo.load")
        # The current year's national figures, counted again every few minutes (ADR 0028).
        register_tick_job("statistics of the current year", queue_current_year_count)
