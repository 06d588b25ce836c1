"""Invariant I1: every path that could move a held person towards removal refuses, and changes
nothing. Manifest add (object and case number, service and page), import (checked and under
lock), the management command, confirming, completing (marking departed)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from atpazit.audit.models import AuditEvent
from atpazit.cases.holds import RemovalBlocked
from atpazit.cases.models import Person
from atpazit.cases.tests.factories import ManualHoldFactory, PersonFactory, SuspicionHoldFactory
from atpazit.removals import manifest_import, services
from atpazit.removals.models import ManifestEntry, RemovalOperation
from atpazit.removals.tests.factories import (
    ConfirmedOperationFactory,
    held_person_on,
    person_on,
)

pytestmark = pytest.mark.django_db


def held_person(organisation) -> Person:
    person = PersonFactory(organisation=organisation)
    ManualHoldFactory(person=person)
    return person


def csv_of(*case_numbers: str) -> bytes:
    return ("case_number\n" + "\n".join(case_numbers) + "\n").encode()


def refusals(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, outcome=AuditEvent.Outcome.DENIED))


class TestAddingToAManifest:
    def test_it_refuses_a_held_person_and_changes_nothing(self, ilze_actor, operation):
        person = held_person(operation.organisation)

        with pytest.raises(RemovalBlocked, match="removal hold"):
            services.add_to_manifest(actor=ilze_actor, operation=operation, person=person)

        assert not ManifestEntry.objects.exists()
        person.refresh_from_db()
        assert (person.status, person.version) == (Person.Status.REGISTERED, 1)
        [event] = refusals("manifest.add_refused")
        assert event.details["reason"] == "hold"

    def test_it_refuses_a_held_person_typed_by_case_number(self, ilze_actor, operation):
        person = held_person(operation.organisation)

        with pytest.raises(RemovalBlocked) as refused:
            services.add_case_to_manifest(
                actor=ilze_actor,
                operation=operation,
                case_number=f"  {person.case_number.lower()} ",
            )

        assert person.case_number in str(refused.value)
        assert not ManifestEntry.objects.exists()

    def test_it_refuses_a_held_person_on_an_already_confirmed_operation(self, ilze_actor, riga):
        confirmed = ConfirmedOperationFactory(organisation=riga)
        person = held_person(riga)

        with pytest.raises(RemovalBlocked):
            services.add_to_manifest(actor=ilze_actor, operation=confirmed, person=person)

        assert not ManifestEntry.objects.exists()

    def test_the_page_refuses_a_held_person_with_the_reason(self, client_for, ilze, operation):
        person = held_person(operation.organisation)

        response = client_for(ilze).post(
            reverse("removals:manifest_add", args=[operation.pk]),
            {"case_number": person.case_number},
        )

        assert response.status_code == 400
        assert "is under a removal hold" in response.content.decode()
        assert not ManifestEntry.objects.exists()

    def test_a_suspicion_hold_not_yet_confirmed_blocks_as_well(self, ilze_actor, operation):
        person = PersonFactory(organisation=operation.organisation)
        SuspicionHoldFactory(person=person)

        with pytest.raises(RemovalBlocked, match="suspicion"):
            services.add_to_manifest(actor=ilze_actor, operation=operation, person=person)


class TestImportingAManifest:
    def test_it_refuses_a_file_with_a_held_person_and_imports_nobody(self, ilze_actor, operation):
        free = PersonFactory(organisation=operation.organisation)
        held = held_person(operation.organisation)

        result = services.import_manifest(
            actor=ilze_actor,
            operation=operation,
            data=csv_of(free.case_number, held.case_number),
            filename="manifests.csv",
        )

        assert not result.ok
        [problem] = result.problems
        assert (problem.row, problem.column) == (3, "case_number")
        assert held.case_number in problem.message
        assert "removal hold" in problem.message
        assert not ManifestEntry.objects.exists()

    def test_a_hold_placed_after_the_check_is_still_caught_while_writing(
        self, ilze_actor, operation, monkeypatch
    ):
        free = PersonFactory(organisation=operation.organisation)
        held = held_person(operation.organisation)
        # The check ran before the hold existed: only the guard under lock can stop it now.
        monkeypatch.setattr(manifest_import, "removal_blocks", lambda persons, **_options: {})

        result = services.import_manifest(
            actor=ilze_actor,
            operation=operation,
            data=csv_of(free.case_number, held.case_number),
            filename="m.csv",
        )

        assert [(p.row, p.column) for p in result.problems] == [(3, "case_number")]
        assert "removal hold" in result.problems[0].message
        assert not ManifestEntry.objects.exists()

    def test_the_management_command_refuses_a_held_person(self, ilze, operation, tmp_path):
        held = held_person(operation.organisation)
        path = tmp_path / "manifest.csv"
        path.write_bytes(csv_of(held.case_number))

        with pytest.raises(CommandError, match="Nothing imported"):
            call_command(
                "removals", "import-manifest", str(operation.pk), str(path), user=ilze.username
            )

        assert not ManifestEntry.objects.exists()


class TestConfirming:
    def test_it_refuses_while_anyone_on_the_manifest_is_held_and_lists_every_one(
        self, ilze_actor, operation
    ):
        free = person_on(operation)
        first = held_person_on(operation)
        second = held_person_on(operation)

        with pytest.raises(services.OperationBlocked) as refused:
            services.confirm_operation(actor=ilze_actor, operation=operation)

        assert {b.person for b in refused.value.blocked} == {first, second}
        assert first.case_number in refused.value.message
        assert second.case_number in refused.value.message
        operation.refresh_from_db()
        assert (operation.status, operation.version) == (RemovalOperation.Status.PLANNED, 1)
        free.refresh_from_db()
        assert free.status == Person.Status.REGISTERED
        [event] = refusals("operation.confirm_refused")
        assert sorted(event.details["held"]) == sorted([first.pk, second.pk])

    def test_the_page_refuses_with_the_reason(self, client_for, ilze, operation):
        held = held_person_on(operation)

        response = client_for(ilze).post(
            reverse("removals:operation_confirm", args=[operation.pk]), follow=True
        )

        assert "cannot be confirmed" in response.content.decode()
        assert held.case_number in response.content.decode()
        operation.refresh_from_db()
        assert operation.status == RemovalOperation.Status.PLANNED


class TestCompleting:
    def test_it_marks_nobody_departed_if_anyone_is_held(self, ilze_actor, riga):
        confirmed = ConfirmedOperationFactory(organisation=riga)
        free = [person_on(confirmed, status=Person.Status.REMOVAL_PLANNED) for _ in range(2)]
        held = held_person_on(confirmed, status=Person.Status.REMOVAL_PLANNED)

        with pytest.raises(services.OperationBlocked) as refused:
            services.complete_operation(actor=ilze_actor, operation=confirmed)

        assert [b.person for b in refused.value.blocked] == [held]
        assert "nobody was marked departed" in refused.value.message
        confirmed.refresh_from_db()
        assert confirmed.status == RemovalOperation.Status.CONFIRMED
        statuses = set(
            Person.objects.filter(pk__in=[p.pk for p in [*free, held]]).values_list(
                "status", flat=True
            )
        )
        assert statuses == {Person.Status.REMOVAL_PLANNED}
        assert refusals("operation.complete_refused")

    def test_there_is_no_way_to_override(self):
        # No service takes a "force" argument: the guard is not negotiable.
        import inspect

        for function in (
            services.add_to_manifest,
            services.confirm_operation,
            services.complete_operation,
            services.import_manifest,
        ):
            assert not {"force", "override"} & set(inspect.signature(function).parameters)
