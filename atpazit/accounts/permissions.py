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
    "retention.report:read": _(
        "See the retention schedule, the purge runs and the legal holds (counts, no names)"
    ),
    "retention.legal_hold:manage": _("Place legal holds that stop the purge of a case"),
    "retention.legal_hold:lift": _(
        "Lift a legal hold, with a written reason (the data protection officer only)"
    ),
    "cases.person:read": _("See persons in return procedures"),
    "cases.person:write": _("Register and update persons in return procedures"),
    "cases.hold:create": _("Place a removal hold"),
    "cases.age_change:confirm": _(
        "Confirm or decline a colleague's change of age evidence that takes a person on a "
        "removal operation off the child path (four eyes)"
    ),
    "cases.hold:release": _("Release a removal hold by a recorded decision"),
    "cases.identity:decide": _(
        "Link records of the same person, or confirm that a likely match is another person"
    ),
    "removals.operation:read": _("See removal operations and their pre-departure check"),
    "removals.operation:write": _("Plan removal operations and import manifests"),
    "escalations.escalation:read": _("See escalations"),
    "escalations.escalation:resolve": _("Resolve escalations with a written note"),
    "referrals.message:read": _(
        "Read the message threads of referrals your organisation takes part in"
    ),
    "referrals.message:write": _("Write messages and attach files in those threads"),
    "referrals.child_message:read": _(
        "Read the threads about a child between the orphan's court and the Border Guard unit"
    ),
    "referrals.child_message:write": _(
        "Write messages and attach files in the threads about a child"
    ),
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
    "referrals.guardian:record": _(
        "Record, replace and end the appointment of a child's guardian or legal representative"
    ),
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
    # Forced-return monitoring (DESIGN §3 step 8).
    "monitoring.mission:read": _(
        "See monitoring missions (the Border Guard: those announced to its unit)"
    ),
    "monitoring.mission:plan": _(
        "Plan monitoring missions, assign monitors and announce them to the Border Guard"
    ),
    "monitoring.mission:record": _(
        "Record a mission's stages, checklist answers and observations, and ask for a person "
        "to be taken off the manifest"
    ),
    "monitoring.observation:read": _(
        "Read the monitors' observations, checklist answers and internal notes"
    ),
    "monitoring.removal_request:answer": _(
        "Answer a monitor's request to take a person off the manifest (the unit's case "
        "officers, and an officer for the operations they lead the escort of)"
    ),
    # Findings, recommendations and reports (monitoring/findings.py, monitoring/reports.py).
    "monitoring.recommendation:read": _(
        "See monitoring findings and recommendations (the Border Guard: those sent to its unit)"
    ),
    "monitoring.recommendation:send": _(
        "Approve and send monitoring recommendations to the Border Guard, and record their "
        "follow-up"
    ),
    "monitoring.recommendation:respond": _(
        "Answer the monitoring recommendations sent to your unit"
    ),
    "monitoring.report:publish": _("Approve and publish monitoring reports"),
    "monitoring.annual:export": _("Export the annual table of forced-return monitoring"),
    # Training (DESIGN §3 step 10): invented scenarios, never case data.
    "training.practice:take": _("Take the training course and practise on invented scenarios"),
    "training.cohort:read": _("See the training results of your organisation's trainees"),
    "training.scenario:author": _("Write training scenarios"),
    # Statistics (issue 14): exact in the reader's own scope for roles that see the cases,
    # suppressed national figures for the others (docs/disclosure-control.md).
    "stats.dashboard:view": _("See statistics (suppressed unless you may see the cases)"),
    "stats.official:read": _("See the official annual tables (Eurostat, GRETA), suppressed"),
    "stats.official:export": _(
        "Download the official annual tables and the annual statistics report"
    ),
    # Statistics: the de-identified case-level export (stats/htcds.py, ADR 0023).
    "stats.htcds:export": _(
        "Download the de-identified case-level export of a year (HTCDS-aligned JSON)"
    ),
    # The REST API (atpazit/api): a token acts as its user, with exactly these permissions.
    "api.token:manage": _(
        "Create and revoke your own API tokens, which let a system of your organisation act "
        "in your name"
    ),
    # Webhooks (atpazit/webhooks, ADR 0030): an endpoint acts for the member who registered it,
    # like an API token, so only roles that themselves see cases hold it (not the administrator).
    "webhooks.endpoint:manage": _(
        "Register, pause and delete your organisation's webhook endpoints and rotate their "
        "signing secrets; an endpoint you register is told only what you may see"
    ),
}

