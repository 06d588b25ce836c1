from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemovalsConfig(AppConfig):
    name = "atpazit.removals"
    label = "removals"
    verbose_name = _("Removal operations")

    def ready(self) -> None:
        from atpazit.removals.panels import conflicts_panel, upcoming_panel
        from atpazit.web.dashboards import PANEL_PROVIDERS

        for provider in (conflicts_panel, upcoming_panel):
            if provider not in PANEL_PROVIDERS:
                PANEL_PROVIDERS.append(provider)

        from atpazit.cases.holds import HOLD_CHANGE_LISTENERS
        from atpazit.removals.conflicts import on_hold_changed

        if on_hold_changed not in HOLD_CHANGE_LISTENERS:
            HOLD_CHANGE_LISTENERS.append(on_hold_changed)
