"""Django app configuration for webhooks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Signed outbound events about referrals and holds (ADR 0030)."""

    name = "atpazit.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from atpazit.cases.holds import HOLD_LIFECYCLE_LISTENERS
        from atpazit.lib.registry import NavItem, register_nav_item
        from atpazit.referrals.hooks import register_referral_listener
        from atpazit.webhooks.events import on_hold_lifecycle, on_referral_changed

        register_referral_listener(on_referral_changed)
        if on_hold_lifecycle not in HOLD_LIFECYCLE_LISTENERS:
            HOLD_LIFECYCLE_LISTENERS.append(on_hold_lifecycle)
        register_nav_item(
            NavItem(86, _("Webhooks"), "webhooks:endpoint_list", "webhooks.endpoint:manage")
        )
