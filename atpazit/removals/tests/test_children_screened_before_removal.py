"""A child, or a person whose age is disputed, is never removed unscreened (I4, ADR 0014).

Without a completed child screening they may be put on an operation that is still being
planned (that is when they get screened), but the operation is not confirmed, nobody is put on
a confirmed operation, marked *removal planned* or *departed*, and an operation that is already
confirmed when the age comes to light has a blocking conflict the Ombudsman is told about. An
adult without a screening stays a warning. Every path runs the one guard (cases.holds).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import AuditEvent
from atpazit.cases import services as cases
from atpazit.cases.holds import RemovalBlocked
from atpazit.cases.models import AgeChangeReason, Person
from atpazit.cases.tests.factories import PersonFactory
from atpazit.escalations.models import Escalation
from atpazit.removals import services
from atpazit.removals.conflicts import CHILD_NOT_SCREENED_ON_MANIFEST
from atpazit.removals.models import ManifestEntry, RemovalOperation
from atpazit.removals.selectors import pre_departure_check
from atpazit.removals.tests.factories import ConfirmedOperationFactory, person_on
from atpazit.screening import services as screening
from atpazit.screening.catalogue import AgeGroup
from atpazit.screening.children import CHILD_NOT_SCREENED
from atpazit.screening.models import Decision
from atpazit.screening.tests.factories import DecidedSessionFactory, OpenSessionFactory

pytestmark = pytest.mark.django_db

CHILD = {"birth_year": 2011, "given_names": "Aziz"}
AGE_DISPUTED = {"birth_year": 2000, "age_disputed": True}


def screened_as_child(person: Person, **fields: object) -> None:
    DecidedSessionFactory(person=person, age_group=AgeGroup.CHILD.value, person_age=15, **fields)


def screened_as_adult(person: Person) -> None:
    DecidedSessionFactory(person=person, age_group=AgeGroup.ADULT.value, person_age=30)


def csv_of(*case_numbers: str) -> bytes:
    return ("case_number\n" + "\n".join(case_numbers) + "\n").encode()


def refusal(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action, outcome=AuditEvent.Outcome.DENIED)


class TestConfirming:
    def test_an_unscreened_adult_is_only_a_warning(self, ilze_actor, operation):
        adult = person_on(operation)

        check = pre_departure_check(operation)
        assert [row.person for row in check.not_screened] == [adult]
        assert not check.conflicts
        assert not check.blocked

        services.confirm_operation(actor=ilze_actor, operation=operation)
        adult.refresh_from_db()
        assert adult.status == Person.Status.REMOVAL_PLANNED

    @pytest.mark.parametrize("age", [CHILD, AGE_DISPUTED], ids=["child", "age disputed"])
    def test_an_unscreened_child_may_be_planned_but_not_confirmed(self, ilze_actor, operation, age):
        child = PersonFactory(organisation=operation.organisation, **age)
        services.add_to_manifest(actor=ilze_actor, operation=operation, person=child)
        adult = person_on(operation)

        [row] = pre_departure_check(operation).blocked
        assert row.person == child
        assert row.child_not_screened
        assert not row.is_conflict

        with pytest.raises(services.OperationBlocked) as refused:
            services.confirm_operation(actor=ilze_actor, operation=operation)

        assert child.case_number in refused.value.message
        assert "screened as a child" in refused.value.message
        operation.refresh_from_db()
        assert operation.status == RemovalOperation.Status.PLANNED
        for person in (child, adult):
            person.refresh_from_db()
            assert person.status == Person.Status.REGISTERED
        event = refusal("operation.confirm_refused")
        assert event.details["held"] == [child.pk]
        assert event.details["obstacles"] == [CHILD_NOT_SCREENED]

    def test_a_child_screened_as_a_child_is_confirmed(self, ilze_actor, operation):
        child = person_on(operation, **CHILD)
        screened_as_child(child)

        services.confirm_operation(actor=ilze_actor, operation=operation)

        child.refresh_from_db()
        assert child.status == Person.Status.REMOVAL_PLANNED

    def test_a_screening_started_but_not_decided_does_not_count(self, ilze_actor, operation):
        child = person_on(operation, **CHILD)
        OpenSessionFactory(person=child, age_group=AgeGroup.CHILD.value, person_age=15)

        with pytest.raises(services.OperationBlocked, match="no decision has been recorded"):
            services.confirm_operation(actor=ilze_actor, operation=operation)

    @pytest.mark.parametrize(
        "outcome",
        [
            {"decision": Decision.RESCREEN.value},
            {"decision": Decision.INTERVIEW_BEFORE_DEPARTURE.value},
            # The engine advised a closer interview (R7); "no action" does not answer it.
            {"recommendation": "interview_before_departure"},
        ],
        ids=["re-screen", "interview before departure", "interview advised"],
    )
    def test_a_screening_that_asks_for_more_does_not_count(self, ilze_actor, operation, outcome):
        child = person_on(operation, **CHILD)
        screened_as_child(child, **outcome)

        with pytest.raises(services.OperationBlocked, match="screened as a child"):
            services.confirm_operation(actor=ilze_actor, operation=operation)

        operation.refresh_from_db()
        assert operation.status == RemovalOperation.Status.PLANNED

    def test_a_final_screening_overtaken_by_a_re_screen_does_not_count(self, ilze_actor, operation):
        child = person_on(operation, **CHILD)
        screened_as_child(child, completed_at=timezone.now() - timedelta(days=2))
        screened_as_child(child, decision=Decision.RESCREEN.value)

        with pytest.raises(services.OperationBlocked, match="screened as a child"):
            services.confirm_operation(actor=ilze_actor, operation=operation)

    def test_a_final_screening_after_a_re_screen_counts(self, ilze_actor, operation):
        child = person_on(operation, **CHILD)
        screened_as_child(
            child,
            decision=Decision.RESCREEN.value,
            completed_at=timezone.now() - timedelta(days=2),
        )
        screened_as_child(child, decision=Decision.LABOUR_INSPECTORATE.value)

        services.confirm_operation(actor=ilze_actor, operation=operation)

        operation.refresh_from_db()
        assert operation.status == RemovalOperation.Status.CONFIRMED

    def test_an_adult_screening_before_the_age_was_disputed_does_not_count(
        self, ilze_actor, operation
    ):
        person = person_on(operation)
        screened_as_adult(person)
        Person.objects.filter(pk=person.pk).update(age_disputed=True)

        with pytest.raises(services.OperationBlocked, match="screened as a child"):
            services.confirm_operation(actor=ilze_actor, operation=operation)

    def test_a_screening_of_a_record_linked_as_the_same_child_counts(
        self, ilze_actor, operation, daugavpils
    ):
        child = person_on(operation, **CHILD)
        elsewhere = PersonFactory(organisation=daugavpils, **CHILD)
        Person.objects.filter(pk__in=[child.pk, elsewhere.pk]).update(identity_root=elsewhere)
        screened_as_child(elsewhere)

        services.confirm_operation(actor=ilze_actor, operation=operation)

        operation.refresh_from_db()
        assert operation.status == RemovalOperation.Status.CONFIRMED

    def test_a_linked_record_that_says_child_makes_the_adult_record_a_child(
        self, ilze_actor, operation, daugavpils
    ):
        recorded_adult = person_on(operation)
        elsewhere = PersonFactory(organisation=daugavpils, **AGE_DISPUTED)
        Person.objects.filter(pk__in=[recorded_adult.pk, elsewhere.pk]).update(
            identity_root=recorded_adult
        )
        screened_as_adult(recorded_adult)

        with pytest.raises(services.OperationBlocked) as refused:
            services.confirm_operation(actor=ilze_actor, operation=operation)
        assert recorded_adult.case_number in refused.value.message


class TestConfirmedOperations:
    def test_an_unscreened_child_is_not_put_on_a_confirmed_operation(self, ilze_actor, riga):
        confirmed = ConfirmedOperationFactory(organisation=riga)
        child = PersonFactory(organisation=riga, **CHILD)

        with pytest.raises(RemovalBlocked, match="screened as a child"):
            services.add_to_manifest(actor=ilze_actor, operation=confirmed, person=child)

        assert not ManifestEntry.objects.exists()
        child.refresh_from_db()
        assert child.status == Person.Status.REGISTERED
        assert refusal("manifest.add_refused").details["obstacles"] == [CHILD_NOT_SCREENED]

    def test_an_import_onto_a_confirmed_operation_names_the_row(self, ilze_actor, riga):
        confirmed = ConfirmedOperationFactory(organisation=riga)
        adult = PersonFactory(organisation=riga)
        child = PersonFactory(organisation=riga, **AGE_DISPUTED)

        result = services.import_manifest(
            actor=ilze_actor,
            operation=confirmed,
            data=csv_of(adult.case_number, child.case_number),
            filename="manifest.csv",
        )

        [problem] = result.problems
        assert problem.row == 3
        assert child.case_number in problem.message
        assert "screened as a child" in problem.message
        assert not ManifestEntry.objects.exists()

    def test_an_import_onto_a_planned_operation_takes_the_child(self, ilze_actor, operation):
        child = PersonFactory(organisation=operation.organisation, **CHILD)

        result = services.import_manifest(
            actor=ilze_actor,
            operation=operation,
            data=csv_of(child.case_number),
            filename="manifest.csv",
        )

        assert result.ok
        assert result.added == 1

    def test_an_unscreened_child_is_never_marked_removal_planned_by_hand(self, ilze_actor, riga):
        child = PersonFactory(organisation=riga, **CHILD)

        with pytest.raises(RemovalBlocked):
            cases.change_status(
                actor=ilze_actor, person=child, to_status=Person.Status.REMOVAL_PLANNED
            )

        child.refresh_from_db()
        assert child.status == Person.Status.REGISTERED


class TestAgeDisputedAfterConfirmation:
    """The operation was confirmed with an adult; then the age is disputed."""

    @pytest.fixture
    def confirmed(self, ilze_actor, operation) -> RemovalOperation:
        person_on(operation)
        services.confirm_operation(actor=ilze_actor, operation=operation)
        operation.refresh_from_db()
        return operation

    def dispute_age(self, actor, operation: RemovalOperation) -> Person:
        person = operation.manifest.get().person
        return cases.update_person(
            actor=actor, person=person, version=person.version, data={"age_disputed": True}
        )

    def test_it_is_a_blocking_conflict_escalated_to_the_ombudsman(self, ilze_actor, confirmed):
        person = self.dispute_age(ilze_actor, confirmed)

        check = pre_departure_check(confirmed)
        [row] = check.conflicts
        assert row.person == person
        assert check.unscreened_children == [row]
        assert not row.is_held
        escalation = Escalation.objects.get(kind=Escalation.Kind.REMOVAL_CONFLICT)
        assert escalation.case_number == person.case_number
        assert escalation.summary_code == CHILD_NOT_SCREENED_ON_MANIFEST
        assert escalation.resolved_at is None

    def test_it_blocks_completing_and_nobody_is_marked_departed(self, ilze_actor, confirmed):
        person = self.dispute_age(ilze_actor, confirmed)

        with pytest.raises(services.OperationBlocked, match="nobody was marked departed"):
            services.complete_operation(actor=ilze_actor, operation=confirmed)

        person.refresh_from_db()
        assert person.status == Person.Status.REMOVAL_PLANNED
        assert refusal("operation.complete_refused").details["obstacles"] == [CHILD_NOT_SCREENED]

    def test_a_child_screening_clears_the_conflict_and_its_escalation(
        self, ilze_actor, kristaps, confirmed
    ):
        person = self.dispute_age(ilze_actor, confirmed)
        session = OpenSessionFactory(
            person=person, screener=kristaps, age_group=AgeGroup.CHILD.value, age_disputed=True
        )

        screening.record_decision(
            actor=actor_of(kristaps),
            session=session,
            decision=Decision.NO_ACTION.value,
            reason="Pazīmes netika konstatētas; bērna profils.",
            version=session.version,
        )

        assert not pre_departure_check(confirmed).conflicts
        escalation = Escalation.objects.get(kind=Escalation.Kind.REMOVAL_CONFLICT)
        assert escalation.resolved_at is not None
        # Stored as a code, read in each reader's language.
        assert escalation.resolution_code == "child_screened"
        event = AuditEvent.objects.get(action="escalation.resolved")
        assert event.details["reason"] == "child_screened"

    def test_undisputing_the_age_leaves_the_ombudsmans_question_open(
        self, ilze_actor, kristaps, confirmed
    ):
        person = self.dispute_age(ilze_actor, confirmed)

        self.undispute(ilze_actor, actor_of(kristaps), person)

        assert not pre_departure_check(confirmed).conflicts
        escalation = Escalation.objects.get(kind=Escalation.Kind.REMOVAL_CONFLICT)
        assert escalation.resolved_at is None
        assert escalation.resolution_code == ""
        assert not AuditEvent.objects.filter(action="escalation.resolved").exists()

    def undispute(self, proposer, confirmer, person: Person) -> Person:
        """Clear the dispute on someone on a confirmed operation: a reason and four eyes."""
        pending = cases.update_person(
            actor=proposer,
            person=person,
            version=person.version,
            data={"age_disputed": False},
            age_reason=AgeChangeReason.AGE_ASSESSMENT.value,
        ).pending_age_change
        cases.confirm_age_change(actor=confirmer, change=pending)
        person.refresh_from_db()
        return person

    def conflict(self) -> Escalation:
        return Escalation.objects.get(kind=Escalation.Kind.REMOVAL_CONFLICT)

    def test_the_summary_follows_the_conflict_when_the_child_is_then_held(
        self, ilze_actor, confirmed
    ):
        person = self.dispute_age(ilze_actor, confirmed)
        raised = self.conflict()

        hold = cases.place_hold(actor=ilze_actor, person=person, reason="Parāds darba devējam.")

        escalation = self.conflict()  # the same one, not a second
        assert escalation.pk == raised.pk
        assert escalation.summary_code == "removals.hold_on_manifest"
        assert "A removal hold was placed" in escalation.summary_text()
        assert escalation.earlier_summary_codes == [CHILD_NOT_SCREENED_ON_MANIFEST]
        event = AuditEvent.objects.get(action="escalation.updated")
        assert event.details["from"] == CHILD_NOT_SCREENED_ON_MANIFEST
        assert event.details["to"] == "removals.hold_on_manifest"

        cases.release_hold(
            actor=ilze_actor, hold=hold, reason="Pazīmes neapstiprinājās.", decision_reference="L-1"
        )

        # Released, but still a child nobody screened: the same question, labelled as such.
        escalation = self.conflict()
        assert escalation.resolved_at is None
        assert escalation.summary_code == CHILD_NOT_SCREENED_ON_MANIFEST
        assert "without a screening" in escalation.summary_text()

    def test_a_released_hold_does_not_close_a_child_question_left_open(
        self, ilze_actor, kristaps, confirmed
    ):
        person = self.dispute_age(ilze_actor, confirmed)
        person = self.undispute(ilze_actor, actor_of(kristaps), person)
        hold = cases.place_hold(actor=ilze_actor, person=person, reason="Parāds darba devējam.")
        assert self.conflict().summary_code == "removals.hold_on_manifest"

        cases.release_hold(
            actor=ilze_actor, hold=hold, reason="Pazīmes neapstiprinājās.", decision_reference="L-1"
        )

        # The age question was never answered by a child screening: the Ombudsman closes it.
        escalation = self.conflict()
        assert escalation.resolved_at is None

    def test_both_pages_show_it(self, client_for, ilze, ilze_actor, confirmed):
        person = self.dispute_age(ilze_actor, confirmed)
        client = client_for(ilze)

        for name in ("removals:operation_detail", "removals:pre_departure"):
            page = client.get(reverse(name, args=[confirmed.pk])).content.decode()
            assert 'id="unscreened-children"' in page
            assert person.case_number in page
            assert "has not been screened as a child" in page


class TestALikelyDuplicateThatSaysChild:
    """The same human registered twice, once as an adult, once as a child (or of disputed
    age), nobody has resolved the match, and the adult-looking record is the one on the
    operation. Deny when unsure: the child rule applies until a case officer decides."""

    IDENTITY = {"given_names": "Dilshod", "family_name": "Rahimov", "nationality": "UZ"}

    def register(self, actor, **data) -> Person:
        return cases.register_person(actor=actor, data={**self.IDENTITY, **data})

    @pytest.fixture
    def adult_on_operation(self, ilze_actor, operation) -> Person:
        adult = self.register(ilze_actor, birth_year=2001)
        services.add_to_manifest(actor=ilze_actor, operation=operation, person=adult)
        return adult

    @pytest.mark.parametrize(
        "says",
        [{"birth_year": 2001, "age_disputed": True}, {"stated_age": 16}],
        ids=["age disputed", "stated age 16"],
    )
    def test_the_adult_record_is_not_confirmed_unscreened(
        self, ilze_actor, operation, adult_on_operation, says
    ):
        self.register(ilze_actor, given_names="DILSHOD", **says)

        [row] = pre_departure_check(operation).blocked
        assert row.person == adult_on_operation
        assert row.child_not_screened
        assert row.is_child  # the child path shows on the check
        with pytest.raises(services.OperationBlocked) as refused:
            services.confirm_operation(actor=ilze_actor, operation=operation)
        assert adult_on_operation.case_number in refused.value.message
        assert refusal("operation.confirm_refused").details["obstacles"] == [CHILD_NOT_SCREENED]

    def test_on_a_confirmed_operation_it_is_a_blocking_conflict_at_once(
        self, ilze_actor, operation, adult_on_operation
    ):
        screened_as_adult(adult_on_operation)
        services.confirm_operation(actor=ilze_actor, operation=operation)

        self.register(ilze_actor, given_names="Dilšods", birth_year=2001, age_disputed=True)

        operation.refresh_from_db()
        [row] = pre_departure_check(operation).conflicts
        assert row.person == adult_on_operation
        escalation = Escalation.objects.get(kind=Escalation.Kind.REMOVAL_CONFLICT)
        assert escalation.case_number == adult_on_operation.case_number
        assert escalation.summary_code == CHILD_NOT_SCREENED_ON_MANIFEST
        with pytest.raises(services.OperationBlocked):
            services.complete_operation(actor=ilze_actor, operation=operation)

    def test_confirmed_different_people_lifts_it(self, ilze_actor, operation, adult_on_operation):
        other = self.register(ilze_actor, given_names="DILSHOD", stated_age=16)

        cases.decide_identity(
            actor=ilze_actor,
            person=adult_on_operation,
            other=other,
            decision="different",
            reason="Pirkstu nospiedumi nesakrīt; citi vecāki.",
        )

        services.confirm_operation(actor=ilze_actor, operation=operation)
        operation.refresh_from_db()
        assert operation.status == RemovalOperation.Status.CONFIRMED

    def test_a_child_screening_of_the_duplicate_does_not_count(
        self, ilze_actor, operation, adult_on_operation
    ):
        other = self.register(ilze_actor, given_names="DILSHOD", stated_age=16)
        screened_as_child(other)

        with pytest.raises(services.OperationBlocked, match="screened as a child"):
            services.confirm_operation(actor=ilze_actor, operation=operation)
