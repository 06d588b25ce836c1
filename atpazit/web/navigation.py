"""The navigation menu: each entry shows only to actors holding its permission."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from atpazit.cases.apps import CasesConfig
from atpazit.escalations.apps import EscalationsConfig
from atpazit.referrals.apps import (
    NAV_ANONYMOUS,
    NAV_CHILDREN,
    NAV_LABOUR_NOTICES,
    NAV_REFERRALS,
    NAV_REFLECTION,
    NAV_SIVA,
    NAV_SUSPICIONS,
)
from atpazit.removals.apps import RemovalsConfig
from atpazit.screening.apps import NAV_CATALOGUE_RELEASES, ScreeningConfig


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str


# Later apps append their entries here, in menu order.
NAVIGATION: list[NavItem] = [
    NavItem(_("Dashboard"), "web:dashboard", "web.dashboard:view"),
    NavItem(_("Notifications"), "notifications:inbox", "web.dashboard:view"),
    # Labels are the apps' names, so they are translated in those apps' catalogues.
    NavItem(CasesConfig.verbose_name, "cases:person_list", "cases.person:read"),
    NavItem(RemovalsConfig.verbose_name, "removals:operation_list", "removals.operation:read"),
    NavItem(
        EscalationsConfig.verbose_name, "escalations:escalation_list", "escalations.escalation:read"
    ),
    NavItem(ScreeningConfig.verbose_name, "screening:session_list", "screening.session:read"),
    NavItem(NAV_CATALOGUE_RELEASES, "screening:catalogue_diff", "screening.catalogue:review"),
    NavItem(NAV_SUSPICIONS, "referrals:suspicion_list", "referrals.suspicion:read"),
    NavItem(NAV_REFERRALS, "referrals:referral_list", "referrals.referral:read"),
    NavItem(NAV_ANONYMOUS, "referrals:anonymous_list", "referrals.anonymous:read"),
    NavItem(NAV_CHILDREN, "referrals:child_list", "referrals.child:read"),
    NavItem(NAV_LABOUR_NOTICES, "referrals:labour_notice_list", "referrals.labour_notice:read"),
    NavItem(NAV_REFLECTION, "followup:reflection_list", "referrals.followup:read"),
    NavItem(NAV_SIVA, "followup:siva_inbox", "referrals.siva:decide"),
    NavItem(_("Users"), "accounts:user_list", "accounts.user:manage"),
    NavItem(_("Organisations"), "accounts:organisation_list", "accounts.organisation:manage"),
    NavItem(_("Audit trail"), "audit:event_list", "audit.event:read"),
]
