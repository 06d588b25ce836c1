from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Menu labels of the core referral pages (atpazit/web/navigation.py), translated in this app.
NAV_SUSPICIONS = _("Suspicions")
NAV_REFERRALS = _("Referrals")
NAV_ANONYMOUS = _("Anonymous notifications")
NAV_CHILDREN = _("Child cases")
NAV_LABOUR_NOTICES = _("Labour exploitation notices")
# Reflection period and after identification (referrals/urls_followup.py).
NAV_REFLECTION = _("Reflection periods")
NAV_SIVA = _("Service decisions")


class ReferralsConfig(AppConfig):
    name = "atpazit.referrals"
    label = "referrals"
    verbose_name = _("Referral and identification")

    def ready(self) -> None:
        from atpazit.cases.holds import register_release_condition
        from atpazit.cases.models import Hold
        from atpazit.referrals import panels
        from atpazit.referrals.services import suspicion_hold_blockers
        from atpazit.web.dashboards import PANEL_PROVIDERS

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

        # Reflection period and after identification: no hold ends while a period runs; the
        # running periods and SIVA's waiting requests on the dashboards.
        from atpazit.referrals import aftercare, reflection

        reflection.register_release_conditions()

        # The labour inspectorate's de-identified notices (R4), sent when a screening decision
        # says so: registered with screening, which never imports referrals for it.
        from atpazit.referrals import labour
        from atpazit.screening.hooks import register_decided_listener

        register_decided_listener(labour.on_screening_decided)
        if labour.labour_notices_panel not in PANEL_PROVIDERS:
            PANEL_PROVIDERS.append(labour.labour_notices_panel)
        for provider in (reflection.reflection_panel, aftercare.siva_panel):
            if provider not in PANEL_PROVIDERS:
                PANEL_PROVIDERS.append(provider)
