"""A hold placed on someone already on a manifest is a blocking conflict: shown, escalated to
the Ombudsman once per person and operation, and cleared by taking the person off or by
releasing the hold — never silently."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from atpazit.audit.models import AuditEvent
from atpazit.cases import services as cases_services
from atpazit.escalations.models import Escalation
from atpazit.escalations.selectors import escalations_visible_to
from atpazit.removals import services
from atpazit.removals.conflicts import sync_conflict_escalations, sync_conflicts_for_person
from atpazit.removals.models import ManifestEntry
from atpazit.removals.selectors import conflicts_for, operations_with_conflicts
from atpazit.removals.tests.factories import PlannedOperationFactory, held_person_on, person_on

pytestmark = pytest.mark.django_db


def conflict_escalations(**filters: object):
    return Escalation.objects.filter(kind=Escalation.Kind.REMOVAL_CONFLICT, **filters)


def place_hold(actor, person):
    hold = cases_services.place_hold(actor=actor, person=person, reason="Parāds darba devējam.")
    sync_conflicts_for_person(person=person, actor=actor)
    return hold


class TestAHoldPlacedAfterThePersonWasAdded:
    def test_it_becomes_a_blocking_conflict_escalated_to_the_ombudsman(
        self, ilze_actor, operation, dace_actor
    ):
        person = person_on(operation)
        assert conflicts_for(operation) == []

        place_hold(ilze_actor, person)

        [conflict] = conflicts_for(operation)
        assert conflict.person == person
        assert [hold.cause for hold in conflict.holds] == ["manual"]
        [escalation] = conflict_escalations()
        assert escalation.case_number == person.case_number
        assert escalation.subject == f"removals.removaloperation:{operation.pk}"
        assert escalation.responsible_organisation == operation.organisation
        assert escalation.resolved_at is None
        assert escalation in escalations_visible_to(dace_actor)

    def test_the_escalation_is_raised_once_however_often_the_conflict_is_seen(
        self, client_for, ilze_actor, ilze, operation
    ):
        held_person_on(operation)
        client = client_for(ilze)

        client.get(reverse("removals:operation_detail", args=[operation.pk]))
        client.get(reverse("removals:pre_departure", args=[operation.pk]))
        sync_conflict_escalations(operation=operation)
        with pytest.raises(services.OperationBlocked):
            services.confirm_operation(actor=ilze_actor, operation=operation)

        assert conflict_escalations().count() == 1
        assert AuditEvent.objects.filter(action="escalation.raised").count() == 1

    def test_a_refused_confirmation_raises_it_even_if_nobody_looked(self, ilze_actor, operation):
        held_person_on(operation)

        with pytest.raises(services.OperationBlocked):
            services.confirm_operation(actor=ilze_actor, operation=operation)

        assert conflict_escalations(resolved_at__isnull=True).count() == 1

    def test_each_held_person_gets_their_own_escalation(self, operation):
        first, second = held_person_on(operation), held_person_on(operation)

        sync_conflict_escalations(operation=operation)

        assert set(conflict_escalations().values_list("case_number", flat=True)) == {
            first.case_number,
            second.case_number,
        }

    def test_the_operation_page_shows_the_blocking_conflict(self, client_for, janis, operation):
        held = held_person_on(operation)

        page = client_for(janis).get(reverse("removals:operation_detail", args=[operation.pk]))

        html = page.content.decode()
        assert 'id="blocking-conflict"' in html
        assert held.case_number in html
        assert "held: blocking conflict" in html


class TestResolvingTheConflict:
    def test_taking_the_person_off_the_manifest_resolves_it(self, ilze_actor, operation):
        held_person_on(operation)
        sync_conflict_escalations(operation=operation)

        services.remove_from_manifest(actor=ilze_actor, entry=ManifestEntry.objects.get())

        assert conflicts_for(operation) == []
        [escalation] = conflict_escalations()
        assert escalation.resolved_at is not None
        assert escalation.resolved_by == ilze_actor.user
        # Stored as a code, read in each reader's language.
        assert escalation.resolution_code == "removed_from_manifest"
        assert escalation.resolution_note == ""
        event = AuditEvent.objects.get(action="escalation.resolved")
        assert event.details["reason"] == "removed_from_manifest"

    def test_releasing_the_hold_resolves_it(self, ilze_actor, operation):
        person = person_on(operation)
        hold = place_hold(ilze_actor, person)

        cases_services.release_hold(
            actor=ilze_actor, hold=hold, reason="Pārbaudīts.", decision_reference="RS-2026/1"
        )
        sync_conflicts_for_person(person=person, actor=ilze_actor)

        assert conflicts_for(operation) == []
        assert conflict_escalations(resolved_at__isnull=True).count() == 0
        event = AuditEvent.objects.get(action="escalation.resolved")
        assert event.details["reason"] == "hold_released"
        # And now the operation can be confirmed.
        services.confirm_operation(actor=ilze_actor, operation=operation)

    def test_cancelling_the_operation_resolves_it(self, ilze_actor, operation):
        held_person_on(operation)
        sync_conflict_escalations(operation=operation)

        services.cancel_operation(actor=ilze_actor, operation=operation)

        assert conflict_escalations(resolved_at__isnull=True).count() == 0

    def test_a_new_hold_after_a_resolved_conflict_is_escalated_again(self, ilze_actor, operation):
        person = person_on(operation)
        hold = place_hold(ilze_actor, person)
        cases_services.release_hold(
            actor=ilze_actor, hold=hold, reason="Pārbaudīts.", decision_reference="RS-2026/2"
        )
        sync_conflicts_for_person(person=person)

        place_hold(ilze_actor, person)

        assert conflict_escalations().count() == 2
        assert conflict_escalations(resolved_at__isnull=True).count() == 1

    def test_the_command_line_sync_catches_up_on_holds_placed_elsewhere(self, operation):
        held_person_on(operation)

        call_command("removals", "sync-conflicts")
        call_command("removals", "sync-conflicts")

        assert conflict_escalations().count() == 1


class TestTheDashboard:
    def test_the_unit_and_the_monitor_see_the_operation_in_their_conflict_panel(
        self, client_for, janis, dace, gunars, operation
    ):
        held_person_on(operation)
        calm = PlannedOperationFactory(organisation=operation.organisation, reference="RP-CALM")
        person_on(calm)

        for user, sees in ((janis, True), (dace, True), (gunars, False)):
            html = client_for(user).get(reverse("web:dashboard")).content.decode()
            assert "Removal operations with a blocking conflict" in html
            assert (reverse("removals:operation_detail", args=[operation.pk]) in html) is sees

    def test_only_open_operations_with_held_persons_are_listed(
        self, ilze_actor, dace_actor, operation
    ):
        held_person_on(operation)
        PlannedOperationFactory(organisation=operation.organisation)

        assert list(operations_with_conflicts(ilze_actor)) == [operation]
        assert list(operations_with_conflicts(dace_actor)) == [operation]
        services.cancel_operation(actor=ilze_actor, operation=operation)
        assert list(operations_with_conflicts(ilze_actor)) == []
