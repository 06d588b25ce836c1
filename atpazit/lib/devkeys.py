"""Development-only secrets, made once and kept under var/ so demo data survives restarts.

Production never reaches this module: settings.py refuses to start without real keys.
"""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path


def _new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def load_or_create(var_dir: Path) -> dict[str, str]:
    """Return {"secret_key", "encryption_key", "blind_index_key"} from var/dev-secrets.json."""
    path = var_dir / "dev-secrets.json"
    if path.exists():
        return dict(json.loads(path.read_text(encoding="utf-8")))
    var_dir.mkdir(parents=True, exist_ok=True)
    values = {
        "secret_key": secrets.token_urlsafe(50),
        "encryption_key": _new_key(),
        "blind_index_key": _new_key(),
    }
    path.write_text(json.dumps(values, indent=2), encoding="utf-8")
    path.chmod(0o600)
    return values
