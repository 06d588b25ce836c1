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
    "cases.person:read": _("See persons in return procedures"),
    "cases.person:write": _("Register and update persons in return procedures"),
    "cases.hold:create": _("Place a removal hold"),
    "cases.hold:release": _("Release a removal hold by a recorded decision"),
    "removals.operation:read": _("See removal operations and their pre-departure check"),
    "removals.operation:write": _("Plan removal operations and import manifests"),
    "escalations.escalation:read": _("See escalations"),
    "escalations.escalation:resolve": _("Resolve escalations with a written note"),
    "referrals.message:read": _(
        "Read the message threads of referrals your organisation takes part in"
    ),
    "referrals.message:write": _("Write messages and attach files in those threads"),
    # Referral and identification, core flow.
    "referrals.suspicion:raise": _("Raise a suspicion of trafficking (holds the removal at once)"),
    "referrals.suspicion:read": _("See suspicions of trafficking and the state of their referrals"),
    "referrals.suspicion:close": _("Close a suspicion with its reason"),
    "referrals.consent:record": _("Record a person's informed consent, refusal or withdrawal"),
    "referrals.referral:send": _("Send and withdraw referrals and anonymous notifications"),
    "referrals.referral:read": _("See referrals (the package only where you received it)"),
    "referrals.referral:respond": _("Accept or decline referrals to your organisation"),
    "referrals.anonymous:read": _("Read anonymous notifications sent to your organisation"),
    "referrals.commission:record": _("Record the commission's assessment"),
    "referrals.commission_notes:read": _("Read the commission's notes"),
    "referrals.police:record": _("Record criminal proceedings and victim status"),
    "referrals.risk_assessment:record": _("Document a pre-return risk assessment"),
    "referrals.hold:release_decision": _("Decide to release a suspicion's removal hold"),
    "referrals.hold_release:propose": _(
        "Propose releasing a suspicion's removal hold that no identification outcome ends"
    ),
    "referrals.hold_release:approve": _(
        "Approve or decline a colleague's proposal to release a removal hold (four eyes)"
    ),
    "referrals.child:read": _("See child cases notified to your orphan's court"),
    "referrals.labour_notice:read": _(
        "Read the de-identified notices of possible labour exploitation sent to your inspectorate"
    ),
    # The reflection period and what follows identification.
    "referrals.followup:read": _("See reflection periods and what follows identification"),
    "referrals.information_sheet:generate": _(
        "Give the written information on the reflection period and record its receipt"
    ),
    "referrals.reflection:record": _("Record the grant and the early end of a reflection period"),
    "referrals.siva:request": _("Ask SIVA for a service decision on an identified victim"),
    "referrals.siva:decide": _("Record SIVA's service decisions"),
    "referrals.rehabilitation:record": _("Record the start and end of social rehabilitation"),
    "referrals.residence:record": _("Record the residence-permit track of an identified victim"),
    "referrals.return_decision:record": _("Record the return decision that follows identification"),
    # Screening (DESIGN §3 step 2).
    "screening.session:create": _(
        "Screen persons for indicators of trafficking and record decisions"
    ),
    "screening.session:read": _("See screenings: their recommendations and decisions"),
    "screening.notes:read": _("Read the notes of your own organisation's screenings"),
    "screening.catalogue:read": _("See the indicator catalogue and print the interview aid"),
    "screening.catalogue:review": _("Review indicator catalogue releases"),
}

EVERYONE = frozenset({"web.dashboard:view"})

BORDER_GUARD_READ = frozenset(
    {"cases.person:read", "removals.operation:read", "escalations.escalation:read"}
)
# The secure exchange of a referral (referrals/exchange.py): which thread is decided by the
# referral's two sides, never here. Not SIVA, orphan's courts, the coordinator or the auditor.
REFERRAL_EXCHANGE = frozenset({"referrals.message:read", "referrals.message:write"})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.BG_OFFICER: EVERYONE | BORDER_GUARD_READ | REFERRAL_EXCHANGE | {"cases.hold:create"},
    Role.BG_CASE_OFFICER: EVERYONE
    | BORDER_GUARD_READ
    | REFERRAL_EXCHANGE
    | {"cases.person:write", "cases.hold:create", "cases.hold:release", "removals.operation:write"},
    Role.ORG_ADMIN: EVERYONE | {"accounts.user:manage"},
    Role.MONITOR: EVERYONE
    | BORDER_GUARD_READ
    | REFERRAL_EXCHANGE
    | {"escalations.escalation:resolve"},
    Role.HEAD_OF_MONITORING: EVERYONE
    | BORDER_GUARD_READ
    | REFERRAL_EXCHANGE
    | {"escalations.escalation:resolve"},
    Role.CASEWORKER: EVERYONE | REFERRAL_EXCHANGE,
    Role.COMMISSION_MEMBER: EVERYONE | REFERRAL_EXCHANGE,
    Role.INVESTIGATOR: EVERYONE | REFERRAL_EXCHANGE,
    Role.SIVA_OFFICER: EVERYONE,
    Role.CHILD_PROTECTION_OFFICER: EVERYONE,
    Role.NATIONAL_COORDINATOR: EVERYONE,
    Role.LABOUR_INSPECTOR: EVERYONE,
    Role.AUDITOR: EVERYONE | {"audit.event:read"},
    Role.TRAINER: EVERYONE,
    Role.TRAINEE: EVERYONE,
    Role.SYSTEM_ADMIN: EVERYONE | {"accounts.organisation:manage", "accounts.user:manage"},
}


