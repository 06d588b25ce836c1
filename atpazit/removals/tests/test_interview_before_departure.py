"""R7 downstream: a screening that asks for an interview before departure reaches the case
officer of the person's operation, and cannot be missed on the operation page, the pre-departure
check and the dashboard — without ever blocking the removal (advice, I2)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of, member
from atpazit.cases.tests.factories import ManualHoldFactory, PersonFactory
from atpazit.notifications.models import Notification, OutgoingEmail
from atpazit.removals import services
from atpazit.removals.interviews import interview_items
from atpazit.removals.models import RemovalOperation
from atpazit.removals.selectors import pre_departure_check
from atpazit.removals.tests.factories import PlannedOperationFactory, person_on
from atpazit.screening import services as screening_services
from atpazit.screening.hooks import INTERVIEW_BEFORE_DEPARTURE
from atpazit.screening.models import Decision
from atpazit.screening.tests.factories import DecidedSessionFactory, OpenSessionFactory

KIND = "removal.interview_before_departure"


def r7_screening(person, *, decision=Decision.RESCREEN.value, minutes_ago=0):
    """A decided pre-departure screening whose stored advice is R7."""
    return DecidedSessionFactory(
        person=person,
        stage="pre_departure",
        recommendation=INTERVIEW_BEFORE_DEPARTURE,
        decision=decision,
        completed_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def decide_r7(person, screener, decision=Decision.RESCREEN.value):
    """Record the decision through the service, as the interview page does."""
    session = OpenSessionFactory(
        person=person,
        screener=screener,
        stage="pre_departure",
        recommendation=INTERVIEW_BEFORE_DEPARTURE,
    )
    return screening_services.record_decision(
        actor=actor_of(screener),
        session=session,
        decision=decision,
        reason="Baidās atgriezties; jāpārrunā ar tulku pirms izlidošanas.",
        version=session.version,
    )


class TestTheCaseOfficerIsAsked:
    def test_recording_the_screening_notifies_the_case_officers_of_the_operation_unit(
        self, operation, ilze, janis
    ):
        person = person_on(operation)

        decide_r7(person, janis)

        notes = Notification.objects.filter(kind=KIND)
        assert [n.recipient for n in notes] == [ilze]
        assert notes.get().case_number == person.case_number
        assert notes.get().link == reverse("removals:operation_detail", args=[operation.pk])

    def test_the_email_carries_no_case_number(self, operation, ilze, janis):
        person = person_on(operation)

        decide_r7(person, janis)

        email = OutgoingEmail.objects.get(to=ilze.email)
        assert person.case_number not in email.body
        assert person.case_number not in email.subject

    def test_the_engines_r7_advice_at_pre_departure_reaches_the_case_officer(
        self, operation, ilze, janis
    ):
        """Through the real engine: fear of return alone (RC-08, medium) at pre-departure."""
        person = person_on(operation)
        officer = actor_of(janis)
        session = screening_services.start_session(
            actor=officer,
            person=person,
            setup=screening_services.SessionSetup(
                stage="pre_departure",
                interview_language="uz",
                prompt_language="ru",
                officer_language="lv",
                exploitation_form="unknown",
            ),
        )
        session = screening_services.set_observations(
            actor=officer,
            session=session,
            observations=[screening_services.ObservationInput("RC-08")],
            profile=screening_services.ProfileInput("unknown"),
            version=session.version,
        )
        assert session.recommendation == INTERVIEW_BEFORE_DEPARTURE

        screening_services.record_decision(
            actor=officer,
            session=session,
            decision=Decision.INTERVIEW_BEFORE_DEPARTURE.value,
            reason="Baidās atgriezties; jāiztaujā ar tulku.",
            version=session.version,
        )

        assert Notification.objects.get(kind=KIND).recipient == ilze
        assert [row.person for row in pre_departure_check(operation).interviews] == [person]

    def test_the_screeners_decision_does_not_matter_unless_it_raised_a_suspicion(
        self, operation, ilze, janis
    ):
        person = person_on(operation)

        decide_r7(person, janis, decision=Decision.NO_ACTION.value)

        assert Notification.objects.filter(kind=KIND, recipient=ilze).exists()

    def test_other_advice_asks_nothing(self, operation, ilze, janis):
        person = person_on(operation)
        session = OpenSessionFactory(person=person, screener=janis)

        screening_services.record_decision(
            actor=actor_of(janis),
            session=session,
            decision="rescreen_next_stage",
            reason="Nav pazīmju.",
            version=session.version,
        )

        assert not Notification.objects.filter(kind=KIND).exists()

    def test_a_person_put_on_an_operation_later_is_announced_then(
        self, riga, operation, ilze_actor, ilze
    ):
        person = PersonFactory(organisation=riga)
        r7_screening(person)
        assert not Notification.objects.filter(kind=KIND).exists()

        services.add_to_manifest(actor=ilze_actor, operation=operation, person=person)

        assert Notification.objects.get(kind=KIND, recipient=ilze).case_number == (
            person.case_number
        )

    def test_an_imported_manifest_announces_them_too(self, riga, operation, ilze_actor, ilze):
        person = PersonFactory(organisation=riga)
        r7_screening(person)

        result = services.import_manifest(
            actor=ilze_actor,
            operation=operation,
            data=f"case_number\n{person.case_number}\n".encode(),
            filename="manifest.csv",
        )

        assert result.ok, result.problems
        assert Notification.objects.filter(kind=KIND, recipient=ilze).count() == 1

    def test_only_the_unit_running_the_operation_is_asked(self, operation, daugavpils, janis):
        other_unit_officer = member("bg_case_officer", daugavpils)
        person = person_on(operation)

        decide_r7(person, janis)

        assert not Notification.objects.filter(recipient=other_unit_officer).exists()


class TestItCannotBeMissed:
    def test_the_pre_departure_check_marks_the_person(self, operation):
        asked, other = person_on(operation), person_on(operation)
        r7_screening(asked)

        check = pre_departure_check(operation)

        assert [row.person for row in check.interviews] == [asked]
        assert other not in [row.person for row in check.interviews]

    def test_the_operation_page_and_the_check_show_a_banner_and_a_badge(
        self, operation, ilze, client_for
    ):
        person = person_on(operation)
        r7_screening(person)
        client = client_for(ilze)

        for name in ("removals:operation_detail", "removals:pre_departure"):
            page = client.get(reverse(name, args=[operation.pk])).content.decode()
            assert 'id="interview-before-departure"' in page
            assert "interview before departure" in page
            assert person.case_number in page

    def test_the_exported_manifest_carries_it(self, operation, ilze, client_for):
        asked, other = person_on(operation), person_on(operation)
        r7_screening(asked)

        response = client_for(ilze).post(
            reverse("removals:manifest_export", args=[operation.pk]), {"format": "csv"}
        )

        text = response.content.decode("utf-8-sig")
        rows = [line.split(";") for line in text.splitlines()]
        column = rows[0].index("interview before departure")
        by_case = {row[0]: row[column] for row in rows[1:]}
        assert by_case == {asked.case_number: "yes", other.case_number: "no"}

    def test_the_dashboard_lists_the_person_for_the_unit_and_the_monitor(
        self, operation, ilze_actor, gunars_actor, dace_actor
    ):
        person = person_on(operation)
        r7_screening(person)

        assert [item.case_number for item in interview_items(ilze_actor)] == [person.case_number]
        assert [item.case_number for item in interview_items(dace_actor)] == [person.case_number]
        assert interview_items(gunars_actor) == []

    def test_it_is_advice_not_a_hold(self, operation, ilze_actor):
        person = person_on(operation)
        r7_screening(person)

        services.confirm_operation(actor=ilze_actor, operation=operation)

        operation.refresh_from_db()
        assert operation.status == RemovalOperation.Status.CONFIRMED


class TestItClears:
    def test_when_a_later_screening_is_recorded(self, operation, ilze_actor):
        person = person_on(operation)
        r7_screening(person, minutes_ago=30)

        DecidedSessionFactory(person=person, stage="pre_departure")

        assert pre_departure_check(operation).interviews == []
        assert interview_items(ilze_actor) == []

    def test_a_later_open_session_is_not_yet_the_interview(self, operation, ilze_actor):
        person = person_on(operation)
        r7_screening(person, minutes_ago=30)

        OpenSessionFactory(person=person, stage="pre_departure")

        assert len(interview_items(ilze_actor)) == 1

    def test_when_the_person_is_taken_off_the_manifest(self, operation, ilze_actor):
        person = person_on(operation)
        r7_screening(person)

        services.remove_from_manifest(actor=ilze_actor, entry=operation.manifest.get(person=person))

        assert interview_items(ilze_actor) == []

    def test_when_a_suspicion_is_raised_by_the_screening_itself(self, operation, ilze_actor):
        person = person_on(operation)
        r7_screening(person, decision=Decision.RAISE_SUSPICION.value)

        assert pre_departure_check(operation).interviews == []
        assert interview_items(ilze_actor) == []

    def test_a_hold_is_the_stronger_signal_and_replaces_it(self, operation, ilze_actor):
        person = person_on(operation)
        r7_screening(person)
        ManualHoldFactory(person=person)

        check = pre_departure_check(operation)

        assert check.interviews == []
        assert [row.person for row in check.conflicts] == [person]
        assert interview_items(ilze_actor) == []

    def test_a_closed_operation_asks_nothing(self, riga, ilze_actor):
        operation = PlannedOperationFactory(
            organisation=riga, status=RemovalOperation.Status.CANCELLED
        )
        r7_screening(person_on(operation))

        assert interview_items(ilze_actor) == []
