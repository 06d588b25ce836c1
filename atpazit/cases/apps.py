from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "atpazit.cases"
    label = "cases"
    verbose_name = _("Return cases")

    def ready(self) -> None:
        from atpazit.cases.panels import border_guard_panel
        from atpazit.lib.registry import PANEL_PROVIDERS

        if border_guard_panel not in PANEL_PROVIDERS:
            PANEL_PROVIDERS.append(border_guard_panel)

        from atpazit.lib.registry import NavItem, register_demo_loader, register_nav_item

        register_nav_item(NavItem(20, self.verbose_name, "cases:person_list", "cases.person:read"))
        register_demo_loader(20, "atpazit.cases.demo.load")
