"""The exchange tests read the interface in English (the source language). Personas come from
tests/personas.py."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield
