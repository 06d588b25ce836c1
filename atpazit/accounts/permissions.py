"""The whole role -> permission matrix, in one reviewable file.

A permission is "<app>.<object>:<action>". Views declare the permission they need with
``atpazit.accounts.access.requires``; the generated authorisation-matrix test walks every URL
for every role and compares the outcome with this table, so a change here is a reviewed change
of who may do what. Object scope (which case, which referral) is decided by the access function
of each object type, never here.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from atpazit.accounts.roles import Role

# Human-readable labels, shown on the dashboard under "what you can do".
PERMISSION_LABELS = {
    "web.dashboard:view": _("See your dashboard"),
    "accounts.user:manage": _("Manage the users of your organisation"),
    "accounts.organisation:manage": _("Manage organisations"),
    "audit.event:read": _("Read the audit trail and the disclosure log"),
}

EVERYONE = frozenset({"web.dashboard:view"})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.BG_OFFICER: EVERYONE,
    Role.BG_CASE_OFFICER: EVERYONE,
    Role.ORG_ADMIN: EVERYONE | {"accounts.user:manage"},
    Role.MONITOR: EVERYONE,
    Role.HEAD_OF_MONITORING: EVERYONE,
    Role.CASEWORKER: EVERYONE,
    Role.COMMISSION_MEMBER: EVERYONE,
    Role.INVESTIGATOR: EVERYONE,
    Role.SIVA_OFFICER: EVERYONE,
    Role.CHILD_PROTECTION_OFFICER: EVERYONE,
    Role.NATIONAL_COORDINATOR: EVERYONE,
    Role.AUDITOR: EVERYONE | {"audit.event:read"},
    Role.TRAINER: EVERYONE,
    Role.TRAINEE: EVERYONE,
    Role.SYSTEM_ADMIN: EVERYONE | {"accounts.organisation:manage", "accounts.user:manage"},
}


def permissions_for(role: str | None) -> frozenset[str]:
    """Permissions of a role; an unknown or missing role has none (deny when unsure)."""
    if role is None:
        return frozenset()
    return ROLE_PERMISSIONS.get(role, frozenset())
