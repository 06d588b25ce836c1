"""Shared fixtures for the lib tests: a known set of keys, independent of the test settings."""

from __future__ import annotations

import base64

import pytest
from django.utils import translation

OLD_KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()
NEW_KEY = base64.urlsafe_b64encode(bytes(range(100, 132))).decode()
INDEX_KEY = base64.urlsafe_b64encode(bytes(range(200, 232))).decode()
OTHER_INDEX_KEY = base64.urlsafe_b64encode(bytes(range(1, 33))).decode()


@pytest.fixture
def keys(settings):
    """Two encryption keys, "old" and "new" (current), and a blind-index key."""
    settings.ATPAZIT_ENCRYPTION_KEYS = {"old": OLD_KEY, "new": NEW_KEY}
    settings.ATPAZIT_ENCRYPTION_CURRENT_KEY = "new"
    settings.ATPAZIT_BLIND_INDEX_KEY = INDEX_KEY
    return settings


@pytest.fixture(autouse=True)
def english():
    """Assert on the English source strings, whatever LANGUAGE_CODE and the .po files say."""
    with translation.override("en"):
        yield
