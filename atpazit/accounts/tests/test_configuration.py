"""A production start refuses an insecure configuration and says what to set."""

from __future__ import annotations

import os
import subprocess
import sys

from atpazit.lib.production import production_problems

GOOD_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="


def good(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "secret_key": "q" * 20 + "w" * 20 + "e" * 10 + "rtyuiop",
        "encryption_keys": {"k1": GOOD_KEY},
        "current_key": "k1",
        "blind_index_key": GOOD_KEY,
        "audit_keys": {"a1": GOOD_KEY},
        "audit_current_key": "a1",
        "two_factor_required": True,
        "allowed_hosts": ["atpazit.example.invalid"],
        "debug": False,
    }
    return {**values, **overrides}


def test_a_complete_configuration_has_no_problems():
    assert production_problems(**good()) == []  # type: ignore[arg-type]


def test_each_problem_names_the_variable_to_set():
    problems = production_problems(
        **good(
            secret_key="django-insecure-abc",
            encryption_keys={},
            blind_index_key="short",
            audit_keys={},
            two_factor_required=False,
            allowed_hosts=[],
            debug=True,
        )
    )  # type: ignore[arg-type]
    text = "\n".join(problems)
    for variable in [
        "ATPAZIT_SECRET_KEY",
        "ATPAZIT_ENCRYPTION_KEYS",
        "ATPAZIT_BLIND_INDEX_KEY",
        "ATPAZIT_AUDIT_KEYS",
        "ATPAZIT_2FA_REQUIRED",
        "ATPAZIT_ALLOWED_HOSTS",
        "ATPAZIT_DEBUG",
    ]:
        assert variable in text


def test_the_current_key_must_exist():
    problems = production_problems(**good(current_key="k9"))  # type: ignore[arg-type]
    assert any("ATPAZIT_ENCRYPTION_CURRENT_KEY" in p for p in problems)


def test_the_current_audit_key_must_exist_and_be_32_bytes():
    problems = production_problems(**good(audit_keys={"a1": "short"}, audit_current_key="a9"))  # type: ignore[arg-type]
    assert any("ATPAZIT_AUDIT_CURRENT_KEY" in p for p in problems)
    assert any("ATPAZIT_AUDIT_KEYS['a1']" in p for p in problems)


def test_an_older_dev_secrets_file_gets_the_audit_keys_added(tmp_path):
    import json

    from atpazit.lib import devkeys

    (tmp_path / "dev-secrets.json").write_text(json.dumps({"secret_key": "kept"}))
    values = devkeys.load_or_create(tmp_path)
    assert values["secret_key"] == "kept"
    assert {"audit_key", "audit_signing_key", "encryption_key"} <= set(values)
    assert devkeys.load_or_create(tmp_path) == values


def test_production_start_refuses_to_run_without_configuration(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATPAZIT_")}
    env.update(
        {
            "ATPAZIT_ENV": "production",
            "DJANGO_SETTINGS_MODULE": "atpazit.settings",
            "ATPAZIT_VAR_DIR": str(tmp_path),
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "refuses to start in production mode" in result.stderr
    assert "ATPAZIT_SECRET_KEY" in result.stderr


def test_secrets_can_come_from_files(tmp_path, monkeypatch):
    from atpazit.lib.env import env_str

    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file\n")
    monkeypatch.setenv("ATPAZIT_EXAMPLE_FILE", str(secret_file))
    assert env_str("ATPAZIT_EXAMPLE") == "from-a-file"


def test_database_url_selects_postgresql():
    from pathlib import Path

    from atpazit.lib.env import database_from_url

    db = database_from_url(
        "postgres://u:p%40ss@db.example.invalid:5433/atpazit", base_dir=Path("/srv")
    )
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql",
        "atpazit",
        "u",
        "p@ss",
        "db.example.invalid",
        "5433",
    )


def test_production_refuses_debug():
    problems = production_problems(**good(debug=True))  # type: ignore[arg-type]

    assert any("ATPAZIT_DEBUG" in p for p in problems)


def test_production_start_with_debug_on_is_refused(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATPAZIT_")}
    env.update(
        {
            "ATPAZIT_ENV": "production",
            "ATPAZIT_DEBUG": "true",
            "DJANGO_SETTINGS_MODULE": "atpazit.settings",
            "ATPAZIT_VAR_DIR": str(tmp_path),
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "ATPAZIT_DEBUG" in result.stderr
