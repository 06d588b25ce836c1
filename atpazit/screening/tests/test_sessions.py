"""Screening sessions through the services: start, record observations, decide (I2, I4, I7, I8)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import AuditEvent
from atpazit.cases.models import Hold
from atpazit.cases.tests.factories import (
    AgeDisputedPersonFactory,
    ChildPersonFactory,
    PersonFactory,
)
from atpazit.lib.errors import ServiceError
from atpazit.referrals.models import Suspicion
from atpazit.screening import services
from atpazit.screening.models import Decision, ScreeningObservation, ScreeningSession
from atpazit.screening.services import ObservationInput, ProfileInput, SessionSetup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_catalogue", "english")]

SETUP = SessionSetup(
    stage="detention_intake",
    interview_language="uz",
    prompt_language="ru",
    officer_language="lv",
    interpreter_used=True,
    interpreter_name="Rustam Aliev",
)
LABOUR = ProfileInput(exploitation_form="labour")


def start(user, person, setup: SessionSetup = SETUP) -> ScreeningSession:
    return services.start_session(actor=actor_of(user), person=person, setup=setup)


def observe(
    user, session: ScreeningSession, *codes: str, source: str = "said_by_person", version: int = 1
) -> ScreeningSession:
    """``user`` records ``codes`` on ``session`` (labour profile) as the interview form saves them;
    a session just started is at version 1."""
    return services.set_observations(
        actor=actor_of(user),
        session=session,
        observations=ticks(*codes, source=source),
        profile=LABOUR,
        version=version,
    )


def ticks(*codes: str, source: str = "said_by_person") -> list[ObservationInput]:
    return [ObservationInput(code, source) for code in codes]


class TestStartSession:
    def test_it_stores_who_when_where_the_languages_and_the_first_assessment(
        self, janis, riga, detainee
    ):
        session = start(janis, detainee)

        session.refresh_from_db()
        assert (session.screener, session.organisation, session.person) == (janis, riga, detainee)
        assert (session.stage, session.interview_language) == ("detention_intake", "uz")
        assert (session.prompt_language, session.officer_language) == ("ru", "lv")
        assert session.interpreter_used
        assert session.interpreter_name == "Rustam Aliev"
        assert session.catalogue_version == "2026.1"
        assert session.recommendation == "no_action"
        assert session.assessment["fired_rules"] == ["R6"]
        assert session.is_open
        assert session.decision == ""

    def test_the_interpreter_name_is_encrypted_in_the_database(self, janis, detainee):
        from django.db import connection

        session = start(janis, detainee)

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT interpreter_name FROM screening_screeningsession WHERE id = %s",
                [session.pk],
            )
            stored = cursor.fetchone()[0]
        assert "Rustam" not in stored

    def test_it_is_audited_with_codes_only(self, janis, detainee):
        session = start(janis, detainee)

        event = AuditEvent.objects.get(action="screening.started")
        assert event.object_id == str(session.pk)
        assert event.details == {
            "person": detainee.pk,
            "stage": "detention_intake",
            "catalogue": "2026.1",
        }
        assert "Rustam" not in str(event.details)

    def test_a_monitor_may_screen_any_person(self, dace, ombudsman, detainee):
        session = start(dace, detainee)

        assert session.organisation == ombudsman

    def test_it_refuses_a_person_of_another_unit(self, gunars, detainee):
        with pytest.raises(services.NotAllowed):
            start(gunars, detainee)
        assert not ScreeningSession.objects.exists()

    def test_it_refuses_a_role_without_screening(self, liga, detainee):
        with pytest.raises(services.NotAllowed):
            start(liga, detainee)

    def test_it_names_each_bad_field(self, janis, detainee):
        bad = SessionSetup(
            stage="on_the_moon",
            interview_language="xx",
            prompt_language="uz",
            officer_language="de",
            interpreter_name="Someone",
        )

        with pytest.raises(services.InvalidInput) as caught:
            start(janis, detainee, bad)

        assert set(caught.value.errors) == {
            "stage",
            "interview_language",
            "prompt_language",
            "officer_language",
            "interpreter_used",
        }
        assert not ScreeningSession.objects.exists()

    def test_a_child_is_screened_with_the_child_profile_and_says_why(self, janis, riga):
        child = ChildPersonFactory(organisation=riga)

        session = start(janis, child)

        assert session.assessment["profile"]["age_group"] == "child"
        assert session.assessment["reasons"][0]["code"] == "child.age"

    def test_a_disputed_age_is_a_child_profile(self, janis, riga):
        person = AgeDisputedPersonFactory(organisation=riga)

        session = start(janis, person)

        assert session.assessment["profile"]["age_group"] == "child"
        assert session.age_disputed is True

    def test_the_screener_may_treat_an_adult_as_a_child(self, janis, detainee):
        setup = SessionSetup(
            stage="detention_intake",
            interview_language="uz",
            prompt_language="ru",
            officer_language="lv",
            treat_as_child=True,
        )

        session = start(janis, detainee, setup)

        assert session.age_group == "child"
        assert session.assessment["profile"]["age_group"] == "child"


class TestPersonFacts:
    def test_the_youngest_age_any_evidence_allows_is_used(self, riga):
        today = datetime.date(2026, 6, 1)
        person = PersonFactory(organisation=riga, birth_year=2008, stated_age=19)

        facts = services.person_facts(person, today=today)

        assert facts.age == 17  # born in 2008: may still be 17 until the end of 2026

    def test_a_date_of_birth_gives_the_exact_age(self, riga):
        person = PersonFactory(organisation=riga, birth_year=None, date_of_birth="1990-07-01")

        facts = services.person_facts(person, today=datetime.date(2026, 6, 30))

        assert facts.age == 35

    def test_no_evidence_means_an_unknown_age(self, riga):
        person = PersonFactory(organisation=riga, birth_year=None)

        assert services.person_facts(person, today=timezone.localdate()).age is None


class TestSetObservations:
    def test_it_records_the_ticks_and_recomputes_the_assessment(self, janis, detainee):
        session = start(janis, detainee)

        saved = services.set_observations(
            actor=actor_of(janis),
            session=session,
            observations=[
                ObservationInput("DR-01", "said_by_person", "Solīja darbu noliktavā."),
                ObservationInput("EX-01", "observed"),
            ],
            profile=LABOUR,
            version=session.version,
        )

        assert saved.recommendation == "refer_for_identification"
        assert saved.assessment["fired_rules"] == ["R2"]
        assert saved.version == 2
        rows = {o.indicator: o for o in ScreeningObservation.objects.filter(session=session)}
        assert set(rows) == {"DR-01", "EX-01"}
        assert rows["DR-01"].note == "Solīja darbu noliktavā."
        assert rows["EX-01"].source == "observed"
        assert rows["EX-01"].stage == "detention_intake"

    def test_saving_again_replaces_the_ticks(self, janis, detainee):
        session = start(janis, detainee)
        actor = actor_of(janis)
        first = services.set_observations(
            actor=actor, session=session, observations=ticks("DR-01"), profile=LABOUR, version=1
        )

        second = services.set_observations(
            actor=actor, session=first, observations=ticks("EX-01"), profile=LABOUR, version=2
        )

        assert list(second.observations.values_list("indicator", flat=True)) == ["EX-01"]
        assert second.recommendation == "labour_inspectorate_and_rescreen"

    def test_it_refuses_a_code_the_session_catalogue_does_not_have(self, janis, detainee):
        session = start(janis, detainee)

        with pytest.raises(services.InvalidInput) as caught:
            observe(janis, session, "DR-01", "ZZ-99")

        assert list(caught.value.errors) == ["ZZ-99"]
        assert "2026.1" in caught.value.errors["ZZ-99"][0]
        assert not ScreeningObservation.objects.exists()
        session.refresh_from_db()
        assert session.version == 1

    def test_it_refuses_an_unknown_source(self, janis, detainee):
        session = start(janis, detainee)

        with pytest.raises(services.InvalidInput) as caught:
            observe(janis, session, "DR-01", source="rumour")

        assert "DR-01" in caught.value.errors

    def test_a_stale_form_is_refused_and_nothing_is_saved(self, janis, detainee):
        session = start(janis, detainee)
        actor = actor_of(janis)
        services.set_observations(
            actor=actor, session=session, observations=ticks("EX-01"), profile=LABOUR, version=1
        )

        with pytest.raises(services.ConcurrentEdit):
            services.set_observations(
                actor=actor, session=session, observations=ticks("DR-01"), profile=LABOUR, version=1
            )

        assert list(session.observations.values_list("indicator", flat=True)) == ["EX-01"]

    def test_only_the_screener_may_change_the_session(self, janis, ilze, detainee):
        session = start(janis, detainee)

        with pytest.raises(services.NotAllowed):
            observe(ilze, session, "DR-01")

    def test_a_child_gets_the_child_protection_referral_for_any_indicator(self, janis, riga):
        child = ChildPersonFactory(organisation=riga)
        session = start(janis, child)

        saved = observe(janis, session, "RC-01")

        assert saved.recommendation == "child_protection_referral"

    def test_an_age_recorded_as_disputed_meanwhile_makes_it_a_child_profile(self, janis, detainee):
        session = start(janis, detainee)
        detainee.age_disputed = True
        detainee.save()

        saved = observe(janis, session, "EX-01")

        assert saved.recommendation == "child_protection_referral"
        assert saved.age_disputed is True

    def test_it_is_audited_with_indicator_codes_and_never_the_notes(self, janis, detainee):
        session = start(janis, detainee)

        services.set_observations(
            actor=actor_of(janis),
            session=session,
            observations=[ObservationInput("CD-01", "observed", "Pasi paturēja brigadieris.")],
            profile=LABOUR,
            version=1,
        )

        event = AuditEvent.objects.get(action="screening.observations_recorded")
        assert event.details["indicators"] == ["CD-01"]
        assert event.details["recommendation"] == "refer_for_identification"
        assert "brigadieris" not in str(event.details)


class TestRecordDecision:
    def decide(self, user, session, decision="no_action", reason="Nav pazīmju."):
        return services.record_decision(
            actor=actor_of(user),
            session=session,
            decision=decision,
            reason=reason,
            version=session.version,
        )

    def test_it_names_the_person_the_reason_and_the_time_and_closes_the_session(
        self, janis, detainee
    ):
        session = start(janis, detainee)

        decided = self.decide(janis, session, "rescreen_next_stage", "Runāja pavadonis.")

        decided.refresh_from_db()
        assert decided.decision == "rescreen_next_stage"
        assert decided.decision_reason == "Runāja pavadonis."
        assert decided.decided_by == janis
        assert decided.completed_at is not None
        assert not decided.is_open

    def test_a_reason_is_required(self, janis, detainee):
        session = start(janis, detainee)

        with pytest.raises(services.InvalidInput) as caught:
            self.decide(janis, session, reason="   ")

        assert list(caught.value.errors) == ["reason"]
        session.refresh_from_db()
        assert session.is_open

    def test_an_unknown_decision_is_refused(self, janis, detainee):
        session = start(janis, detainee)

        with pytest.raises(services.InvalidInput) as caught:
            self.decide(janis, session, decision="deport_anyway")

        assert "decision" in caught.value.errors

    def test_the_screener_may_decide_against_the_advice_and_the_audit_says_so(
        self, janis, detainee
    ):
        session = start(janis, detainee)
        saved = observe(janis, session, "DR-01")

        self.decide(janis, saved, "labour_inspectorate", "Darba strīds; pazīmes nav apstiprinātas.")

        event = AuditEvent.objects.get(action="screening.decided")
        assert event.details == {
            "person": detainee.pk,
            "decision": "labour_inspectorate",
            "recommendation": "refer_for_identification",
            "follows_advice": False,
        }

    def test_a_decided_session_can_no_longer_change(self, janis, detainee):
        session = self.decide(janis, start(janis, detainee))

        with pytest.raises(services.AlreadyDecided):
            observe(janis, session, "DR-01", version=session.version)
        with pytest.raises(services.AlreadyDecided):
            self.decide(janis, session)

    def test_raising_a_suspicion_hands_over_and_holds_the_removal_at_once(self, janis, detainee):
        session = start(janis, detainee)

        self.decide(janis, session, "raise_suspicion", "Spēcīgas maldināšanas pazīmes.")

        suspicion = Suspicion.objects.get(person=detainee)
        assert suspicion.source_reference == f"screening:{session.pk}"
        assert suspicion.reason == "Spēcīgas maldināšanas pazīmes."
        assert suspicion.raised_by == janis
        hold = Hold.objects.active().get(person=detainee)
        assert hold.cause == Hold.Cause.SUSPICION
        assert hold.cause_reference == f"screening:{session.pk}"
        event = AuditEvent.objects.get(action="screening.decided")
        assert event.details["suspicion"] == suspicion.pk

    def test_the_hand_over_is_one_call_with_the_session_reference(
        self, janis, detainee, monkeypatch
    ):
        from atpazit.referrals import services as referrals

        calls = []

        def record(**kwargs):
            calls.append(kwargs)
            return type("Raised", (), {"pk": 99})()

        monkeypatch.setattr(referrals, "raise_suspicion", record)
        session = start(janis, detainee)

        self.decide(janis, session, "raise_suspicion", "Spēcīgas maldināšanas pazīmes.")

        assert len(calls) == 1
        assert calls[0]["person"] == detainee
        assert calls[0]["reason"] == "Spēcīgas maldināšanas pazīmes."
        assert calls[0]["source_reference"] == f"screening:{session.pk}"

    def test_an_open_suspicion_goes_on_and_no_second_one_is_raised(self, janis, detainee):
        first = self.decide(janis, start(janis, detainee), "raise_suspicion", "Pirmā pārbaude.")

        second = self.decide(janis, start(janis, detainee), "raise_suspicion", "Otrā pārbaude.")

        assert Suspicion.objects.filter(person=detainee).count() == 1
        assert not second.is_open
        assert not first.is_open
        events = AuditEvent.objects.filter(action="screening.decided").order_by("sequence")
        assert events[0].details["suspicion"] == events[1].details["suspicion"]

    def test_a_refused_hand_over_leaves_the_decision_unsaved(self, janis, detainee, monkeypatch):
        from atpazit.referrals import services as referrals

        def refuse(**kwargs):
            raise ServiceError("Atteikts.")

        monkeypatch.setattr(referrals, "raise_suspicion", refuse)
        session = start(janis, detainee)

        with pytest.raises(ServiceError, match="Atteikts."):
            self.decide(janis, session, "raise_suspicion", "Spēcīgas pazīmes.")

        session.refresh_from_db()
        assert session.is_open
        assert not AuditEvent.objects.filter(action="screening.decided").exists()
        assert not Hold.objects.filter(person=detainee).exists()

    def test_without_a_registered_suspicion_handler_the_decision_is_refused_not_kept_unheld(
        self, janis, detainee, monkeypatch
    ):
        from django.core.exceptions import ImproperlyConfigured

        from atpazit.screening import hooks

        monkeypatch.setattr(hooks, "_SUSPICION_HANDLERS", [])
        session = start(janis, detainee)

        with pytest.raises(ImproperlyConfigured):
            self.decide(janis, session, "raise_suspicion", "Spēcīgas pazīmes.")

        session.refresh_from_db()
        assert session.is_open
        assert not AuditEvent.objects.filter(action="screening.decided").exists()

    def test_a_second_suspicion_handler_is_a_wiring_mistake(self, monkeypatch):
        from django.core.exceptions import ImproperlyConfigured

        from atpazit.screening import hooks

        registered = list(hooks._SUSPICION_HANDLERS)
        monkeypatch.setattr(hooks, "_SUSPICION_HANDLERS", registered)
        other = hooks.SuspicionHandler(
            raise_suspicion=lambda **kwargs: 0, suspicion_of=lambda session: None
        )

        with pytest.raises(ImproperlyConfigured):
            hooks.register_suspicion_handler(other)
        assert len(registered) == 1

    def test_a_child_with_two_orphans_courts_needs_the_court_named(self, janis, riga):
        from atpazit.accounts.roles import OrganisationType
        from atpazit.accounts.tests.factories import OrganisationFactory

        OrganisationFactory(type=OrganisationType.ORPHANS_COURT, name="Rīgas bāriņtiesa")
        court = OrganisationFactory(type=OrganisationType.ORPHANS_COURT, name="Ropažu bāriņtiesa")
        child = ChildPersonFactory(organisation=riga)
        session = start(janis, child)

        with pytest.raises(services.InvalidInput) as caught:
            self.decide(janis, session, "raise_suspicion", "Bērns bez pavadības, strādāja tirgū.")
        assert list(caught.value.errors) == ["orphans_court"]

        services.record_decision(
            actor=actor_of(janis),
            session=session,
            decision="raise_suspicion",
            reason="Bērns bez pavadības, strādāja tirgū.",
            version=session.version,
            orphans_court=court,
        )
        suspicion = Suspicion.objects.get(person=child)
        assert suspicion.child_path is True


@pytest.mark.parametrize(
    ("recommendation", "decision", "follows"),
    [
        ("refer_for_identification", Decision.RAISE_SUSPICION, True),
        ("child_protection_referral", Decision.RAISE_SUSPICION, True),
        ("refer_for_identification", Decision.LABOUR_INSPECTORATE, False),
        ("labour_inspectorate_and_rescreen", Decision.LABOUR_INSPECTORATE, True),
        ("labour_inspectorate_and_rescreen", Decision.RESCREEN, False),
        ("rescreen_next_stage", Decision.RESCREEN, True),
        ("no_action", Decision.NO_ACTION, True),
        ("no_action", Decision.RAISE_SUSPICION, True),
        ("interview_before_departure", Decision.INTERVIEW_BEFORE_DEPARTURE, True),
        ("interview_before_departure", Decision.RAISE_SUSPICION, True),
        ("interview_before_departure", Decision.LABOUR_INSPECTORATE, False),
        ("interview_before_departure", Decision.RESCREEN, False),
        ("refer_for_identification", Decision.INTERVIEW_BEFORE_DEPARTURE, False),
        ("labour_inspectorate_and_rescreen", Decision.INTERVIEW_BEFORE_DEPARTURE, True),
    ],
)
def test_a_decision_follows_the_advice_when_it_is_at_least_as_protective(
    recommendation, decision, follows
):
    assert services.follows_advice(recommendation, decision) is follows
