"""Field-level encryption of personal data with AES-256-GCM (DESIGN §7).

Token format, one ASCII string stored in a text column::

    v1.<key_id>.<payload>

- ``v1`` is the format version. A future format gets a new prefix; old tokens stay readable.
- ``key_id`` names the key in ``ATPAZIT_ENCRYPTION_KEYS``; it matches ``[A-Za-z0-9_-]{1,64}``
  (no dots, so the token splits unambiguously).
- ``payload`` is unpadded urlsafe base64 of ``nonce (12 random bytes) || ciphertext || tag
  (16 bytes)``.

The associated data authenticated with every value is ``"v1.<key_id>.<context>"``, where the
context names the column (``"cases.person.given_name"``). A token copied to another column,
or relabelled with another key id, fails to decrypt instead of decrypting to the wrong thing.

Known limits: ciphertext length reveals plaintext length; random 96-bit nonces are safe for
about 2**32 encryptions per key, far above our volumes, and rotation starts a fresh key.

Keys come from settings, read at call time: ``ATPAZIT_ENCRYPTION_KEYS`` (key id -> urlsafe
base64 of 32 bytes) and ``ATPAZIT_ENCRYPTION_CURRENT_KEY``. Nothing here logs, and no
exception message carries plaintext.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORMAT_VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
_B64_RE = re.compile(r"[A-Za-z0-9_+/-]*={0,2}")


class CryptoError(Exception):
    """Base class for everything this module raises."""


class KeyConfigurationError(CryptoError, ImproperlyConfigured):
    """The key settings are missing or malformed; the message names the setting to fix."""


class DecryptionError(CryptoError):
    """A token could not be decrypted: malformed, unknown key, wrong context or tampered.

    ``key_id`` is set when the token named one, so operators know which key to restore.
    """

    def __init__(self, message: str, *, key_id: str | None = None) -> None:
        super().__init__(message)
        self.key_id = key_id


def decode_key(value: str, *, setting: str) -> bytes:
    """Decode one base64 key (urlsafe or standard alphabet, padding optional) to 32 bytes.

    Used for encryption keys and the blind-index key; raises KeyConfigurationError naming
    ``setting`` (never echoing the value, which is a secret).
    """
    text = value.strip() if isinstance(value, str) else ""
    if not text or not _B64_RE.fullmatch(text):
        raise KeyConfigurationError(f"{setting} must be base64 of {KEY_BYTES} random bytes.")
    try:
        raw = _b64decode(text.translate(str.maketrans("+/", "-_")))
    except binascii.Error:
        raise KeyConfigurationError(f"{setting} is not valid base64.") from None
    if len(raw) != KEY_BYTES:
        raise KeyConfigurationError(
            f"{setting} must decode to {KEY_BYTES} bytes, not {len(raw)}; "
            "make one with atpazit.lib.crypto.generate_key()."
        )
    return raw


def generate_key() -> str:
    """Return a new random key as urlsafe base64, for ``.env.example`` and key rotation."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


@dataclass(frozen=True)
class Keyring:
    """The configured keys: every key that may still be in the data, and the current one.

    Build it with ``Keyring.from_settings()`` (cached per configuration) or directly in tests.
    Raises KeyConfigurationError when the current key is missing or a key id is malformed.
    """

    keys: Mapping[str, bytes]
    current_key_id: str
    _ciphers: dict[str, AESGCM] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for key_id, key in self.keys.items():
            _check_key_id(key_id)
            if len(key) != KEY_BYTES:
                raise KeyConfigurationError(f"Encryption key {key_id!r} is not {KEY_BYTES} bytes.")
        if self.current_key_id not in self.keys:
            raise KeyConfigurationError(
                "ATPAZIT_ENCRYPTION_CURRENT_KEY must name one of ATPAZIT_ENCRYPTION_KEYS "
                f"({', '.join(sorted(self.keys)) or 'none configured'})."
            )
        # Frozen dataclass: build the cipher objects once, outside the normal setattr.
        ciphers = {key_id: AESGCM(key) for key_id, key in self.keys.items()}
        object.__setattr__(self, "_ciphers", ciphers)

    @classmethod
    def from_settings(cls) -> Keyring:
        """Read the keyring from Django settings now (not at import), cached per value."""
        keys = getattr(settings, "ATPAZIT_ENCRYPTION_KEYS", None) or {}
        current = getattr(settings, "ATPAZIT_ENCRYPTION_CURRENT_KEY", "") or ""
        if not isinstance(keys, Mapping):
            raise KeyConfigurationError(
                "ATPAZIT_ENCRYPTION_KEYS must be a mapping of key id -> key."
            )
        return _keyring_from_config(tuple(sorted(keys.items())), current)

    def cipher(self, key_id: str) -> AESGCM:
        """Return the cipher for ``key_id``; raises DecryptionError naming an unknown key."""
        try:
            return self._ciphers[key_id]
        except KeyError:
            raise DecryptionError(
                f"Encryption key {key_id!r} is not configured; add it back to "
                "ATPAZIT_ENCRYPTION_KEYS to read values encrypted with it.",
                key_id=key_id,
            ) from None


