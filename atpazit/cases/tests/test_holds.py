"""Removal holds (I1): every path to a removal is refused for a held person; release rules."""

from __future__ import annotations

import pytest

from atpazit.accounts.tests.factories import actor_of, member
from atpazit.audit.models import AuditEvent
from atpazit.cases import holds, services
from atpazit.cases.holds import RemovalBlocked, ensure_no_active_hold, release_blockers
from atpazit.cases.models import TRANSITIONS, Hold, Person
from atpazit.cases.tests.factories import (
    ManualHoldFactory,
    PersonFactory,
    RemovalPlannedPersonFactory,
    SuspicionHoldFactory,
)
from atpazit.escalations.models import Escalation
from atpazit.escalations.selectors import escalations_visible_to
from atpazit.lib.errors import ServiceError

pytestmark = pytest.mark.django_db


class TestStatusFlow:
    def test_it_moves_along_the_table_with_a_history_row_and_an_audit_event(self, ilze, riga):
        person = PersonFactory(organisation=riga)

        services.change_status(
            actor=actor_of(ilze), person=person, to_status="removal_planned", reason="Reiss 12.03."
        )

        person.refresh_from_db()
        assert person.status == "removal_planned"
        change = person.status_changes.get()
        assert (change.from_status, change.to_status, change.changed_by) == (
            "registered",
            "removal_planned",
            ilze,
        )
        assert change.reason == "Reiss 12.03."
        event = AuditEvent.objects.get(action="person.status_changed")
        assert event.details == {"from": "registered", "to": "removal_planned"}

    def test_it_refuses_a_move_the_table_does_not_list(self, ilze, riga):
        person = PersonFactory(organisation=riga)

        with pytest.raises(services.InvalidTransition):
            services.change_status(actor=actor_of(ilze), person=person, to_status="departed")
        assert Person.objects.get(pk=person.pk).status == "registered"

    def test_departed_is_reached_only_from_removal_planned(self):
        assert [s for s, nexts in TRANSITIONS.items() if "departed" in nexts] == ["removal_planned"]

    def test_an_officer_without_write_permission_cannot_change_status(self, janis, riga):
        person = PersonFactory(organisation=riga)

        with pytest.raises(services.NotAllowed):
            services.change_status(actor=actor_of(janis), person=person, to_status="closed")


class TestNoRemovalWhileHeld:
    """Every path by which a held person could be marked departed is refused (I1)."""

    @pytest.mark.parametrize("cause", Hold.Cause.values)
    def test_a_held_person_cannot_be_marked_departed_whatever_the_cause(self, ilze, riga, cause):
        person = RemovalPlannedPersonFactory(organisation=riga)
        ManualHoldFactory(person=person, cause=cause)

        with pytest.raises(RemovalBlocked) as refused:
            services.change_status(actor=actor_of(ilze), person=person, to_status="departed")

        assert person.case_number in str(refused.value)
        assert Person.objects.get(pk=person.pk).status == "removal_planned"
        assert not person.status_changes.filter(to_status="departed").exists()

    def test_an_unconfirmed_hold_blocks_as_much_as_a_confirmed_one(self, ilze, riga):
        person = RemovalPlannedPersonFactory(organisation=riga)
        SuspicionHoldFactory(person=person)

        with pytest.raises(RemovalBlocked):
            services.change_status(actor=actor_of(ilze), person=person, to_status="departed")

    def test_a_held_person_cannot_be_planned_for_removal(self, ilze, riga):
        person = PersonFactory(organisation=riga)
        ManualHoldFactory(person=person)

        with pytest.raises(RemovalBlocked):
            services.change_status(actor=actor_of(ilze), person=person, to_status="removal_planned")

    def test_a_hold_placed_after_the_person_was_loaded_is_still_seen(self, ilze, janis, riga):
        person = RemovalPlannedPersonFactory(organisation=riga)
        stale = Person.objects.get(pk=person.pk)
        services.place_hold(actor=actor_of(janis), person=person, reason="Pazīmes intervijā.")

        with pytest.raises(RemovalBlocked):
            services.change_status(actor=actor_of(ilze), person=stale, to_status="departed")

    def test_releasing_one_of_two_holds_still_blocks(self, ilze, riga):
        person = RemovalPlannedPersonFactory(organisation=riga)
        first = ManualHoldFactory(person=person)
        ManualHoldFactory(person=person)
        services.release_hold(
            actor=actor_of(ilze), hold=first, reason="Nepamatots.", decision_reference="L-1"
        )

        with pytest.raises(RemovalBlocked) as refused:
            services.change_status(actor=actor_of(ilze), person=person, to_status="departed")
        assert len(refused.value.holds) == 1

    def test_the_refusal_is_audited_as_denied(self, ilze, riga):
        person = RemovalPlannedPersonFactory(organisation=riga)
        hold = ManualHoldFactory(person=person)

        with pytest.raises(RemovalBlocked):
            services.change_status(actor=actor_of(ilze), person=person, to_status="departed")

        event = AuditEvent.objects.get(action="person.removal_refused")
        assert event.outcome == AuditEvent.Outcome.DENIED
        assert event.details == {
            "to": "departed",
            "holds": [hold.pk],
            "duplicates": [],
            "obstacles": [],
        }

    def test_the_guard_itself_refuses_and_names_the_causes(self, riga):
        person = PersonFactory(organisation=riga)
        SuspicionHoldFactory(person=person)

        with pytest.raises(RemovalBlocked, match="suspicion of trafficking raised"):
            ensure_no_active_hold(person)

    def test_once_every_hold_is_released_the_departure_goes_ahead(self, ilze, riga):
        person = RemovalPlannedPersonFactory(organisation=riga)
        hold = ManualHoldFactory(person=person)
        services.release_hold(
            actor=actor_of(ilze), hold=hold, reason="Nepamatots.", decision_reference="L-2"
        )

        services.change_status(actor=actor_of(ilze), person=person, to_status="departed")

        assert Person.objects.get(pk=person.pk).status == "departed"


