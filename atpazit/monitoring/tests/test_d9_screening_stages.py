"""Rule D9, exactly (domain.md §7.4, ADR 0022): every returnee on the manifest has a *decided*
screening for trafficking indicators at pre-return (detention intake or the pre-return
interview) AND at pre-departure, of their own record or one linked with it as the same human,
completed before the operation departs; the pre-departure one once they were on this manifest;
a child's run as a child. Anything less is listed, per returnee and per stage."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from atpazit.cases.models import Person
from atpazit.cases.tests.factories import PersonFactory
from atpazit.monitoring import services
from atpazit.monitoring.models import ChecklistAnswer, Stage
from atpazit.monitoring.selectors import screening_check
from atpazit.monitoring.tests.factories import screened_on
from atpazit.removals.models import ManifestEntry
from atpazit.removals.services import remove_from_manifest
from atpazit.removals.tests.factories import ManifestEntryFactory, person_on
from atpazit.screening.catalogue import AgeGroup
from atpazit.screening.catalogue import Stage as ScreeningStage
from atpazit.screening.tests.factories import DecidedSessionFactory, OpenSessionFactory

PRE_RETURN, PRE_DEPARTURE = Stage.PRE_RETURN.value, Stage.PRE_DEPARTURE.value


def missing_of(mission, person: Person) -> tuple[str, ...]:
    return screening_check(mission).by_person[person.pk].missing


def not_screened(mission) -> list[Person]:
    return [row.person for row in screening_check(mission).not_screened]


def test_both_stages_screened_is_screened(announced):
    person = screened_on(announced.operation)
    check = screening_check(announced)
    assert check.all_screened
    assert missing_of(announced, person) == ()


@pytest.mark.parametrize(
    "stage", [ScreeningStage.DETENTION_INTAKE, ScreeningStage.PRE_RETURN_INTERVIEW]
)
def test_a_pre_return_screening_alone_leaves_pre_departure_missing(announced, stage):
    person = person_on(announced.operation)
    DecidedSessionFactory(person=person, stage=stage)
    assert not_screened(announced) == [person]
    assert missing_of(announced, person) == (PRE_DEPARTURE,)


def test_a_pre_departure_screening_alone_leaves_pre_return_missing(announced):
    person = person_on(announced.operation)
    DecidedSessionFactory(person=person, stage=ScreeningStage.PRE_DEPARTURE)
    assert not_screened(announced) == [person]
    assert missing_of(announced, person) == (PRE_RETURN,)


@pytest.mark.parametrize(
    "stage",
    [
        ScreeningStage.TRANSFER,
        ScreeningStage.IN_FLIGHT,
        ScreeningStage.HANDOVER,
        ScreeningStage.OTHER,
    ],
)
def test_a_screening_at_another_stage_counts_for_neither(announced, stage):
    person = person_on(announced.operation)
    DecidedSessionFactory(person=person, stage=stage)
    assert missing_of(announced, person) == (PRE_RETURN, PRE_DEPARTURE)


def test_a_screening_still_open_is_no_screening(announced):
    person = person_on(announced.operation)
    DecidedSessionFactory(person=person, stage=ScreeningStage.DETENTION_INTAKE)
    OpenSessionFactory(person=person, stage=ScreeningStage.PRE_DEPARTURE, indicators=("DR-01",))
    assert not_screened(announced) == [person]
    assert missing_of(announced, person) == (PRE_DEPARTURE,)


def test_a_screening_of_a_record_linked_as_the_same_human_counts(announced, riga):
    person = person_on(announced.operation)
    DecidedSessionFactory(person=person, stage=ScreeningStage.DETENTION_INTAKE)
    other_record = PersonFactory(organisation=riga)
    Person.objects.filter(pk__in=[person.pk, other_record.pk]).update(identity_root=person)
    DecidedSessionFactory(person=other_record, stage=ScreeningStage.PRE_DEPARTURE)
    assert screening_check(announced).all_screened


def test_a_screening_of_another_human_never_counts(announced, riga):
    person = person_on(announced.operation)
    # A likely duplicate nobody resolved (same names, same year of birth) and a stranger, both
    # screened at both stages: neither is the returnee as far as anyone has decided.
    duplicate = PersonFactory(
        organisation=riga,
        given_names=person.given_names,
        family_name=person.family_name,
        birth_year=person.birth_year,
    )
    stranger = PersonFactory(organisation=riga)
    for other in (duplicate, stranger):
        DecidedSessionFactory(person=other, stage=ScreeningStage.DETENTION_INTAKE)
        DecidedSessionFactory(person=other, stage=ScreeningStage.PRE_DEPARTURE)
    # Two other returnees linked with each other are not linked with this one either.
    assert missing_of(announced, person) == (PRE_RETURN, PRE_DEPARTURE)


def test_two_linked_returnees_do_not_lend_their_screenings_to_a_third(announced):
    first = screened_on(announced.operation)
    second = person_on(announced.operation)
    Person.objects.filter(pk__in=[first.pk, second.pk]).update(identity_root=first)
    third = person_on(announced.operation)
    assert not_screened(announced) == [third]


def test_a_screening_completed_after_the_departure_does_not_count(announced):
    departure = announced.operation.departure_at
    person = person_on(announced.operation)
    late = departure + datetime.timedelta(hours=1)
    DecidedSessionFactory(
        person=person, stage=ScreeningStage.PRE_RETURN_INTERVIEW, completed_at=late
    )
    DecidedSessionFactory(person=person, stage=ScreeningStage.PRE_DEPARTURE, completed_at=late)
    assert missing_of(announced, person) == (PRE_RETURN, PRE_DEPARTURE)
    DecidedSessionFactory(
        person=person,
        stage=ScreeningStage.PRE_DEPARTURE,
        completed_at=departure - datetime.timedelta(minutes=30),
    )
    assert missing_of(announced, person) == (PRE_RETURN,)


def test_a_pre_departure_screening_from_before_the_person_was_on_this_manifest_does_not_count(
    announced, dace_actor
):
    """A returnee put on the manifest late, with a pre-departure screening done for an earlier
    operation: the answer recorded before turns to "no", naming the pre-departure stage."""
    screened_on(announced.operation)
    services.answer_checklist(
        actor=dace_actor, mission=announced, stage=Stage.PRE_DEPARTURE, answers={}
    )
    assert ChecklistAnswer.objects.get(item_code="screened_before_departure").answer == "yes"

    late = PersonFactory(organisation=announced.operation.organisation)
    earlier = datetime.timedelta(days=20)
    DecidedSessionFactory(person=late, stage=ScreeningStage.DETENTION_INTAKE)
    DecidedSessionFactory(
        person=late, stage=ScreeningStage.PRE_DEPARTURE, completed_at=timezone.now() - earlier
    )
    ManifestEntryFactory(operation=announced.operation, person=late)
    services.answer_checklist(
        actor=dace_actor, mission=announced, stage=Stage.PRE_DEPARTURE, answers={}
    )
    answer = ChecklistAnswer.objects.get(item_code="screened_before_departure")
    assert (answer.answer, answer.note) == ("no", f"{late.case_number}: pre_departure")
    # Screened at pre-departure now that they are on it: the answer is yes again.
    DecidedSessionFactory(person=late, stage=ScreeningStage.PRE_DEPARTURE)
    assert screening_check(announced).all_screened


def test_a_person_taken_off_the_manifest_is_not_counted(announced, ilze_actor):
    screened_on(announced.operation)
    gone = person_on(announced.operation)
    assert not_screened(announced) == [gone]
    entry = ManifestEntry.objects.get(operation=announced.operation, person=gone)
    remove_from_manifest(actor=ilze_actor, entry=entry)
    check = screening_check(announced)
    assert gone.pk not in check.by_person
    assert check.all_screened


@pytest.mark.parametrize("fields", [{"birth_year": 2013}, {"age_disputed": True}])
def test_a_child_screened_as_an_adult_is_not_screened(announced, fields):
    """ADR 0014: only a screening run as a child counts for a child or an age-disputed person."""
    person = person_on(announced.operation, **fields)
    DecidedSessionFactory(person=person, stage=ScreeningStage.DETENTION_INTAKE)
    DecidedSessionFactory(person=person, stage=ScreeningStage.PRE_DEPARTURE)
    assert missing_of(announced, person) == (PRE_RETURN, PRE_DEPARTURE)
    DecidedSessionFactory(
        person=person, stage=ScreeningStage.DETENTION_INTAKE, age_group=AgeGroup.CHILD.value
    )
    DecidedSessionFactory(
        person=person, stage=ScreeningStage.PRE_DEPARTURE, age_group=AgeGroup.CHILD.value
    )
    assert missing_of(announced, person) == ()


def test_an_operation_with_nobody_on_it_is_not_all_screened(announced, dace_actor):
    check = screening_check(announced)
    assert check.rows == []
    assert not check.all_screened
    services.answer_checklist(
        actor=dace_actor, mission=announced, stage=Stage.PRE_DEPARTURE, answers={}
    )
    answer = ChecklistAnswer.objects.get(item_code="screened_before_departure")
    assert (answer.answer, answer.note) == ("not_applicable", "")


def _linked_returnee(operation) -> None:
    person = screened_on(operation)
    other = PersonFactory(organisation=operation.organisation)
    Person.objects.filter(pk__in=[person.pk, other.pk]).update(identity_root=person)


def test_the_check_costs_the_same_queries_for_any_manifest(
    announced, django_assert_max_num_queries
):
    _linked_returnee(announced.operation)
    with django_assert_max_num_queries(30) as few:
        screening_check(announced)
    for _ in range(6):
        _linked_returnee(announced.operation)
        person_on(announced.operation)
    with django_assert_max_num_queries(len(few.captured_queries)):
        screening_check(announced)
