"""Issue 8, reproduction 1: the hold follows the human, not the record (I1).

A second registration of a held person — same names in another letter case, same year of birth,
sex and nationality, in the same unit or another — must not be put on a manifest, confirmed or
marked departed while the likely match is unresolved; once linked, every hold applies to every
record; once a case officer confirms (with a reason) that they are different people, the second
record is free. Each path is driven through the services, as the pages and the import call them.
"""

from __future__ import annotations

import contextlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from atpazit.audit.models import AuditEvent
from atpazit.cases import services as cases
from atpazit.cases.holds import RemovalBlocked, ensure_no_active_hold
from atpazit.cases.models import Hold, Person
from atpazit.cases.tests.factories import ManualHoldFactory, PersonFactory
from atpazit.escalations.models import Escalation
from atpazit.removals import services
from atpazit.removals.models import ManifestEntry, RemovalOperation
from atpazit.removals.selectors import conflicts_for, pre_departure_check
from atpazit.removals.tests.factories import PlannedOperationFactory, person_on

pytestmark = pytest.mark.django_db

IDENTITY = {
    "given_names": "Anna",
    "family_name": "Bērziņa",
    "birth_year": 1994,
    "sex": "female",
    "nationality": "UA",
}


def register(actor, **data) -> Person:
    return cases.register_person(actor=actor, data={**IDENTITY, **data})


def held_original(actor) -> Person:
    person = register(actor)
    cases.place_hold(actor=actor, person=person, reason="Saka, ka darba devējs paturējis pasi.")
    return person


def csv_of(*case_numbers: str) -> bytes:
    return ("case_number\n" + "\n".join(case_numbers) + "\n").encode()


class TestASecondRecordOfAHeldPerson:
    """The reproduction: a new case number for the same human, then manifest, confirm, complete."""

    def test_it_cannot_be_put_on_a_manifest(self, ilze_actor, operation):
        original = held_original(ilze_actor)
        second = register(ilze_actor, given_names="ANNA", family_name="BĒRZIŅA")

        with pytest.raises(RemovalBlocked) as refused:
            services.add_to_manifest(actor=ilze_actor, operation=operation, person=second)

        assert original.case_number in str(refused.value)
        assert "may be the same person" in str(refused.value)
        assert not ManifestEntry.objects.exists()
        [event] = AuditEvent.objects.filter(action="manifest.add_refused")
        assert event.details["reason"] == "hold"

    def test_it_cannot_be_imported(self, ilze_actor, operation):
        held_original(ilze_actor)
        second = register(ilze_actor, given_names="anna", family_name="berzina")

        result = services.import_manifest(
            actor=ilze_actor, operation=operation, data=csv_of(second.case_number), filename="m.csv"
        )

        assert [(p.row, p.column) for p in result.problems] == [(2, "case_number")]
        assert "may be the same person" in result.problems[0].message
        assert not ManifestEntry.objects.exists()

    def test_an_operation_with_it_cannot_be_confirmed_or_completed(self, ilze_actor, operation):
        second = register(ilze_actor, given_names="ANNA")
        services.add_to_manifest(actor=ilze_actor, operation=operation, person=second)
        # The first record is found held only now (a hold raised after the manifest was made).
        held_original(ilze_actor)

        with pytest.raises(services.OperationBlocked, match="likely duplicate"):
            services.confirm_operation(actor=ilze_actor, operation=operation)
        operation.refresh_from_db()
        assert operation.status == RemovalOperation.Status.PLANNED

        RemovalOperation.objects.filter(pk=operation.pk).update(
            status=RemovalOperation.Status.CONFIRMED
        )
        with pytest.raises(services.OperationBlocked, match="nobody was marked departed"):
            services.complete_operation(actor=ilze_actor, operation=operation)
        second.refresh_from_db()
        assert second.status != Person.Status.DEPARTED

    def test_the_person_status_cannot_move_to_a_removal_step(self, ilze_actor):
        held_original(ilze_actor)
        second = register(ilze_actor, family_name="Berzina")

        with pytest.raises(RemovalBlocked):
            cases.change_status(actor=ilze_actor, person=second, to_status="removal_planned")

    def test_another_unit_cannot_remove_its_own_re_registration(
        self, ilze_actor, gunars_actor, daugavpils
    ):
        held_original(ilze_actor)
        second = register(gunars_actor, given_names="ANNA", family_name="BĒRZIŅA")
        operation = PlannedOperationFactory(organisation=daugavpils)

        with pytest.raises(RemovalBlocked) as refused:
            services.add_to_manifest(actor=gunars_actor, operation=operation, person=second)

        message = str(refused.value)
        # The other unit learns that a held record exists and whom to call, nothing more.
        assert ilze_actor.organisation.name in message
        assert "AT-" not in message.replace(second.case_number, "")
        assert "Bērziņa" not in message
        assert "Anna" not in message

    def test_zero_width_characters_do_not_hide_the_duplicate(self, ilze_actor, operation):
        held_original(ilze_actor)
        second = register(ilze_actor, family_name="Bēr\u200bziņa", given_names="\u202eAnna\u202c")

        assert (second.family_name, second.given_names) == ("Bērziņa", "Anna")
        with pytest.raises(RemovalBlocked):
            services.add_to_manifest(actor=ilze_actor, operation=operation, person=second)

    def test_a_transliterated_re_registration_with_names_swapped_is_caught(
        self, ilze_actor, operation
    ):
        held_original(ilze_actor)
        second = register(
            ilze_actor, given_names="Берзиня", family_name="Анна", aliases="Anna Berzina"
        )

        with pytest.raises(RemovalBlocked):
            services.add_to_manifest(actor=ilze_actor, operation=operation, person=second)


