from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Menu label (registered in ready below), translated in this app.
NAV_SIVA = _("Service decisions")


class AftercareConfig(AppConfig):
    name = "atpazit.aftercare"
    label = "aftercare"

    def ready(self) -> None:
        from atpazit.aftercare import services as aftercare
        from atpazit.lib.registry import (
            PANEL_PROVIDERS,
            NavItem,
            register_demo_loader,
            register_nav_item,
        )

        # SIVA's waiting requests on its dashboard.
        if aftercare.siva_panel not in PANEL_PROVIDERS:
            PANEL_PROVIDERS.append(aftercare.siva_panel)
        register_nav_item(NavItem(66, NAV_SIVA, "aftercare:siva_inbox", "referrals.siva:decide"))
        register_demo_loader(40, "atpazit.aftercare.demo.load")

        # What referrals reads from here, without importing this app: the fact
        # that lets a recognised person's hold go, and SIVA's part of the follow-up scope
        # (referrals.visibility, where every scope over a suspicion is).
        from atpazit.accounts.roles import OrganisationType
        from atpazit.aftercare.residence import residence_or_return_decided
        from atpazit.aftercare.siva import siva_followup_scope
        from atpazit.referrals.hooks import register_residence_or_return_decided
        from atpazit.referrals.visibility import register_followup_scope

        register_residence_or_return_decided(residence_or_return_decided)
        register_followup_scope(OrganisationType.SIVA, siva_followup_scope)
