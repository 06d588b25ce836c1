"""The audit chain is keyed and checkpointed (issue 8, item 4).

Without the chain key nobody can append, edit or rewrite an event unnoticed; with the key, a
rewrite is still detected against a signed checkpoint of an earlier head kept outside.
"""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from atpazit.audit.chain import canonical_content, event_hash, verify_chain
from atpazit.audit.checkpoints import CheckpointError, make_checkpoint, read_checkpoints
from atpazit.audit.keys import ChainKeys, trusted_public_keys
from atpazit.audit.models import GENESIS_HASH, AuditEvent, ChainHead
from atpazit.audit.selectors import verify_audit_chain
from atpazit.audit.services import log_event
from atpazit.lib.crypto import generate_key

pytestmark = pytest.mark.django_db

OTHER_KEY = base64.urlsafe_b64decode("b3RoZXIta2V5LW5vdC10aGUtYXVkaXQta2V5LTAwMDA=")


@pytest.fixture
def chain() -> list[AuditEvent]:
    return [log_event("person.viewed", object_type="cases.person", object_id=n) for n in range(8)]


def the_key() -> bytes:
    return ChainKeys.from_settings().current_key


def append_forged(*, key_id: str, key: bytes | None, action: str = "hold.released") -> AuditEvent:
    """What someone with write access to the database, but perhaps without the key, would do:
    append an event after the head and move the head on."""
    head = ChainHead.objects.get(pk=1)
    last = AuditEvent.objects.get(sequence=head.event_count)
    forged = AuditEvent(
        sequence=head.event_count + 1,
        occurred_at=last.occurred_at,
        action=action,
        object_type="cases.hold",
        object_id="1",
        previous_hash=head.last_hash,
        key_id=key_id,
    )
    forged.hash = event_hash(head.last_hash, forged, key)
    forged.save()
    ChainHead.objects.filter(pk=1).update(last_hash=forged.hash, event_count=forged.sequence)
    return forged


def rewrite_from(sequence: int, *, key: bytes) -> None:
    """An insider with the key rewrites every event from ``sequence`` on and fixes the head."""
    previous = AuditEvent.objects.get(sequence=sequence).previous_hash
    for event in AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
        if event.sequence == sequence:
            event.outcome = AuditEvent.Outcome.DENIED
        event.previous_hash = previous
        event.hash = event_hash(previous, event, key)
        AuditEvent.objects.filter(pk=event.pk).update(
            outcome=event.outcome, previous_hash=event.previous_hash, hash=event.hash
        )
        previous = event.hash
    ChainHead.objects.filter(pk=1).update(last_hash=previous)


def checkpoint_file(tmp_path, name: str = "head.jsonl"):
    path = tmp_path / name
    call_command("audit", "checkpoint", "--out", str(path))
    return path


class TestForgedAppend:
    def test_every_link_is_an_hmac_under_the_configured_key(self, chain):
        event = chain[3]
        assert event.key_id == "a1"
        assert event.hash == event_hash(event.previous_hash, event, the_key())
        assert event.hash != event_hash(event.previous_hash, event, OTHER_KEY)

    def test_a_forged_release_with_a_plain_hash_fails_verify(self, chain):
        append_forged(key_id="", key=None)
        result = verify_audit_chain()
        assert not result.ok
        assert result.first_broken == 9
        assert "without the key" in result.message

    def test_a_forged_release_under_a_guessed_key_fails_verify(self, chain):
        append_forged(key_id="a1", key=OTHER_KEY)
        result = verify_audit_chain()
        assert not result.ok
        assert result.first_broken == 9

    def test_a_forged_release_under_an_unknown_key_id_fails_verify(self, chain):
        append_forged(key_id="zz", key=OTHER_KEY)
        result = verify_audit_chain()
        assert not result.ok
        assert "not configured" in result.message

    def test_an_event_tampered_in_place_is_detected(self, chain):
        AuditEvent.objects.filter(pk=chain[4].pk).update(details={"reason": "forged"})
        result = verify_audit_chain()
        assert not result.ok
        assert result.first_broken == 5

    def test_a_rewrite_without_the_key_is_detected(self, chain):
        rewrite_from(3, key=OTHER_KEY)
        assert verify_audit_chain().first_broken == 3


