from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Menu labels of the core referral pages (registered in ready below), translated in this app.
NAV_SUSPICIONS = _("Suspicions")
NAV_REFERRALS = _("Referrals")
NAV_ANONYMOUS = _("Anonymous notifications")
NAV_CHILDREN = _("Child cases")
NAV_LABOUR_NOTICES = _("Labour exploitation notices")


class ReferralsConfig(AppConfig):
    name = "atpazit.referrals"
    label = "referrals"
    verbose_name = _("Referral and identification")

    def ready(self) -> None:
        from atpazit.cases.holds import register_release_condition
        from atpazit.cases.models import Hold
        from atpazit.lib.registry import PANEL_PROVIDERS
        from atpazit.referrals import panels
        from atpazit.referrals.services import suspicion_hold_blockers

        # The core rule of a suspicion's hold: open tracks, recognition, refusal (I1).
        register_release_condition(Hold.Cause.SUSPICION, suspicion_hold_blockers)
        # After a release, "re-screen before removal" stops every removal step until a
        # screening is completed (the removal paths all run cases.holds.ensure_no_active_hold).
        from atpazit.cases.holds import register_removal_precondition
        from atpazit.referrals.selectors import rescreen_obstacles

        register_removal_precondition(rescreen_obstacles)
        for provider in panels.PROVIDERS:
            if provider not in PANEL_PROVIDERS:
                PANEL_PROVIDERS.append(provider)
        # Providers and the police never open the person page: they get the referral page with
        # its package, so nothing is added to cases.selectors.REFERRED_PERSONS_SCOPES (I6).

        # The labour inspectorate's de-identified notices (R4), sent when a screening decision
        # says so: registered with screening, which never imports referrals for it.
        from atpazit.referrals import labour
        from atpazit.screening.hooks import register_decided_listener

        register_decided_listener(labour.on_screening_decided)
        # A "raise a suspicion" decision comes here through screening's one suspicion handler.
        from atpazit.referrals.handover import HANDLER
        from atpazit.screening.hooks import register_suspicion_handler

        register_suspicion_handler(HANDLER)
        if labour.labour_notices_panel not in PANEL_PROVIDERS:
            PANEL_PROVIDERS.append(labour.labour_notices_panel)

        from atpazit.lib.registry import NavItem, register_demo_loader, register_nav_item

        for item in (
            NavItem(60, NAV_SUSPICIONS, "referrals:suspicion_list", "referrals.suspicion:read"),
            NavItem(61, NAV_REFERRALS, "referrals:referral_list", "referrals.referral:read"),
            NavItem(62, NAV_ANONYMOUS, "referrals:anonymous_list", "referrals.anonymous:read"),
            NavItem(63, NAV_CHILDREN, "referrals:child_list", "referrals.child:read"),
            NavItem(
                64,
                NAV_LABOUR_NOTICES,
                "referrals:labour_notice_list",
                "referrals.labour_notice:read",
            ),
        ):
            register_nav_item(item)
        register_demo_loader(30, "atpazit.referrals.demo.load")
        from atpazit.cases.demo import SUSPICION_RAISERS
        from atpazit.referrals.demo import raise_case_demo_suspicion

        if raise_case_demo_suspicion not in SUSPICION_RAISERS:
            SUSPICION_RAISERS.append(raise_case_demo_suspicion)
