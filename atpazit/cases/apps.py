from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "atpazit.cases"
    label = "cases"
    verbose_name = _("Return cases")

    def ready(self) -> None:
        from atpazit.cases.panels import border_guard_panel
        from atpazit.web.dashboards import PANEL_PROVIDERS

        if border_guard_panel not in PANEL_PROVIDERS:
            PANEL_PROVIDERS.append(border_guard_panel)