class TestCheckpoint:
    @pytest.mark.parametrize("start", [1, 4, 8])
    def test_a_rewrite_with_the_key_is_detected_against_a_checkpoint(self, chain, tmp_path, start):
        path = checkpoint_file(tmp_path)
        log_event("person.viewed", object_type="cases.person", object_id=99)
        rewrite_from(start, key=the_key())
        # The key alone cannot tell: an insider with the key rewrote a chain that verifies ...
        assert verify_audit_chain().ok
        # ... but not one that still holds the head recorded outside.
        with pytest.raises(CommandError, match="rewritten"):
            call_command("audit", "verify", "--checkpoint", str(path))

    def test_the_untouched_chain_matches_its_checkpoints(self, chain, tmp_path, capsys):
        first = checkpoint_file(tmp_path, "first.jsonl")
        log_event("person.viewed", object_type="cases.person", object_id=99)
        second = checkpoint_file(tmp_path, "second.jsonl")
        call_command("audit", "verify", "--checkpoint", str(first), "--checkpoint", str(second))
        assert "2 checkpoint(s) matched" in capsys.readouterr().out

    def test_a_checkpoint_is_a_signed_head_and_the_checkpoint_is_audited(self, chain, tmp_path):
        content = json.loads(checkpoint_file(tmp_path).read_text())
        assert (content["sequence"], content["hash"], content["key_id"]) == (
            8,
            chain[-1].hash,
            "a1",
        )
        assert {"event_time", "created_at", "signed_by", "signature"} <= set(content)
        assert AuditEvent.objects.filter(action="audit.checkpointed", details__sequence=8).exists()

    def test_a_checkpoint_never_overwrites_another(self, chain, tmp_path):
        path = checkpoint_file(tmp_path)
        with pytest.raises(CommandError, match="exists"):
            call_command("audit", "checkpoint", "--out", str(path))

    def test_deleting_events_below_a_checkpoint_is_detected(self, chain, tmp_path):
        path = checkpoint_file(tmp_path)
        AuditEvent.objects.filter(sequence__gte=6).delete()
        survivor = AuditEvent.objects.get(sequence=5)
        ChainHead.objects.filter(pk=1).update(last_hash=survivor.hash, event_count=5)
        with pytest.raises(CommandError, match="deleted"):
            call_command("audit", "verify", "--checkpoint", str(path))

    def test_a_checkpoint_made_with_the_chain_key_but_not_the_signing_key_is_refused(
        self, chain, settings
    ):
        # The insider rewrites, then makes a "checkpoint" of the new head with a key of their own.
        settings.ATPAZIT_AUDIT_SIGNING_KEY = generate_key()
        forged = make_checkpoint(chain[-1])
        settings.ATPAZIT_AUDIT_SIGNING_KEY = generate_key()
        with pytest.raises(CheckpointError, match="not a trusted checkpoint key"):
            read_checkpoints([forged], trusted=trusted_public_keys(), source="forged")

    def test_an_altered_checkpoint_is_refused(self, chain, tmp_path):
        path = checkpoint_file(tmp_path)
        content = json.loads(path.read_text())
        content["hash"] = hashlib.sha256(b"another head").hexdigest()
        path.write_text(json.dumps(content))
        with pytest.raises(CommandError, match="altered"):
            call_command("audit", "verify", "--checkpoint", str(path))

    def test_an_outsider_checks_with_the_public_key_alone(self, chain, tmp_path, settings, capsys):
        path = checkpoint_file(tmp_path)
        call_command("audit", "public-key")
        public_key = capsys.readouterr().out.strip()
        settings.ATPAZIT_AUDIT_SIGNING_KEY = ""
        with pytest.raises(CommandError, match="not a trusted"):
            call_command("audit", "verify", "--checkpoint", str(path))
        call_command("audit", "verify", "--checkpoint", str(path), "--public-key", public_key)

    def test_no_checkpoint_is_written_of_a_broken_chain(self, chain, tmp_path):
        AuditEvent.objects.filter(pk=chain[2].pk).update(action="hold.released")
        with pytest.raises(CommandError, match="BROKEN"):
            checkpoint_file(tmp_path)
        assert not (tmp_path / "head.jsonl").exists()


def write_unkeyed_chain(count: int) -> list[AuditEvent]:
    """A chain as it was written before the audit key existed: plain SHA-256 links."""
    previous, events = GENESIS_HASH, []
    for number in range(1, count + 1):
        event = AuditEvent(
            sequence=number,
            occurred_at=timezone.now(),
            action="person.viewed",
            object_id=str(number),
            previous_hash=previous,
        )
        content = canonical_content(event).encode("utf-8")
        event.hash = hashlib.sha256(previous.encode("ascii") + content).hexdigest()
        event.save()
        events.append(event)
        previous = event.hash
    ChainHead.objects.update_or_create(pk=1, defaults={"last_hash": previous, "event_count": count})
    return events


