from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "atpazit.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from atpazit.lib.registry import NavItem, register_nav_item

        register_nav_item(NavItem(90, _("Audit trail"), "audit:event_list", "audit.event:read"))
