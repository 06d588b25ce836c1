"""Development-only secrets, made once and kept under var/ so demo data survives restarts.

Production never reaches this module: settings.py refuses to start without real keys.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path


def _new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def load_or_create(var_dir: Path) -> dict[str, str]:
    """Return {"secret_key", "encryption_key", "blind_index_key", "audit_key",
    "audit_signing_key"} from var/dev-secrets.json, adding any that an older file lacks."""
    path = var_dir / "dev-secrets.json"
    values: dict[str, str] = {}
    if path.exists():
        values = dict(json.loads(path.read_text(encoding="utf-8")))
    missing = {
        "secret_key": lambda: secrets.token_urlsafe(50),
        "encryption_key": _new_key,
        "blind_index_key": _new_key,
        "audit_key": _new_key,
        "audit_signing_key": _new_key,
    }
    missing = {name: make for name, make in missing.items() if name not in values}
    if not missing:
        return values
    values.update({name: make() for name, make in missing.items()})
    var_dir.mkdir(parents=True, exist_ok=True)
    # Written beside and renamed, so a process starting meanwhile never reads half a file.
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(json.dumps(values, indent=2))
    os.replace(partial, path)
    return values
