"""The signature of a webhook delivery (ADR 0030, docs/guides/api-integrators.md).

``Atpazit-Signature: t=<unix seconds>,v1=<hex>``: ``v1`` is HMAC-SHA256, keyed with the
endpoint's secret, over ``"<t>." + body`` (the exact bytes sent). For a day after the secret is
rotated a second ``v1=`` signed with the old secret follows, so a receiver can switch over
without losing events. A receiver refuses a timestamp more than ``TOLERANCE`` seconds from its
clock (replay protection) and ignores an event id it has already processed (idempotency).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

HEADER = "Atpazit-Signature"
SECRET_PREFIX = "whsec_"  # noqa: S105 - the public start of every signing secret
TOLERANCE = 300  # seconds


def new_secret() -> str:
    """A new signing secret: 32 random bytes, URL-safe."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header_value(secrets_in_use: Iterable[str], timestamp: int, body: bytes) -> str:
    parts = [f"t={timestamp}"]
    parts += [f"v1={signature(secret, timestamp, body)}" for secret in secrets_in_use if secret]
    return ",".join(parts)


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = TOLERANCE) -> bool:
    """What a receiver does (the integrators' guide has the same in a few lines): True if one
    ``v1`` matches and the timestamp is within ``tolerance`` seconds of ``now``."""
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)
