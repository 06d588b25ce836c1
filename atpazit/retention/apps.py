"""Django app configuration for retention."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    """Retention periods, the purge job and legal holds (DESIGN §7)."""

    name = "atpazit.retention"
    label = "retention"
    verbose_name = _("Data retention")

    def ready(self) -> None:
        from atpazit.cases.notices import register_record_notice
        from atpazit.lib.registry import NavItem, register_nav_item, register_tick_job
        from atpazit.retention.selectors import anonymised_record_notice
        from atpazit.retention.tasks import enqueue_daily_purge

        register_nav_item(
            NavItem(92, self.verbose_name, "retention:report", "retention.report:read")
        )
        register_tick_job("retention purge", enqueue_daily_purge)
        register_record_notice(anonymised_record_notice)
