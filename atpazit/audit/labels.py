"""Labels, in the reader's language, for the codes the audit trail and the disclosure log store.

The trail and the log keep stable codes (``cases.person``, ``case_number``, the purpose as the
service wrote it); the auditor's pages show these labels beside the ids. A code without a label
is shown as it is, so nothing is hidden; ``audit/tests/test_labels.py`` checks that every code
the services write has one.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# What an audit event is about: ``AuditEvent.object_type`` (an ``app.model`` label).
OBJECT_TYPES: dict[str, Promise] = {
    "accounts.organisation": _("organisation"),
    "accounts.user": _("user"),
    "accounts.membership": _("membership"),
    "accounts.passwordlink": _("link to set a password"),
    "audit.auditevent": _("audit event"),
    "audit.chain": _("audit chain"),
    "audit.disclosure": _("disclosure"),
    "screening.screeningsession": _("screening"),
    "screening.screeningobservation": _("observed indicator"),
    "screening.interviewdraft": _("interview draft"),
    "cases.person": _("person (return case)"),
    "cases.identitydecision": _("decision on two records"),
    "cases.hold": _("removal hold"),
    "cases.agechange": _("change of age evidence (four eyes)"),
    "removals.removaloperation": _("removal operation"),
    "removals.manifestentry": _("manifest entry"),
    "escalations.escalation": pgettext_lazy("audit object", "escalation"),
    "notifications.notification": _("notification"),
    "deadlines.deadline": _("deadline"),
    "referrals.suspicion": _("suspicion of trafficking"),
    "referrals.consent": _("consent"),
    "referrals.anonymousnotification": _("anonymous notification"),
    "referrals.labournotice": _("labour inspectorate notice"),
    "referrals.referral": _("referral"),
    "referrals.commissionassessment": _("commission assessment"),
    "referrals.policeoutcome": _("police outcome"),
    "referrals.returnriskassessment": _("pre-return risk assessment"),
    "referrals.holdreleaseproposal": _("proposal to release a hold (four eyes)"),
    "referrals.guardianappointment": _("appointment of a guardian or legal representative"),
    "reflection.informationsheet": _("information sheet"),
    "reflection.reflectionperiod": _("reflection period"),
    "aftercare.servicerequest": _("request to SIVA"),
    "aftercare.servicedecision": _("SIVA service decision"),
    "aftercare.rehabilitation": _("social rehabilitation"),
    "aftercare.residencepermit": _("residence permit"),
    "aftercare.returndecision": _("return decision"),
    "exchange.message": _("message"),
    "exchange.attachment": _("attachment"),
    "monitoring.mission": _("monitoring mission"),
    "monitoring.missionstage": _("mission stage"),
    "monitoring.missionstatuschange": _("change of a mission's status"),
    "monitoring.checklistanswer": _("checklist answer"),
    "monitoring.observation": _("monitoring observation"),
    "monitoring.observationrevision": _("earlier version of a monitoring observation"),
    "monitoring.removalrequest": _("request to take a person off the manifest"),
    # Findings, recommendations and reports (monitoring/findings.py, monitoring/reports.py).
    "monitoring.finding": _("monitoring finding"),
    "monitoring.recommendation": _("monitoring recommendation"),
    "monitoring.recommendationstatuschange": _("change of a recommendation's status"),
    "monitoring.monitoringreport": _("monitoring report"),
    "training.attempt": _("training attempt"),
    "training.authoredscenario": _("training scenario version"),
    "training.certificate": _("training certificate"),
    "retention.purgerun": _("purge run (data retention)"),
    "retention.legalhold": _("legal hold (data retention)"),
    "retention.purgedcase": _("anonymised case (data retention)"),
}
# Before issue 10 these lived in referrals; old events keep the old labels.
OBJECT_TYPES.update(
    {
        "referrals.informationsheet": OBJECT_TYPES["reflection.informationsheet"],
        "referrals.reflectionperiod": OBJECT_TYPES["reflection.reflectionperiod"],
        "referrals.servicerequest": OBJECT_TYPES["aftercare.servicerequest"],
        "referrals.servicedecision": OBJECT_TYPES["aftercare.servicedecision"],
        "referrals.rehabilitation": OBJECT_TYPES["aftercare.rehabilitation"],
        "referrals.residencepermit": OBJECT_TYPES["aftercare.residencepermit"],
        "referrals.returndecision": OBJECT_TYPES["aftercare.returndecision"],
        "referrals.message": OBJECT_TYPES["exchange.message"],
        "referrals.attachment": OBJECT_TYPES["exchange.attachment"],
    }
)

# What happened: ``AuditEvent.action``. Every code a service writes has a label here, so the
# auditor reads words (``tests/test_raw_codes.py`` scans the code for ``log_event`` codes and fails
# on one without a label). The code itself stays on the page as the cell's title, for the filter.
ACTIONS: dict[str, Promise] = {
    "mission.planned": pgettext_lazy("audit action", "monitoring mission planned"),
    "mission.plan_changed": pgettext_lazy("audit action", "monitoring mission plan changed"),
    "mission.notice_recorded": pgettext_lazy("audit action", "notice of the operation recorded"),
    "mission.announced": pgettext_lazy("audit action", "monitoring mission announced"),
    "mission.cancelled": pgettext_lazy("audit action", "monitoring mission cancelled"),
    "mission.completed": pgettext_lazy("audit action", "monitoring mission completed"),
    "mission.stage_recorded": pgettext_lazy("audit action", "mission stage times recorded"),
    "mission.checklist_answered": pgettext_lazy("audit action", "mission checklist answered"),
    "mission.notes_recorded": pgettext_lazy("audit action", "mission internal notes recorded"),
    "mission.viewed": pgettext_lazy("audit action", "monitoring mission viewed"),
    "mission.pre_departure_viewed": pgettext_lazy(
        "audit action", "monitors' pre-departure check viewed"
    ),
    "missions.listed": pgettext_lazy("audit action", "monitoring missions listed"),
    "observation.recorded": pgettext_lazy("audit action", "monitoring observation recorded"),
    "observation.viewed": pgettext_lazy("audit action", "monitoring observation viewed"),
    "observation.edited": pgettext_lazy(
        "audit action", "monitoring observation corrected by its author"
    ),
    "observation.followed_up": pgettext_lazy(
        "audit action", "screening or suspicion opened from an observation"
    ),
    "observations.listed": pgettext_lazy("audit action", "monitoring observations listed"),
    "removal_request.made": pgettext_lazy(
        "audit action", "request to take a person off the manifest made"
    ),
    "removal_request.answered": pgettext_lazy(
        "audit action", "request to take a person off the manifest answered"
    ),
    "removal_request.viewed": pgettext_lazy(
        "audit action", "request to take a person off the manifest viewed"
    ),
    "aftercare.viewed": pgettext_lazy("audit action", "after-identification page viewed"),
    "anonymous_notification.sent": pgettext_lazy("audit action", "anonymous notification sent"),
    "anonymous_notification.viewed": pgettext_lazy("audit action", "anonymous notification viewed"),
    "anonymous_notifications.listed": pgettext_lazy(
        "audit action", "anonymous notifications listed"
    ),
    "attachment.downloaded": pgettext_lazy("audit action", "attachment downloaded"),
    "attachment.integrity_failed": pgettext_lazy(
        "audit action", "attachment failed its integrity check"
    ),
    "audit.checkpointed": pgettext_lazy("audit action", "audit checkpoint signed"),
    "audit.key_changed": pgettext_lazy("audit action", "audit chain key changed"),
    "audit.viewed": pgettext_lazy("audit action", "audit trail viewed"),
    "auth.2fa_enrolled": pgettext_lazy("audit action", "two-factor sign-in set up"),
    "auth.2fa_enrolment_failed": pgettext_lazy("audit action", "two-factor set-up failed"),
    "auth.2fa_enrolment_started": pgettext_lazy("audit action", "two-factor set-up started"),
    "auth.2fa_failed": pgettext_lazy("audit action", "wrong two-factor code"),
    "auth.2fa_verified": pgettext_lazy("audit action", "two-factor code accepted"),
    "auth.locked_out": pgettext_lazy("audit action", "account locked after failed sign-ins"),
    "auth.logged_out": pgettext_lazy("audit action", "signed out"),
    "auth.login_failed": pgettext_lazy("audit action", "sign-in failed"),
    "auth.organisation_switched": pgettext_lazy("audit action", "organisation switched"),
    "auth.password_accepted": pgettext_lazy("audit action", "password accepted"),
    "auth.password_change_failed": pgettext_lazy("audit action", "password change failed"),
    "auth.password_changed": pgettext_lazy("audit action", "password changed"),
    "auth.password_link_refused": pgettext_lazy("audit action", "password link refused"),
    "auth.password_set": pgettext_lazy("audit action", "password set"),
    "auth.recovery_code_used": pgettext_lazy("audit action", "recovery code used"),
    "child.notice_given": pgettext_lazy(
        "audit action", "orphan's court notified of a possible child victim"
    ),
    "child_case.viewed": pgettext_lazy("audit action", "child case viewed"),
    "child_cases.listed": pgettext_lazy("audit action", "child cases listed"),
    "commission.recorded": pgettext_lazy("audit action", "commission assessment recorded"),
    "consent.recorded": pgettext_lazy("audit action", "consent decision recorded"),
    "consent.withdrawn": pgettext_lazy("audit action", "consent withdrawn"),
    "deadline.cancelled": pgettext_lazy("audit action", "deadline cancelled"),
    "deadline.escalated": pgettext_lazy(
        "audit action", "missed deadline reported to the Ombudsman"
    ),
    "deadline.met": pgettext_lazy("audit action", "deadline met"),
    "deadline.opened": pgettext_lazy("audit action", "deadline set"),
    "deadline.reminded": pgettext_lazy("audit action", "deadline reminder sent"),
    "disclosure.recorded": pgettext_lazy("audit action", "disclosure recorded"),
    "disclosures.viewed": pgettext_lazy("audit action", "disclosure log viewed"),
    "escalation.raised": pgettext_lazy("audit action", "report to the Ombudsman raised"),
    "escalation.resolved": pgettext_lazy("audit action", "report to the Ombudsman resolved"),
    "escalation.updated": pgettext_lazy(
        "audit action", "report to the Ombudsman changed to what it is about now"
    ),
    "escalations.listed": pgettext_lazy("audit action", "reports to the Ombudsman listed"),
    "guardian.appointed": pgettext_lazy(
        "audit action", "guardian or legal representative appointed"
    ),
    "guardian.appointment_ended": pgettext_lazy("audit action", "guardian's appointment ended"),
    "guardian.viewed": pgettext_lazy("audit action", "child's guardian viewed"),
    "hold.confirmed": pgettext_lazy("audit action", "removal hold confirmed"),
    "hold.placed": pgettext_lazy("audit action", "removal hold placed"),
    "hold.released": pgettext_lazy("audit action", "removal hold released"),
    "hold.viewed": pgettext_lazy("audit action", "removal hold viewed"),
    "hold_release.approve_refused": pgettext_lazy(
        "audit action", "approval of a hold release refused"
    ),
    "hold_release.approved": pgettext_lazy(
        "audit action", "hold release approved by a second officer"
    ),
    "hold_release.declined": pgettext_lazy(
        "audit action", "hold release declined by a second officer"
    ),
    "hold_release.pending": pgettext_lazy("audit action", "hold release proposed"),
    "hold_release.proposal_viewed": pgettext_lazy(
        "audit action", "proposal to release a hold viewed"
    ),
    "hold_release.proposed": pgettext_lazy("audit action", "release of a hold proposed"),
    "hold_release.stale": pgettext_lazy(
        "audit action", "hold release proposal outdated by a change"
    ),
    "hold_release.withdrawn": pgettext_lazy("audit action", "hold release proposal withdrawn"),
    "identity.confirmed_different": pgettext_lazy(
        "audit action", "two records confirmed as different persons"
    ),
    "identity.linked": pgettext_lazy("audit action", "two records linked as one person"),
    "identity.match_viewed": pgettext_lazy("audit action", "possible duplicate viewed"),
    "identity.matches_shown": pgettext_lazy("audit action", "possible duplicates shown"),
    "information_sheet.downloaded": pgettext_lazy("audit action", "information sheet downloaded"),
    "information_sheet.generated": pgettext_lazy("audit action", "information sheet generated"),
    "information_sheet.receipt_recorded": pgettext_lazy(
        "audit action", "receipt of the information sheet recorded"
    ),
    "keys.rotated": pgettext_lazy("audit action", "encryption key rotated"),
    "keys.rotation_failed": pgettext_lazy("audit action", "encryption key rotation failed"),
    "retention.purge_started": pgettext_lazy("audit action", "purge of expired records started"),
    "retention.purge_finished": pgettext_lazy("audit action", "purge of expired records finished"),
    "retention.purge_failed": pgettext_lazy(
        "audit action", "purge of expired records stopped by an error"
    ),
    "retention.batch_purged": pgettext_lazy(
        "audit action", "expired records anonymised or deleted (one batch)"
    ),
    "retention.legal_hold_placed": pgettext_lazy(
        "audit action", "legal hold placed (stops the purge of a case)"
    ),
    "retention.legal_hold_lifted": pgettext_lazy("audit action", "legal hold lifted"),
    "labour_notice.no_recipient": pgettext_lazy(
        "audit action", "labour notice not sent: no inspectorate"
    ),
    "labour_notice.sent": pgettext_lazy("audit action", "labour exploitation notice sent"),
    "labour_notice.viewed": pgettext_lazy("audit action", "labour exploitation notice viewed"),
    "labour_notices.listed": pgettext_lazy("audit action", "labour exploitation notices listed"),
    "manifest.add_refused": pgettext_lazy("audit action", "adding to the manifest refused"),
    "manifest.exported": pgettext_lazy("audit action", "manifest exported"),
    "manifest.import_refused": pgettext_lazy("audit action", "manifest import refused"),
    "manifest.imported": pgettext_lazy("audit action", "manifest imported"),
    "manifest.person_added": pgettext_lazy("audit action", "person added to the manifest"),
    "manifest.person_removed": pgettext_lazy("audit action", "person taken off the manifest"),
    "manifest.remove_refused": pgettext_lazy("audit action", "taking off the manifest refused"),
    "membership.activated": pgettext_lazy("audit action", "membership activated"),
    "membership.created": pgettext_lazy("audit action", "membership created"),
    "membership.deactivated": pgettext_lazy("audit action", "membership deactivated"),
    "membership.reactivated": pgettext_lazy("audit action", "membership reactivated"),
    "message.posted": pgettext_lazy("audit action", "message posted"),
    "message.refused": pgettext_lazy("audit action", "message refused"),
    "notification.sent": pgettext_lazy("audit action", "notification sent"),
    "observation.escort_alerted": pgettext_lazy(
        "audit action", "escort leader told of signs of trafficking seen by a monitor"
    ),
    "operation.cancel_refused": pgettext_lazy("audit action", "cancelling the operation refused"),
    "operation.cancelled": pgettext_lazy("audit action", "removal operation cancelled"),
    "operation.complete_refused": pgettext_lazy("audit action", "completing the operation refused"),
    "operation.completed": pgettext_lazy("audit action", "removal operation completed"),
    "operation.confirm_refused": pgettext_lazy("audit action", "confirming the operation refused"),
    "operation.confirmed": pgettext_lazy("audit action", "removal operation confirmed"),
    "operation.created": pgettext_lazy("audit action", "removal operation planned"),
    "operation.interview_before_departure_advised": pgettext_lazy(
        "audit action", "closer interview before departure advised"
    ),
    "operation.planned": pgettext_lazy("audit action", "removal operation back to planned"),
    "operation.pre_departure_viewed": pgettext_lazy("audit action", "pre-departure check viewed"),
    "operation.updated": pgettext_lazy("audit action", "removal operation changed"),
    "operation.viewed": pgettext_lazy("audit action", "removal operation viewed"),
    "operations.listed": pgettext_lazy("audit action", "removal operations listed"),
    "organisation.created": pgettext_lazy("audit action", "organisation created"),
    "organisation.type_changed": pgettext_lazy("audit action", "organisation type changed"),
    "organisation.updated": pgettext_lazy("audit action", "organisation changed"),
    "person.age_change_applied": pgettext_lazy("audit action", "age evidence changed"),
    "person.age_change_proposed": pgettext_lazy(
        "audit action", "change of the age evidence proposed for four eyes"
    ),
    "person.age_change_confirm_refused": pgettext_lazy(
        "audit action", "confirmation of an age change refused"
    ),
    "person.age_change_confirmed": pgettext_lazy(
        "audit action", "change of the age evidence confirmed by a second officer"
    ),
    "person.age_change_declined": pgettext_lazy(
        "audit action", "change of the age evidence declined by a second officer"
    ),
    "person.age_change_withdrawn": pgettext_lazy(
        "audit action", "change of the age evidence withdrawn"
    ),
    "person.age_change_stale": pgettext_lazy(
        "audit action", "change of the age evidence overtaken by new evidence"
    ),
    "person.registered": pgettext_lazy("audit action", "person registered"),
    "person.removal_refused": pgettext_lazy("audit action", "removal refused: removal hold"),
    "person.status_changed": pgettext_lazy("audit action", "return case status changed"),
    "person.updated": pgettext_lazy("audit action", "person's data changed"),
    "person.viewed": pgettext_lazy("audit action", "person viewed"),
    "persons.listed": pgettext_lazy("audit action", "return cases listed"),
    "police_outcome.recorded": pgettext_lazy("audit action", "police outcome recorded"),
    "referral.accepted": pgettext_lazy("audit action", "referral accepted"),
    "referral.assessing": pgettext_lazy("audit action", "assessment of the referral started"),
    "referral.consent_withdrawn": pgettext_lazy(
        "audit action", "referral stopped: consent withdrawn"
    ),
    "referral.declined": pgettext_lazy("audit action", "referral declined"),
    "referral.expired": pgettext_lazy("audit action", "referral expired without an answer"),
    "referral.not_recognised": pgettext_lazy("audit action", "not recognised as a victim"),
    "referral.recognised": pgettext_lazy("audit action", "recognised as a victim"),
    "referral.refused": pgettext_lazy("audit action", "referral refused"),
    "referral.sent": pgettext_lazy("audit action", "referral sent"),
    "referral.viewed": pgettext_lazy("audit action", "referral viewed"),
    "referral.withdrawn": pgettext_lazy("audit action", "referral withdrawn"),
    "referrals.listed": pgettext_lazy("audit action", "referrals listed"),
    "reflection.ended_early": pgettext_lazy("audit action", "reflection period ended early"),
    "reflection.granted": pgettext_lazy("audit action", "reflection period granted"),
    "reflection.listed": pgettext_lazy("audit action", "reflection periods listed"),
    "reflection.viewed": pgettext_lazy("audit action", "reflection period viewed"),
    "rehabilitation.ended": pgettext_lazy("audit action", "social rehabilitation ended"),
    "rehabilitation.started": pgettext_lazy("audit action", "social rehabilitation started"),
    "residence_permit.recorded": pgettext_lazy("audit action", "residence permit recorded"),
    "return_decision.recorded": pgettext_lazy("audit action", "return decision recorded"),
    "risk_assessment.recorded": pgettext_lazy(
        "audit action", "pre-return risk assessment recorded"
    ),
    "screening.decided": pgettext_lazy("audit action", "screening decided"),
    "screening.draft_saved": pgettext_lazy("audit action", "interview draft saved"),
    "screening.observations_recorded": pgettext_lazy("audit action", "screening answers recorded"),
    "screening.started": pgettext_lazy("audit action", "screening started"),
    "screening.viewed": pgettext_lazy("audit action", "screening viewed"),
    "screenings.listed": pgettext_lazy("audit action", "screenings listed"),
    "siva.decided": pgettext_lazy("audit action", "SIVA service decision recorded"),
    "siva.inbox_viewed": pgettext_lazy("audit action", "SIVA requests listed"),
    "siva.request_viewed": pgettext_lazy("audit action", "request to SIVA viewed"),
    "siva.requested": pgettext_lazy("audit action", "service decision requested from SIVA"),
    "suspicion.closed": pgettext_lazy("audit action", "suspicion closed"),
    "suspicion.hold_release_decided": pgettext_lazy(
        "audit action", "decision on the hold recorded"
    ),
    "suspicion.raised": pgettext_lazy("audit action", "suspicion of trafficking recorded"),
    "suspicion.support_offered": pgettext_lazy("audit action", "support offered"),
    "suspicion.viewed": pgettext_lazy("audit action", "suspicion viewed"),
    "suspicions.listed": pgettext_lazy("audit action", "suspicions listed"),
    "thread.viewed": pgettext_lazy("audit action", "message thread viewed"),
    "training.attempt_completed": pgettext_lazy("audit action", "training scenario answered"),
    "training.attempt_started": pgettext_lazy("audit action", "training scenario started"),
    "training.certificate_issued": pgettext_lazy("audit action", "training certificate issued"),
    "training.form_saved": pgettext_lazy("audit action", "training answer saved"),
    "training.question_asked": pgettext_lazy("audit action", "training question asked"),
    "training.scenario_authored": pgettext_lazy("audit action", "training scenario written"),
    "training_cohort.listed": pgettext_lazy("audit action", "training results of a cohort listed"),
    "user.2fa_reset": pgettext_lazy("audit action", "two-factor sign-in reset"),
    "user.created": pgettext_lazy("audit action", "user created"),
    "user.language_changed": pgettext_lazy("audit action", "user's language changed"),
    "user.password_link_issued": pgettext_lazy("audit action", "password link issued"),
    "user.password_link_sent": pgettext_lazy("audit action", "password link sent"),
    "user.role_changed": pgettext_lazy("audit action", "user's role changed"),
    "user.viewed": pgettext_lazy("audit action", "user viewed"),
    "users.listed": pgettext_lazy("audit action", "users listed"),
    # Findings, recommendations and reports of forced-return monitoring.
    "finding.recorded": pgettext_lazy("audit action", "monitoring finding recorded"),
    "finding.viewed": pgettext_lazy("audit action", "monitoring finding viewed"),
    "finding.updated": pgettext_lazy("audit action", "monitoring finding changed"),
    "finding.withdrawn": pgettext_lazy("audit action", "monitoring finding withdrawn"),
    "finding.drafted_from_records": pgettext_lazy(
        "audit action", "monitoring finding drafted from the screening records (D9)"
    ),
    "finding.updated_from_records": pgettext_lazy(
        "audit action", "monitoring finding brought up to date from the screening records (D9)"
    ),
    "mission.findings_viewed": pgettext_lazy(
        "audit action", "findings of a monitoring mission viewed"
    ),
    "recommendation.drafted": pgettext_lazy("audit action", "monitoring recommendation drafted"),
    "recommendation.sent": pgettext_lazy(
        "audit action", "monitoring recommendation sent to the Border Guard"
    ),
    "recommendation.answered": pgettext_lazy(
        "audit action", "monitoring recommendation answered by the Border Guard"
    ),
    "recommendation.followed_up": pgettext_lazy(
        "audit action", "follow-up of a monitoring recommendation recorded"
    ),
    "recommendation.withdrawn": pgettext_lazy(
        "audit action", "monitoring recommendation withdrawn"
    ),
    "recommendation.viewed": pgettext_lazy("audit action", "monitoring recommendation viewed"),
    "recommendations.listed": pgettext_lazy("audit action", "monitoring recommendations listed"),
    "report.drafted": pgettext_lazy("audit action", "monitoring report drafted"),
    "report.updated": pgettext_lazy("audit action", "monitoring report changed"),
    "report.approved": pgettext_lazy("audit action", "monitoring report approved"),
    "report.returned_to_draft": pgettext_lazy(
        "audit action", "monitoring report returned to draft"
    ),
    "report.published": pgettext_lazy("audit action", "monitoring report published"),
    "report.viewed": pgettext_lazy("audit action", "monitoring report viewed"),
    "report.downloaded": pgettext_lazy("audit action", "monitoring report downloaded"),
    "monitoring.annual_exported": pgettext_lazy("audit action", "annual monitoring table exported"),
    "stats.dashboard_viewed": pgettext_lazy("audit action", "statistics viewed"),
    "stats.official_viewed": pgettext_lazy("audit action", "official annual tables viewed"),
    "stats.official_exported": pgettext_lazy("audit action", "official annual tables downloaded"),
    # The de-identified case-level export (stats/htcds.py).
    "stats.htcds_exported": pgettext_lazy(
        "audit action", "de-identified case-level export (HTCDS) downloaded"
    ),
    "stats.htcds_export_failed": pgettext_lazy(
        "audit action", "de-identified case-level export (HTCDS) stopped by an error"
    ),
    # The frozen counts of closed years (stats/services.py, ADR 0028).
    "stats.closed_year_frozen": pgettext_lazy(
        "audit action", "statistics of a closed year counted again"
    ),
    # The current year's counts, counted again every few minutes (ADR 0028, "The current year").
    "stats.current_year_counted": pgettext_lazy(
        "audit action", "statistics of the current year counted again"
    ),
}
OBJECT_TYPES["stats.closedyear"] = _("statistics of a calendar year")
# The REST API's tokens (atpazit/api/services.py).
OBJECT_TYPES["api.apitoken"] = _("API token")
ACTIONS.update(
    {
        "api_token.created": pgettext_lazy("audit action", "API token created"),
        "api_token.revoked": pgettext_lazy("audit action", "API token revoked"),
        "api_token.used": pgettext_lazy("audit action", "API token used"),
        "api_token.refused": pgettext_lazy("audit action", "API token refused"),
        "holds.listed": pgettext_lazy("audit action", "removal holds listed"),
        "return_decisions.listed": pgettext_lazy(
            "audit action", "return decisions after identification listed"
        ),
    }
)

# What kinds of data left an organisation: ``Disclosure.data_categories``.
DATA_CATEGORIES: dict[str, Promise] = {
    "reference": _("case reference (case number, sender, date, legal basis, consent)"),
    "identity": _("names"),
    "age": _("age"),
    "age_band": _("age band"),
    "sex": _("sex"),
    "nationality": _("nationality"),
    "languages": _("languages"),
    "location": _("place of detention"),
    "place": _("region"),
    "date": pgettext_lazy("data category", "date"),
    "removal_date": _("planned removal date"),
    "suspicion": pgettext_lazy("data category", "suspicion and its reasons"),
    "indicators": _("indicators found"),
    "hold": pgettext_lazy("data category", "removal hold"),
    "referral_status": _("state of the referral"),
    "identification_outcome": _("outcome of identification"),
    "identification_route": _("route of identification"),
    "identification_date": _("date of identification"),
    "case_number": pgettext_lazy("data category", "case number"),
    "child_path": _("child path"),
    "provider": _("service provider"),
    "service_decision": _("SIVA service decision"),
    "residence_or_return_decision": _("residence permit or return decision"),
    "reflection_period": _("reflection period"),
    "rehabilitation_dates": _("dates of social rehabilitation"),
    "message": _("message text"),
    "attachments": _("attached files"),
    "guardian": _("guardian or legal representative (name, contact, decision)"),
    "exploitation_form": _("form of exploitation"),
}

# Why: ``Disclosure.purpose`` as the services write it (English, fixed texts).
PURPOSES: dict[str, Promise] = {
    "removal hold on a suspicion of trafficking": _("removal hold on a suspicion of trafficking"),
    "identification outcome for the removal hold": _("identification outcome for the removal hold"),
    "child protection: guardian and best interests": _(
        "child protection: guardian and best interests"
    ),
    "referral for identification (provider track)": _(
        "referral for identification (provider track)"
    ),
    "referral for identification (police track)": _("referral for identification (police track)"),
    "anonymous notification of a possible victim": _("anonymous notification of a possible victim"),
    "de-identified notice of possible labour exploitation (R4)": _(
        "de-identified notice of possible labour exploitation (R4)"
    ),
    "secure exchange": _("message in the secure exchange"),
    "child protection: guardian appointment": _("child protection: guardian appointment"),
    "secure exchange about a child": _("message about a child (orphan's court and Border Guard)"),
    "de-identified case-level statistics (HTCDS export)": _(
        "de-identified case-level statistics (HTCDS export)"
    ),
    "reflection period granted: no removal while it runs": _(
        "reflection period granted: no removal while it runs"
    ),
    "reflection period ended early": _("reflection period ended early"),
    "state-funded social rehabilitation: start": _("state-funded social rehabilitation: start"),
    "state-funded social rehabilitation: end": _("state-funded social rehabilitation: end"),
    "residence permit track": _("residence permit track"),
    "return decision after identification": _("return decision after identification"),
    "decision on state-funded social rehabilitation (Cabinet Regulation No. 344)": _(
        "decision on state-funded social rehabilitation (Cabinet Regulation No. 344)"
    ),
    "SIVA's service decision, to the provider that asked": _(
        "SIVA's service decision, to the provider that asked"
    ),
}


# Webhooks: the organisation's endpoints and deliveries that were given up (atpazit/webhooks).
OBJECT_TYPES["webhooks.endpoint"] = _("webhook endpoint")
OBJECT_TYPES["webhooks.delivery"] = _("webhook delivery")
ACTIONS.update(
    {
        "webhook_endpoint.created": pgettext_lazy("audit action", "webhook endpoint registered"),
        "webhook_endpoint.secret_rotated": pgettext_lazy(
            "audit action", "webhook signing secret rotated"
        ),
        "webhook_endpoint.paused": pgettext_lazy("audit action", "webhook endpoint paused"),
        "webhook_endpoint.resumed": pgettext_lazy("audit action", "webhook endpoint resumed"),
        "webhook_endpoint.deleted": pgettext_lazy("audit action", "webhook endpoint deleted"),
        "webhook_endpoint.disabled": pgettext_lazy(
            "audit action", "webhook endpoint disabled after failed deliveries"
        ),
        "webhook_endpoint.ended": pgettext_lazy(
            "audit action", "webhook endpoint ended with its registrant's access"
        ),
        "webhook_delivery.delivered": pgettext_lazy(
            "audit action", "webhook event delivered outside Atpazīt"
        ),
        "webhook_delivery.given_up": pgettext_lazy(
            "audit action", "webhook delivery given up after every attempt failed"
        ),
    }
)


def object_label(object_type: str) -> str:
    """The object type in the active language; the stored code if it has no label."""
    label = OBJECT_TYPES.get(object_type)
    return str(label) if label is not None else object_type


def category_labels(codes: list[str]) -> list[str]:
    return [str(DATA_CATEGORIES.get(code, code)) for code in codes]


def purpose_label(purpose: str) -> str:
    label = PURPOSES.get(purpose)
    return str(label) if label is not None else purpose


def action_label(action: str) -> str:
    """The action in the active language; the stored code if it has no label."""
    label = ACTIONS.get(action)
    return str(label) if label is not None else action
