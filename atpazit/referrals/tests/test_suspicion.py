"""Raising a suspicion holds the removal at once (I1), fixes the child path (I4) and starts the
Border Guard's confirmation; no removal path passes while the hold is active."""

from __future__ import annotations

import pytest

from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import AuditEvent, Disclosure
from atpazit.cases import services as cases_services
from atpazit.cases.holds import RemovalBlocked
from atpazit.cases.models import Hold, Person
from atpazit.cases.tests.factories import AgeDisputedPersonFactory, PersonFactory
from atpazit.deadlines.models import Deadline
from atpazit.deadlines.rules import Kind
from atpazit.escalations.models import Escalation
from atpazit.notifications.models import Notification
from atpazit.referrals import services
from atpazit.referrals.models import Suspicion
from atpazit.removals import services as removal_services
from atpazit.removals.models import ManifestEntry
from atpazit.removals.tests.factories import ConfirmedOperationFactory, PlannedOperationFactory

pytestmark = pytest.mark.django_db

REASON = "Stāsta, ka darba devējs atņēma pasi un nemaksāja algu trīs mēnešus."


def raise_by(user, person, **kwargs) -> Suspicion:
    return services.raise_suspicion(actor=actor_of(user), person=person, reason=REASON, **kwargs)


class TestRaisingASuspicion:
    def test_it_holds_the_removal_at_once(self, janis, person):
        suspicion = raise_by(janis, person)
        hold = suspicion.hold
        assert (hold.cause, hold.is_active, hold.person_id) == (
            Hold.Cause.SUSPICION,
            True,
            person.pk,
        )
        assert suspicion.reason == REASON
        assert AuditEvent.objects.filter(
            action="suspicion.raised", object_id=str(suspicion.pk)
        ).exists()

    def test_an_officer_s_hold_waits_for_the_unit_s_case_officers_with_a_same_day_deadline(
        self, janis, ilze, person
    ):
        suspicion = raise_by(janis, person)
        assert suspicion.hold.confirmed_at is None
        deadline = Deadline.objects.get(kind=Kind.HOLD_CONFIRMATION)
        assert deadline.responsible_organisation == person.organisation
        assert deadline.case_number == person.case_number
        notified = Notification.objects.filter(kind="hold.placed").values_list(
            "recipient", flat=True
        )
        assert list(notified) == [ilze.pk]  # the case officer, not the officer who raised it

    def test_the_unit_s_case_officer_confirms_at_once(self, ilze, person):
        suspicion = raise_by(ilze, person)
        assert suspicion.hold.confirmed_by == ilze
        assert not Deadline.objects.filter(kind=Kind.HOLD_CONFIRMATION).exists()

    def test_confirming_on_the_suspicion_page_meets_the_deadline(self, janis, ilze, person):
        suspicion = raise_by(janis, person)
        services.confirm_suspicion_hold(actor=actor_of(ilze), suspicion=suspicion)
        assert Deadline.objects.get(kind=Kind.HOLD_CONFIRMATION).met_at is not None

    def test_the_ombudsman_raises_one_for_the_unit_to_confirm(self, dace, ilze, person):
        suspicion = raise_by(dace, person)
        assert suspicion.raised_by_organisation == dace.memberships.get().organisation
        assert (
            Deadline.objects.get(kind=Kind.HOLD_CONFIRMATION).responsible_organisation
            == person.organisation
        )

    def test_it_refuses_a_person_of_another_unit_and_changes_nothing(self, gunars, person):
        with pytest.raises(services.NotAllowed):
            raise_by(gunars, person)
        assert not Hold.objects.exists()

    def test_it_refuses_roles_that_may_not_raise(self, liga, rihards, olga, person):
        for user in (liga, rihards, olga):
            with pytest.raises(services.NotAllowed):
                raise_by(user, person)

    def test_it_needs_a_reason_and_saves_nothing_without_one(self, janis, person):
        with pytest.raises(services.InvalidInput) as refused:
            services.raise_suspicion(actor=actor_of(janis), person=person, reason="  ")
        assert "reason" in refused.value.errors
        assert not Hold.objects.exists()
        assert not Suspicion.objects.exists()

    def test_one_open_suspicion_per_person(self, janis, person):
        raise_by(janis, person)
        with pytest.raises(services.ServiceError):
            raise_by(janis, person)
        assert Hold.objects.count() == 1

    def test_the_source_screening_is_kept(self, janis, person):
        suspicion = raise_by(janis, person, source_reference="screening:17")
        assert suspicion.source_reference == "screening:17"


class TestTheChildPath:
    def test_a_child_gets_the_child_path_and_the_orphan_s_court_is_notified(
        self, janis, child, orphans_court, gunta
    ):
        suspicion = raise_by(janis, child)
        assert suspicion.child_path is True
        assert suspicion.orphans_court == orphans_court
        notice = Notification.objects.get(kind="child.guardian_notice")
        assert notice.recipient == gunta
        disclosure = Disclosure.objects.get(to_organisation=orphans_court)
        assert (disclosure.legal_basis, disclosure.subject) == (
            "law",
            f"referrals.suspicion:{suspicion.pk}",
        )

    def test_a_disputed_age_means_the_child_path(self, janis, riga, orphans_court):
        person = AgeDisputedPersonFactory(organisation=riga)
        assert raise_by(janis, person).child_path is True

    def test_with_several_orphan_s_courts_the_officer_chooses(self, janis, child, orphans_court):
        from atpazit.accounts.tests.factories import OrganisationFactory

        other = OrganisationFactory(type="orphans_court", name="Daugavpils bāriņtiesa (tests)")
        with pytest.raises(services.InvalidInput) as refused:
            raise_by(janis, child)
        assert "orphans_court" in refused.value.errors
        assert raise_by(janis, child, orphans_court=other).orphans_court == other

    def test_an_adult_has_no_child_path(self, janis, person, orphans_court):
        suspicion = raise_by(janis, person)
        assert (suspicion.child_path, suspicion.orphans_court) == (False, None)
        assert not Notification.objects.filter(kind="child.guardian_notice").exists()


class TestNoRemovalWhileHeld:
    """I1: the suspicion's hold blocks every removal path."""

    def test_a_held_person_cannot_be_put_on_a_manifest(self, janis, ilze, person):
        raise_by(janis, person)
        operation = PlannedOperationFactory(organisation=person.organisation)
        with pytest.raises(RemovalBlocked):
            removal_services.add_to_manifest(
                actor=actor_of(ilze), operation=operation, person=person
            )
        assert not ManifestEntry.objects.exists()

    def test_a_held_person_cannot_be_marked_departed(self, janis, ilze, riga):
        person = PersonFactory(organisation=riga, status=Person.Status.REMOVAL_PLANNED)
        raise_by(janis, person)
        with pytest.raises(RemovalBlocked):
            cases_services.change_status(
                actor=actor_of(ilze), person=person, to_status=Person.Status.DEPARTED
            )
        assert Person.objects.get(pk=person.pk).status == Person.Status.REMOVAL_PLANNED

    def test_a_held_person_already_on_a_manifest_is_a_blocking_conflict_for_the_ombudsman(
        self, janis, ilze, person
    ):
        operation = ConfirmedOperationFactory(organisation=person.organisation)
        ManifestEntry.objects.create(operation=operation, person=person)
        raise_by(janis, person)
        assert Escalation.objects.filter(
            kind=Escalation.Kind.REMOVAL_CONFLICT, case_number=person.case_number
        ).exists()
        with pytest.raises(removal_services.OperationBlocked):
            removal_services.complete_operation(actor=actor_of(ilze), operation=operation)
        assert Person.objects.get(pk=person.pk).status != Person.Status.DEPARTED