class TestPlaceHold:
    def test_an_officer_places_a_manual_hold_confirmed_at_once(self, janis, riga):
        person = PersonFactory(organisation=riga)

        hold = services.place_hold(
            actor=actor_of(janis), person=person, reason="Saka, ka pase atņemta."
        )

        assert hold.is_active
        assert (hold.cause, hold.started_by, hold.confirmed_by) == ("manual", janis, janis)
        assert Hold.objects.get(pk=hold.pk).reason == "Saka, ka pase atņemta."
        event = AuditEvent.objects.get(action="hold.placed")
        assert event.details == {"person": person.pk, "cause": "manual"}

    def test_a_reason_is_required(self, janis, riga):
        person = PersonFactory(organisation=riga)

        with pytest.raises(services.InvalidInput) as refused:
            services.place_hold(actor=actor_of(janis), person=person, reason="   ")

        assert list(refused.value.errors) == ["reason"]
        assert not Hold.objects.exists()

    @pytest.mark.parametrize("role", ["monitor", "caseworker", "investigator", "org_admin"])
    def test_roles_without_the_permission_cannot_place_a_manual_hold(self, role, riga):
        user = member(role)
        person = PersonFactory(organisation=riga)

        with pytest.raises(services.NotAllowed):
            services.place_hold(actor=actor_of(user), person=person, reason="x")

    def test_another_unit_cannot_hold_our_person(self, gunars, riga):
        person = PersonFactory(organisation=riga)

        with pytest.raises(services.NotAllowed):
            services.place_hold(actor=actor_of(gunars), person=person, reason="x")

    def test_a_workflow_hold_waits_for_confirmation_by_the_unit(self, dace, janis, riga):
        person = PersonFactory(organisation=riga)
        hold = services.place_hold(
            actor=actor_of(dace),
            person=person,
            reason="Aizdomas skrīningā.",
            cause=Hold.Cause.SUSPICION,
            cause_reference="screening:9",
        )
        assert hold.confirmed_at is None

        services.confirm_hold(actor=actor_of(janis), hold=hold)

        hold.refresh_from_db()
        assert hold.confirmed_by == janis
        assert AuditEvent.objects.filter(action="hold.confirmed").exists()
        with pytest.raises(ServiceError, match="already confirmed"):
            services.confirm_hold(actor=actor_of(janis), hold=hold)


class TestReleaseHold:
    def test_a_case_officer_releases_by_a_recorded_decision_and_the_ombudsman_is_told(
        self, ilze, dace, riga
    ):
        person = PersonFactory(organisation=riga)
        hold = ManualHoldFactory(person=person)

        services.release_hold(
            actor=actor_of(ilze),
            hold=hold,
            reason="Papildu intervijā pazīmes neapstiprinājās.",
            decision_reference="RS-2026/145",
        )

        hold.refresh_from_db()
        assert not hold.is_active
        assert (hold.released_by, hold.release_decision_reference) == (ilze, "RS-2026/145")
        assert hold.release_reason == "Papildu intervijā pazīmes neapstiprinājās."
        event = AuditEvent.objects.get(action="hold.released")
        assert event.details == {"person": person.pk, "cause": "manual", "decision": "RS-2026/145"}
        escalation = Escalation.objects.get()
        assert escalation.kind == Escalation.Kind.HOLD_RELEASED
        assert escalation.subject == f"cases.hold:{hold.pk}"
        assert (escalation.case_number, escalation.responsible_organisation) == (
            person.case_number,
            riga,
        )
        assert list(escalations_visible_to(actor_of(dace))) == [escalation]
        assert AuditEvent.objects.filter(action="escalation.raised").exists()

    def test_an_officer_without_the_release_permission_is_refused(self, janis, riga):
        hold = ManualHoldFactory(person=PersonFactory(organisation=riga))

        with pytest.raises(services.NotAllowed):
            services.release_hold(
                actor=actor_of(janis), hold=hold, reason="x", decision_reference="y"
            )
        assert Hold.objects.get(pk=hold.pk).is_active
        assert not Escalation.objects.exists()

    def test_a_reason_and_a_decision_reference_are_both_required(self, ilze, riga):
        hold = ManualHoldFactory(person=PersonFactory(organisation=riga))

        with pytest.raises(services.InvalidInput) as refused:
            services.release_hold(
                actor=actor_of(ilze), hold=hold, reason=" ", decision_reference=""
            )

        assert set(refused.value.errors) == {"reason", "decision_reference"}
        assert Hold.objects.get(pk=hold.pk).is_active
        assert not Escalation.objects.exists()

    def test_another_unit_cannot_release(self, gunars, riga):
        hold = ManualHoldFactory(person=PersonFactory(organisation=riga))

        with pytest.raises(services.NotAllowed):
            services.release_hold(
                actor=actor_of(gunars), hold=hold, reason="x", decision_reference="y"
            )

    def test_a_released_hold_cannot_be_released_again(self, ilze, riga):
        hold = ManualHoldFactory(person=PersonFactory(organisation=riga))
        services.release_hold(actor=actor_of(ilze), hold=hold, reason="x", decision_reference="y")

        with pytest.raises(ServiceError, match="already been released"):
            services.release_hold(
                actor=actor_of(ilze), hold=hold, reason="x", decision_reference="y"
            )
        assert Escalation.objects.count() == 1

    def test_a_cause_without_a_release_rule_cannot_be_released(self, ilze, riga, monkeypatch):
        monkeypatch.delitem(holds._RELEASE_CONDITIONS, Hold.Cause.SUSPICION, raising=False)
        hold = SuspicionHoldFactory(person=PersonFactory(organisation=riga))

        assert release_blockers(hold)
        with pytest.raises(ServiceError, match="No release rule"):
            services.release_hold(
                actor=actor_of(ilze), hold=hold, reason="x", decision_reference="y"
            )
        assert Hold.objects.get(pk=hold.pk).is_active

    def test_manual_holds_have_no_blockers(self, riga):
        assert release_blockers(ManualHoldFactory(person=PersonFactory(organisation=riga))) == []

    def test_release_conditions_are_pluggable(self, ilze, riga, monkeypatch):
        def reflection_running(hold: Hold) -> list[str]:
            return ["The reflection period runs until 12 March."]

        monkeypatch.setitem(holds._RELEASE_CONDITIONS, Hold.Cause.MANUAL, [reflection_running])
        hold = ManualHoldFactory(person=PersonFactory(organisation=riga))

        with pytest.raises(ServiceError, match="reflection period runs"):
            services.release_hold(
                actor=actor_of(ilze), hold=hold, reason="x", decision_reference="y"
            )
        assert Hold.objects.get(pk=hold.pk).is_active
