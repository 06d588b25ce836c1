"""A hold placed on a linked record while that person is being put on a manifest.

On PostgreSQL the guard locks the rows of the records linked with the person before reading
their holds, and placing a hold locks the held record's row: the manifest write waits, then sees
the hold and is refused. Without that lock it would not wait, would not see the uncommitted hold,
and would succeed (this test fails then). On SQLite one writer excludes the other anyway: the
manifest write is refused or fails on the locked database; either way nobody is added.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection, connections, transaction

from atpazit.cases import services as cases
from atpazit.cases.holds import RemovalBlocked
from atpazit.removals import services
from atpazit.removals.models import ManifestEntry

pytestmark = pytest.mark.django_db(transaction=True)

IDENTITY = {"given_names": "Anna", "family_name": "Bērziņa", "birth_year": 1994, "sex": "female"}


def test_a_hold_on_a_linked_record_placed_meanwhile_stops_the_manifest_entry(ilze_actor, operation):
    original = cases.register_person(actor=ilze_actor, data={**IDENTITY, "nationality": "UA"})
    second = cases.register_person(actor=ilze_actor, data={**IDENTITY, "nationality": "UA"})
    cases.decide_identity(
        actor=ilze_actor, person=second, other=original, decision="same", reason="x"
    )
    hold_placed, outcome = threading.Event(), {}

    def place_hold_and_wait() -> None:
        try:
            with transaction.atomic():
                cases.place_hold(actor=ilze_actor, person=original, reason="Jauna informācija.")
                hold_placed.set()
                time.sleep(1.5)  # the manifest entry starts meanwhile and must wait for us
        finally:
            connections.close_all()

    def add_to_manifest() -> None:
        try:
            services.add_to_manifest(actor=ilze_actor, operation=operation, person=second)
            outcome["result"] = "added"
        except RemovalBlocked:
            outcome["result"] = "refused"
        except OperationalError:  # SQLite: the database is locked by the other writer
            outcome["result"] = "locked"
        finally:
            connections.close_all()

    holder = threading.Thread(target=place_hold_and_wait)
    holder.start()
    assert hold_placed.wait(10)
    adder = threading.Thread(target=add_to_manifest)
    adder.start()
    holder.join(20)
    adder.join(20)

    expected = {"refused"} if connection.vendor == "postgresql" else {"refused", "locked"}
    assert outcome["result"] in expected, outcome
    assert not ManifestEntry.objects.exists()
