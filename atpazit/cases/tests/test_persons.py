"""Registering and updating persons: case numbers, encryption, validation, concurrency (I8)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of, member
from atpazit.audit.models import AuditEvent
from atpazit.cases import services
from atpazit.cases.models import CaseNumberCounter, Person, PersonNameToken, PersonRevision
from atpazit.cases.tests.factories import ManualHoldFactory, PersonFactory, ReleasedHoldFactory
from atpazit.lib.blind_index import name_tokens

pytestmark = pytest.mark.django_db

VALID = {
    "given_names": "Dilshod",
    "family_name": "Karimov",
    "aliases": "Dilšods Karimovs\nДильшод Каримов",
    "date_of_birth": date(1996, 4, 12),
    "sex": "male",
    "nationality": "UZ",
    "languages": ["uz", "ru"],
    "preferred_language": "uz",
    "interpreter_needed": True,
    "detention_centre": "mucenieki",
    "detained_since": date(2026, 1, 5),
    "detention_court_order_on": date(2026, 1, 8),
    "return_decision_type": "forced_removal",
    "return_decision_reference": "RS-2026/101",
    "return_decision_date": date(2026, 1, 4),
}


def raw_column(person: Person, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM cases_person WHERE id = %s", [person.pk])  # noqa: S608
        return cursor.fetchone()[0]


class TestRegisterPerson:
    def test_it_gives_a_pseudonymous_case_number_and_encrypts_the_names(self, ilze):
        person = services.register_person(actor=actor_of(ilze), data=VALID)

        year = timezone.localdate().year
        assert re.fullmatch(rf"AT-{year}-\d{{6}}", person.case_number)
        stored = raw_column(person, "family_name")
        assert stored.startswith("v1.t2.")
        assert "Karimov" not in stored
        reloaded = Person.objects.get(pk=person.pk)
        assert (reloaded.family_name, reloaded.given_names) == ("Karimov", "Dilshod")
        assert reloaded.aliases == "Dilšods Karimovs\nДильшод Каримов"
        assert reloaded.date_of_birth == "1996-04-12"
        assert reloaded.birth_year == 1996
        assert reloaded.organisation == ilze.memberships.get().organisation

    def test_case_numbers_are_unique_and_follow_each_other(self, ilze):
        first = services.register_person(actor=actor_of(ilze), data=VALID)
        second = services.register_person(actor=actor_of(ilze), data=VALID)

        assert int(second.case_number[-6:]) == int(first.case_number[-6:]) + 1

    def test_a_number_taken_by_other_means_is_skipped(self, ilze):
        year = timezone.localdate().year
        CaseNumberCounter.objects.create(year=year, last_number=6)
        PersonFactory(case_number=f"AT-{year}-000007")

        person = services.register_person(actor=actor_of(ilze), data=VALID)

        assert person.case_number == f"AT-{year}-000008"

    def test_it_indexes_given_names_family_name_and_every_alias(self, ilze):
        person = services.register_person(actor=actor_of(ilze), data=VALID)

        stored = set(PersonNameToken.objects.filter(person=person).values_list("token", flat=True))
        expected = name_tokens("Dilshod Karimov Dilšods Karimovs Дильшод Каримов")
        assert stored == expected

    def test_it_records_the_first_status_and_audits_without_names(self, ilze):
        person = services.register_person(actor=actor_of(ilze), data=VALID)

        assert [c.to_status for c in person.status_changes.all()] == ["registered"]
        event = AuditEvent.objects.get(action="person.registered")
        assert event.object_id == str(person.pk)
        assert "Karimov" not in str(event.details)

    def test_it_refuses_bad_input_naming_every_field_and_saves_nothing(self, ilze):
        bad = VALID | {
            "family_name": "  ",
            "nationality": "QQ",
            "languages": ["uz", "xx"],
            "date_of_birth": timezone.localdate() + timedelta(days=1),
            "detention_centre": "other",
            "detention_place_other": "",
            "detention_court_order_on": date(2026, 1, 1),
        }

        with pytest.raises(services.InvalidInput) as refused:
            services.register_person(actor=actor_of(ilze), data=bad)

        assert set(refused.value.errors) == {
            "family_name",
            "nationality",
            "languages",
            "date_of_birth",
            "detention_place_other",
            "detention_court_order_on",
        }
        assert "“QQ” is not an ISO 3166 country code." in refused.value.errors["nationality"]
        assert not Person.objects.exists()
        assert not CaseNumberCounter.objects.filter(last_number__gt=0).exists()

    def test_a_year_of_birth_that_contradicts_the_date_of_birth_is_refused(self, ilze):
        with pytest.raises(services.InvalidInput) as refused:
            services.register_person(actor=actor_of(ilze), data=VALID | {"birth_year": 1990})

        assert list(refused.value.errors) == ["birth_year"]

    def test_a_single_name_is_enough(self, ilze):
        person = services.register_person(
            actor=actor_of(ilze), data=VALID | {"given_names": "", "family_name": "Sumitra"}
        )

        assert person.given_names == ""

    @pytest.mark.parametrize("role", ["bg_officer", "monitor", "caseworker", "investigator"])
    def test_it_refuses_roles_that_may_not_register(self, role):
        with pytest.raises(services.NotAllowed):
            services.register_person(actor=actor_of(member(role)), data=VALID)
        assert not Person.objects.exists()


class TestUpdatePerson:
    def test_it_saves_the_changed_fields_bumps_the_version_and_reindexes(self, ilze):
        person = PersonFactory(organisation=ilze.memberships.get().organisation)

        updated = services.update_person(
            actor=actor_of(ilze),
            person=person,
            version=1,
            data={"family_name": "Bērziņa", "stated_age": 30},
        )

        assert updated.version == 2
        assert Person.objects.get(pk=person.pk).family_name == "Bērziņa"
        revision = PersonRevision.objects.get(person=person)
        assert (revision.version, revision.fields) == (2, ["family_name", "stated_age"])
        assert PersonNameToken.objects.filter(
            person=person, token__in=name_tokens("berzina")
        ).exists()
        event = AuditEvent.objects.get(action="person.updated")
        assert event.details == {"fields": ["family_name", "stated_age"], "version": 2}

    def test_saving_unchanged_data_writes_nothing(self, ilze):
        person = PersonFactory(organisation=ilze.memberships.get().organisation)

        services.update_person(
            actor=actor_of(ilze), person=person, version=1, data={"nationality": "UZ"}
        )

        assert Person.objects.get(pk=person.pk).version == 1
        assert not AuditEvent.objects.filter(action="person.updated").exists()

    def test_a_stale_form_is_refused_naming_the_fields_and_who_changed_them(self, ilze, riga):
        ance = member("bg_case_officer", riga, first_name="Ance", last_name="Vītola")
        person = PersonFactory(organisation=riga, family_name="Karimov")
        loaded_version = person.version
        services.update_person(
            actor=actor_of(ance),
            person=person,
            version=loaded_version,
            data={"family_name": "Karimovs", "planned_removal_date": date(2026, 3, 1)},
        )

        with pytest.raises(services.ConcurrentEditError) as conflict:
            services.update_person(
                actor=actor_of(ilze),
                person=person,
                version=loaded_version,
                data={"family_name": "Qarimov"},
            )

        assert conflict.value.changed_fields == ["family_name", "planned_removal_date"]
        assert conflict.value.changed_by == ["Ance Vītola"]
        assert conflict.value.current_version == 2
        assert str(conflict.value) == (
            "Ance Vītola changed this meanwhile: family name, planned removal date."
        )
        assert Person.objects.get(pk=person.pk).family_name == "Karimovs"

    def test_a_status_change_meanwhile_is_a_conflict_too(self, ilze):
        person = PersonFactory(organisation=ilze.memberships.get().organisation)
        services.change_status(actor=actor_of(ilze), person=person, to_status="removal_planned")

        with pytest.raises(services.ConcurrentEditError) as conflict:
            services.update_person(
                actor=actor_of(ilze), person=person, version=1, data={"stated_age": 40}
            )

        assert conflict.value.changed_fields == ["status"]

    def test_a_held_persons_removal_date_cannot_be_planned(self, ilze):
        person = PersonFactory(organisation=ilze.memberships.get().organisation)
        ManualHoldFactory(person=person)

        with pytest.raises(services.InvalidInput) as refused:
            services.update_person(
                actor=actor_of(ilze),
                person=person,
                version=1,
                data={"planned_removal_date": timezone.localdate() + timedelta(days=3)},
            )

        assert list(refused.value.errors) == ["planned_removal_date"]
        assert "under a removal hold" in str(refused.value)
        assert Person.objects.get(pk=person.pk).planned_removal_date is None

    def test_a_held_persons_planned_date_can_be_cleared_not_moved(self, ilze):
        person = PersonFactory(
            organisation=ilze.memberships.get().organisation,
            planned_removal_date=timezone.localdate() + timedelta(days=3),
        )
        ManualHoldFactory(person=person)
        with pytest.raises(services.InvalidInput):
            services.update_person(
                actor=actor_of(ilze),
                person=person,
                version=1,
                data={"planned_removal_date": timezone.localdate() + timedelta(days=1)},
            )

        services.update_person(
            actor=actor_of(ilze), person=person, version=1, data={"planned_removal_date": None}
        )

        assert Person.objects.get(pk=person.pk).planned_removal_date is None

    def test_the_date_can_be_planned_once_the_hold_is_released(self, ilze):
        person = PersonFactory(organisation=ilze.memberships.get().organisation)
        ReleasedHoldFactory(person=person)
        planned = timezone.localdate() + timedelta(days=3)

        services.update_person(
            actor=actor_of(ilze), person=person, version=1, data={"planned_removal_date": planned}
        )

        assert Person.objects.get(pk=person.pk).planned_removal_date == planned

    def test_the_status_cannot_be_edited_as_a_field(self, ilze):
        person = PersonFactory(organisation=ilze.memberships.get().organisation)

        with pytest.raises(ValueError, match="status"):
            services.update_person(
                actor=actor_of(ilze), person=person, version=1, data={"status": "departed"}
            )

    def test_another_unit_cannot_update(self, gunars, riga):
        person = PersonFactory(organisation=riga)

        with pytest.raises(services.NotAllowed):
            services.update_person(
                actor=actor_of(gunars), person=person, version=1, data={"stated_age": 40}
            )
