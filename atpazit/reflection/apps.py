from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Menu label (registered in ready below), translated in this app.
NAV_REFLECTION = _("Reflection periods")


class ReflectionConfig(AppConfig):
    name = "atpazit.reflection"
    label = "reflection"

    def ready(self) -> None:
        from atpazit.lib.registry import PANEL_PROVIDERS, NavItem, register_nav_item
        from atpazit.reflection import services as reflection

        # No hold ends while a reflection period runs (I1); the running periods on the dashboards.
        reflection.register_release_conditions()
        if reflection.reflection_panel not in PANEL_PROVIDERS:
            PANEL_PROVIDERS.append(reflection.reflection_panel)
        register_nav_item(
            NavItem(65, NAV_REFLECTION, "reflection:reflection_list", "referrals.followup:read")
        )