# One literal block per role: what a role may do is read here, top to bottom, and nowhere else.
# Object scope is decided elsewhere, by each object type's access module:
# - The secure exchange (referrals.message:*): which thread is decided by the referral's two
#   sides. Not SIVA, orphan's courts, the coordinator or the auditor. The thread about a child
#   (referrals.child_message:*) is between the orphan's court named on the suspicion and the
#   Border Guard unit that raised it: Border Guard officers and case officers, child-protection
#   officers; not the Ombudsman, providers or the police.
# - Referral and identification (referrals.suspicion/referral/...): the Border Guard and the
#   Ombudsman never get the package, commission or police notes; a provider or the police only
#   what was sent to them.
# - The reflection period and what follows identification (referrals.followup/reflection/...):
#   who grants and ends the reflection period is not verified (domain.md §8 item 2); the Border
#   Guard case officer and the investigator record the decision here; change this table if the
#   consolidated law names someone else. SIVA sees only the requests sent to it (I6).
# - Screening: Border Guard officers, case officers and monitors screen the persons they may see
#   (screening/selectors.py decides which sessions, and limits notes to the screener's
#   organisation). Trainers and trainees use the catalogue and the aid; system admins review
#   catalogue releases.
# - Monitoring: the head of monitoring plans missions, assigns monitors and announces them; the
#   monitors assigned to a mission record it (monitoring/selectors.py). The Border Guard unit
#   running the operation sees a mission once it is announced, and answers the requests to take
#   a person off the manifest (its case officers, and an officer as the escort leader of that
#   operation); it never reads observations, answers or internal notes.
#   Findings and recommendations: a monitor drafts, the head of monitoring approves and sends
#   them, and records the follow-up; the Border Guard case officers of the unit addressed see
#   a recommendation once sent (with its finding) and answer it. Reports: a monitor drafts, the
#   head of monitoring approves and publishes; the annual table is the Office's.
# - The State Labour Inspectorate gets de-identified notices when a screener decides "refer to
#   the labour inspectorate" (R4): no person, no case, no referral.
# - The de-identified case-level export (stats.htcds:export) is the national coordinator's, who
#   reports the country's figures (Eurostat, GRETA, CTDC): no name, number, free text or exact
#   date, and small classes generalised (ADR 0023). Not the system administrator (no case
#   content), not the auditor (the trail, not the data), not the Ombudsman.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.BG_OFFICER: frozenset(
        {
            "web.dashboard:view",
            "api.token:manage",
            "webhooks.endpoint:manage",
            "cases.person:read",
            "cases.hold:create",
            "removals.operation:read",
            "escalations.escalation:read",
            "referrals.message:read",
            "referrals.message:write",
            "referrals.suspicion:raise",
            "referrals.suspicion:read",
            "referrals.consent:record",
            "referrals.referral:send",
            "referrals.referral:read",
            "referrals.risk_assessment:record",
            "referrals.followup:read",
            "referrals.information_sheet:generate",
            "screening.session:create",
            "screening.session:read",
            "screening.notes:read",
            "screening.catalogue:read",
            "monitoring.mission:read",
            # As the escort leader of an operation only (monitoring.selectors.may_answer).
            "monitoring.removal_request:answer",
            "referrals.child_message:read",
            "referrals.child_message:write",
        }
    ),
    Role.BG_CASE_OFFICER: frozenset(
        {
            "web.dashboard:view",
            "api.token:manage",
            "webhooks.endpoint:manage",
            "cases.person:read",
            "cases.person:write",
            "cases.hold:create",
            "cases.hold:release",
            "cases.identity:decide",
            "cases.age_change:confirm",
            "removals.operation:read",
            "removals.operation:write",
            "escalations.escalation:read",
            "referrals.message:read",
            "referrals.message:write",
            "referrals.suspicion:raise",
            "referrals.suspicion:read",
            "referrals.suspicion:close",
            "referrals.consent:record",
            "referrals.referral:send",
            "referrals.referral:read",
            "referrals.risk_assessment:record",
            "referrals.hold:release_decision",
            # Four eyes (docs/decisions/0008): a case officer proposes, another one approves.
            # A head of unit role, once it exists, gets "approve" instead.
            "referrals.hold_release:propose",
            "referrals.hold_release:approve",
            "referrals.followup:read",
            "referrals.information_sheet:generate",
            "referrals.reflection:record",
            "referrals.residence:record",
            "referrals.return_decision:record",
            "screening.session:create",
            "screening.session:read",
            "screening.notes:read",
            "screening.catalogue:read",
            "monitoring.mission:read",
            "monitoring.removal_request:answer",
            "referrals.child_message:read",
            "referrals.child_message:write",
            "monitoring.recommendation:read",
            "monitoring.recommendation:respond",
            "stats.dashboard:view",
        }
    ),
    Role.ORG_ADMIN: frozenset(
        {
            "web.dashboard:view",
            "accounts.user:manage",
        }
    ),
    Role.MONITOR: frozenset(
        {
            "web.dashboard:view",
            "api.token:manage",
            "webhooks.endpoint:manage",
            "cases.person:read",
            "removals.operation:read",
            "escalations.escalation:read",
            "escalations.escalation:resolve",
            "referrals.message:read",
            "referrals.message:write",
            "referrals.suspicion:raise",
            "referrals.suspicion:read",
            "referrals.consent:record",
            "referrals.referral:send",
            "referrals.referral:read",
            "referrals.followup:read",
            "screening.session:create",
            "screening.session:read",
            "screening.notes:read",
            "screening.catalogue:read",
            "monitoring.mission:read",
            "monitoring.mission:record",
            "monitoring.observation:read",
            "monitoring.recommendation:read",
            "monitoring.annual:export",
        }
    ),
    Role.HEAD_OF_MONITORING: frozenset(
        {
            "web.dashboard:view",
            "api.token:manage",
            "webhooks.endpoint:manage",
            "cases.person:read",
            "removals.operation:read",
            "escalations.escalation:read",
            "escalations.escalation:resolve",
            "referrals.message:read",
            "referrals.message:write",
            "referrals.suspicion:raise",
            "referrals.suspicion:read",
            "referrals.consent:record",
            "referrals.referral:send",
            "referrals.referral:read",
            "referrals.followup:read",
            "screening.session:create",
            "screening.session:read",
            "screening.notes:read",
            "screening.catalogue:read",
            "monitoring.mission:read",
            "monitoring.mission:plan",
            "monitoring.mission:record",
            "monitoring.observation:read",
            "monitoring.recommendation:read",
            "monitoring.recommendation:send",
            "monitoring.report:publish",
            "monitoring.annual:export",
            "stats.dashboard:view",
        }
    ),
    Role.CASEWORKER: frozenset(
        {
            "web.dashboard:view",
            "api.token:manage",
            "webhooks.endpoint:manage",
            "referrals.message:read",
            "referrals.message:write",
            "referrals.referral:read",
            "referrals.referral:respond",
            "referrals.anonymous:read",
            "referrals.commission:record",
            "referrals.commission_notes:read",
            "referrals.followup:read",
            "referrals.information_sheet:generate",
            "referrals.siva:request",
            "referrals.rehabilitation:record",
            "referrals.residence:record",
        }
    ),
    Role.COMMISSION_MEMBER: frozenset(
        {
            "web.dashboard:view",
            "api.token:manage",
            "webhooks.endpoint:manage",
            "referrals.message:read",
            "referrals.message:write",
            "referrals.referral:read",
            "referrals.commission:record",
            "referrals.commission_notes:read",
        }
    ),
    Role.INVESTIGATOR: frozenset(
        {
            "web.dashboard:view",
            "api.token:manage",
            "webhooks.endpoint:manage",
            "referrals.message:read",
            "referrals.message:write",
            "referrals.referral:read",
            "referrals.referral:respond",
            "referrals.anonymous:read",
            "referrals.police:record",
            "referrals.followup:read",
            "referrals.information_sheet:generate",
            "referrals.reflection:record",
            "referrals.residence:record",
        }
    ),
    Role.SIVA_OFFICER: frozenset(
        {
            "web.dashboard:view",
            "referrals.siva:decide",
        }
    ),
    Role.CHILD_PROTECTION_OFFICER: frozenset(
        {
            "web.dashboard:view",
            "referrals.child:read",
            "referrals.guardian:record",
            "referrals.child_message:read",
            "referrals.child_message:write",
        }
    ),
    Role.NATIONAL_COORDINATOR: frozenset(
        {
            "web.dashboard:view",
            "stats.dashboard:view",
            "stats.official:read",
            "stats.official:export",
            "stats.htcds:export",
            "api.token:manage",
            "webhooks.endpoint:manage",
        }
    ),
    Role.LABOUR_INSPECTOR: frozenset(
        {
            "web.dashboard:view",
            "referrals.labour_notice:read",
        }
    ),
    Role.AUDITOR: frozenset(
        {
            "web.dashboard:view",
            "audit.event:read",
            "retention.report:read",
            "retention.legal_hold:manage",
            "retention.legal_hold:lift",
        }
    ),
    Role.TRAINER: frozenset(
        {
            "web.dashboard:view",
            "screening.catalogue:read",
            "training.practice:take",
            "training.cohort:read",
            "training.scenario:author",
        }
    ),
    Role.TRAINEE: frozenset(
        {
            "web.dashboard:view",
            "screening.catalogue:read",
            "training.practice:take",
        }
    ),
    Role.SYSTEM_ADMIN: frozenset(
        {
            "web.dashboard:view",
            "accounts.user:manage",
            "accounts.organisation:manage",
            "screening.catalogue:read",
            "screening.catalogue:review",
            "retention.report:read",
            "retention.legal_hold:manage",
        }
    ),
}


def permissions_for(role: str | None) -> frozenset[str]:
    """Permissions of a role; an unknown or missing role has none (deny when unsure)."""
    if role is None:
        return frozenset()
    return ROLE_PERMISSIONS.get(role, frozenset())
