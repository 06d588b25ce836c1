"""What the authorisation-matrix test needs to know about each URL.

``PUBLIC`` lists views anyone may open. ``URL_SAMPLES`` gives, for URLs with parameters, a
function that builds an object the acting user may reach if their role allows the view at all.
A new view with parameters and no sample fails the matrix test, so every view gets a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from atpazit.accounts.models import User

Sample = Callable[[User], dict[str, Any]]


def _own_membership(user: User) -> dict[str, Any]:
    return {"pk": user.memberships.get().pk}


def _own_organisation(user: User) -> dict[str, Any]:
    return {"pk": user.memberships.get().organisation_id}


def _own_person(user: User) -> dict[str, Any]:
    from atpazit.cases.tests.factories import PersonFactory

    return {"pk": PersonFactory(organisation=user.memberships.get().organisation).pk}


def _own_possible_duplicate(user: User) -> dict[str, Any]:
    """Two records of the user's unit that are likely the same person."""
    from atpazit.cases.tests.factories import PersonFactory

    organisation = user.memberships.get().organisation
    same = {"given_names": "Rustam", "family_name": "Yuldashev", "birth_year": 1991}
    first = PersonFactory(organisation=organisation, **same)
    second = PersonFactory(organisation=organisation, **same)
    return {"pk": second.pk, "other_pk": first.pk}


def _own_active_hold(user: User) -> dict[str, Any]:
    from atpazit.cases.tests.factories import ManualHoldFactory, PersonFactory

    person = PersonFactory(organisation=user.memberships.get().organisation)
    return {"pk": ManualHoldFactory(person=person).pk}


def _own_age_change(user: User) -> dict[str, Any]:
    """A colleague's change of age evidence waiting for a second case officer (ADR 0021)."""
    from atpazit.accounts.tests.factories import member
    from atpazit.cases.models import AgeChange
    from atpazit.cases.tests.factories import PersonFactory

    organisation = user.memberships.get().organisation
    person = PersonFactory(organisation=organisation, birth_year=2000, age_disputed=True)
    change = AgeChange.objects.create(
        person=person,
        proposed='{"date_of_birth": null, "birth_year": 2000, "stated_age": null, '
        '"age_disputed": false}',
        before='{"date_of_birth": null, "birth_year": 2000, "stated_age": null, '
        '"age_disputed": true}',
        reason_code="identity_document",
        proposed_by=member("bg_case_officer", organisation),
    )
    return {"pk": change.pk}


def _own_escalation(user: User) -> dict[str, Any]:
    from atpazit.escalations.models import Escalation

    organisation = user.memberships.get().organisation
    escalation = Escalation.objects.create(
        kind=Escalation.Kind.HOLD_RELEASED,
        subject=f"accounts.organisation:{organisation.pk}",
        responsible_organisation=organisation,
        summary_code="hold.released",
    )
    return {"pk": escalation.pk}


def _own_operation(user: User) -> dict[str, Any]:
    from atpazit.removals.tests.factories import PlannedOperationFactory

    operation = PlannedOperationFactory(organisation=user.memberships.get().organisation)
    return {"pk": operation.pk}


def _own_manifest_entry(user: User) -> dict[str, Any]:
    from atpazit.removals.tests.factories import ManifestEntryFactory, PlannedOperationFactory

    operation = PlannedOperationFactory(organisation=user.memberships.get().organisation)
    return {"pk": operation.pk, "entry_pk": ManifestEntryFactory(operation=operation).pk}


def _mission_in_scope(user: User) -> Any:
    """An announced monitoring mission the user may reach: of the user's office with the user
    as its monitor, or about an operation of the user's Border Guard unit with the user as its
    escort leader (who answers the monitors' requests to take a person off)."""
    from atpazit.monitoring.tests.factories import AnnouncedMissionFactory
    from atpazit.removals.tests.factories import ConfirmedOperationFactory

    organisation = user.memberships.get().organisation
    if organisation.type == "ombudsman":
        return AnnouncedMissionFactory(organisation=organisation, monitors=[user])
    if organisation.type == "border_guard":
        return AnnouncedMissionFactory(
            operation=ConfirmedOperationFactory(organisation=organisation, escort_leader=user)
        )
    return AnnouncedMissionFactory()


def _mission(user: User) -> dict[str, Any]:
    return {"pk": _mission_in_scope(user).pk}


def _mission_stage(user: User) -> dict[str, Any]:
    return {"pk": _mission_in_scope(user).pk, "stage": "pre_departure"}


def _operation_to_monitor(user: User) -> dict[str, Any]:
    from atpazit.removals.tests.factories import ConfirmedOperationFactory

    organisation = user.memberships.get().organisation
    if organisation.type == "border_guard":
        return {"operation_pk": ConfirmedOperationFactory(organisation=organisation).pk}
    return {"operation_pk": ConfirmedOperationFactory().pk}


def _returnee_of_mission(user: User) -> dict[str, Any]:
    from atpazit.removals.tests.factories import person_on

    mission = _mission_in_scope(user)
    return {"pk": mission.pk, "person_pk": person_on(mission.operation).pk}


