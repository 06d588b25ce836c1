"""The referral tests read the interface in English (the source language). Personas (riga, janis,
ilze, marta, liga, ...) come from tests/personas.py; here the person the case is about."""

from __future__ import annotations

import pytest
from django.utils import translation

from atpazit.accounts.models import Organisation
from atpazit.cases.models import Person
from atpazit.cases.tests.factories import ChildPersonFactory, PersonFactory


@pytest.fixture(autouse=True)
def english():
    """Assert on the English source strings."""
    with translation.override("en"):
        yield


@pytest.fixture
def person(riga: Organisation) -> Person:
    """An adult Uzbek national in Mucenieki, registered by Riga; speaks Uzbek and Russian."""
    return PersonFactory(organisation=riga, given_names="Dilshod", family_name="Karimov")


@pytest.fixture
def child(riga: Organisation) -> Person:
    """A 15-year-old registered by Riga."""
    return ChildPersonFactory(organisation=riga, family_name="Rakhimov")
