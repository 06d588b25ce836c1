"""Expired sessions are deleted, not left to pile up.

A session row holds what a user did in it (the kept case search, encrypted; the active
organisation). Django deletes an expired session only when its own browser comes back, so
``atpazit tick`` clears the expired ones every time it runs (docs/operations.md)."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings


def clear_expired_sessions() -> None:
    """Delete every expired session of the configured session engine."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