def _removal_request(user: User) -> dict[str, Any]:
    from atpazit.monitoring.tests.factories import PendingRemovalRequestFactory

    return {"pk": PendingRemovalRequestFactory(mission=_mission_in_scope(user)).pk}


def _observation_about_a_returnee(user: User) -> dict[str, Any]:
    from atpazit.monitoring.tests.factories import ObservationFactory
    from atpazit.removals.tests.factories import person_on

    mission = _mission_in_scope(user)
    observation = ObservationFactory(
        mission=mission, person=person_on(mission.operation), recorded_by=user
    )
    return {"pk": observation.pk}


def _exchange_referral(user: User) -> Any:
    """A referral whose thread the user's organisation takes part in: as the receiving provider
    or police, or else as the organisation that raised the suspicion."""
    from atpazit.referrals.tests.factories import (
        PoliceReferralFactory,
        ReferralFactory,
        SuspicionFactory,
    )

    organisation = user.memberships.get().organisation
    if organisation.type == "service_provider":
        return ReferralFactory(to_organisation=organisation)
    if organisation.type == "police":
        return PoliceReferralFactory(to_organisation=organisation)
    suspicion = SuspicionFactory(raised_by=user, raised_by_organisation=organisation)
    return ReferralFactory(suspicion=suspicion)


def _exchange_thread(user: User) -> dict[str, Any]:
    return {"pk": _exchange_referral(user).pk}


def _exchange_attachment(user: User) -> dict[str, Any]:
    from atpazit.exchange.models import Message

    referral = _exchange_referral(user)
    message = Message.objects.create(
        referral=referral,
        author=referral.sent_by,
        author_organisation=referral.suspicion.raised_by_organisation,
        body="Pielikumā izziņa.",
    )
    return _attachment_on(message)


def _attachment_on(message: Any) -> dict[str, Any]:
    """A small PDF attached to ``message``, stored as the exchange stores it."""
    import base64
    import hashlib

    from atpazit.exchange.models import Attachment

    data = b"%PDF-1.4 sample"
    attachment = Attachment.objects.create(
        message=message,
        filename="izzina.pdf",
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=base64.b64encode(data).decode("ascii"),
    )
    return {"pk": attachment.pk}


def _child_thread_case(user: User) -> Any:
    """A child's case whose thread the user's organisation takes part in: as the orphan's court
    named on it, or else as the unit that registered the child and raised the suspicion."""
    from atpazit.referrals.tests.factories import ChildSuspicionFactory, child_suspicion_in

    organisation = user.memberships.get().organisation
    if organisation.type == "orphans_court":
        return ChildSuspicionFactory(orphans_court=organisation)
    return child_suspicion_in(organisation, raised_by=user)


def _child_thread(user: User) -> dict[str, Any]:
    return {"pk": _child_thread_case(user).pk}


def _child_thread_attachment(user: User) -> dict[str, Any]:
    from atpazit.exchange.models import Message

    suspicion = _child_thread_case(user)
    message = Message.objects.create(
        suspicion=suspicion,
        author=suspicion.raised_by,
        author_organisation=suspicion.raised_by_organisation,
        body="Pielikumā izziņa par bērnu.",
    )
    return _attachment_on(message)


def _referrals_organisation(user: User) -> Any:
    return user.memberships.get().organisation


def _suspicion_in_scope(user: User) -> dict[str, Any]:
    """A suspicion the user's organisation carries: about a person of its Border Guard unit, or
    raised by it (the Ombudsman's Office raises suspicions about any unit's persons)."""
    from atpazit.referrals.tests.factories import SuspicionFactory, suspicion_in

    organisation = _referrals_organisation(user)
    if organisation.type == "ombudsman":
        return {"pk": SuspicionFactory(raised_by=user, raised_by_organisation=organisation).pk}
    return {"pk": suspicion_in(organisation, raised_by=user).pk}


def _release_proposal_in_scope(user: User) -> dict[str, Any]:
    """A four-eyes release proposal about a person of the user's unit (any unit for others)."""
    from atpazit.referrals.tests.factories import PendingReleaseProposalFactory, suspicion_in

    organisation = _referrals_organisation(user)
    if organisation.type == "border_guard":
        return {"pk": PendingReleaseProposalFactory(suspicion=suspicion_in(organisation)).pk}
    return {"pk": PendingReleaseProposalFactory().pk}


def _person_in_scope(user: User) -> dict[str, Any]:
    from atpazit.cases.tests.factories import PersonFactory

    organisation = _referrals_organisation(user)
    if organisation.type == "ombudsman":
        return {"person_pk": PersonFactory().pk}
    return {"person_pk": PersonFactory(organisation=organisation).pk}


def _referral_in_scope(user: User) -> dict[str, Any]:
    """A referral sent to the user's provider or police, or about the user's unit's person."""
    from atpazit.referrals.tests.factories import ReferralFactory, referral_to, suspicion_in

    organisation = _referrals_organisation(user)
    if organisation.type in ("service_provider", "police"):
        return {"pk": referral_to(organisation).pk}
    if organisation.type == "border_guard":
        return {"pk": ReferralFactory(suspicion=suspicion_in(organisation, raised_by=user)).pk}
    return {"pk": ReferralFactory().pk}