# Referral and identification, core flow. Scope (which suspicion, which referral) is decided in
# atpazit/referrals/selectors.py: the Border Guard and the Ombudsman never get the package,
# commission or police notes; a provider or the police only what was sent to them.
_REFERRALS_FIRST_CONTACT = frozenset(
    {
        "referrals.suspicion:raise",
        "referrals.suspicion:read",
        "referrals.consent:record",
        "referrals.referral:send",
        "referrals.referral:read",
    }
)
_REFERRALS: dict[str, frozenset[str]] = {
    Role.BG_OFFICER: _REFERRALS_FIRST_CONTACT | {"referrals.risk_assessment:record"},
    Role.BG_CASE_OFFICER: _REFERRALS_FIRST_CONTACT
    | {
        "referrals.risk_assessment:record",
        "referrals.hold:release_decision",
        # Four eyes (docs/decisions/0008): a case officer proposes, another one approves. A
        # head of unit role, once it exists, gets "approve" here.
        "referrals.hold_release:propose",
        "referrals.hold_release:approve",
        "referrals.suspicion:close",
    },
    Role.MONITOR: _REFERRALS_FIRST_CONTACT,
    Role.HEAD_OF_MONITORING: _REFERRALS_FIRST_CONTACT,
    Role.CASEWORKER: frozenset(
        {
            "referrals.referral:read",
            "referrals.referral:respond",
            "referrals.anonymous:read",
            "referrals.commission:record",
            "referrals.commission_notes:read",
        }
    ),
    Role.COMMISSION_MEMBER: frozenset(
        {
            "referrals.referral:read",
            "referrals.commission:record",
            "referrals.commission_notes:read",
        }
    ),
    Role.INVESTIGATOR: frozenset(
        {
            "referrals.referral:read",
            "referrals.referral:respond",
            "referrals.anonymous:read",
            "referrals.police:record",
        }
    ),
    Role.CHILD_PROTECTION_OFFICER: frozenset({"referrals.child:read"}),
    # The State Labour Inspectorate gets de-identified notices when a screener decides "refer to
    # the labour inspectorate" (R4): no person, no case, no referral (referrals/labour.py).
    Role.LABOUR_INSPECTOR: frozenset({"referrals.labour_notice:read"}),
}
for _role, _granted in _REFERRALS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


# The reflection period and what follows identification (referrals/reflection.py, aftercare.py).
# Who grants and ends the reflection period is not verified (domain.md §8 item 2): the Border
# Guard case officer and the investigator record the decision here; change this table if the
# consolidated law names someone else. SIVA sees only the requests sent to it (I6).
_FOLLOWUP: dict[str, frozenset[str]] = {
    Role.BG_OFFICER: frozenset({"referrals.followup:read", "referrals.information_sheet:generate"}),
    Role.BG_CASE_OFFICER: frozenset(
        {
            "referrals.followup:read",
            "referrals.information_sheet:generate",
            "referrals.reflection:record",
            "referrals.residence:record",
            "referrals.return_decision:record",
        }
    ),
    Role.MONITOR: frozenset({"referrals.followup:read"}),
    Role.HEAD_OF_MONITORING: frozenset({"referrals.followup:read"}),
    Role.CASEWORKER: frozenset(
        {
            "referrals.followup:read",
            "referrals.information_sheet:generate",
            "referrals.siva:request",
            "referrals.rehabilitation:record",
            "referrals.residence:record",
        }
    ),
    Role.INVESTIGATOR: frozenset(
        {
            "referrals.followup:read",
            "referrals.information_sheet:generate",
            "referrals.reflection:record",
            "referrals.residence:record",
        }
    ),
    Role.SIVA_OFFICER: frozenset({"referrals.siva:decide"}),
}
for _role, _granted in _FOLLOWUP.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


# Screening: Border Guard officers, case officers and monitors screen the persons they may see
# (atpazit/screening/selectors.py decides which sessions, and limits notes to the screener's
# organisation). Trainers and trainees use the catalogue and the aid; system admins review releases.
_SCREENERS = frozenset(
    {
        "screening.session:create",
        "screening.session:read",
        "screening.notes:read",
        "screening.catalogue:read",
    }
)
_SCREENING: dict[str, frozenset[str]] = {
    Role.BG_OFFICER: _SCREENERS,
    Role.BG_CASE_OFFICER: _SCREENERS,
    Role.MONITOR: _SCREENERS,
    Role.HEAD_OF_MONITORING: _SCREENERS,
    Role.TRAINER: frozenset({"screening.catalogue:read"}),
    Role.TRAINEE: frozenset({"screening.catalogue:read"}),
    Role.SYSTEM_ADMIN: frozenset({"screening.catalogue:read", "screening.catalogue:review"}),
}
for _role, _granted in _SCREENING.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _granted


def permissions_for(role: str | None) -> frozenset[str]:
    """Permissions of a role; an unknown or missing role has none (deny when unsure)."""
    if role is None:
        return frozenset()
    return ROLE_PERMISSIONS.get(role, frozenset())