@functools.lru_cache(maxsize=8)
def _keyring_from_config(items: tuple[tuple[str, str], ...], current: str) -> Keyring:
    # Keyed by the setting values, so override_settings in tests gets a fresh keyring.
    keys = {
        key_id: decode_key(value, setting=f"ATPAZIT_ENCRYPTION_KEYS[{key_id!r}]")
        for key_id, value in items
    }
    return Keyring(keys=keys, current_key_id=current)


def encrypt(plaintext: str, *, context: str, keyring: Keyring | None = None) -> str:
    """Encrypt ``plaintext`` under the current key, bound to ``context`` (the column name).

    Called by the encrypted model fields and by services that encrypt attachments' metadata.
    Raises KeyConfigurationError if the keys are not configured, TypeError for a non-str.
    """
    if not isinstance(plaintext, str):
        raise TypeError(f"encrypt() takes str, not {type(plaintext).__name__}")
    ring = keyring or Keyring.from_settings()
    key_id = ring.current_key_id
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = ring.cipher(key_id).encrypt(nonce, plaintext.encode("utf-8"), _aad(key_id, context))
    return f"{FORMAT_VERSION}.{key_id}.{_b64encode(nonce + sealed)}"


def decrypt(token: str, *, context: str, keyring: Keyring | None = None) -> str:
    """Decrypt a token made by ``encrypt`` with the same ``context``.

    Raises DecryptionError (with ``key_id`` where known) for a malformed token, an unknown
    key, a different context or any tampering. The message never contains the plaintext.
    """
    key_id, blob = _parse(token)
    ring = keyring or Keyring.from_settings()
    cipher = ring.cipher(key_id)
    try:
        data = cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _aad(key_id, context))
    except InvalidTag:
        raise DecryptionError(
            f"Value for {context!r} failed authentication with key {key_id!r}: it was "
            "tampered with, moved from another column, or the key material is wrong.",
            key_id=key_id,
        ) from None
    return _utf8(data, key_id=key_id)


def key_id_of(token: str) -> str:
    """Return the key id a token was encrypted with; raises DecryptionError if malformed."""
    return _parse(token)[0]


def needs_rotation(token: str, *, keyring: Keyring | None = None) -> bool:
    """True if ``token`` is not under the current key (used by the key rotation command)."""
    ring = keyring or Keyring.from_settings()
    return key_id_of(token) != ring.current_key_id


def _parse(token: str) -> tuple[str, bytes]:
    if not isinstance(token, str):
        raise DecryptionError(f"An encrypted value must be str, not {type(token).__name__}.")
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != FORMAT_VERSION:
        raise DecryptionError(f"Not an encrypted value in format {FORMAT_VERSION}.")
    _, key_id, payload = parts
    if not KEY_ID_RE.fullmatch(key_id):
        raise DecryptionError("Encrypted value has a malformed key id.")
    try:
        blob = _b64decode(payload)
    except (binascii.Error, ValueError):
        raise DecryptionError(
            f"Encrypted value under key {key_id!r} is not valid base64.", key_id=key_id
        ) from None
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError(f"Encrypted value under key {key_id!r} is truncated.", key_id=key_id)
    return key_id, blob


def _utf8(data: bytes, *, key_id: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # "from None": the UnicodeDecodeError would carry the decrypted bytes with it.
        raise DecryptionError(
            f"Value under key {key_id!r} is not UTF-8 text.", key_id=key_id
        ) from None


def _aad(key_id: str, context: str) -> bytes:
    if not context:
        raise ValueError("An encryption context (e.g. 'cases.person.given_name') is required.")
    return f"{FORMAT_VERSION}.{key_id}.{context}".encode()


def _check_key_id(key_id: object) -> None:
    if not isinstance(key_id, str) or not KEY_ID_RE.fullmatch(key_id):
        raise KeyConfigurationError(
            f"Encryption key id {key_id!r} must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'."
        )


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    # Unpadded urlsafe base64; validate first because b64decode silently skips junk.
    if not _B64_RE.fullmatch(text) or "+" in text or "/" in text:
        raise binascii.Error("not urlsafe base64")
    stripped = text.rstrip("=")
    return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