def _anonymous_in_scope(user: User) -> dict[str, Any]:
    from atpazit.referrals.tests.factories import AnonymousNotificationFactory

    return {"pk": AnonymousNotificationFactory(to_organisation=_referrals_organisation(user)).pk}


def _labour_notice_in_scope(user: User) -> dict[str, Any]:
    from atpazit.referrals.tests.factories import LabourNoticeFactory

    return {"pk": LabourNoticeFactory(to_organisation=_referrals_organisation(user)).pk}


def _child_case_in_scope(user: User) -> dict[str, Any]:
    from atpazit.referrals.tests.factories import ChildSuspicionFactory

    return {"pk": ChildSuspicionFactory(orphans_court=_referrals_organisation(user)).pk}


def _followup_suspicion(user: User) -> Any:
    """A recognised person's suspicion the user's organisation follows (reflection period, what
    follows identification): its Border Guard unit's person, a provider or police unit working on
    the case, a SIVA office asked to decide; the Ombudsman's Office follows every case."""
    from atpazit.aftercare.tests.factories import ServiceRequestFactory
    from atpazit.referrals.tests.factories import (
        AcceptedPoliceReferralFactory,
        ConsentedSuspicionFactory,
        RecognisedReferralFactory,
    )

    organisation = _referrals_organisation(user)
    if organisation.type == "border_guard":
        suspicion = ConsentedSuspicionFactory(person__organisation=organisation)
        return RecognisedReferralFactory(suspicion=suspicion).suspicion
    if organisation.type == "service_provider":
        suspicion = ConsentedSuspicionFactory()
        return RecognisedReferralFactory(
            suspicion=suspicion, to_organisation=organisation
        ).suspicion
    if organisation.type == "police":
        suspicion = ConsentedSuspicionFactory()
        return AcceptedPoliceReferralFactory(
            suspicion=suspicion, to_organisation=organisation
        ).suspicion
    suspicion = RecognisedReferralFactory(suspicion=ConsentedSuspicionFactory()).suspicion
    if organisation.type == "siva":
        ServiceRequestFactory(suspicion=suspicion, to_organisation=organisation)
    return suspicion


def _followup_case(user: User) -> dict[str, Any]:
    return {"pk": _followup_suspicion(user).pk}


def _followup_sheet(user: User) -> dict[str, Any]:
    from atpazit.reflection.tests.factories import InformationSheetFactory

    suspicion = _followup_suspicion(user)
    return {"pk": InformationSheetFactory(suspicion=suspicion, generated_by=suspicion.raised_by).pk}


def _siva_request(user: User) -> dict[str, Any]:
    from atpazit.aftercare.tests.factories import ServiceRequestFactory

    organisation = _referrals_organisation(user)
    if organisation.type == "siva":
        return {"pk": ServiceRequestFactory(to_organisation=organisation).pk}
    return {"pk": ServiceRequestFactory().pk}


def _own_person_for_screening(user: User) -> dict[str, Any]:
    from atpazit.cases.tests.factories import PersonFactory

    return {"person_pk": PersonFactory(organisation=user.memberships.get().organisation).pk}


def _own_open_screening(user: User) -> dict[str, Any]:
    """A screening in progress by the user, of a person of the user's organisation."""
    from atpazit.cases.tests.factories import PersonFactory
    from atpazit.screening.tests.factories import OpenSessionFactory

    person = PersonFactory(organisation=user.memberships.get().organisation)
    return {"pk": OpenSessionFactory(person=person, screener=user).pk}


def _own_open_attempt(user: User) -> dict[str, Any]:
    """A practice attempt of the user's own (training: an invented scenario)."""
    from atpazit.training.tests.factories import OpenAttemptFactory

    organisation = user.memberships.get().organisation
    return {"pk": OpenAttemptFactory(trainee=user, organisation=organisation).pk}


def _own_completed_attempt(user: User) -> dict[str, Any]:
    from atpazit.training.tests.factories import CompletedAttemptFactory

    organisation = user.memberships.get().organisation
    return {"pk": CompletedAttemptFactory(trainee=user, organisation=organisation).pk}


