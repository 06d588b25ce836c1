"""Settings read from the environment: a value that would weaken a control is refused or read
as the stricter meaning, never silently taken."""

from __future__ import annotations

import pytest

from atpazit.lib.env import ConfigurationError, env_lockout_hours

NAME = "ATPAZIT_LOCKOUT_MINUTES"


def test_minutes_become_axes_hours(monkeypatch):
    monkeypatch.setenv(NAME, "45")
    assert env_lockout_hours(NAME, 30) == 0.75


def test_unset_takes_the_default(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    assert env_lockout_hours(NAME, 30) == 0.5


def test_zero_locks_until_unlocked_instead_of_switching_the_lockout_off(monkeypatch):
    # django-axes reads a cool-off of 0 as expired at once: every lock would end immediately.
    monkeypatch.setenv(NAME, "0")
    assert env_lockout_hours(NAME, 30) is None


def test_a_negative_length_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv(NAME, "-5")
    with pytest.raises(ConfigurationError, match=NAME):
        env_lockout_hours(NAME, 30)
