from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemovalsConfig(AppConfig):
    name = "atpazit.removals"
    label = "removals"
    verbose_name = _("Removal operations")

    def ready(self) -> None:
        from atpazit.lib.registry import PANEL_PROVIDERS
        from atpazit.removals.panels import conflicts_panel, upcoming_panel

        for provider in (conflicts_panel, upcoming_panel):
            if provider not in PANEL_PROVIDERS:
                PANEL_PROVIDERS.append(provider)

        from atpazit.cases.holds import HOLD_CHANGE_LISTENERS
        from atpazit.removals.conflicts import on_hold_changed

        if on_hold_changed not in HOLD_CHANGE_LISTENERS:
            HOLD_CHANGE_LISTENERS.append(on_hold_changed)

        # A change of age evidence on someone on an open operation needs four eyes (ADR 0021).
        from atpazit.cases.holds import OPEN_OPERATION_CHECKS
        from atpazit.removals.conflicts import on_open_operation

        if on_open_operation not in OPEN_OPERATION_CHECKS:
            OPEN_OPERATION_CHECKS.append(on_open_operation)

        # R7: a screening that asks for an interview before departure reaches the case officer
        # of the person's operation; screening never imports removals for it.
        from atpazit.removals.interviews import interview_panel, on_screening_decided
        from atpazit.screening.hooks import register_decided_listener

        register_decided_listener(on_screening_decided)

        # A child screened as a child clears a confirmed operation's conflict (ADR 0014).
        from atpazit.removals.conflicts import on_screening_decided as resync_conflicts

        register_decided_listener(resync_conflicts)
        if interview_panel not in PANEL_PROVIDERS:
            PANEL_PROVIDERS.append(interview_panel)

        from atpazit.lib.registry import NavItem, register_demo_loader, register_nav_item

        register_nav_item(
            NavItem(30, self.verbose_name, "removals:operation_list", "removals.operation:read")
        )
        register_demo_loader(60, "atpazit.removals.demo.load")
