"""Linking and verification of the audit chain; pure functions over event fields and keys.

An event's link is ``HMAC-SHA256(key, previous_hash || canonical content)`` under the chain key
named by the event's ``key_id`` (which the content covers). Events written before the chain was
keyed have an empty ``key_id`` and a plain SHA-256 link; they are accepted only as the start of the
chain, closed by a keyed event, so nobody without the key can append or rewrite anything.
See docs/decisions/0005-keyed-audit-chain.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from atpazit.audit.models import GENESIS_HASH, AuditEvent, ChainHead

UNKEYED = ""


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
    if event.key_id != UNKEYED:
        # Unkeyed events keep the content they were hashed with before keys existed.
        content["key_id"] = event.key_id
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(previous_hash: str, event: AuditEvent, key: bytes | None = None) -> str:
    """The event's link: an HMAC under ``key`` for a keyed event, plain SHA-256 for an old one."""
    message = previous_hash.encode("ascii") + canonical_content(event).encode("utf-8")
    if event.key_id == UNKEYED:
        return hashlib.sha256(message).hexdigest()
    if key is None:
        raise ValueError(f"event #{event.sequence} is keyed ({event.key_id!r}) but no key given")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    checked: int
    message: str
    first_broken: int | None = None
    unkeyed: int = 0
    checkpoints: int = 0


@dataclass
class _Walk:
    """What the walk has seen so far: the link to expect, and which keys were used and left."""

    previous: str = GENESIS_HASH
    checked: int = 0
    unkeyed: int = 0
    key_id: str | None = None
    left_keys: set[str] = field(default_factory=set)


class ChainSource(Protocol):
    """Where the events and the head come from (the database in ``selectors``)."""

    def events_after(self, sequence: int) -> Iterable[AuditEvent]: ...

    def head(self) -> ChainHead | None: ...


def verify_chain(
    source: ChainSource,
    *,
    keys: Mapping[str, bytes],
    checkpoints: Mapping[int, str] | None = None,
) -> VerificationResult:
    """Walk events in sequence order; report the first whose number, link, key or content does
    not hold, or that differs from a checkpoint (sequence -> hash) taken earlier.

    The head is read after the walk, and events appended meanwhile are walked too, so a busy
    system does not look truncated.
    """
    checkpoints = checkpoints or {}
    walk = _Walk()
    head = None
    for _attempt in range(5):
        for event in source.events_after(walk.checked):
            problem = _check_event(walk, event, keys)
            if problem is None and checkpoints.get(event.sequence, event.hash) != event.hash:
                problem = (
                    f"event #{event.sequence} is not the event the checkpoint recorded: "
                    "the chain was rewritten from this point or earlier"
                )
            if problem:
                return _broken(walk, event.sequence, problem)
            walk.previous = event.hash
            walk.checked += 1
        head = source.head()
        if head is None or head.event_count <= walk.checked:
            break
    return _check_end(walk, head, checkpoints)


def _check_event(walk: _Walk, event: AuditEvent, keys: Mapping[str, bytes]) -> str | None:
    number = event.sequence
    if number != walk.checked + 1:
        return f"event #{number} follows #{walk.checked}: events are missing or inserted"
    if event.previous_hash != walk.previous:
        return f"event #{number} does not link to the event before it"
    if event.key_id == UNKEYED:
        if walk.key_id is not None:
            return f"event #{number} has no key after keyed events: it was written without the key"
        walk.unkeyed += 1
    elif event.key_id not in keys:
        return f"event #{number} is under audit key {event.key_id!r}, which is not configured"
    elif event.key_id in walk.left_keys:
        return f"event #{number} goes back to audit key {event.key_id!r}, which was retired"
    if event_hash(walk.previous, event, keys.get(event.key_id)) != event.hash:
        return f"event #{number} was changed after it was written, or written without the key"
    if event.key_id != UNKEYED and event.key_id != walk.key_id:
        if walk.key_id:
            walk.left_keys.add(walk.key_id)
        walk.key_id = event.key_id
    return None


def _check_end(
    walk: _Walk, head: ChainHead | None, checkpoints: Mapping[int, str]
) -> VerificationResult:
    head_hash = head.last_hash if head else GENESIS_HASH
    head_count = head.event_count if head else 0
    if head_count < walk.checked:
        return _broken(
            walk,
            head_count + 1,
            f"the chain has {walk.checked} events, but only {head_count} were written: "
            "events were added behind the head",
        )
    if head_hash != walk.previous or head_count != walk.checked:
        return _broken(
            walk,
            None,
            f"the chain ends after {walk.checked} events, but {head_count} were written: "
            "events were deleted",
        )
    beyond = [number for number in checkpoints if number > walk.checked]
    if beyond:
        return _broken(
            walk,
            None,
            f"a checkpoint recorded event #{min(beyond)}, but the chain ends after "
            f"{walk.checked} events: events were deleted",
        )
    if walk.checked and walk.key_id is None:
        return _broken(
            walk,
            None,
            f"none of the {walk.checked} events is keyed: anyone with database access could have "
            "written them; run `atpazit audit anchor` once to close the old chain with the key",
        )
    message = f"{walk.checked} events verified"
    if walk.unkeyed:
        message += f" ({walk.unkeyed} from before the chain was keyed)"
    if checkpoints:
        message += f", {len(checkpoints)} checkpoint(s) matched"
    return VerificationResult(
        ok=True,
        checked=walk.checked,
        message=message,
        unkeyed=walk.unkeyed,
        checkpoints=len(checkpoints),
    )


def _broken(walk: _Walk, event_id: int | None, message: str) -> VerificationResult:
    return VerificationResult(
        ok=False, checked=walk.checked, message=message, first_broken=event_id, unkeyed=walk.unkeyed
    )
