"""A case still live is never purged, however old: each guard keeps a finished case whose period
has passed, and the run says why. The hold follows the human (I1): a record linked as the same
person, or a likely duplicate nobody has resolved, keeps the other one, both ways round. A hold
or a screening that arrives while the purge runs is seen: the batch decides under row locks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.utils import timezone

from atpazit.accounts.models import Organisation
from atpazit.cases.models import AppealStatus, Person
from atpazit.cases.tests.factories import ManualHoldFactory, PersonFactory
from atpazit.deadlines.models import Deadline
from atpazit.escalations.models import Escalation
from atpazit.referrals.models import PoliceOutcome, Referral
from atpazit.referrals.tests.factories import PoliceReferralFactory, ReferralFactory
from atpazit.reflection.models import ReflectionPeriod
from atpazit.removals.tests.factories import ManifestEntryFactory, PlannedOperationFactory
from atpazit.retention import services
from atpazit.retention.models import LegalHold, PurgeRun
from atpazit.retention.tests.factories import FinishedCase, end_of_today, finished_case
from atpazit.screening.tests.factories import OpenSessionFactory

pytestmark = pytest.mark.django_db

DAYS = 100
# Years after the case ended: long past its period.
LATER = dt.timedelta(days=4 * DAYS)


@pytest.fixture(autouse=True)
def periods(settings):
    settings.ATPAZIT_RETENTION_CASE_DAYS = DAYS
    settings.ATPAZIT_RETENTION_MESSAGES_DAYS = DAYS


def purge_later(**options: object) -> PurgeRun:
    with time_machine.travel(end_of_today() + LATER, tick=False):
        return services.purge(apply=True, **options)  # type: ignore[arg-type]


def kept(case: FinishedCase) -> bool:
    return Person.objects.get(pk=case.person.pk).family_name == case.person.family_name


def _later_day() -> dt.date:
    return (end_of_today() + LATER).date()


def _active_hold(case: FinishedCase) -> None:
    ManualHoldFactory(person=case.person)


def _open_procedure(case: FinishedCase) -> None:
    Person.objects.filter(pk=case.person.pk).update(status=Person.Status.REGISTERED)


def _appeal(case: FinishedCase) -> None:
    Person.objects.filter(pk=case.person.pk).update(appeal_status=AppealStatus.PENDING)


def _open_referral(case: FinishedCase) -> None:
    ReferralFactory(suspicion=case.suspicion, status=Referral.Status.ACCEPTED)


def _police_pending(case: FinishedCase) -> None:
    referral = PoliceReferralFactory(suspicion=case.suspicion, status=Referral.Status.DECLINED)
    PoliceOutcome.objects.create(referral=referral, updated_by=referral.sent_by)


def _reflection_running(case: FinishedCase) -> None:
    ReflectionPeriod.objects.filter(suspicion=case.suspicion).update(ends_on=_later_day())


def _screening_open(case: FinishedCase) -> None:
    OpenSessionFactory(person=case.person)


def _on_open_operation(case: FinishedCase) -> None:
    ManifestEntryFactory(operation=PlannedOperationFactory(), person=case.person)


def _open_deadline(case: FinishedCase) -> None:
    Deadline.objects.create(
        kind="provider_response",
        subject=f"referrals.referral:{case.referral.pk}",
        case_number=case.person.case_number,
        responsible_organisation=case.referral.to_organisation,
        starts_at=timezone.now(),
        due_at=timezone.now(),
    )


def _open_escalation(case: FinishedCase) -> None:
    Escalation.objects.create(
        kind=Escalation.Kind.HOLD_RELEASED,
        subject=f"cases.person:{case.person.pk}",
        case_number=case.person.case_number,
    )


def _legal_hold(case: FinishedCase) -> None:
    LegalHold.objects.create(person=case.person, reason=LegalHold.Reason.COMPLAINT)


GUARDS: dict[str, tuple[Callable[[FinishedCase], None], str]] = {
    "an active removal hold": (_active_hold, "hold"),
    "an open return procedure": (_open_procedure, "procedure_open"),
    "an appeal pending": (_appeal, "appeal_pending"),
    "an open referral": (_open_referral, "referral_open"),
    "a pending police decision": (_police_pending, "police_pending"),
    "a reflection period running": (_reflection_running, "reflection_running"),
    "a screening not completed": (_screening_open, "screening_open"),
    "a removal operation not ended": (_on_open_operation, "operation_open"),
    "an open deadline": (_open_deadline, "deadline_open"),
    "an open escalation": (_open_escalation, "escalation_open"),
    "a legal hold": (_legal_hold, "legal_hold"),
}


def test_an_unscreened_child_keeps_the_case_as_a_confirmed_removal_would(
    riga: Organisation, marta: Organisation
) -> None:
    """The child screening (ADR 0014) stops a confirmed removal only; the purge asks as strictly
    as the strictest removal path: a child of disputed age screened only as an adult is kept."""
    child = finished_case(riga, marta, age_disputed=True)
    finished = finished_case(riga, marta)
    run = purge_later()
    assert kept(child)
    assert "removal_obstacle" in run.kept
    assert not kept(finished)


@pytest.mark.parametrize("guard", GUARDS)
def test_a_live_case_is_kept_and_the_run_says_why(
    guard: str, riga: Organisation, marta: Organisation
) -> None:
    make_live, reason = GUARDS[guard]
    live, finished = finished_case(riga, marta), finished_case(riga, marta)
    make_live(live)
    run = purge_later()
    assert kept(live)
    assert reason in run.kept
    assert not kept(finished)  # the guard is about the live case only


def test_a_lifted_legal_hold_lets_the_purge_go_on(riga: Organisation, marta: Organisation) -> None:
    case = finished_case(riga, marta)
    _legal_hold(case)
    purge_later()
    assert kept(case)
    LegalHold.objects.update(lifted_at=timezone.now())
    purge_later()
    assert not kept(case)


def _link(first: Person, second: Person) -> None:
    Person.objects.filter(pk__in=[first.pk, second.pk]).update(identity_root=first.pk)


def test_a_hold_on_a_linked_record_of_the_same_human_keeps_the_old_record(
    riga: Organisation, daugavpils: Organisation, marta: Organisation
) -> None:
    old = finished_case(riga, marta)
    new = PersonFactory(organisation=daugavpils, status=Person.Status.DEPARTED)
    _link(old.person, new)
    ManualHoldFactory(person=new)
    run = purge_later()
    assert kept(old)
    assert "hold" in run.kept


def test_a_new_live_record_linked_to_an_old_one_keeps_both(
    riga: Organisation, daugavpils: Organisation, marta: Organisation
) -> None:
    old = finished_case(riga, marta)
    with time_machine.travel(end_of_today() + LATER - dt.timedelta(days=10), tick=False):
        new = finished_case(daugavpils, marta)
    _link(new.person, old.person)
    purge_later()
    # The new record's activity is ten days old: the whole human is within the period.
    assert kept(old)
    assert kept(new)


def test_an_old_record_does_not_let_a_newer_linked_one_go_early_nor_the_other_way(
    riga: Organisation, daugavpils: Organisation, marta: Organisation
) -> None:
    old = finished_case(riga, marta)
    with time_machine.travel(end_of_today() + LATER - dt.timedelta(days=10), tick=False):
        new = finished_case(daugavpils, marta)
    _link(old.person, new.person)
    purge_later()
    assert kept(old)
    assert kept(new)
    with time_machine.travel(end_of_today() + LATER + dt.timedelta(days=DAYS), tick=False):
        services.purge(apply=True)
    assert not kept(old)
    assert not kept(new)


def test_a_held_likely_duplicate_nobody_resolved_keeps_the_case(
    riga: Organisation, daugavpils: Organisation, marta: Organisation
) -> None:
    old = finished_case(
        riga,
        marta,
        given_names="Rustam",
        family_name="Yuldashev",
        date_of_birth="1994-03-02",
        birth_year=1994,
    )
    duplicate = PersonFactory(
        organisation=daugavpils,
        given_names="Rustam",
        family_name="Yuldashev",
        date_of_birth="1994-03-02",
        status=Person.Status.DEPARTED,
    )
    ManualHoldFactory(person=duplicate)
    run = purge_later()
    assert kept(old)
    assert "held_duplicate" in run.kept


def test_a_live_likely_duplicate_nobody_resolved_keeps_the_old_case(
    riga: Organisation, daugavpils: Organisation, marta: Organisation
) -> None:
    """The old case may be what tells the new officer the person was recognised before."""
    old = finished_case(
        riga,
        marta,
        given_names="Rustam",
        family_name="Yuldashev",
        date_of_birth="1994-03-02",
        birth_year=1994,
    )
    PersonFactory(
        organisation=daugavpils,
        given_names="Rustam",
        family_name="Yuldashev",
        date_of_birth="1994-03-02",
    )
    run = purge_later()
    assert kept(old)
    assert "live_duplicate" in run.kept


def test_a_hold_placed_while_the_purge_runs_is_seen_by_its_batch(
    riga: Organisation, marta: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch is listed first and decided later, under row locks: a hold that arrives in
    between (a new suspicion at a new contact) keeps the case."""
    case = finished_case(riga, marta)
    listed = services._candidates

    def then_a_hold_arrives(*args, **kwargs):  # type: ignore[no-untyped-def]
        batch = listed(*args, **kwargs)
        if case.person.pk in batch:
            ManualHoldFactory(person=case.person)
        return batch

    monkeypatch.setattr(services, "_candidates", then_a_hold_arrives)
    purge_later()
    assert kept(case)
