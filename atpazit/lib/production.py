"""The checks a production start must pass. Each problem says exactly what to set."""

from __future__ import annotations

import base64
import binascii

INSECURE_SECRET_PREFIXES = ("django-insecure", "change-me", "changeme", "dev-")


def production_problems(
    *,
    secret_key: str,
    encryption_keys: dict[str, str],
    current_key: str,
    blind_index_key: str,
    audit_keys: dict[str, str],
    audit_current_key: str,
    two_factor_required: bool,
    allowed_hosts: list[str],
    debug: bool,
) -> list[str]:
    """List what is wrong with a production configuration; an empty list means it may start."""
    problems: list[str] = []
    if (
        len(secret_key) < 50
        or secret_key.startswith(INSECURE_SECRET_PREFIXES)
        or len(set(secret_key)) < 5
    ):
        problems.append(
            "ATPAZIT_SECRET_KEY (or ATPAZIT_SECRET_KEY_FILE) must be set to a random value of at "
            "least 50 characters, e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    problems += _keyring_problems(
        encryption_keys, current_key, name="ATPAZIT_ENCRYPTION_KEYS", example="k2026"
    )
    if not _is_32_byte_key(blind_index_key):
        problems.append(
            "ATPAZIT_BLIND_INDEX_KEY (or _FILE) must be urlsafe base64 of exactly 32 bytes"
        )
    problems += _keyring_problems(
        audit_keys, audit_current_key, name="ATPAZIT_AUDIT_KEYS", example="a2026"
    )
    if not two_factor_required:
        problems.append(
            "ATPAZIT_2FA_REQUIRED must not be false in production: two-factor sign-in is mandatory"
        )
    if not allowed_hosts:
        problems.append("ATPAZIT_ALLOWED_HOSTS must list the host names the service answers to")
    if debug:
        problems.append(
            "ATPAZIT_DEBUG must not be true in production: debug pages show settings and data, "
            "and development-only pages (the development mailbox) would answer"
        )
    return problems


def _keyring_problems(keys: dict[str, str], current: str, *, name: str, example: str) -> list[str]:
    """Problems with a JSON keyring setting (NAME) and its NAME_CURRENT_KEY companion."""
    current_name = name.removesuffix("_KEYS") + "_CURRENT_KEY"
    if not keys:
        return [
            f"{name} (or _FILE) must be a JSON object of key id -> base64 32-byte key, "
            f'e.g. {{"{example}": "<atpazit keys generate>"}}'
        ]
    problems = []
    if current not in keys:
        problems.append(
            f"{current_name} must name one of the keys in {name} ({', '.join(sorted(keys))})"
        )
    for key_id, value in keys.items():
        if not _is_32_byte_key(value):
            problems.append(f"{name}[{key_id!r}] must be urlsafe base64 of exactly 32 bytes")
    return problems


def _is_32_byte_key(value: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(value.encode("ascii"))) == 32
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return False