URL_SAMPLES: dict[str, Sample] = {
    "training:module": lambda user: {"code": "indicators"},
    "training:attempt": _own_open_attempt,
    "training:ask": _own_open_attempt,
    "training:feedback": _own_completed_attempt,
    "training:scenario_edit": lambda user: {"scenario_id": "labour-construction-intake"},
    "screening:person_sessions": _own_person_for_screening,
    "screening:session_start": _own_person_for_screening,
    "screening:session_detail": _own_open_screening,
    "screening:session_interview": _own_open_screening,
    "screening:session_draft": _own_open_screening,
    "accounts:membership_edit": _own_membership,
    "accounts:organisation_edit": _own_organisation,
    "cases:person_detail": _own_person,
    "cases:person_edit": _own_person,
    "cases:person_status": _own_person,
    "cases:hold_create": _own_person,
    "cases:identity_decide": _own_possible_duplicate,
    "cases:hold_confirm": _own_active_hold,
    "cases:hold_release": _own_active_hold,
    "cases:age_change_confirm": _own_age_change,
    "cases:age_change_decline": _own_age_change,
    "escalations:escalation_resolve": _own_escalation,
    "removals:operation_detail": _own_operation,
    "removals:operation_edit": _own_operation,
    "removals:manifest_add": _own_operation,
    "removals:manifest_remove": _own_manifest_entry,
    "removals:manifest_import": _own_operation,
    "removals:manifest_export": _own_operation,
    "removals:operation_confirm": _own_operation,
    "removals:operation_complete": _own_operation,
    "removals:operation_cancel": _own_operation,
    "removals:pre_departure": _own_operation,
    "exchange:thread": _exchange_thread,
    "exchange:message_post": _exchange_thread,
    "exchange:attachment_download": _exchange_attachment,
    "exchange:child_thread": _child_thread,
    "exchange:child_message_post": _child_thread,
    "exchange:child_attachment_download": _child_thread_attachment,
    "referrals:referral_detail": _referral_in_scope,
    "referrals:referral_respond": _referral_in_scope,
    "referrals:referral_withdraw": _referral_in_scope,
    "referrals:commission": _referral_in_scope,
    "referrals:police_outcome": _referral_in_scope,
    "referrals:suspicion_create": _person_in_scope,
    "referrals:suspicion_detail": _suspicion_in_scope,
    "referrals:hold_confirm": _suspicion_in_scope,
    "referrals:consent": _suspicion_in_scope,
    "referrals:consent_withdraw": _suspicion_in_scope,
    "referrals:referral_send": _suspicion_in_scope,
    "referrals:anonymous_send": _suspicion_in_scope,
    "referrals:risk_assessment": _suspicion_in_scope,
    "referrals:hold_release": _suspicion_in_scope,
    "referrals:hold_release_propose": _suspicion_in_scope,
    "referrals:release_proposal": _release_proposal_in_scope,
    "referrals:release_proposal_approve": _release_proposal_in_scope,
    "referrals:release_proposal_decline": _release_proposal_in_scope,
    "referrals:close": _suspicion_in_scope,
    "referrals:anonymous_detail": _anonymous_in_scope,
    "referrals:labour_notice_detail": _labour_notice_in_scope,
    "referrals:child_detail": _child_case_in_scope,
    "referrals:guardian_record": _child_case_in_scope,
    "referrals:guardian_end": _child_case_in_scope,
    "reflection:reflection_detail": _followup_case,
    "reflection:reflection_grant": _followup_case,
    "reflection:reflection_end": _followup_case,
    "reflection:information_sheet_create": _followup_case,
    "reflection:information_sheet_download": _followup_sheet,
    "reflection:information_sheet_receipt": _followup_sheet,
    "aftercare:aftercare_detail": _followup_case,
    "aftercare:siva_request": _followup_case,
    "aftercare:rehabilitation_start": _followup_case,
    "aftercare:rehabilitation_end": _followup_case,
    "aftercare:residence_record": _followup_case,
    "aftercare:return_decision_record": _followup_case,
    "aftercare:siva_decision": _siva_request,
    "monitoring:mission_plan": _operation_to_monitor,
    "monitoring:mission_detail": _mission,
    "monitoring:mission_edit": _mission,
    "monitoring:mission_notice": _mission,
    "monitoring:mission_notes": _mission,
    "monitoring:mission_announce": _mission,
    "monitoring:mission_cancel": _mission,
    "monitoring:mission_complete": _mission,
    "monitoring:stage": _mission_stage,
    "monitoring:observation_sync": _mission_stage,
    "monitoring:pre_departure": _mission,
    "monitoring:removal_request": _returnee_of_mission,
    "monitoring:removal_request_answer": _removal_request,
    "monitoring:observation_screening": _observation_about_a_returnee,
    "monitoring:observation_suspicion": _observation_about_a_returnee,
    "monitoring:observation_edit": _observation_about_a_returnee,
}

