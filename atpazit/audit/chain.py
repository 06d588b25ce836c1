"""Hashing and verification of the audit chain; pure functions over event fields."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from atpazit.audit.models import GENESIS_HASH, AuditEvent, ChainHead


def canonical_content(event: AuditEvent) -> str:
    content = {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "organisation_id": event.organisation_id,
        "organisation_label": event.organisation_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "outcome": event.outcome,
        "ip_address": event.ip_address,
        "details": event.details,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(previous_hash: str, event: AuditEvent) -> str:
    digest = hashlib.sha256()
    digest.update(previous_hash.encode("ascii"))
    digest.update(canonical_content(event).encode("utf-8"))
    return digest.hexdigest()


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    checked: int
    message: str
    first_broken: int | None = None


def verify_chain(events: Iterable[AuditEvent], head: ChainHead | None) -> VerificationResult:
    """Walk events in sequence order; report the first whose number, link or content does not hold."""
    previous = GENESIS_HASH
    checked = 0
    for event in events:
        number = event.sequence
        if number != checked + 1:
            return _broken(
                checked,
                number,
                f"event #{number} follows #{checked}: events are missing or inserted",
            )
        if event.previous_hash != previous:
            return _broken(checked, number, f"event #{number} does not link to the event before it")
        if event_hash(previous, event) != event.hash:
            return _broken(checked, number, f"event #{number} was changed after it was written")
        previous = event.hash
        checked += 1
    head_hash = head.last_hash if head else GENESIS_HASH
    head_count = head.event_count if head else 0
    if head_hash != previous or head_count != checked:
        return _broken(
            checked,
            None,
            f"the chain ends after {checked} events, but {head_count} were written: events were deleted",
        )
    return VerificationResult(ok=True, checked=checked, message=f"{checked} events verified")


def _broken(checked: int, event_id: int | None, message: str) -> VerificationResult:
    return VerificationResult(ok=False, checked=checked, message=message, first_broken=event_id)
