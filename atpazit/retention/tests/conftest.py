"""The retention tests read the interface in English and move the clock with time-machine:
a case is built today, and the purge runs years later."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield
