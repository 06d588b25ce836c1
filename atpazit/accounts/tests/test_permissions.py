"""The role -> permission table: complete, labelled, and unchanged unless a review changes it."""

from __future__ import annotations

import json
from pathlib import Path

from atpazit.accounts.permissions import PERMISSION_LABELS, ROLE_PERMISSIONS, permissions_for
from atpazit.accounts.roles import Role

# The table as reviewed, one sorted list a role. Issue 10 rewrote the table from four merge
# passes into one literal block a role; this snapshot, taken from the merged table before the
# rewrite, proves it grants exactly what it granted. Change it together with permissions.py.
SNAPSHOT = Path(__file__).with_name("permission_table.json")


def test_the_table_grants_exactly_the_reviewed_permissions() -> None:
    reviewed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert {role: sorted(granted) for role, granted in ROLE_PERMISSIONS.items()} == reviewed


def test_every_role_has_a_block_and_sees_its_dashboard() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role.values)
    assert all("web.dashboard:view" in granted for granted in ROLE_PERMISSIONS.values())


def test_every_granted_permission_has_a_label_and_every_label_is_granted() -> None:
    granted = set().union(*ROLE_PERMISSIONS.values())
    assert granted == set(PERMISSION_LABELS)


def test_an_unknown_or_missing_role_has_no_permission() -> None:
    assert permissions_for(None) == frozenset()
    assert permissions_for("janitor") == frozenset()
