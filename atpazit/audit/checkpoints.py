"""Signed checkpoints of the audit chain's head, to be kept outside the database.

A checkpoint is one line of JSON: the head's sequence number, link and chain key id, when that
event was written and when the checkpoint was made, the fingerprint of the Ed25519 key that signed
it, and the signature over the rest. ``atpazit audit checkpoint`` writes one;
``atpazit audit verify --checkpoint FILE`` checks that the chain still holds that link at that
number. A file may hold many checkpoints, one per line (``>> checkpoints.jsonl``).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils import timezone

from atpazit.audit.keys import fingerprint, signing_key
from atpazit.audit.models import AuditEvent

FORMAT = "atpazit-audit-checkpoint/1"
SIGNED_FIELDS = ("format", "sequence", "hash", "key_id", "event_time", "created_at", "signed_by")


class CheckpointError(Exception):
    """A checkpoint cannot be read, or its signature does not hold."""


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    hash: str
    key_id: str
    signed_by: str


def make_checkpoint(head: AuditEvent) -> str:
    """Sign ``head`` (the chain's last event) and return the checkpoint as one line of JSON."""
    key = signing_key()
    content: dict[str, Any] = {
        "format": FORMAT,
        "sequence": head.sequence,
        "hash": head.hash,
        "key_id": head.key_id,
        "event_time": head.occurred_at.isoformat(timespec="microseconds"),
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "signed_by": fingerprint(key.public_key()),
    }
    signature = key.sign(_signed_bytes(content))
    content["signature"] = base64.urlsafe_b64encode(signature).decode("ascii")
    return json.dumps(content, ensure_ascii=True, separators=(",", ":"))


def read_checkpoints(
    lines: Iterable[str], *, trusted: dict[str, Ed25519PublicKey], source: str
) -> list[Checkpoint]:
    """Parse and check every checkpoint in ``lines``; CheckpointError names the first bad line."""
    checkpoints = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            checkpoints.append(_read_one(line, trusted=trusted, where=f"{source}, line {number}"))
    if not checkpoints:
        raise CheckpointError(f"{source} holds no checkpoint")
    return checkpoints


def _read_one(line: str, *, trusted: dict[str, Ed25519PublicKey], where: str) -> Checkpoint:
    try:
        content = json.loads(line)
        signature = base64.urlsafe_b64decode(content["signature"])
        signed = {name: content[name] for name in SIGNED_FIELDS}
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise CheckpointError(f"{where}: not an Atpazīt audit checkpoint") from None
    if signed["format"] != FORMAT:
        raise CheckpointError(f"{where}: unknown checkpoint format {signed['format']!r}")
    public_key = trusted.get(str(signed["signed_by"]))
    if public_key is None:
        raise CheckpointError(
            f"{where}: signed by key {signed['signed_by']!r}, which is not a trusted checkpoint "
            "key (ATPAZIT_AUDIT_CHECKPOINT_PUBLIC_KEYS or --public-key)"
        )
    try:
        public_key.verify(signature, _signed_bytes(signed))
    except InvalidSignature:
        raise CheckpointError(f"{where}: the signature does not match: it was altered") from None
    if not isinstance(signed["sequence"], int) or not isinstance(signed["hash"], str):
        raise CheckpointError(f"{where}: sequence or hash has the wrong type")
    return Checkpoint(
        sequence=signed["sequence"],
        hash=signed["hash"],
        key_id=str(signed["key_id"]),
        signed_by=str(signed["signed_by"]),
    )


def _signed_bytes(content: dict[str, Any]) -> bytes:
    signed = {name: content[name] for name in SIGNED_FIELDS}
    return json.dumps(signed, sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode()
