"""The audit trail is a hash chain: any edit, insertion or deletion is detected."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from atpazit.audit.chain import event_hash
from atpazit.audit.keys import ChainKeys
from atpazit.audit.models import AuditEvent, ChainHead
from atpazit.audit.selectors import verify_audit_chain
from atpazit.audit.services import log_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain() -> list[AuditEvent]:
    return [
        log_event("person.viewed", object_type="cases.person", object_id=n) for n in range(1, 6)
    ]


def test_a_clean_chain_verifies(chain):
    result = verify_audit_chain()
    assert result.ok
    assert result.checked == 5


def test_each_event_links_to_the_one_before(chain):
    assert [e.sequence for e in chain] == [1, 2, 3, 4, 5]
    assert all(
        later.previous_hash == earlier.hash
        for earlier, later in zip(chain, chain[1:], strict=False)
    )


def test_an_edited_event_is_detected(chain):
    AuditEvent.objects.filter(pk=chain[2].pk).update(action="person.updated")
    result = verify_audit_chain()
    assert not result.ok
    assert result.first_broken == 3
    assert "changed" in result.message


def test_an_edited_event_with_a_recomputed_hash_breaks_the_next_link(chain):
    forged = AuditEvent.objects.get(pk=chain[1].pk)
    forged.outcome = "denied"
    forged.hash = event_hash(forged.previous_hash, forged, ChainKeys.from_settings().current_key)
    AuditEvent.objects.filter(pk=forged.pk).update(outcome="denied", hash=forged.hash)
    result = verify_audit_chain()
    assert not result.ok
    assert result.first_broken == 3


def test_a_deleted_event_is_detected(chain):
    AuditEvent.objects.filter(pk=chain[1].pk).delete()
    result = verify_audit_chain()
    assert not result.ok
    assert result.first_broken == 3


def test_a_deleted_last_event_is_detected(chain):
    AuditEvent.objects.filter(pk=chain[-1].pk).delete()
    assert not verify_audit_chain().ok


def test_an_inserted_event_is_detected(chain):
    last = chain[-1]
    intruder = AuditEvent(
        sequence=99, occurred_at=last.occurred_at, action="person.viewed", previous_hash=last.hash
    )
    intruder.hash = event_hash(last.hash, intruder)
    intruder.save()
    result = verify_audit_chain()
    assert not result.ok


def test_the_verify_command_fails_naming_the_broken_event(chain):
    call_command("audit", "verify")
    AuditEvent.objects.filter(pk=chain[3].pk).update(object_id="999")
    with pytest.raises(CommandError, match="#4"):
        call_command("audit", "verify")


def test_a_rolled_back_write_leaves_no_gap():
    from django.db import transaction

    def write_then_fail() -> None:
        with transaction.atomic():
            log_event("a.two")
            raise RuntimeError

    log_event("a.one")
    with pytest.raises(RuntimeError):
        write_then_fail()
    log_event("a.three")
    assert verify_audit_chain().ok
    assert ChainHead.objects.get().event_count == 2


def test_the_system_wide_auditor_sees_the_trail_and_the_reading_is_audited(client_for):
    from django.urls import reverse

    from atpazit.accounts.tests.factories import system_wide_auditor

    auditor = system_wide_auditor()
    log_event("person.viewed", object_type="cases.person", object_id=7)
    response = client_for(auditor).get(reverse("audit:event_list"), {"action": "person."})
    assert response.status_code == 200
    assert [e.action for e in response.context["page"]] == ["person.viewed"]
    assert AuditEvent.objects.filter(action="audit.viewed", actor_id=auditor.pk).exists()