class TestMigrationFromUnkeyedChain:
    def test_an_old_unkeyed_chain_must_be_anchored(self):
        write_unkeyed_chain(3)
        result = verify_audit_chain()
        assert not result.ok
        assert "atpazit audit anchor" in result.message
        call_command("audit", "anchor")
        anchor = AuditEvent.objects.get(sequence=4)
        assert (anchor.action, anchor.key_id) == ("audit.key_changed", "a1")
        assert anchor.details == {"from_key": "", "to_key": "a1", "events_before": 3}
        result = verify_audit_chain()
        assert result.ok
        assert result.unkeyed == 3

    def test_the_first_audited_action_anchors_the_old_chain(self):
        write_unkeyed_chain(2)
        event = log_event("person.viewed", object_type="cases.person", object_id=1)
        assert event.sequence == 4
        assert AuditEvent.objects.get(sequence=3).action == "audit.key_changed"
        assert verify_audit_chain().ok

    def test_once_anchored_the_old_events_cannot_be_rewritten(self):
        write_unkeyed_chain(3)
        log_event("person.viewed")
        old = AuditEvent.objects.get(sequence=2)
        old.outcome = AuditEvent.Outcome.DENIED
        old.hash = event_hash(old.previous_hash, old)
        AuditEvent.objects.filter(pk=old.pk).update(outcome=old.outcome, hash=old.hash)
        assert not verify_audit_chain().ok

    def test_replacing_the_whole_chain_by_an_unkeyed_one_is_detected(self, chain):
        AuditEvent.objects.all().delete()
        write_unkeyed_chain(8)
        assert not verify_audit_chain().ok


class TestKeyRotation:
    def test_a_new_key_is_recorded_in_the_chain_and_both_verify(self, chain, settings):
        settings.ATPAZIT_AUDIT_KEYS = {**settings.ATPAZIT_AUDIT_KEYS, "a2": generate_key()}
        settings.ATPAZIT_AUDIT_CURRENT_KEY = "a2"
        event = log_event("person.viewed")
        change = AuditEvent.objects.get(sequence=event.sequence - 1)
        assert change.details == {"from_key": "a1", "to_key": "a2", "events_before": 8}
        assert event.key_id == "a2"
        assert verify_audit_chain().ok

    def test_verify_needs_every_key_the_chain_uses(self, chain, settings):
        settings.ATPAZIT_AUDIT_KEYS = {"a2": generate_key()}
        settings.ATPAZIT_AUDIT_CURRENT_KEY = "a2"
        result = verify_audit_chain()
        assert not result.ok
        assert "'a1', which is not configured" in result.message

    def test_a_retired_key_cannot_append_after_the_rotation(self, chain, settings):
        settings.ATPAZIT_AUDIT_KEYS = {**settings.ATPAZIT_AUDIT_KEYS, "a2": generate_key()}
        settings.ATPAZIT_AUDIT_CURRENT_KEY = "a2"
        log_event("person.viewed")
        append_forged(key_id="a1", key=base64.urlsafe_b64decode(settings.ATPAZIT_AUDIT_KEYS["a1"]))
        result = verify_audit_chain()
        assert not result.ok
        assert "retired" in result.message


class _GrowingChain:
    """A chain that gets another event while it is being walked, as on a busy server."""

    def __init__(self, events: list[AuditEvent], late: AuditEvent, head: ChainHead) -> None:
        self.events, self.late, self.final_head, self.walked = events, late, head, False

    def events_after(self, sequence):
        if self.walked:
            return [e for e in [self.late] if e.sequence > sequence]
        self.walked = True
        return [e for e in self.events if e.sequence > sequence]

    def head(self):
        return self.final_head


def test_an_append_during_verification_is_not_taken_for_a_deletion(chain):
    late = log_event("person.viewed")
    source = _GrowingChain(chain, late, ChainHead.objects.get(pk=1))
    result = verify_chain(source, keys=ChainKeys.from_settings().keys)
    assert result.ok
    assert result.checked == 9


def test_an_append_costs_what_it_did_before_keys_seven_queries_with_savepoints(
    django_assert_max_num_queries, chain
):
    with django_assert_max_num_queries(7):
        log_event("person.viewed")
