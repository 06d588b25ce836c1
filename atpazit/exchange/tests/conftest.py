"""The exchange tests read the interface in English (the source language). Personas come from
tests/personas.py; ``case`` is the case both tracks of which exchange messages."""

from __future__ import annotations

import pytest
from django.utils import translation

from atpazit.accounts.models import User
from atpazit.exchange.tests.factories import ExchangeCase, exchange_case


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def case(janis: User, liga: User, maris: User) -> ExchangeCase:
    """Jānis (Border Guard, Riga) referred Dilshod on consent to Līga's provider and to Māris's
    police unit."""
    return exchange_case(janis=janis, liga=liga, maris=maris)
