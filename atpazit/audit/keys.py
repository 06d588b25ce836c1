"""The keys of the audit trail, read from settings at call time (never at import).

- **Chain keys** (``ATPAZIT_AUDIT_KEYS``: key id -> base64 of 32 bytes, and
  ``ATPAZIT_AUDIT_CURRENT_KEY``): each event's link is an HMAC-SHA256 under one of them, and the
  event stores the key id. They live outside the database, so whoever can only write the database
  cannot forge a link. Every key id that appears in the chain must stay configured to verify it.
- **Checkpoint signing key** (``ATPAZIT_AUDIT_SIGNING_KEY``: base64 of a 32-byte Ed25519 private
  key): signs the heads written by ``atpazit audit checkpoint``. Only the checkpoint job needs it;
  the web server does not. Its public half (``atpazit audit public-key``) may be handed to anyone.
- **Trusted checkpoint keys** (``ATPAZIT_AUDIT_CHECKPOINT_PUBLIC_KEYS``, comma-separated base64
  public keys): the keys whose checkpoints ``atpazit audit verify --checkpoint`` accepts, besides
  the public half of the configured signing key.

See docs/decisions/0005-keyed-audit-chain.md.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from atpazit.lib.crypto import KEY_ID_RE, KeyConfigurationError, decode_key


@dataclass(frozen=True)
class ChainKeys:
    """Every chain key that may appear in the chain, and the one new events are linked with."""

    keys: Mapping[str, bytes]
    current_key_id: str

    @property
    def current_key(self) -> bytes:
        return self.keys[self.current_key_id]

    @classmethod
    def from_settings(cls) -> ChainKeys:
        configured = getattr(settings, "ATPAZIT_AUDIT_KEYS", {}) or {}
        current = getattr(settings, "ATPAZIT_AUDIT_CURRENT_KEY", "") or ""
        return _chain_keys(tuple(sorted(configured.items())), current)


@functools.lru_cache(maxsize=8)
def _chain_keys(items: tuple[tuple[str, str], ...], current: str) -> ChainKeys:
    keys: dict[str, bytes] = {}
    for key_id, value in items:
        if not KEY_ID_RE.fullmatch(key_id):
            raise KeyConfigurationError(
                f"Audit key id {key_id!r} must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'."
            )
        keys[key_id] = decode_key(value, setting=f"ATPAZIT_AUDIT_KEYS[{key_id!r}]")
    if current not in keys:
        raise KeyConfigurationError(
            "ATPAZIT_AUDIT_CURRENT_KEY must name one of ATPAZIT_AUDIT_KEYS "
            f"({', '.join(sorted(keys)) or 'none configured'})."
        )
    return ChainKeys(keys=keys, current_key_id=current)


def signing_key() -> Ed25519PrivateKey:
    """The checkpoint signing key; KeyConfigurationError when it is not configured."""
    value = getattr(settings, "ATPAZIT_AUDIT_SIGNING_KEY", "") or ""
    if not value:
        raise KeyConfigurationError(
            "ATPAZIT_AUDIT_SIGNING_KEY (or ATPAZIT_AUDIT_SIGNING_KEY_FILE) is not set: "
            "checkpoints cannot be signed. Make one with `atpazit keys generate`."
        )
    return Ed25519PrivateKey.from_private_bytes(
        decode_key(value, setting="ATPAZIT_AUDIT_SIGNING_KEY")
    )


def public_key_text(key: Ed25519PublicKey) -> str:
    return base64.urlsafe_b64encode(key.public_bytes_raw()).decode("ascii")


def fingerprint(key: Ed25519PublicKey) -> str:
    """A short, stable name for a public key, written into each checkpoint."""
    return hashlib.sha256(key.public_bytes_raw()).hexdigest()[:16]


def parse_public_key(text: str, *, source: str) -> Ed25519PublicKey:
    try:
        raw = base64.urlsafe_b64decode(text.strip().translate(str.maketrans("+/", "-_")))
    except (binascii.Error, ValueError):
        raise KeyConfigurationError(f"{source} is not valid base64.") from None
    if len(raw) != 32:
        raise KeyConfigurationError(f"{source} must be a 32-byte Ed25519 public key.")
    return Ed25519PublicKey.from_public_bytes(raw)


def trusted_public_keys(extra: list[str] | None = None) -> dict[str, Ed25519PublicKey]:
    """Public keys whose checkpoints are accepted, by fingerprint: the configured ones, the
    public half of the configured signing key, and any given on the command line."""
    keys = [
        parse_public_key(text, source="ATPAZIT_AUDIT_CHECKPOINT_PUBLIC_KEYS")
        for text in getattr(settings, "ATPAZIT_AUDIT_CHECKPOINT_PUBLIC_KEYS", [])
    ]
    keys += [parse_public_key(text, source="--public-key") for text in extra or []]
    if getattr(settings, "ATPAZIT_AUDIT_SIGNING_KEY", ""):
        keys.append(signing_key().public_key())
    return {fingerprint(key): key for key in keys}