# Every page reached through a URL with parameters (a detail page) that a role can open must be
# classified below; the matrix fails on one that is not, so a new detail page cannot be missed.
#
# Detail pages that show personal data, with the read event the page leaves (I7). The matrix
# checks that every role that opens one leaves exactly one such event, about the object the URL
# names, and that a refused request leaves none. The events are written by the access function
# the page fetches its object with (the choke point: tests/test_read_audit.py fails on a read
# written in a view). A form on an object shows it too (and shows it again on a refused POST):
# its event names the page.
PERSONAL_DATA_READS = {
    "cases:person_detail": "person.viewed",
    "cases:person_edit": "person.viewed",
    "cases:hold_release": "hold.viewed",
    "cases:identity_decide": "identity.match_viewed",
    "screening:session_start": "person.viewed",
    "screening:session_detail": "screening.viewed",
    "screening:session_interview": "screening.viewed",
    "screening:person_sessions": "screenings.listed",
    "removals:operation_detail": "operation.viewed",
    "removals:pre_departure": "operation.pre_departure_viewed",
    "accounts:membership_edit": "user.viewed",
    "exchange:thread": "thread.viewed",
    "exchange:attachment_download": "attachment.downloaded",
    "exchange:child_thread": "thread.viewed",
    "exchange:child_attachment_download": "attachment.downloaded",
    "referrals:suspicion_create": "person.viewed",
    "referrals:suspicion_detail": "suspicion.viewed",
    "referrals:consent": "suspicion.viewed",
    "referrals:consent_withdraw": "suspicion.viewed",
    "referrals:referral_send": "suspicion.viewed",
    "referrals:anonymous_send": "suspicion.viewed",
    "referrals:risk_assessment": "suspicion.viewed",
    "referrals:hold_release": "suspicion.viewed",
    "referrals:hold_release_propose": "suspicion.viewed",
    "referrals:close": "suspicion.viewed",
    "referrals:release_proposal": "hold_release.proposal_viewed",
    "referrals:referral_detail": "referral.viewed",
    "referrals:referral_respond": "referral.viewed",
    "referrals:referral_withdraw": "referral.viewed",
    "referrals:commission": "referral.viewed",
    "referrals:police_outcome": "referral.viewed",
    "referrals:anonymous_detail": "anonymous_notification.viewed",
    "referrals:labour_notice_detail": "labour_notice.viewed",
    "referrals:child_detail": "child_case.viewed",
    "referrals:guardian_record": "child_case.viewed",
    "reflection:reflection_detail": "reflection.viewed",
    "reflection:reflection_grant": "reflection.viewed",
    "reflection:reflection_end": "reflection.viewed",
    "reflection:information_sheet_create": "reflection.viewed",
    "reflection:information_sheet_receipt": "reflection.viewed",
    "reflection:information_sheet_download": "information_sheet.downloaded",
    "aftercare:aftercare_detail": "aftercare.viewed",
    "aftercare:siva_request": "aftercare.viewed",
    "aftercare:rehabilitation_start": "aftercare.viewed",
    "aftercare:rehabilitation_end": "aftercare.viewed",
    "aftercare:residence_record": "aftercare.viewed",
    "aftercare:return_decision_record": "aftercare.viewed",
    "aftercare:siva_decision": "siva.request_viewed",
    "monitoring:mission_detail": "mission.viewed",
    "monitoring:stage": "observations.listed",
    "monitoring:pre_departure": "mission.pre_departure_viewed",
    "monitoring:removal_request_answer": "removal_request.viewed",
    "monitoring:observation_screening": "observation.viewed",
    "monitoring:observation_suspicion": "observation.viewed",
    "monitoring:observation_edit": "observation.viewed",
}

# Pages whose read event is about another object than the one their URL names, and which.
READ_OF_ANOTHER_OBJECT = {
    "accounts:membership_edit": "the membership's user (user.viewed)",
    "reflection:information_sheet_receipt": "the sheet's suspicion (reflection.viewed)",
}

# Detail pages that show no personal data, and why (case numbers and codes are not).
NO_PERSONAL_DATA = {
    "accounts:organisation_edit": "an organisation; no person",
    "cases:hold_create": "the case number and the form",
    "cases:person_status": "the case number, its status and the form",
    "escalations:escalation_resolve": "the case number, kind, date and responsible organisation",
    "removals:operation_edit": "the operation and its escort team (staff), no returnee",
    "removals:manifest_import": "the upload form; problems name rows and case numbers only",
    "monitoring:mission_plan": "the operation's departure and route, the office's monitors",
    "monitoring:mission_edit": "the mission's plan: monitors (staff) and stages; no returnee",
    "monitoring:mission_notice": "the mission's notice times; no returnee",
    "monitoring:removal_request": "the case number and the form",
    "training:module": "a lesson and invented scenarios, with the reader's own scores",
    "training:attempt": "an invented scenario and the reader's own answers to it",
    "training:feedback": "an invented scenario and the reader's own answers to it",
    "training:scenario_edit": "an invented scenario",
}

# --- forced-return monitoring: findings, recommendations, reports (issue 12 items 5, 6) ---


def _office_mission(user: User) -> Any:
    """A completed mission of the user's Ombudsman's Office with the user as its monitor, or,
    for a Border Guard user, about an operation of the user's unit."""
    from atpazit.monitoring.tests.factories import CompletedMissionFactory
    from atpazit.removals.tests.factories import ConfirmedOperationFactory

    organisation = user.memberships.get().organisation
    if organisation.type == "ombudsman":
        return CompletedMissionFactory(organisation=organisation, monitors=[user])
    if organisation.type == "border_guard":
        return CompletedMissionFactory(
            operation=ConfirmedOperationFactory(organisation=organisation)
        )
    return CompletedMissionFactory()


def _findings_mission(user: User) -> dict[str, Any]:
    return {"pk": _office_mission(user).pk}


def _finding(user: User) -> dict[str, Any]:
    from atpazit.monitoring.tests.findings_factories import FindingFactory

    return {"pk": FindingFactory(mission=_office_mission(user)).pk}


def _recommendation(user: User) -> dict[str, Any]:
    """Sent to the Border Guard unit running the operation (so that unit may see it)."""
    from atpazit.monitoring.tests.findings_factories import (
        FindingFactory,
        SentRecommendationFactory,
    )

    finding = FindingFactory(mission=_office_mission(user))
    return {"pk": SentRecommendationFactory(finding=finding).pk}


