"""“Re-screen before removal” is enforced (issue 8, reproduction 3; I1).

After a suspicion's hold is released the person is marked for a fresh screening. Until a
screening is completed after that mark, no removal step passes: not a manifest addition (form or
import), not a confirmation, not a completion, not a status change to removal planned or
departed. They all run the one guard (``cases.holds.ensure_no_active_hold``), where the referral
work registers this precondition. The pre-departure check shows it as a blocking item."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import AuditEvent
from atpazit.cases import services as cases_services
from atpazit.cases.holds import RemovalBlocked, ensure_no_active_hold
from atpazit.cases.models import Person
from atpazit.referrals import services
from atpazit.referrals.tests.factories import (
    DeclinedReferralFactory,
    PoliceDeclinedReferralFactory,
    SuspicionFactory,
)
from atpazit.removals import services as removal_services
from atpazit.removals.models import ManifestEntry
from atpazit.removals.selectors import pre_departure_check
from atpazit.removals.tests.factories import (
    ConfirmedOperationFactory,
    ManifestEntryFactory,
    PlannedOperationFactory,
)
from atpazit.screening.models import ScreeningSession as ScreeningSessionModel
from atpazit.screening.tests.factories import DecidedSessionFactory, OpenSessionFactory

pytestmark = pytest.mark.django_db


def released(person, unit, user):
    """A suspicion about ``person`` whose tracks ended negatively and whose hold is released."""
    suspicion = SuspicionFactory(person=person, raised_by_organisation=unit)
    DeclinedReferralFactory(suspicion=suspicion)
    PoliceDeclinedReferralFactory(suspicion=suspicion)
    services.decide_hold_release(
        actor=actor_of(user),
        suspicion=suspicion,
        reason="Policija atteica uzsākt procesu; risks zems.",
        decision_reference="RP-2026/501",
    )
    return suspicion


def screened_again(person):
    return DecidedSessionFactory(
        person=person, completed_at=timezone.now() + dt.timedelta(minutes=1)
    )


@pytest.fixture
def operation(riga):
    return PlannedOperationFactory(organisation=riga)


@pytest.fixture
def flagged(riga, ilze):
    from atpazit.cases.tests.factories import PersonFactory

    person = PersonFactory(organisation=riga)
    released(person, riga, ilze)
    return person


class TestNoRemovalStepWithoutAFreshScreening:
    def test_the_manifest_form_refuses_and_names_the_step(self, ilze, operation, flagged):
        with pytest.raises(RemovalBlocked) as refused:
            removal_services.add_to_manifest(
                actor=actor_of(ilze), operation=operation, person=flagged
            )
        assert [o.code for o in refused.value.obstacles] == ["rescreen_required"]
        assert "re-screen before removal" in str(refused.value)
        assert not ManifestEntry.objects.filter(operation=operation).exists()
        event = AuditEvent.objects.get(action="manifest.add_refused")
        assert (event.details["reason"], event.details["obstacles"]) == (
            "precondition",
            ["rescreen_required"],
        )

    def test_the_import_refuses_the_row(self, ilze, operation, flagged):
        result = removal_services.import_manifest(
            actor=actor_of(ilze),
            operation=operation,
            data=f"case_number\n{flagged.case_number}\n".encode(),
            filename="manifest.csv",
        )
        assert not result.ok
        assert [(p.row, p.column) for p in result.problems] == [(2, "case_number")]
        assert "re-screen before removal" in result.problems[0].message
        assert not ManifestEntry.objects.filter(operation=operation).exists()

    def test_confirming_is_refused_for_a_person_already_on_the_manifest(self, ilze, riga):
        operation = PlannedOperationFactory(organisation=riga)
        entry = ManifestEntryFactory(operation=operation)
        released(entry.person, riga, ilze)  # held while on the manifest, then released

        with pytest.raises(removal_services.OperationBlocked) as refused:
            removal_services.confirm_operation(actor=actor_of(ilze), operation=operation)

        assert "cannot be removed yet" in refused.value.message
        operation.refresh_from_db()
        assert operation.status == "planned"

    def test_completing_is_refused_and_nobody_departs(self, ilze, riga):
        operation = ConfirmedOperationFactory(organisation=riga)
        other = ManifestEntryFactory(operation=operation).person
        entry = ManifestEntryFactory(operation=operation)
        released(entry.person, riga, ilze)

        with pytest.raises(removal_services.OperationBlocked):
            removal_services.complete_operation(actor=actor_of(ilze), operation=operation)

        for person in (entry.person, other):
            person.refresh_from_db()
            assert person.status != Person.Status.DEPARTED

    def test_a_status_change_to_departed_is_refused(self, ilze, flagged):
        with pytest.raises(RemovalBlocked):
            cases_services.change_status(
                actor=actor_of(ilze), person=flagged, to_status="removal_planned"
            )
        event = AuditEvent.objects.get(action="person.removal_refused")
        assert event.details["obstacles"] == ["rescreen_required"]

    def test_a_screening_still_in_progress_does_not_count(self, flagged):
        OpenSessionFactory(person=flagged)
        with pytest.raises(RemovalBlocked):
            ensure_no_active_hold(flagged)

    def test_a_screening_completed_after_the_release_lifts_it(self, ilze, operation, flagged):
        screened_again(flagged)
        ensure_no_active_hold(flagged)
        assert removal_services.add_to_manifest(
            actor=actor_of(ilze), operation=operation, person=flagged
        )


class TestThePreDepartureCheck:
    def test_it_shows_the_missing_screening_as_blocking(self, ilze, riga, client_for):
        operation = PlannedOperationFactory(organisation=riga)
        fine = ManifestEntryFactory(operation=operation).person
        entry = ManifestEntryFactory(operation=operation)
        released(entry.person, riga, ilze)

        check = pre_departure_check(operation)

        assert [row.person for row in check.blocked] == [entry.person]
        assert check.rows[0].person == entry.person  # blocked rows come first
        assert [o.code for o in check.rows[0].obstacles] == ["rescreen_required"]
        assert not check.rows[1].obstacles
        assert check.rows[1].person == fine
        page = client_for(ilze).get(reverse("removals:pre_departure", args=[operation.pk]))
        assert "BLOCKED: STEP TO DO" in page.content.decode()


class TestARescreenThatFindsIndicatorsHoldsAgain:
    """The re-screen exists to catch what the first episode missed: when it ends in "raise a
    suspicion", the removal is held again at once — the released episode's suspicion, still
    open, must not swallow the new one (hand_over_suspicion would otherwise go on with it)."""

    def test_raising_a_suspicion_at_the_rescreen_places_a_new_hold(self, janis, flagged):
        from atpazit.screening import services as screening_services

        session = OpenSessionFactory(person=flagged, screener=janis, stage="pre_departure")
        screening_services.record_decision(
            actor=actor_of(janis),
            session=session,
            decision="raise_suspicion",
            reason="Atkārtotā pārrunā: pase atņemta, draudi ģimenei.",
            version=session.version,
        )

        with pytest.raises(RemovalBlocked) as refused:
            ensure_no_active_hold(flagged)
        assert refused.value.holds

    def test_no_new_referral_goes_out_on_the_released_episode(self, janis, marta, riga, ilze):
        """A track opened on a suspicion whose hold is released would run with nobody held:
        the new referral belongs to a new suspicion, which holds the removal again."""
        from atpazit.cases.tests.factories import PersonFactory
        from atpazit.referrals.models import Referral
        from atpazit.referrals.tests.factories import ConsentGivenFactory

        person = PersonFactory(organisation=riga)
        suspicion = released(person, riga, ilze)
        ConsentGivenFactory(suspicion=suspicion)

        with pytest.raises(services.ServiceError) as refused:
            services.send_referrals(actor=actor_of(janis), suspicion=suspicion, provider=marta)
        assert "raise a new suspicion" in str(refused.value)
        assert not Referral.objects.filter(suspicion=suspicion, status="sent").exists()

    def test_a_new_suspicion_can_be_raised_from_the_person_page(self, janis, flagged, client_for):
        from atpazit.referrals.models import Suspicion

        url = reverse("referrals:suspicion_create", args=[flagged.pk])
        assert client_for(janis).get(url).status_code == 200
        response = client_for(janis).post(
            url, {"reason": "Otrreiz: pase atņemta, draudi ģimenei.", "source_reference": ""}
        )
        assert response.status_code == 302
        newest = Suspicion.objects.filter(person=flagged).order_by("-pk").first()
        assert newest.hold.is_active
        with pytest.raises(RemovalBlocked):
            ensure_no_active_hold(flagged)

    def test_a_screening_started_before_the_release_is_no_re_screen(self, janis, riga, ilze):
        """An interview left open from before the release, decided afterwards, asks nothing
        fresh: only a screening started after the release lifts the marker."""
        from atpazit.cases.tests.factories import PersonFactory
        from atpazit.screening import services as screening_services

        person = PersonFactory(organisation=riga)
        old = OpenSessionFactory(person=person, screener=janis)
        ScreeningSessionModel.objects.filter(pk=old.pk).update(
            started_at=timezone.now() - dt.timedelta(days=3)
        )
        released(person, riga, ilze)
        old.refresh_from_db()
        screening_services.record_decision(
            actor=actor_of(janis),
            session=old,
            decision="no_action",
            reason="Pazīmes netika konstatētas.",
            version=old.version,
        )

        with pytest.raises(RemovalBlocked):
            ensure_no_active_hold(person)
