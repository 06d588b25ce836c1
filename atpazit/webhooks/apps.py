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
        from atpazit.lib.registry import NavItem, register_nav_item, register_tick_job
        from atpazit.referrals.hooks import register_referral_listener
        from atpazit.webhooks import signals  # noqa: F401  (connects the receivers)
        from atpazit.webhooks.events import on_hold_lifecycle, on_referral_changed
        from atpazit.webhooks.tasks import deliver_due

        register_referral_listener(on_referral_changed)
        if on_hold_lifecycle not in HOLD_LIFECYCLE_LISTENERS:
            HOLD_LIFECYCLE_LISTENERS.append(on_hold_lifecycle)
        # Each tick re-queues deliveries a stopped worker left behind (tasks.deliver_due).
        register_tick_job("webhook deliveries due", deliver_due)
        register_nav_item(
            NavItem(86, _("Webhooks"), "webhooks:endpoint_list", "webhooks.endpoint:manage")
        )
