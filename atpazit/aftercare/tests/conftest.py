"""The aftercare tests read the interface in English (the source language). Personas come from
tests/personas.py, ``cast`` (the case they follow) from the reflection tests."""

from __future__ import annotations

import pytest
from django.utils import translation

from atpazit.reflection.tests.conftest import cast  # noqa: F401 - the same fixture


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield
