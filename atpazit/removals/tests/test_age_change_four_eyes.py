"""One officer alone cannot take a person on a removal operation off the child path (ADR 0021).

Clearing "age disputed" or raising the age so that a child becomes an adult needs a reason
from a fixed list, always; on a person who is on an operation that has not departed, it takes
effect only when a second, different case officer of the unit confirms it. Until then the
record is unchanged: the person stays a child for the blocking rule, the check and the
conflict escalation. The hurried officer, the officer confirming their own change, another
unit, and a change overtaken by a newer one are each refused.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import AuditEvent
from atpazit.cases import services as cases
from atpazit.cases.models import AgeChange, AgeChangeReason, Person
from atpazit.cases.tests.factories import PersonFactory
from atpazit.lib.errors import InvalidInput, NotAllowed, ServiceError
from atpazit.removals import services
from atpazit.removals.models import RemovalOperation
from atpazit.removals.selectors import pre_departure_check
from atpazit.removals.tests.factories import ConfirmedOperationFactory, person_on

pytestmark = pytest.mark.django_db

DOCUMENT = AgeChangeReason.DOCUMENT.value


def edit(actor, person: Person, reason: str = "", note: str = "", **data) -> Person:
    person.refresh_from_db()
    return cases.update_person(
        actor=actor,
        person=person,
        version=person.version,
        data=data,
        age_reason=reason,
        age_note=note,
    )


@pytest.fixture
def confirmed(riga) -> RemovalOperation:
    return ConfirmedOperationFactory(organisation=riga)


@pytest.fixture
def disputed(confirmed) -> Person:
    """Of disputed age, on a confirmed operation, not screened: a blocking conflict."""
    return person_on(confirmed, birth_year=2000, age_disputed=True)


def still_a_child(operation: RemovalOperation, person: Person) -> None:
    person.refresh_from_db()
    assert person.age_disputed or person.birth_year == 2011
    [row] = pre_departure_check(operation).conflicts
    assert row.person == person
    assert row.child_not_screened


class TestTheHurriedOfficer:
    def test_clearing_the_dispute_without_a_reason_is_refused_and_nothing_saved(
        self, ilze_actor, confirmed, disputed
    ):
        version = disputed.version

        with pytest.raises(InvalidInput) as refused:
            edit(ilze_actor, disputed, age_disputed=False, contact_details="+371 2000 0000")

        assert "age_change_reason" in refused.value.errors
        disputed.refresh_from_db()
        assert disputed.age_disputed
        assert disputed.version == version
        assert disputed.contact_details == ""
        assert not AgeChange.objects.exists()

    def test_an_unknown_reason_code_is_refused(self, ilze_actor, confirmed, disputed):
        with pytest.raises(InvalidInput):
            edit(ilze_actor, disputed, reason="looks_older", age_disputed=False)

    def test_with_a_reason_the_change_waits_and_the_person_stays_a_child(
        self, ilze_actor, confirmed, disputed
    ):
        person = edit(
            ilze_actor,
            disputed,
            reason=DOCUMENT,
            note="Pase Nr. redzēta",
            age_disputed=False,
            contact_details="+371 2000 0000",
        )

        change = person.pending_age_change
        assert change.status == AgeChange.Status.PENDING
        assert change.reason_code == DOCUMENT
        still_a_child(confirmed, disputed)
        disputed.refresh_from_db()
        assert disputed.contact_details == "+371 2000 0000"  # the rest of the edit is saved
        with pytest.raises(services.OperationBlocked):
            services.complete_operation(actor=ilze_actor, operation=confirmed)
        event = AuditEvent.objects.get(action="person.age_change_proposed")
        assert event.details == {
            "person": disputed.pk,
            "reason": DOCUMENT,
            "fields": ["age_disputed"],
        }

    def test_raising_a_childs_age_to_an_adults_waits_too(self, ilze_actor, riga):
        operation = ConfirmedOperationFactory(organisation=riga)
        child = person_on(operation, birth_year=2011)

        person = edit(ilze_actor, child, reason=DOCUMENT, birth_year=1990)

        assert person.pending_age_change is not None
        still_a_child(operation, child)

    def test_a_change_that_keeps_the_child_a_child_needs_nobody(self, ilze_actor, confirmed):
        child = person_on(confirmed, birth_year=2011)

        edit(ilze_actor, child, stated_age=15)

        child.refresh_from_db()
        assert child.stated_age == 15
        assert not AgeChange.objects.exists()

    def test_off_any_operation_a_reason_is_needed_and_it_applies_at_once(self, ilze_actor, riga):
        person = PersonFactory(organisation=riga, birth_year=2000, age_disputed=True)
        with pytest.raises(InvalidInput):
            edit(ilze_actor, person, age_disputed=False)

        edit(ilze_actor, person, reason=AgeChangeReason.ENTRY_ERROR.value, age_disputed=False)

        person.refresh_from_db()
        assert not person.age_disputed
        event = AuditEvent.objects.get(action="person.age_change_applied")
        assert event.details["reason"] == "entry_error"
        assert event.details["four_eyes"] is False


class TestTheSecondPairOfEyes:
    @pytest.fixture
    def change(self, ilze_actor, confirmed, disputed) -> AgeChange:
        person = edit(ilze_actor, disputed, reason=DOCUMENT, age_disputed=False)
        return person.pending_age_change

    def test_the_proposer_cannot_confirm_their_own_change(
        self, ilze_actor, confirmed, disputed, change
    ):
        with pytest.raises(NotAllowed):
            cases.confirm_age_change(actor=ilze_actor, change=change)

        change.refresh_from_db()
        assert change.status == AgeChange.Status.PENDING
        still_a_child(confirmed, disputed)
        refusal = AuditEvent.objects.get(action="person.age_change_confirm_refused")
        assert refusal.outcome == AuditEvent.Outcome.DENIED

    def test_another_units_officer_cannot_confirm(self, gunars_actor, confirmed, disputed, change):
        with pytest.raises(NotAllowed):
            cases.confirm_age_change(actor=gunars_actor, change=change)
        still_a_child(confirmed, disputed)

    def test_an_officer_without_the_permission_cannot_confirm(
        self, janis_actor, confirmed, disputed, change
    ):
        with pytest.raises(NotAllowed):
            cases.confirm_age_change(actor=janis_actor, change=change)
        still_a_child(confirmed, disputed)

    def test_a_second_officer_confirms_and_only_then_it_takes_effect(
        self, ilze, kristaps_actor, confirmed, disputed, change
    ):
        cases.confirm_age_change(actor=kristaps_actor, change=change)

        disputed.refresh_from_db()
        assert not disputed.age_disputed
        assert not pre_departure_check(confirmed).conflicts
        change.refresh_from_db()
        assert change.status == AgeChange.Status.CONFIRMED
        event = AuditEvent.objects.get(action="person.age_change_confirmed")
        assert event.details["proposed_by"] == ilze.pk
        assert event.details["decided_by"] == kristaps_actor.user.pk
        assert event.details["reason"] == DOCUMENT

    def test_a_second_officer_may_decline_and_the_proposer_withdraw(
        self, ilze_actor, kristaps_actor, confirmed, disputed, change
    ):
        cases.decline_age_change(actor=kristaps_actor, change=change)
        change.refresh_from_db()
        assert change.status == AgeChange.Status.DECLINED
        still_a_child(confirmed, disputed)

        again = edit(ilze_actor, disputed, reason=DOCUMENT, age_disputed=False)
        cases.decline_age_change(actor=ilze_actor, change=again.pending_age_change)
        assert AgeChange.objects.get(pk=again.pending_age_change.pk).status == "withdrawn"
        still_a_child(confirmed, disputed)

    def test_a_second_proposal_while_one_waits_is_refused(
        self, kristaps_actor, confirmed, disputed, change
    ):
        with pytest.raises(InvalidInput, match="already waits"):
            edit(kristaps_actor, disputed, reason=DOCUMENT, age_disputed=False)

    def test_a_change_overtaken_by_new_age_evidence_is_not_applied(
        self, ilze_actor, kristaps, kristaps_actor, confirmed, disputed, change
    ):
        # Meanwhile another officer records what the person said: still a child, no reason needed.
        edit(actor_of(kristaps), disputed, stated_age=16)

        with pytest.raises(ServiceError, match="changed after this change was proposed"):
            cases.confirm_age_change(actor=kristaps_actor, change=change)

        change.refresh_from_db()
        assert change.status == AgeChange.Status.STALE
        still_a_child(confirmed, disputed)

    def test_confirming_twice_is_refused(self, kristaps_actor, confirmed, disputed, change):
        cases.confirm_age_change(actor=kristaps_actor, change=change)

        with pytest.raises(ServiceError):
            cases.confirm_age_change(actor=kristaps_actor, change=change)


class TestThePages:
    def form_data(self, client, person: Person) -> dict[str, object]:
        form = client.get(reverse("cases:person_edit", args=[person.pk])).context["form"]
        data: dict[str, object] = {}
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[name] = "on" if value is True else value
        return data

    def test_one_officer_proposes_the_other_confirms(
        self, client_for, ilze, kristaps, confirmed, disputed
    ):
        proposer = client_for(ilze)
        data = self.form_data(proposer, disputed)
        data.pop("age_disputed")

        refused = proposer.post(reverse("cases:person_edit", args=[disputed.pk]), data)
        assert refused.status_code == 200
        assert "choose why the age evidence changed" in refused.content.decode()

        data["age_change_reason"] = AgeChangeReason.AGE_ASSESSMENT.value
        saved = proposer.post(
            reverse("cases:person_edit", args=[disputed.pk]), data, follow=True
        ).content.decode()
        assert "waits for a second case officer" in saved
        assert "Confirm the change" not in saved  # never to the proposer
        assert "Withdraw my proposal" in saved
        still_a_child(confirmed, disputed)

        second = client_for(kristaps)
        page = second.get(reverse("cases:person_detail", args=[disputed.pk])).content.decode()
        assert 'id="age-change-waiting"' in page
        change = AgeChange.objects.get()
        second.post(reverse("cases:age_change_confirm", args=[change.pk]))

        disputed.refresh_from_db()
        assert not disputed.age_disputed
        assert not pre_departure_check(confirmed).conflicts

    def test_the_proposer_posting_confirm_changes_nothing(
        self, client_for, ilze, ilze_actor, confirmed, disputed
    ):
        change = edit(ilze_actor, disputed, reason=DOCUMENT, age_disputed=False).pending_age_change

        client_for(ilze).post(reverse("cases:age_change_confirm", args=[change.pk]))

        still_a_child(confirmed, disputed)
        assert AgeChange.objects.get().status == AgeChange.Status.PENDING