def _report(user: User) -> dict[str, Any]:
    from atpazit.monitoring.tests.findings_factories import DraftReportFactory

    return {"pk": DraftReportFactory(mission=_office_mission(user)).pk}


def _published_report(user: User) -> dict[str, Any]:
    """Published: the Office and the Border Guard unit whose operation it monitored read it."""
    from atpazit.monitoring.models import MonitoringReport
    from atpazit.monitoring.tests.findings_factories import DraftReportFactory

    report = DraftReportFactory(
        mission=_office_mission(user),
        status=MonitoringReport.Status.PUBLISHED,
        pdf=b"%PDF-1.7 published",
    )
    return {"pk": report.pk}


URL_SAMPLES.update(
    {
        "monitoring_findings:report_published_pdf": _published_report,
        "monitoring_findings:mission_findings": _findings_mission,
        "monitoring_findings:recommendation_draft": _finding,
        "monitoring_findings:finding_edit": _finding,
        "monitoring_findings:finding_withdraw": _finding,
        "monitoring_findings:recommendation_detail": _recommendation,
        "monitoring_findings:recommendation_send": _recommendation,
        "monitoring_findings:recommendation_withdraw": _recommendation,
        "monitoring_findings:recommendation_respond": _recommendation,
        "monitoring_findings:recommendation_follow_up": _recommendation,
        "monitoring_findings:report_draft": _findings_mission,
        "monitoring_findings:report_detail": _report,
        "monitoring_findings:report_pdf": _report,
        "monitoring_findings:report_approve": _report,
        "monitoring_findings:report_return": _report,
        "monitoring_findings:report_publish": _report,
    }
)
PERSONAL_DATA_READS.update(
    {
        # Findings and recommendations are free text that may describe a returnee.
        "monitoring_findings:mission_findings": "mission.findings_viewed",
        "monitoring_findings:recommendation_draft": "finding.viewed",
        "monitoring_findings:finding_edit": "finding.viewed",
        "monitoring_findings:recommendation_detail": "recommendation.viewed",
        "monitoring_findings:recommendation_respond": "recommendation.viewed",
        "monitoring_findings:recommendation_follow_up": "recommendation.viewed",
        # The report shows observations with case numbers.
        "monitoring_findings:report_detail": "report.viewed",
        "monitoring_findings:report_pdf": "report.downloaded",
        "monitoring_findings:report_published_pdf": "report.downloaded",
    }
)
NO_PERSONAL_DATA["monitoring_findings:report_draft"] = "the mission number and the form"


# Development-only pages: they answer 404 for everyone outside development mode (the suite runs
# with DEBUG off, so the matrix expects 404 for every role); in development mode any signed-in
# user opens them (atpazit/notifications/tests/test_delivery.py).
DEV_ONLY = {"notifications:dev_mailbox"}

# Views whose very purpose is to be reachable before sign-in or before 2FA.
PUBLIC = {
    "root",
    "accounts:login",
    "accounts:password_link",
    "accounts:password_set",
    "web:set_language",
}


# --- state-changing requests of the account pages ------------------------------------------
#
# Each write is a POST that succeeds for a role whose permission allows the view; for every other
# role it must be refused and change nothing. ``always_refused`` marks writes nobody may make
# (on one's own membership), whatever the permission table says.


@dataclass(frozen=True)
class AccountWrite:
    label: str
    route: str
    kwargs: Callable[[User], dict[str, Any]]
    data: Callable[[User], dict[str, str]]
    always_refused: bool = False


def _no_kwargs(user: User) -> dict[str, Any]:
    return {}


def _colleague_membership(user: User) -> dict[str, Any]:
    """A colleague in the user's organisation, with a role every organisation type has."""
    from atpazit.accounts.tests.factories import member

    organisation = user.memberships.get().organisation
    return {"pk": member("auditor", organisation=organisation).memberships.get().pk}


def _empty_organisation(user: User) -> dict[str, Any]:
    from atpazit.accounts.tests.factories import OrganisationFactory

    return {"pk": OrganisationFactory(type="police", name=f"Tukša {user.pk}").pk}


def _new_user(user: User) -> dict[str, str]:
    return {
        "username": f"jauns.{user.pk}",
        "first_name": "Zane",
        "last_name": "Priede",
        "email": f"jauns.{user.pk}@example.invalid",
        "role": "auditor",
        "language": "lv",
    }


