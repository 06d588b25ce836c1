"""Field encryption through the models, and `atpazit keys rotate` moving every value to the new key."""

from __future__ import annotations

import base64
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from atpazit.audit.models import AuditEvent
from atpazit.cases.management.commands.keys import encrypted_fields
from atpazit.cases.models import Hold, Person, PersonStatusChange
from atpazit.cases.tests.factories import ManualHoldFactory, PersonFactory
from atpazit.escalations.models import Escalation

pytestmark = pytest.mark.django_db


def stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_names_round_trip_through_the_model_and_are_ciphertext_in_the_table(riga):
    person = PersonFactory(
        organisation=riga, given_names="Sanjar", family_name="Ёлдошев", aliases="Jo‘ldoshev"
    )

    reloaded = Person.objects.get(pk=person.pk)

    assert (reloaded.given_names, reloaded.family_name, reloaded.aliases) == (
        "Sanjar",
        "Ёлдошев",
        "Jo‘ldoshev",
    )
    assert stored("cases_person", "family_name", person.pk).startswith("v1.t2.")
    assert "Ёлдошев" not in stored("cases_person", "family_name", person.pk)


def test_the_command_finds_encrypted_fields_in_every_app():
    found = {model._meta.label: names for model, names in encrypted_fields()}

    assert found["cases.Person"] == [
        "given_names",
        "family_name",
        "aliases",
        "document_numbers",
        "date_of_birth",
        "contact_details",
    ]
    assert found["cases.IdentityDecision"] == ["reason"]
    assert found["cases.Hold"] == ["reason", "release_reason"]
    assert found["cases.PersonStatusChange"] == ["reason"]
    assert found["escalations.Escalation"] == ["resolution_note"]


def test_rotate_moves_every_value_from_t1_to_t2(riga, settings):
    settings.ATPAZIT_ENCRYPTION_CURRENT_KEY = "t1"
    person = PersonFactory(
        organisation=riga, family_name="Bērziņa", date_of_birth="1999-02-03", contact_details=""
    )
    hold = ManualHoldFactory(person=person, reason="Pase atņemta.")
    change = PersonStatusChange.objects.create(person=person, to_status="closed", reason="Slēgts.")
    assert stored("cases_person", "family_name", person.pk).startswith("v1.t1.")

    settings.ATPAZIT_ENCRYPTION_CURRENT_KEY = "t2"
    out = StringIO()
    call_command("keys", "rotate", stdout=out)

    for table, column, pk in [
        ("cases_person", "family_name", person.pk),
        ("cases_person", "given_names", person.pk),
        ("cases_person", "date_of_birth", person.pk),
        ("cases_hold", "reason", hold.pk),
        ("cases_personstatuschange", "reason", change.pk),
    ]:
        assert stored(table, column, pk).startswith("v1.t2."), (table, column)
    assert stored("cases_person", "contact_details", person.pk) == ""
    reloaded = Person.objects.get(pk=person.pk)
    assert (reloaded.family_name, reloaded.date_of_birth) == ("Bērziņa", "1999-02-03")
    assert Hold.objects.get(pk=hold.pk).reason == "Pase atņemta."
    assert "cases.Person: 3 re-encrypted" in out.getvalue()
    assert "cases.Hold: 1 re-encrypted" in out.getvalue()
    event = AuditEvent.objects.get(action="keys.rotated")
    assert event.details["key"] == "t2"
    assert event.details["counts"]["cases.Person"] == 3

    again = StringIO()
    call_command("keys", "rotate", stdout=again)
    assert "Done: 0 values" in again.getvalue()


def test_generate_prints_a_fresh_32_byte_key():
    first, second = StringIO(), StringIO()
    call_command("keys", "generate", stdout=first, stderr=StringIO())
    call_command("keys", "generate", stdout=second, stderr=StringIO())

    key = first.getvalue().strip()
    assert len(base64.urlsafe_b64decode(key)) == 32
    assert key != second.getvalue().strip()


def test_escalation_notes_are_rotated_too(settings):
    settings.ATPAZIT_ENCRYPTION_CURRENT_KEY = "t1"
    hold = ManualHoldFactory()
    escalation = Escalation.objects.create(
        kind="hold_released", subject=f"cases.hold:{hold.pk}", resolution_note="Pārbaudīts."
    )
    settings.ATPAZIT_ENCRYPTION_CURRENT_KEY = "t2"

    call_command("keys", "rotate", stdout=StringIO())

    assert stored("escalations_escalation", "resolution_note", escalation.pk).startswith("v1.t2.")
