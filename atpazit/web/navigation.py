"""The navigation menu: each entry shows only to actors holding its permission."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str


# Later apps append their entries here, in menu order.
NAVIGATION: list[NavItem] = [
    NavItem(_("Dashboard"), "web:dashboard", "web.dashboard:view"),
    NavItem(_("Users"), "accounts:user_list", "accounts.user:manage"),
    NavItem(_("Organisations"), "accounts:organisation_list", "accounts.organisation:manage"),
    NavItem(_("Audit trail"), "audit:event_list", "audit.event:read"),
]