ACCOUNT_WRITES = [
    AccountWrite("create a user", "accounts:user_create", _no_kwargs, _new_user),
    AccountWrite(
        "switch a colleague's membership off",
        "accounts:membership_edit",
        _colleague_membership,
        lambda user: {"role": "auditor"},
    ),
    AccountWrite(
        "reset a colleague's sign-in",
        "accounts:membership_edit",
        _colleague_membership,
        lambda user: {"reset_2fa": "1"},
    ),
    AccountWrite(
        "change one's own role",
        "accounts:membership_edit",
        _own_membership,
        lambda user: {"role": "auditor", "is_active": "on"},
        always_refused=True,
    ),
    AccountWrite(
        "switch one's own membership off",
        "accounts:membership_edit",
        _own_membership,
        lambda user: {"role": user.memberships.get().role},
        always_refused=True,
    ),
    AccountWrite(
        "reset one's own sign-in",
        "accounts:membership_edit",
        _own_membership,
        lambda user: {"reset_2fa": "1"},
        always_refused=True,
    ),
    AccountWrite(
        "create an organisation",
        "accounts:organisation_create",
        _no_kwargs,
        lambda user: {"name": f"Jauna {user.pk}", "type": "police", "email": "", "is_active": "on"},
    ),
    AccountWrite(
        "rename an organisation",
        "accounts:organisation_edit",
        _empty_organisation,
        lambda user: {
            "name": f"Pārdēvēta {user.pk}",
            "type": "police",
            "email": "",
            "is_active": "on",
        },
    ),
    AccountWrite(
        "change the type of one's own organisation",
        "accounts:organisation_edit",
        _own_organisation,
        lambda user: {
            "name": user.memberships.get().organisation.name,
            "type": "ombudsman",
            "email": "",
            "is_active": "on",
        },
        always_refused=True,
    ),
    AccountWrite(
        "change one's own password",
        "accounts:password_change",
        _no_kwargs,
        lambda user: {
            "current_password": "Correct-horse-battery-9",
            "new_password1": "Vasaras-rits-pie-juras-7",
            "new_password2": "Vasaras-rits-pie-juras-7",
        },
    ),
]

# Account pages that change nothing in the database, or only the session: not in the matrix above.
ACCOUNT_READS_OR_SESSION_ONLY = {
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor",
    "accounts:recovery_codes",
    "accounts:switch_organisation",
    "accounts:user_list",
    "accounts:organisation_list",
    "accounts:password_link",
    "accounts:password_set",
}

# --- statistics (issue 14): the official annual tables of a year ---


def _official_year(user: User) -> dict[str, Any]:
    from django.utils import timezone

    return {"year": timezone.localdate().year - 1}


URL_SAMPLES.update({"stats:official": _official_year})
NO_PERSONAL_DATA.update(
    {"stats:official": "counts of registered victims, suppressed (k); no person, no case number"}
)


# --- downloads that are exports (audited, logged as disclosures): a POST, never a GET ----------
#
# A GET (the matrix above) only shows the page with the choice, or is refused with 405: a link
# or an image on another site, or a browser's prefetch, cannot start an export in a user's name.
# The matrix part "downloads" POSTs each one for every role, and checks that a GET with the same
# data downloads nothing and writes nothing; tests/test_csrf_downloads.py that each needs the
# CSRF token of its page.


@dataclass(frozen=True)
class Download:
    route: str
    kwargs: Callable[[User], dict[str, Any]]
    data: Callable[[User], dict[str, str]]
    permission: str  # what the download needs (may be more than its page: official tables)
    event: str  # the audit event every download writes
    page: str  # the page whose form posts it (same kwargs)


def _last_year(user: User) -> dict[str, str]:
    from django.utils import timezone

    return {"year": str(timezone.localdate().year - 1)}


DOWNLOADS = [
    Download(
        "stats:htcds_export",
        _no_kwargs,
        _last_year,
        "stats.htcds:export",
        "stats.htcds_exported",
        page="stats:htcds_export",
    ),
    Download(
        "stats:official",
        _official_year,
        lambda user: {"format": "csv"},
        "stats.official:export",
        "stats.official_exported",
        page="stats:official",
    ),
    Download(
        "removals:manifest_export",
        _own_operation,
        lambda user: {"format": "csv"},
        "removals.operation:read",
        "manifest.exported",
        page="removals:operation_detail",
    ),
]


# --- webhooks (atpazit/webhooks; issue 14 item 6) ------------------------------------------------


def _own_webhook_endpoint(user: User) -> dict[str, Any]:
    from atpazit.webhooks.tests.factories import EndpointFactory

    return {"pk": EndpointFactory(organisation=user.memberships.get().organisation).pk}


for _name in ("detail", "rotate", "pause", "resume", "delete"):
    URL_SAMPLES[f"webhooks:endpoint_{_name}"] = _own_webhook_endpoint
NO_PERSONAL_DATA.update(
    {
        "webhooks:endpoint_detail": "the organisation's endpoint and its delivery outcomes",
        "webhooks:endpoint_rotate": "the address of the organisation's endpoint",
        "webhooks:endpoint_delete": "the address of the organisation's endpoint",
    }
)


# --- the REST API (atpazit/api; issue 14 item 5) -------------------------------------------
#
# The pages where a user manages their own tokens are pages like any other (above). The API's
# operations are walked by their own part of the matrix (tests/test_authorization_matrix.py,
# "the REST API"): each is called with a token of a user of every role; its gate must let exactly
# the roles through whose permissions hold the operation's, and a read of personal data leaves its
# read event, like the page it mirrors.


def _own_api_token(user: User) -> dict[str, Any]:
    from atpazit.api.tests.factories import ApiTokenFactory

    return {"pk": ApiTokenFactory(membership=user.memberships.get()).pk}


URL_SAMPLES["api:token_revoke"] = _own_api_token
NO_PERSONAL_DATA["api:token_revoke"] = "the name and first characters of one's own token"


