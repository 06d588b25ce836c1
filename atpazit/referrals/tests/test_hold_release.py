"""A suspicion's hold ends only by a recorded decision with reasons, when the release rule says
so (I1): never with an open track or during a reflection period; a recognised person's hold stays
until a residence or return decision; an adult who refused needs their rights explained in their
language, a pre-return risk assessment and a second case officer (four eyes, see
test_four_eyes_release.py). A release prompts a fresh screening."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of
from atpazit.aftercare.models import ResidencePermit, ReturnDecision
from atpazit.audit.models import AuditEvent
from atpazit.cases import services as cases_services
from atpazit.cases.tests.factories import PersonFactory
from atpazit.escalations.models import Escalation
from atpazit.notifications.models import Notification
from atpazit.referrals import services
from atpazit.referrals.tests.factories import (
    ChildSuspicionFactory,
    ConsentRefusedFactory,
    DeclinedReferralFactory,
    PoliceDeclinedReferralFactory,
    RecognisedReferralFactory,
    ReferralFactory,
    ReturnRiskAssessmentFactory,
    suspicion_in,
)
from atpazit.reflection.models import InformationSheet, ReflectionPeriod
from atpazit.removals import services as removal_services
from atpazit.removals.tests.factories import PlannedOperationFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def release(user, suspicion, **overrides):
    values = {
        "reason": "Abi ceļi beidzās negatīvi; risks novērtēts kā zems.",
        "decision_reference": "RP-2026/301",
    }
    return services.decide_hold_release(
        actor=actor_of(user), suspicion=suspicion, **(values | overrides)
    )


@pytest.fixture
def negative(riga, janis):
    """Both tracks ended negatively: the provider declined, the police refused proceedings."""
    suspicion = suspicion_in(riga, raised_by=janis)
    DeclinedReferralFactory(suspicion=suspicion)
    PoliceDeclinedReferralFactory(suspicion=suspicion)
    return suspicion


class TestNegativeOutcome:
    def test_the_case_officer_releases_it_by_a_recorded_decision(self, ilze, negative):
        release(ilze, negative)
        hold = negative.hold
        hold.refresh_from_db()
        assert (hold.is_active, hold.released_by, hold.release_decision_reference) == (
            False,
            ilze,
            "RP-2026/301",
        )
        assert Escalation.objects.filter(kind=Escalation.Kind.HOLD_RELEASED).exists()
        event = AuditEvent.objects.get(action="suspicion.hold_release_decided")
        assert event.details["basis"] == services.ReleaseBasis.NEGATIVE_OUTCOME

    def test_the_release_prompts_a_fresh_screening_before_any_removal(
        self, ilze, janis, negative, client_for
    ):
        release(ilze, negative)
        negative.refresh_from_db()
        assert negative.rescreen_required_since is not None
        assert Notification.objects.filter(kind="hold.rescreen_required", recipient=janis).exists()
        page = (
            client_for(janis)
            .get(reverse("cases:person_detail", args=[negative.person_id]))
            .content.decode()
        )
        assert "Re-screen before removal" in page

    def test_the_marker_stands_until_the_person_is_screened_again(self, ilze, negative):
        from atpazit.referrals.selectors import rescreen_marker
        from atpazit.screening.tests.factories import DecidedSessionFactory

        release(ilze, negative)
        assert rescreen_marker(negative.person_id) == negative
        DecidedSessionFactory(
            person=negative.person, completed_at=timezone.now() + dt.timedelta(minutes=1)
        )
        assert rescreen_marker(negative.person_id) is None

    def test_removal_may_then_be_rescheduled_after_a_fresh_screening(self, ilze, negative):
        from atpazit.screening.tests.factories import DecidedSessionFactory

        release(ilze, negative)
        DecidedSessionFactory(
            person=negative.person, completed_at=timezone.now() + dt.timedelta(minutes=1)
        )
        operation = PlannedOperationFactory(organisation=negative.person.organisation)
        assert removal_services.add_to_manifest(
            actor=actor_of(ilze), operation=operation, person=negative.person
        )

    def test_reasons_and_a_reference_are_required(self, ilze, negative):
        with pytest.raises(services.InvalidInput) as refused:
            release(ilze, negative, reason=" ", decision_reference="")
        assert set(refused.value.errors) == {"reason", "decision_reference"}
        negative.hold.refresh_from_db()
        assert negative.hold.is_active

    def test_only_the_unit_s_case_officer_decides(self, janis, gunars, dace, negative):
        for user in (janis, gunars, dace):
            with pytest.raises(services.NotAllowed):
                release(user, negative)


class TestNeverWhileOpen:
    def test_an_open_track_keeps_the_hold(self, riga, ilze):
        suspicion = suspicion_in(riga)
        DeclinedReferralFactory(suspicion=suspicion)
        ReferralFactory(suspicion=suspicion, track="police", status="accepted")
        with pytest.raises(services.ServiceError) as refused:
            release(ilze, suspicion)
        assert "still open" in str(refused.value)
        suspicion.hold.refresh_from_db()
        assert suspicion.hold.is_active

    def test_a_running_reflection_period_keeps_the_hold(self, ilze, negative):
        ReflectionPeriod.objects.create(
            suspicion=negative,
            start_event="recognition",
            granted_on=TODAY() - dt.timedelta(days=3),
            starts_on=TODAY() - dt.timedelta(days=3),
            ends_on=TODAY() + dt.timedelta(days=27),
            recorded_by=ilze,
        )
        assert any(
            "reflection period" in reason for reason in services.release_blockers_for(negative)
        )
        with pytest.raises(services.ServiceError):
            release(ilze, negative)

    def test_the_generic_hold_page_cannot_release_a_suspicion_s_hold(self, ilze, negative):
        with pytest.raises(cases_services.ServiceError) as refused:
            cases_services.release_hold(
                actor=actor_of(ilze), hold=negative.hold, reason="x", decision_reference="y"
            )
        assert "suspicion" in str(refused.value)
        negative.hold.refresh_from_db()
        assert negative.hold.is_active

    def test_a_child_without_referrals_stays_held(self, ilze, riga):
        suspicion = ChildSuspicionFactory(
            person=PersonFactory(organisation=riga, birth_year=TODAY().year - 15)
        )
        assert services.hold_release_assessment(suspicion).basis is None
        with pytest.raises(services.ServiceError):
            release(ilze, suspicion)


class TestRecognised:
    def test_the_hold_stays_until_a_residence_or_return_decision(self, riga, ilze):
        suspicion = suspicion_in(riga)
        RecognisedReferralFactory(suspicion=suspicion)
        with pytest.raises(services.ServiceError) as refused:
            release(ilze, suspicion)
        assert "recognised as a victim" in str(refused.value)
        ResidencePermit.objects.create(
            suspicion=suspicion, status="refused", status_on=TODAY(), recorded_by=ilze
        )
        assert services.hold_release_assessment(suspicion).basis is None
        ReturnDecision.objects.create(
            suspicion=suspicion,
            kind="voluntary_return",
            decided_on=TODAY(),
            reference="IOM-7",
            recorded_by=ilze,
        )
        assert (
            services.hold_release_assessment(suspicion).basis
            == services.ReleaseBasis.RESIDENCE_OR_RETURN
        )

    def test_a_granted_residence_permit_ends_it(self, riga, ilze):
        suspicion = suspicion_in(riga)
        RecognisedReferralFactory(suspicion=suspicion)
        ResidencePermit.objects.create(
            suspicion=suspicion, status="granted", status_on=TODAY(), recorded_by=ilze
        )
        assert (
            services.hold_release_assessment(suspicion).basis
            == services.ReleaseBasis.RESIDENCE_OR_RETURN
        )

        release(ilze, suspicion)

        suspicion.hold.refresh_from_db()
        assert not suspicion.hold.is_active
        assert suspicion.hold.release_decision_reference == "RP-2026/301"


class TestAdultWhoRefused:
    @pytest.fixture
    def refused(self, riga, janis):
        suspicion = suspicion_in(riga, raised_by=janis)  # an Uzbek national: non-EU
        ConsentRefusedFactory(
            suspicion=suspicion, language="ru", explained_on=TODAY() - dt.timedelta(days=2)
        )
        return suspicion

    def hand_over_sheet(self, suspicion, user):
        InformationSheet.objects.create(
            suspicion=suspicion,
            person_language="ru",
            officer_language="lv",
            generated_by=user,
            document_sha256="0" * 64,
            handed_over_on=TODAY(),
            handed_over_by=user,
        )

    def test_it_needs_the_information_sheet_a_risk_assessment_and_four_eyes(
        self, ilze, kristaps, refused
    ):
        blockers = services.hold_release_assessment(refused).blockers
        assert len(blockers) == 2
        self.hand_over_sheet(refused, ilze)
        ReturnRiskAssessmentFactory(suspicion=refused, assessed_by=ilze)
        assert (
            services.hold_release_assessment(refused).basis == services.ReleaseBasis.ADULT_REFUSED
        )
        # Nobody who decides on identification decided: not one officer's decision (I1).
        with pytest.raises(services.ServiceError):
            release(ilze, refused)
        proposal = services.propose_hold_release(
            actor=actor_of(ilze),
            suspicion=refused,
            reason="Atteicās; risks zems.",
            decision_reference="RP-2026/302",
        )
        services.approve_hold_release(actor=actor_of(kristaps), proposal=proposal)
        refused.hold.refresh_from_db()
        assert not refused.hold.is_active

    def test_a_risk_assessment_made_before_the_refusal_does_not_count(self, ilze, refused):
        self.hand_over_sheet(refused, ilze)
        ReturnRiskAssessmentFactory(
            suspicion=refused, assessed_by=ilze, assessed_on=TODAY() - dt.timedelta(days=5)
        )
        assert services.hold_release_assessment(refused).basis is None

    def test_rights_explained_in_a_language_the_person_does_not_speak_do_not_count(
        self, ilze, riga
    ):
        suspicion = suspicion_in(riga)
        ConsentRefusedFactory(suspicion=suspicion, language="de")
        self.hand_over_sheet(suspicion, ilze)
        ReturnRiskAssessmentFactory(suspicion=suspicion, assessed_by=ilze)
        blockers = services.hold_release_assessment(suspicion).blockers
        assert blockers == (
            "The person's rights were not explained in a language they understand.",
        )

    def test_an_eu_national_needs_no_reflection_sheet(self, ilze, riga):
        suspicion = suspicion_in(riga)
        suspicion.person.nationality = "RO"
        suspicion.person.save()
        ConsentRefusedFactory(suspicion=suspicion)
        ReturnRiskAssessmentFactory(suspicion=suspicion, assessed_by=ilze)
        assert (
            services.hold_release_assessment(suspicion).basis == services.ReleaseBasis.ADULT_REFUSED
        )

    def test_without_a_decision_on_referral_the_hold_stays(self, ilze, riga):
        suspicion = suspicion_in(riga)
        assert services.hold_release_assessment(suspicion).blockers


class TestRiskAssessmentAndClosure:
    def test_the_unit_documents_the_risk_assessment(self, ilze, riga):
        suspicion = suspicion_in(riga)
        record = services.record_return_risk_assessment(
            actor=actor_of(ilze),
            suspicion=suspicion,
            rights_explained_in="ru",
            risk_of_retrafficking="high",
            who_meets_at_handover="Nav zināms",
            assessment="Parāds vervētājam.",
            assessed_on=TODAY(),
        )
        assert record.risk_of_retrafficking == "high"
        with pytest.raises(services.InvalidInput) as refused:
            services.record_return_risk_assessment(
                actor=actor_of(ilze),
                suspicion=suspicion,
                rights_explained_in="",
                risk_of_retrafficking="none",
                who_meets_at_handover="",
                assessment="",
                assessed_on=None,
            )
        assert set(refused.value.errors) == {
            "rights_explained_in",
            "risk_of_retrafficking",
            "who_meets_at_handover",
            "assessment",
            "assessed_on",
        }

    def test_closing_needs_ended_tracks_and_a_fitting_reason(self, ilze, riga, negative):
        open_one = suspicion_in(riga)
        ReferralFactory(suspicion=open_one)
        with pytest.raises(services.ServiceError):
            services.close_suspicion(
                actor=actor_of(ilze), suspicion=open_one, reason="not_a_victim"
            )
        with pytest.raises(services.InvalidInput):
            services.close_suspicion(
                actor=actor_of(ilze), suspicion=negative, reason="residence_granted"
            )
        closed = services.close_suspicion(
            actor=actor_of(ilze), suspicion=negative, reason="not_a_victim_labour"
        )
        assert closed.closed_by == ilze
        event = AuditEvent.objects.get(action="suspicion.closed")
        assert event.details == {"reason": "not_a_victim_labour", "htcds_status": "Closed"}
        negative.hold.refresh_from_db()
        assert negative.hold.is_active  # closing never releases the hold