class TestDecidingAboutAMatch:
    def test_confirming_different_people_frees_the_record_and_escalates(
        self, ilze_actor, operation
    ):
        original = held_original(ilze_actor)
        second = register(ilze_actor, given_names="ANNA")

        decision = cases.decide_identity(
            actor=ilze_actor,
            person=second,
            other=original,
            decision="different",
            reason="Pases salīdzinātas: cita dzimšanas vieta, citi pirkstu nospiedumi.",
        )

        services.add_to_manifest(actor=ilze_actor, operation=operation, person=second)
        assert ManifestEntry.objects.filter(person=second).exists()
        [event] = AuditEvent.objects.filter(action="identity.confirmed_different")
        assert event.details["held"] is True
        assert "Pases" not in str(event.details)
        escalation = Escalation.objects.get(kind=Escalation.Kind.DUPLICATE_DISMISSED)
        assert escalation.subject == f"cases.identitydecision:{decision.pk}"

    def test_linking_makes_the_hold_apply_to_every_record(
        self, ilze_actor, gunars_actor, daugavpils
    ):
        original = held_original(ilze_actor)
        second = register(gunars_actor, given_names="ANNA")

        cases.decide_identity(
            actor=gunars_actor,
            person=second,
            other=original,
            decision="same",
            reason="Piezvanīju Rīgas pārvaldei; pases numurs sakrīt.",
        )

        second.refresh_from_db()
        with pytest.raises(RemovalBlocked, match="linked as the same person"):
            ensure_no_active_hold(second)
        # And the other way round: a hold on the second record holds the first.
        Hold.objects.update(released_at="2026-01-01T00:00Z")
        ensure_no_active_hold(second)
        ManualHoldFactory(person=second)
        original.refresh_from_db()
        with pytest.raises(RemovalBlocked):
            ensure_no_active_hold(original)

    def test_links_are_transitive(self, ilze_actor):
        first = register(ilze_actor)
        second = register(ilze_actor, given_names="ANNA")
        third = register(ilze_actor, family_name="BERZINA")
        reason = "Pirkstu nospiedumi sakrīt."
        cases.decide_identity(
            actor=ilze_actor, person=second, other=first, decision="same", reason=reason
        )
        cases.decide_identity(
            actor=ilze_actor, person=third, other=second, decision="same", reason=reason
        )

        roots = set(Person.objects.values_list("identity_root_id", flat=True))
        assert roots == {first.pk}
        ManualHoldFactory(person=first)
        third.refresh_from_db()
        with pytest.raises(RemovalBlocked):
            ensure_no_active_hold(third)

    def test_same_is_final(self, ilze_actor):
        first = register(ilze_actor)
        second = register(ilze_actor, given_names="ANNA")
        cases.decide_identity(
            actor=ilze_actor, person=second, other=first, decision="same", reason="x"
        )

        with pytest.raises(cases.ServiceError, match="already linked"):
            cases.decide_identity(
                actor=ilze_actor, person=second, other=first, decision="different", reason="y"
            )

    def test_a_reason_is_required_and_only_likely_matches_can_be_decided(self, ilze_actor):
        first = register(ilze_actor)
        second = register(ilze_actor, given_names="ANNA")
        stranger = register(ilze_actor, given_names="Olena", family_name="Koval", birth_year=1970)

        with pytest.raises(cases.InvalidInput):
            cases.decide_identity(
                actor=ilze_actor, person=second, other=first, decision="same", reason=" "
            )
        with pytest.raises(cases.NotAllowed):
            cases.decide_identity(
                actor=ilze_actor, person=second, other=stranger, decision="same", reason="x"
            )

    def test_another_unit_cannot_decide_for_my_record(self, ilze_actor, gunars_actor):
        first = register(ilze_actor)
        second = register(ilze_actor, given_names="ANNA")

        with pytest.raises(cases.NotAllowed):
            cases.decide_identity(
                actor=gunars_actor, person=second, other=first, decision="different", reason="x"
            )


