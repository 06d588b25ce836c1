"""Typed readers for configuration from the environment.

Every setting comes from an environment variable; secrets may instead come from a file named by
the same variable with a ``_FILE`` suffix (Docker/systemd credentials), so they never have to sit
in the process environment. Nothing here caches: settings.py calls these once at start-up.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


class ConfigurationError(Exception):
    """A variable is present but cannot be read as the type the setting needs."""


def _raw(name: str) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigurationError(
                f"{name}_FILE points at {file_name!r}, which cannot be read: {exc}"
            ) from exc
    return os.environ.get(name)


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}") from exc


def env_lockout_hours(name: str, default_minutes: int) -> float | None:
    """A lockout length given in minutes, as django-axes wants it (``AXES_COOLOFF_TIME``, in
    hours): 0 means locked until a system administrator unlocks the account (None), since axes
    reads a cool-off of 0 as already expired, which would switch the lockout off."""
    minutes = env_int(name, default_minutes)
    if minutes < 0:
        raise ConfigurationError(
            f"{name} must be 0 (until unlocked) or more minutes, not {minutes}"
        )
    return minutes / 60 if minutes else None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None or value == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_json_dict(name: str) -> dict[str, str]:
    value = _raw(name)
    if value is None or value == "":
        return {}
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(f'{name} must be a JSON object, e.g. {{"k1": "..."}}') from exc
    if not isinstance(parsed, dict) or not all(isinstance(v, str) for v in parsed.values()):
        raise ConfigurationError(f"{name} must be a JSON object of key id -> base64 key")
    return {str(k): v for k, v in parsed.items()}


def database_from_url(url: str, *, base_dir: Path) -> dict[str, object]:
    """Translate DATABASE_URL into Django's DATABASES entry (sqlite:/// or postgres://)."""
    from urllib.parse import unquote, urlparse

    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        name = Path(path) if path.startswith("/") else base_dir / path
        return _sqlite(name)
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ConfigurationError(
        f"DATABASE_URL scheme {parsed.scheme!r} is not supported; use sqlite:///path or postgres://"
    )


def _sqlite(name: Path) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": {
            # WAL lets the web server read while the worker writes; IMMEDIATE avoids
            # "database is locked" upgrades from read to write transactions.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }
