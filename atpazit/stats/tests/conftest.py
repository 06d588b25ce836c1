"""The statistics tests read the interface in English. Rihards is the national coordinator
(suppressed national figures), Ilze a case officer in Riga and Gunārs one in Daugavpils (exact
figures of their own unit), Vija the head of monitoring (exact national figures)."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield
