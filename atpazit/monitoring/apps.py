from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "atpazit.monitoring"
    label = "monitoring"
    verbose_name = _("Forced-return monitoring")

    def ready(self) -> None:
        from atpazit.lib.registry import (
            NavItem,
            register_demo_loader,
            register_nav_item,
            register_panel,
        )
        from atpazit.monitoring.panels import missions_panel, requests_panel

        register_panel(missions_panel)
        register_panel(requests_panel)
        register_nav_item(
            NavItem(35, _("Monitoring"), "monitoring:mission_list", "monitoring.mission:read")
        )
        register_demo_loader(80, "atpazit.monitoring.demo.load")
