"""Release needs the people who decide (issue 8, item 2; I1; docs/decisions/0008).

A withdrawn, expired or declined track is not an outcome of identification. One case officer
releases a suspicion's hold only on a recorded negative outcome of the provider's commission or
the police. Where no such decision exists — every track ended without one, or an adult refused
referral — one case officer proposes, a second one of the same unit approves, and the Ombudsman
is told in the same transaction. A proposal goes stale when the case changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of, member
from atpazit.audit.models import AuditEvent
from atpazit.cases.holds import RemovalBlocked
from atpazit.escalations.models import Escalation
from atpazit.notifications.models import Notification
from atpazit.referrals import services
from atpazit.referrals.models import HoldReleaseProposal
from atpazit.referrals.tests.factories import (
    AssessingReferralFactory,
    ConsentGivenFactory,
    ConsentRefusedFactory,
    DeclinedReferralFactory,
    PoliceDeclinedReferralFactory,
    PoliceReferralFactory,
    ReferralFactory,
    ReturnRiskAssessmentFactory,
    suspicion_in,
)
from atpazit.removals import services as removal_services
from atpazit.removals.tests.factories import PlannedOperationFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
Proposal = HoldReleaseProposal.Status
REASONS = {
    "reason": "Abi novirzījumi atsaukti; risks pirms atgriešanas novērtēts kā zems.",
    "decision_reference": "RP-2026/412",
}


def withdraw(user, referral):
    return services.transition_referral(
        actor=actor_of(user),
        referral=referral,
        to_status="withdrawn",
        reason="Atsaucu: persona drīz tiks izraidīta.",
    )


def propose(user, suspicion, **overrides):
    return services.propose_hold_release(
        actor=actor_of(user), suspicion=suspicion, **(REASONS | overrides)
    )


def approve(user, proposal, **kwargs):
    return services.approve_hold_release(actor=actor_of(user), proposal=proposal, **kwargs)


def is_held(suspicion) -> bool:
    suspicion.hold.refresh_from_db()
    return suspicion.hold.is_active


@pytest.fixture
def withdrawn(riga, ilze, janis, marta, police):
    """Both tracks under assessment, then withdrawn by the unit; a risk assessment documented."""
    suspicion = suspicion_in(riga, raised_by=janis)
    provider = AssessingReferralFactory(suspicion=suspicion, to_organisation=marta)
    police_track = PoliceReferralFactory(
        suspicion=suspicion, to_organisation=police, status="assessing"
    )
    withdraw(ilze, provider)
    withdraw(ilze, police_track)
    ReturnRiskAssessmentFactory(suspicion=suspicion, assessed_by=ilze)
    return suspicion


class TestOneOfficerCannotLiftAHoldDuringIdentification:
    """Reproduction 2 of issue 8: withdraw both tracks under assessment, release the hold
    "not identified", remove the person. Accepted before; refused now."""

    def test_withdrawing_both_tracks_is_no_outcome_and_no_release(
        self, ilze, riga, withdrawn, ombudsman
    ):
        status = services.identification_status(withdrawn)
        assert status.code == services.IdentificationStatus.NO_OUTCOME

        with pytest.raises(services.ServiceError) as refused:
            services.decide_hold_release(actor=actor_of(ilze), suspicion=withdrawn, **REASONS)

        assert "a second case officer of the unit approves it" in str(refused.value)
        assert is_held(withdrawn)
        operation = PlannedOperationFactory(organisation=riga)
        with pytest.raises(RemovalBlocked):
            removal_services.add_to_manifest(
                actor=actor_of(ilze), operation=operation, person=withdrawn.person
            )

    def test_an_expired_track_is_no_outcome_either(self, ilze, riga):
        suspicion = suspicion_in(riga)
        ReferralFactory(suspicion=suspicion, status="expired")
        PoliceDeclinedReferralFactory(suspicion=suspicion)  # the police said "not recognised"
        ReturnRiskAssessmentFactory(suspicion=suspicion, assessed_by=ilze)
        assessment = services.hold_release_assessment(suspicion)
        assert (assessment.basis, assessment.needs_four_eyes) == (
            services.ReleaseBasis.TRACKS_WITHOUT_OUTCOME,
            True,
        )
        with pytest.raises(services.ServiceError):
            services.decide_hold_release(actor=actor_of(ilze), suspicion=suspicion, **REASONS)

    def test_a_recorded_negative_outcome_is_still_one_officer_s_decision(self, ilze, riga):
        suspicion = suspicion_in(riga)
        DeclinedReferralFactory(suspicion=suspicion)  # the provider would not take it
        PoliceDeclinedReferralFactory(suspicion=suspicion)  # the police decided
        assert (
            services.hold_release_assessment(suspicion).basis
            == services.ReleaseBasis.NEGATIVE_OUTCOME
        )
        services.decide_hold_release(actor=actor_of(ilze), suspicion=suspicion, **REASONS)
        assert not is_held(suspicion)

    def test_a_child_s_hold_ends_only_on_an_outcome(self, ilze, kristaps, riga):
        suspicion = suspicion_in(riga, child_path=True)
        ReferralFactory(suspicion=suspicion, status="withdrawn")
        ReturnRiskAssessmentFactory(suspicion=suspicion, assessed_by=ilze)
        assessment = services.hold_release_assessment(suspicion)
        assert assessment.basis is None
        assert "A child's hold ends only on a decision" in assessment.blockers[0]
        with pytest.raises(services.ServiceError):
            propose(ilze, suspicion)

    def test_without_a_risk_assessment_after_the_tracks_ended_no_proposal(self, ilze, riga):
        suspicion = suspicion_in(riga)
        ReferralFactory(suspicion=suspicion, status="withdrawn")
        ReturnRiskAssessmentFactory(  # documented before the tracks ended
            suspicion=suspicion, assessed_by=ilze, assessed_on=TODAY() - dt.timedelta(days=3)
        )
        with pytest.raises(services.ServiceError) as refused:
            propose(ilze, suspicion)
        assert "pre-return risk assessment" in str(refused.value)

    def test_closing_as_not_a_victim_needs_a_decision(self, ilze, withdrawn):
        with pytest.raises(services.InvalidInput) as refused:
            services.close_suspicion(
                actor=actor_of(ilze), suspicion=withdrawn, reason="not_a_victim"
            )
        assert "reason" in refused.value.errors


class TestFourEyes:
    def test_a_second_case_officer_approves_and_the_ombudsman_is_told(
        self, ilze, kristaps, dace, withdrawn
    ):
        proposal = propose(ilze, withdrawn)
        assert is_held(withdrawn)
        assert Notification.objects.filter(kind="hold.release_proposed", recipient=kristaps)

        approved = approve(kristaps, proposal)

        assert approved.status == Proposal.APPROVED
        assert not is_held(withdrawn)
        hold = withdrawn.hold
        assert (hold.released_by, hold.release_decision_reference) == (kristaps, "RP-2026/412")
        escalation = Escalation.objects.get(kind=Escalation.Kind.HOLD_RELEASED)
        assert escalation.summary_code == "hold.released_four_eyes"
        assert Notification.objects.filter(kind="hold.released_four_eyes", recipient=dace).exists()
        withdrawn.refresh_from_db()
        assert withdrawn.rescreen_required_since is not None
        actions = list(
            AuditEvent.objects.filter(action__startswith="hold_release.")
            .order_by("sequence")
            .values_list("action", flat=True)
        )
        assert actions == ["hold_release.proposed", "hold_release.approved"]
        decided = AuditEvent.objects.get(action="suspicion.hold_release_decided")
        assert decided.details["basis"] == services.ReleaseBasis.TRACKS_WITHOUT_OUTCOME
        assert decided.details["proposal"] == proposal.pk

    def test_the_proposer_can_never_approve_their_own_proposal(self, ilze, withdrawn):
        proposal = propose(ilze, withdrawn)
        with pytest.raises(services.NotAllowed):
            approve(ilze, proposal)
        assert is_held(withdrawn)
        proposal.refresh_from_db()
        assert proposal.status == Proposal.PENDING
        refused = AuditEvent.objects.get(action="hold_release.approve_refused")
        assert (refused.outcome, refused.details["reason"]) == (
            AuditEvent.Outcome.DENIED,
            "not_allowed",
        )

    def test_only_a_case_officer_of_the_person_s_unit_approves(
        self, ilze, janis, gunars, dace, withdrawn
    ):
        proposal = propose(ilze, withdrawn)
        for user in (janis, gunars, dace):
            with pytest.raises(services.NotAllowed):
                approve(user, proposal)
        assert is_held(withdrawn)

    def test_an_officer_cannot_propose_where_one_person_decides(self, ilze, riga):
        suspicion = suspicion_in(riga)
        DeclinedReferralFactory(suspicion=suspicion)
        PoliceDeclinedReferralFactory(suspicion=suspicion)
        with pytest.raises(services.ServiceError) as refused:
            propose(ilze, suspicion)
        assert "no proposal is needed" in str(refused.value)

    def test_reasons_and_a_reference_are_required(self, ilze, withdrawn):
        with pytest.raises(services.InvalidInput) as refused:
            propose(ilze, withdrawn, reason=" ", decision_reference="")
        assert set(refused.value.errors) == {"reason", "decision_reference"}
        assert not HoldReleaseProposal.objects.exists()

    def test_a_second_officer_declines_and_the_hold_stays(self, ilze, kristaps, withdrawn):
        proposal = propose(ilze, withdrawn)
        with pytest.raises(services.InvalidInput):
            services.decline_hold_release(actor=actor_of(kristaps), proposal=proposal, note="")
        services.decline_hold_release(
            actor=actor_of(kristaps), proposal=proposal, note="Vispirms jāsūta jauns novirzījums."
        )
        proposal.refresh_from_db()
        assert (proposal.status, proposal.decided_by) == (Proposal.DECLINED, kristaps)
        assert is_held(withdrawn)
        with pytest.raises(services.ServiceError):
            approve(kristaps, proposal)

    def test_the_proposer_may_withdraw(self, ilze, withdrawn):
        proposal = propose(ilze, withdrawn)
        services.decline_hold_release(actor=actor_of(ilze), proposal=proposal, note="Kļūda.")
        proposal.refresh_from_db()
        assert proposal.status == Proposal.WITHDRAWN
        assert AuditEvent.objects.filter(action="hold_release.withdrawn").exists()

    def test_only_one_proposal_waits(self, ilze, kristaps, withdrawn):
        propose(ilze, withdrawn)
        with pytest.raises(services.ServiceError) as refused:
            propose(kristaps, withdrawn)
        assert "already waiting" in str(refused.value)

    def test_the_database_refuses_two_waiting_proposals(self, ilze, kristaps, withdrawn):
        proposal = propose(ilze, withdrawn)
        with pytest.raises(IntegrityError), transaction.atomic():
            HoldReleaseProposal.objects.create(
                suspicion=withdrawn,
                hold=withdrawn.hold,
                basis=proposal.basis,
                reason="x",
                decision_reference="y",
                case_state=proposal.case_state,
                proposed_by=kristaps,
            )

    def test_an_adult_who_refused_referral_needs_four_eyes_too(self, ilze, kristaps, riga):
        suspicion = suspicion_in(riga)
        suspicion.person.nationality = "RO"  # an EU national: no reflection sheet
        suspicion.person.save()
        ConsentRefusedFactory(suspicion=suspicion)
        ReturnRiskAssessmentFactory(suspicion=suspicion, assessed_by=ilze)
        assert services.hold_release_assessment(suspicion).needs_four_eyes
        with pytest.raises(services.ServiceError):
            services.decide_hold_release(actor=actor_of(ilze), suspicion=suspicion, **REASONS)
        approve(kristaps, propose(ilze, suspicion))
        assert not is_held(suspicion)


class TestRaces:
    def test_two_approvals_release_once(self, ilze, kristaps, riga, withdrawn):
        third = member("bg_case_officer", riga, language="en")
        proposal = propose(ilze, withdrawn)
        seen_by_kristaps = HoldReleaseProposal.objects.get(pk=proposal.pk)
        seen_by_third = HoldReleaseProposal.objects.get(pk=proposal.pk)
        approve(kristaps, seen_by_kristaps, version=seen_by_kristaps.version)
        with pytest.raises(services.ServiceError) as refused:
            approve(third, seen_by_third, version=seen_by_third.version)
        assert "no longer waiting" in str(refused.value)
        assert Escalation.objects.filter(summary_code="hold.released_four_eyes").count() == 1
        assert AuditEvent.objects.filter(action="hold.released").count() == 1

    def test_an_approval_after_a_new_referral_releases_nothing(
        self, ilze, kristaps, janis, withdrawn, drosa_maja
    ):
        proposal = propose(ilze, withdrawn)
        ConsentGivenFactory(suspicion=withdrawn, scope="provider")
        services.send_referrals(actor=actor_of(janis), suspicion=withdrawn, provider=drosa_maja)

        with pytest.raises(services.ServiceError):
            approve(kristaps, proposal)

        assert is_held(withdrawn)
        proposal.refresh_from_db()
        assert proposal.status == Proposal.STALE

    def test_a_screening_after_the_proposal_makes_it_stale(self, ilze, kristaps, withdrawn):
        from atpazit.screening.tests.factories import DecidedSessionFactory

        proposal = propose(ilze, withdrawn)
        DecidedSessionFactory(person=withdrawn.person)

        with pytest.raises(services.ProposalStale):
            approve(kristaps, proposal)

        assert is_held(withdrawn)
        proposal.refresh_from_db()
        assert proposal.status == Proposal.STALE
        assert AuditEvent.objects.filter(action="hold_release.stale").exists()
        # It may be proposed again on the case as it is now, and approved.
        approve(kristaps, propose(ilze, withdrawn))
        assert not is_held(withdrawn)

    def test_a_stale_waiting_proposal_gives_way_to_a_new_one(self, ilze, kristaps, withdrawn):
        first = propose(ilze, withdrawn)
        ReturnRiskAssessmentFactory(suspicion=withdrawn, assessed_by=ilze)  # the case changed
        assert services.is_stale(first)
        second = propose(kristaps, withdrawn)
        first.refresh_from_db()
        assert (first.status, second.status) == (Proposal.STALE, Proposal.PENDING)