class TestConflicts:
    def test_a_hold_on_a_likely_duplicate_makes_a_blocking_conflict_at_once(
        self, ilze_actor, operation
    ):
        second = register(ilze_actor, given_names="ANNA")
        services.add_to_manifest(actor=ilze_actor, operation=operation, person=second)

        held_original(ilze_actor)

        [row] = conflicts_for(operation)
        assert row.person == second
        assert any("likely the same person" in note for note in row.notes)
        assert Escalation.objects.filter(
            kind=Escalation.Kind.REMOVAL_CONFLICT, case_number=second.case_number
        ).exists()

    def test_a_hold_on_a_linked_record_makes_a_blocking_conflict_at_once(
        self, ilze_actor, operation
    ):
        original = register(ilze_actor)
        second = register(ilze_actor, given_names="ANNA")
        cases.decide_identity(
            actor=ilze_actor, person=second, other=original, decision="same", reason="x"
        )
        services.add_to_manifest(actor=ilze_actor, operation=operation, person=second)

        cases.place_hold(actor=ilze_actor, person=original, reason="Jauna informācija.")

        [row] = conflicts_for(operation)
        assert row.person == second
        assert Escalation.objects.filter(
            kind=Escalation.Kind.REMOVAL_CONFLICT, case_number=second.case_number
        ).exists()


class TestQueryCounts:
    def test_the_guard_costs_the_same_with_one_or_many_matches(self, ilze_actor):
        lonely = register(ilze_actor, given_names="Oksana", family_name="Melnyk", birth_year=1980)
        busy = register(ilze_actor)
        for _ in range(6):
            held_original(ilze_actor)

        def queries(person: Person) -> int:
            with CaptureQueriesContext(connection) as captured, contextlib.suppress(RemovalBlocked):
                ensure_no_active_hold(person)
            return len(captured)

        # 8 + the child-screening precondition (ADR 0014): 1, and its likely duplicates that say
        # "child" (the matcher again, and their ages): 7.
        assert queries(busy) <= 16
        assert queries(lonely) <= queries(busy)

    def test_the_pre_departure_check_of_200_persons_is_constant(self, riga):
        def operation_of(size: int) -> RemovalOperation:
            operation = PlannedOperationFactory(organisation=riga)
            for index in range(size):
                person_on(operation)
                if index % 20 == 0:  # a held duplicate registered elsewhere
                    twin = person_on(operation)
                    held = PersonFactory(
                        organisation=riga,
                        given_names=twin.given_names.upper(),
                        family_name=twin.family_name.upper(),
                    )
                    ManualHoldFactory(person=held)
            return operation

        small, large = operation_of(5), operation_of(200)

        def queries(operation: RemovalOperation) -> int:
            with CaptureQueriesContext(connection) as captured:
                pre_departure_check(operation)
            return len(captured)

        assert queries(large) == queries(small)
        assert len(pre_departure_check(large).conflicts) == 10


class TestThePreDepartureCheckPage:
    def test_it_shows_a_held_duplicate_as_a_blocking_conflict(
        self, ilze_actor, ilze, operation, client_for
    ):
        from django.urls import reverse

        second = register(ilze_actor, given_names="ANNA")
        services.add_to_manifest(actor=ilze_actor, operation=operation, person=second)
        held_original(ilze_actor)

        html = (
            client_for(ilze)
            .get(reverse("removals:pre_departure", args=[operation.pk]))
            .content.decode()
        )

        assert "Blocking conflict" in html
        assert "likely the same person as a held record" in html
