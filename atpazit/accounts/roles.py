"""Organisation types and roles (DESIGN.md §2), and which roles each type of organisation has."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    BORDER_GUARD = "border_guard", _("State Border Guard")
    OMBUDSMAN = "ombudsman", _("Ombudsman's Office")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    POLICE = "police", _("State Police")
    SIVA = "siva", _("Social Integration State Agency")
    ORPHANS_COURT = "orphans_court", _("Orphan's court")
    MINISTRY = "ministry", _("Ministry of the Interior")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("State Labour Inspectorate")
    COLLEGE = "college", _("State Border Guard College")
    DATA_PROTECTION = "data_protection", _("Data protection office")
    SYSTEM = "system", _("System administration")


class Role(models.TextChoices):
    BG_OFFICER = "bg_officer", _("Border Guard officer")
    BG_CASE_OFFICER = "bg_case_officer", _("Border Guard case officer")
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    MONITOR = "monitor", _("Forced-return monitor")
    HEAD_OF_MONITORING = "head_of_monitoring", _("Head of monitoring")
    CASEWORKER = "caseworker", _("Caseworker")
    COMMISSION_MEMBER = "commission_member", _("Commission member")
    INVESTIGATOR = "investigator", _("Investigator")
    SIVA_OFFICER = "siva_officer", _("SIVA officer")
    CHILD_PROTECTION_OFFICER = "child_protection_officer", _("Child-protection officer")
    NATIONAL_COORDINATOR = "national_coordinator", _("National coordinator")
    LABOUR_INSPECTOR = "labour_inspector", _("Labour inspector")
    AUDITOR = "auditor", _("Auditor (data protection officer)")
    TRAINER = "trainer", _("Trainer")
    TRAINEE = "trainee", _("Trainee")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# Every organisation may have its own administrator and auditor; the rest follow DESIGN.md §2.
_EVERY_ORGANISATION = {Role.ORG_ADMIN, Role.AUDITOR, Role.TRAINER, Role.TRAINEE}

ROLES_BY_ORGANISATION_TYPE: dict[str, frozenset[str]] = {
    OrganisationType.BORDER_GUARD: frozenset(
        {Role.BG_OFFICER, Role.BG_CASE_OFFICER} | _EVERY_ORGANISATION
    ),
    OrganisationType.OMBUDSMAN: frozenset(
        {Role.MONITOR, Role.HEAD_OF_MONITORING} | _EVERY_ORGANISATION
    ),
    OrganisationType.SERVICE_PROVIDER: frozenset(
        {Role.CASEWORKER, Role.COMMISSION_MEMBER} | _EVERY_ORGANISATION
    ),
    OrganisationType.POLICE: frozenset({Role.INVESTIGATOR} | _EVERY_ORGANISATION),
    OrganisationType.SIVA: frozenset({Role.SIVA_OFFICER} | _EVERY_ORGANISATION),
    OrganisationType.ORPHANS_COURT: frozenset(
        {Role.CHILD_PROTECTION_OFFICER} | _EVERY_ORGANISATION
    ),
    OrganisationType.MINISTRY: frozenset({Role.NATIONAL_COORDINATOR} | _EVERY_ORGANISATION),
    OrganisationType.LABOUR_INSPECTORATE: frozenset({Role.LABOUR_INSPECTOR} | _EVERY_ORGANISATION),
    OrganisationType.COLLEGE: frozenset(_EVERY_ORGANISATION),
    OrganisationType.DATA_PROTECTION: frozenset({Role.AUDITOR, Role.ORG_ADMIN}),
    OrganisationType.SYSTEM: frozenset({Role.SYSTEM_ADMIN, Role.AUDITOR}),
}


def role_allowed(organisation_type: str, role: str) -> bool:
    return role in ROLES_BY_ORGANISATION_TYPE.get(organisation_type, frozenset())