def _respond_body(user: User, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {"action": "accept", "version": 1}


def _withdraw_body(user: User, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {"action": "withdraw", "reason": "Sent to the wrong organisation.", "version": 1}


def _accepted_referral_in_scope(user: User) -> dict[str, Any]:
    """An accepted referral to the user's provider or police (the state an outcome is recorded
    in), or a referral otherwise in the user's scope."""
    from atpazit.referrals.tests.factories import referral_to

    organisation = _referrals_organisation(user)
    if organisation.type in ("service_provider", "police"):
        return {"pk": referral_to(organisation, status="accepted").pk}
    return _referral_in_scope(user)


def _commission_body(user: User, kwargs: dict[str, Any]) -> dict[str, Any]:
    from django.utils import timezone

    return {
        "assessed_on": timezone.localdate().isoformat(),
        "members_present": "A. Liepa (social worker), B. Kalns (psychologist)",
        "result": "criteria_met",
        "protocol_reference": "K-17",
        "version": 1,
    }


def _police_outcome_body(user: User, kwargs: dict[str, Any]) -> dict[str, Any]:
    from django.utils import timezone

    return {
        "proceedings": "opened",
        "victim_status": "pending",
        "proceedings_reference": "11816000123",
        "decided_on": timezone.localdate().isoformat(),
        "version": 1,
    }


# Path parameters of each API operation that has them: an object in the user's scope.
API_SAMPLES: dict[str, Sample] = {
    "api:v1:referral_detail": lambda user: {"referral_id": _referral_in_scope(user)["pk"]},
    "api:v1:referral_respond": lambda user: {"referral_id": _referral_in_scope(user)["pk"]},
    "api:v1:referral_withdraw": lambda user: {"referral_id": _referral_in_scope(user)["pk"]},
    "api:v1:referral_commission": lambda user: {
        "referral_id": _accepted_referral_in_scope(user)["pk"]
    },
    "api:v1:referral_police_outcome": lambda user: {
        "referral_id": _accepted_referral_in_scope(user)["pk"]
    },
    "api:v1:person_detail": lambda user: {"person_id": _own_person(user)["pk"]},
    "api:v1:hold_detail": lambda user: {"hold_id": _own_active_hold(user)["pk"]},
    "api:v1:screening_detail": lambda user: {"screening_id": _own_open_screening(user)["pk"]},
    "api:v1:operation_detail": lambda user: {"operation_id": _own_operation(user)["pk"]},
    "api:v1:recommendation_detail": lambda user: {"recommendation_id": _recommendation(user)["pk"]},
    "api:v1:statistics_official": lambda user: _official_year(user),
    "api:v1:case_return_decisions": lambda user: {"suspicion_id": _followup_suspicion(user).pk},
}
# The JSON body of each writing operation: a valid request (the service may still refuse it).
API_BODIES: dict[str, Callable[[User, dict[str, Any]], dict[str, Any]]] = {
    "api:v1:referral_respond": _respond_body,
    "api:v1:referral_withdraw": _withdraw_body,
    "api:v1:referral_commission": _commission_body,
    "api:v1:referral_police_outcome": _police_outcome_body,
    # Evaluate writes nothing, but it is a POST: the matrix calls it with a body like the others.
    "api:v1:screening_evaluate": lambda user, kwargs: {
        "profile": {"age_group": "adult", "form": "labour"},
        "observations": [
            {"indicator": "DR-01", "source": "said_by_person", "stage": "detention_intake"}
        ],
    },
}
# Operations that answer personal data, with the read event their accessor writes (about the
# object the path names), and list operations with their list event.
API_PERSONAL_DATA_READS = {
    "api:v1:referral_detail": "referral.viewed",
    "api:v1:person_detail": "person.viewed",
    "api:v1:hold_detail": "hold.viewed",
    "api:v1:screening_detail": "screening.viewed",
    "api:v1:operation_detail": "operation.viewed",
    "api:v1:recommendation_detail": "recommendation.viewed",
    "api:v1:case_return_decisions": "aftercare.viewed",
}
API_LIST_READS = {
    "api:v1:referral_list": "referrals.listed",
    "api:v1:person_list": "persons.listed",
    "api:v1:hold_list": "holds.listed",
    "api:v1:screening_list": "screenings.listed",
    "api:v1:operation_list": "operations.listed",
    "api:v1:mission_list": "missions.listed",
    "api:v1:recommendation_list": "recommendations.listed",
}
# The schema, its docs page and the API's root: no data, no token needed.
API_PUBLIC = {"api:v1:openapi-json", "api:v1:openapi-view", "api:v1:api-root"}


# --- data retention (atpazit/retention) ----------------------------------------------------------


def _legal_hold(user: User) -> dict[str, Any]:
    """A legal hold in force on a case (legal holds are system-wide: any case will do)."""
    from atpazit.cases.tests.factories import PersonFactory
    from atpazit.retention.models import LegalHold

    return {"pk": LegalHold.objects.create(person=PersonFactory(), reason="court").pk}


URL_SAMPLES["retention:legal_hold_lift"] = _legal_hold
NO_PERSONAL_DATA["retention:legal_hold_lift"] = (
    "the case number, the reason code and when it was placed"
)
