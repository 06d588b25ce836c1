from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationsConfig(AppConfig):
    name = "atpazit.escalations"
    label = "escalations"
    verbose_name = _("Escalations")

    def ready(self) -> None:
        from atpazit.escalations.panels import escalations_panel
        from atpazit.lib.registry import PANEL_PROVIDERS

        if escalations_panel not in PANEL_PROVIDERS:
            PANEL_PROVIDERS.append(escalations_panel)

        from atpazit.lib.registry import NavItem, register_nav_item

        register_nav_item(
            NavItem(
                40,
                self.verbose_name,
                "escalations:escalation_list",
                "escalations.escalation:read",
            )
        )
