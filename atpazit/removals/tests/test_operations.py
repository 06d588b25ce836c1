"""Planning, editing, confirming, carrying out and cancelling operations; the manifest rules."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from atpazit.accounts.tests.factories import member
from atpazit.audit.models import AuditEvent
from atpazit.cases.models import Person, PersonStatusChange
from atpazit.cases.tests.factories import PersonFactory
from atpazit.lib.errors import InvalidInput, InvalidTransition, NotAllowed, ServiceError
from atpazit.removals import services
from atpazit.removals.models import (
    TRANSITIONS,
    ManifestEntry,
    OperationStatusChange,
    RemovalOperation,
)
from atpazit.removals.services import OperationDetails
from atpazit.removals.tests.factories import (
    CancelledOperationFactory,
    CompletedOperationFactory,
    ConfirmedOperationFactory,
    PlannedOperationFactory,
    actor_of,
    person_on,
)

pytestmark = pytest.mark.django_db
Status = RemovalOperation.Status


def details(**overrides: object) -> OperationDetails:
    values: dict[str, object] = {
        "type": RemovalOperation.Type.SCHEDULED_FLIGHT,
        "departure_at": timezone.now() + datetime.timedelta(days=10),
        "route": "Rīga – Stambula – Taškenta",
        "country_of_return": "uz",
        "reference": "RP-2026/7",
    }
    return OperationDetails(**{**values, **overrides})  # type: ignore[arg-type]


class TestPlanning:
    def test_a_case_officer_plans_an_operation_for_her_own_unit(self, ilze_actor, riga, janis):
        operation = services.create_operation(
            actor=ilze_actor, details=details(escort_leader=janis, escort_team=[ilze_actor.user])
        )

        assert operation.organisation == riga
        assert operation.status == Status.PLANNED
        assert operation.country_of_return == "UZ"
        assert list(operation.escort_team.all()) == [ilze_actor.user]
        assert AuditEvent.objects.filter(action="operation.created", object_id=str(operation.pk))

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"route": "  "}, "route"),
            ({"country_of_return": "QQ"}, "country_of_return"),
            ({"country_of_return": "ZZ"}, "country_of_return"),
            ({"type": "submarine"}, "type"),
            ({"departure_at": timezone.now() - datetime.timedelta(hours=1)}, "departure_at"),
        ],
    )
    def test_it_names_the_field_that_is_wrong(self, ilze_actor, overrides, field):
        with pytest.raises(InvalidInput) as refused:
            services.create_operation(actor=ilze_actor, details=details(**overrides))

        assert list(refused.value.errors) == [field]
        assert not RemovalOperation.objects.exists()

    def test_escort_officers_must_belong_to_the_unit(self, ilze_actor, gunars):
        with pytest.raises(InvalidInput) as refused:
            services.create_operation(actor=ilze_actor, details=details(escort_team=[gunars]))

        assert list(refused.value.errors) == ["escort_team"]

    def test_an_escort_officer_cannot_plan_operations(self, janis):
        with pytest.raises(NotAllowed, match="cannot plan"):
            services.create_operation(actor=actor_of(janis), details=details())

    def test_the_monitor_cannot_plan_operations(self, dace_actor):
        with pytest.raises(NotAllowed):
            services.create_operation(actor=dace_actor, details=details())


class TestEditing:
    def test_an_edit_bumps_the_version_and_audits_the_changed_fields(self, ilze_actor, operation):
        updated = services.update_operation(
            actor=ilze_actor,
            operation=operation,
            expected_version=1,
            details=details(
                type=operation.type,
                departure_at=operation.departure_at,
                route="Rīga – Minska – Taškenta",
                reference=operation.reference,
            ),
        )

        assert updated.version == 2
        event = AuditEvent.objects.get(action="operation.updated")
        assert event.details["fields"] == ["route"]

    def test_a_stale_edit_is_refused_and_nothing_is_overwritten(self, ilze_actor, operation):
        services.update_operation(
            actor=ilze_actor,
            operation=operation,
            expected_version=1,
            details=details(route="A – B"),
        )

        with pytest.raises(services.OperationChanged) as refused:
            services.update_operation(
                actor=ilze_actor,
                operation=operation,
                expected_version=1,
                details=details(route="C – D"),
            )

        assert refused.value.current.route == "A – B"
        operation.refresh_from_db()
        assert (operation.route, operation.version) == ("A – B", 2)

    def test_another_unit_cannot_edit(self, gunars_actor, operation):
        with pytest.raises(NotAllowed, match="cannot plan or change"):
            services.update_operation(
                actor=gunars_actor, operation=operation, expected_version=1, details=details()
            )

    def test_a_past_departure_may_stay_when_other_fields_change(self, ilze_actor, riga):
        past = PlannedOperationFactory(
            organisation=riga, departure_at=timezone.now() - datetime.timedelta(hours=2)
        )

        services.update_operation(
            actor=ilze_actor,
            operation=past,
            expected_version=1,
            details=details(departure_at=past.departure_at, route="Rīga – Minska"),
        )

        kept = past.departure_at
        past.refresh_from_db()
        assert (past.route, past.version, past.departure_at) == ("Rīga – Minska", 2, kept)


class TestStatusFlow:
    def test_the_transition_table_allows_only_the_documented_moves(self):
        assert {
            Status.PLANNED: {Status.CONFIRMED, Status.CANCELLED},
            Status.CONFIRMED: {Status.COMPLETED, Status.CANCELLED},
            Status.COMPLETED: set(),
            Status.CANCELLED: set(),
        } == TRANSITIONS

    def test_confirming_plans_the_removal_of_everyone_on_the_manifest(self, ilze_actor, operation):
        people = [person_on(operation) for _ in range(3)]

        confirmed = services.confirm_operation(actor=ilze_actor, operation=operation)

        assert confirmed.status == Status.CONFIRMED
        assert {p.status for p in Person.objects.filter(pk__in=[p.pk for p in people])} == {
            Person.Status.REMOVAL_PLANNED
        }
        change = OperationStatusChange.objects.get(operation=operation)
        assert (change.from_status, change.to_status, change.changed_by) == (
            Status.PLANNED,
            Status.CONFIRMED,
            ilze_actor.user,
        )
        assert AuditEvent.objects.filter(action="operation.confirmed").count() == 1

    def test_an_empty_manifest_cannot_be_confirmed(self, ilze_actor, operation):
        with pytest.raises(ServiceError, match="at least one person"):
            services.confirm_operation(actor=ilze_actor, operation=operation)

    def test_completing_marks_everyone_departed_with_history(self, ilze_actor, operation):
        people = [person_on(operation) for _ in range(2)]
        services.confirm_operation(actor=ilze_actor, operation=operation)

        with time_machine.travel(operation.departure_at + datetime.timedelta(hours=3)):
            services.complete_operation(actor=ilze_actor, operation=operation)

        for person in people:
            person.refresh_from_db()
            assert person.status == Person.Status.DEPARTED
            assert list(
                PersonStatusChange.objects.filter(person=person).values_list("to_status", flat=True)
            ) == [Person.Status.REMOVAL_PLANNED, Person.Status.DEPARTED]
        operation.refresh_from_db()
        assert operation.status == Status.COMPLETED

    def test_an_operation_departing_next_year_cannot_be_completed_today(self, ilze_actor, riga):
        confirmed = ConfirmedOperationFactory(
            organisation=riga, departure_at=timezone.now() + datetime.timedelta(days=365)
        )
        person = person_on(confirmed, status=Person.Status.REMOVAL_PLANNED)

        with pytest.raises(ServiceError, match="only on or after that day") as refused:
            services.complete_operation(actor=ilze_actor, operation=confirmed)

        assert refused.value.code == "not_departed"
        person.refresh_from_db()
        assert person.status == Person.Status.REMOVAL_PLANNED
        confirmed.refresh_from_db()
        assert confirmed.status == Status.CONFIRMED
        assert AuditEvent.objects.filter(
            action="operation.complete_refused", outcome="denied"
        ).exists()

    def test_it_can_be_completed_on_the_day_of_departure(self, ilze_actor, riga):
        departure = timezone.localtime(timezone.now() + datetime.timedelta(days=2)).replace(
            hour=22, minute=0
        )
        confirmed = ConfirmedOperationFactory(organisation=riga, departure_at=departure)
        person_on(confirmed, status=Person.Status.REMOVAL_PLANNED)

        with time_machine.travel(departure.replace(hour=8)):
            services.complete_operation(actor=ilze_actor, operation=confirmed)

        confirmed.refresh_from_db()
        assert confirmed.status == Status.COMPLETED

    def test_a_planned_operation_cannot_be_completed(self, ilze_actor, operation):
        person_on(operation)

        with pytest.raises(InvalidTransition, match="cannot be changed to"):
            services.complete_operation(actor=ilze_actor, operation=operation)

    def test_a_person_released_from_the_procedure_blocks_completion(self, ilze_actor, riga):
        confirmed = ConfirmedOperationFactory(organisation=riga)
        person_on(confirmed, status=Person.Status.REMOVAL_PLANNED)
        released = person_on(confirmed, status=Person.Status.RELEASED)

        with pytest.raises(ServiceError, match=released.case_number):
            services.complete_operation(actor=ilze_actor, operation=confirmed)

        assert not Person.objects.filter(status=Person.Status.DEPARTED).exists()

    def test_cancelling_a_confirmed_operation_returns_everyone_to_registered(
        self, ilze_actor, operation
    ):
        person = person_on(operation)
        services.confirm_operation(actor=ilze_actor, operation=operation)

        services.cancel_operation(actor=ilze_actor, operation=operation)

        person.refresh_from_db()
        operation.refresh_from_db()
        assert person.status == Person.Status.REGISTERED
        assert operation.status == Status.CANCELLED

    @pytest.mark.parametrize("factory", [CompletedOperationFactory, CancelledOperationFactory])
    def test_an_ended_operation_cannot_change(self, ilze_actor, riga, factory):
        ended = factory(organisation=riga)

        with pytest.raises(ServiceError):
            services.cancel_operation(actor=ilze_actor, operation=ended)
        with pytest.raises(ServiceError, match="can no longer be changed"):
            services.add_to_manifest(
                actor=ilze_actor, operation=ended, person=PersonFactory(organisation=riga)
            )


class TestTheManifest:
    def test_a_free_person_of_the_unit_is_added_and_audited(self, ilze_actor, operation):
        person = PersonFactory(organisation=operation.organisation)

        entry = services.add_case_to_manifest(
            actor=ilze_actor, operation=operation, case_number=person.case_number
        )

        assert (entry.person, entry.added_by) == (person, ilze_actor.user)
        event = AuditEvent.objects.get(action="manifest.person_added")
        assert event.details == {"operation": operation.pk, "person": person.pk, "source": "form"}

    def test_a_person_of_another_unit_looks_exactly_like_an_unknown_case(
        self, ilze_actor, operation, daugavpils
    ):
        stranger = PersonFactory(organisation=daugavpils)

        with pytest.raises(ServiceError) as other_unit:
            services.add_case_to_manifest(
                actor=ilze_actor, operation=operation, case_number=stranger.case_number
            )
        with pytest.raises(ServiceError) as unknown:
            services.add_case_to_manifest(
                actor=ilze_actor, operation=operation, case_number="AT-2026-999999"
            )

        assert other_unit.value.message == unknown.value.message.replace(
            "AT-2026-999999", stranger.case_number
        )
        with pytest.raises(ServiceError, match="No person with case number"):
            services.add_to_manifest(actor=ilze_actor, operation=operation, person=stranger)

    def test_a_person_cannot_be_added_twice(self, ilze_actor, operation):
        person = person_on(operation)

        with pytest.raises(ServiceError, match="already on this manifest"):
            services.add_to_manifest(actor=ilze_actor, operation=operation, person=person)

    def test_a_person_on_another_open_operation_is_refused(self, ilze_actor, riga, operation):
        other = PlannedOperationFactory(organisation=riga, reference="RP-2026/900")
        person = person_on(other)

        with pytest.raises(ServiceError, match="RP-2026/900"):
            services.add_to_manifest(actor=ilze_actor, operation=operation, person=person)

    def test_a_departed_person_is_refused(self, ilze_actor, operation):
        person = PersonFactory(organisation=operation.organisation, status=Person.Status.DEPARTED)

        with pytest.raises(ServiceError, match="not in an active return procedure"):
            services.add_to_manifest(actor=ilze_actor, operation=operation, person=person)

    def test_adding_to_a_confirmed_operation_plans_the_removal(self, ilze_actor, riga):
        confirmed = ConfirmedOperationFactory(organisation=riga)
        person = PersonFactory(organisation=riga)

        services.add_to_manifest(actor=ilze_actor, operation=confirmed, person=person)

        person.refresh_from_db()
        assert person.status == Person.Status.REMOVAL_PLANNED

    def test_taking_someone_off_is_audited(self, ilze_actor, operation):
        person = person_on(operation)
        entry = ManifestEntry.objects.get(person=person)

        services.remove_from_manifest(actor=ilze_actor, entry=entry)

        assert not ManifestEntry.objects.exists()
        assert AuditEvent.objects.get(action="manifest.person_removed").details == {
            "operation": operation.pk,
            "person": person.pk,
        }

    def test_another_unit_cannot_take_anyone_off(self, gunars_actor, operation):
        person_on(operation)

        with pytest.raises(ServiceError):
            services.remove_from_manifest(actor=gunars_actor, entry=ManifestEntry.objects.get())

        assert ManifestEntry.objects.count() == 1
        assert AuditEvent.objects.filter(
            action="manifest.remove_refused", outcome=AuditEvent.Outcome.DENIED
        ).exists()

    def test_an_officer_without_the_planning_right_cannot_add(self, riga, operation):
        officer = actor_of(member("bg_officer", riga))

        with pytest.raises(ServiceError):
            services.add_to_manifest(
                actor=officer, operation=operation, person=PersonFactory(organisation=riga)
            )
