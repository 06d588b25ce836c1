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
        # The Border Guard reads the recommendations addressed to it here, and answers them.
        register_nav_item(
            NavItem(
                36,
                _("Recommendations"),
                "monitoring_findings:recommendation_list",
                "monitoring.recommendation:read",
            )
        )
        register_nav_item(
            NavItem(
                37,
                _("Annual monitoring table"),
                "monitoring_findings:annual_table",
                "monitoring.annual:export",
            )
        )
        register_demo_loader(80, "atpazit.monitoring.demo.load")

        # Signs of trafficking a monitor saw, with advice that cannot wait, are shown on the
        # operation page and the pre-departure check the escort leader works from (item 9).
        from atpazit.monitoring.indicators import manifest_alerts
        from atpazit.removals.hooks import register_manifest_alerts

        register_manifest_alerts(manifest_alerts)

        # The tablet's offline key is wiped at sign-out, after a warning if observations still
        # wait on the device (ADR 0020).
        from atpazit.lib.registry import PageScript, register_page_script

        register_page_script(
            PageScript(
                name="monitoring-signout",
                path="monitoring/signout.js",
                permission="monitoring.mission:record",
                data=(
                    (
                        "msg-unsent",
                        _(
                            "Observations kept on this device are not recorded yet: %(count)s. "
                            "If you sign out now, they stay on this device, encrypted, and are "
                            "sent when you sign in here again. Sign out anyway? Choose Cancel to "
                            "stay and send them first."
                        ),
                    ),
                ),
            )
        )
        # A session that ends without a sign-out (idle timeout, browser closed) runs no
        # sign-out script: the sign-in page it lands on wipes every key with nothing waiting.
        register_page_script(
            PageScript(
                name="monitoring-sweep",
                path="monitoring/sweep.js",
                permission="",
                signed_out=True,
            )
        )
