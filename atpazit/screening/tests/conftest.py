"""Fixtures for the screening tests: the small catalogue, the detainee, English on request.

Personas come from tests/personas.py: Jānis (Border Guard officer) screens, Ilze (case officer)
reads and decides on the removal side, Gunārs is in another unit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from atpazit.accounts.models import Organisation
from atpazit.cases.models import Person
from atpazit.cases.tests.factories import PersonFactory
from atpazit.screening import catalogue as catalogue_module
from atpazit.screening.catalogue import get_catalogue
from atpazit.screening.tests.factories import small_catalogue_data, write_catalogue


@pytest.fixture
def shipped_dir(tmp_path, monkeypatch):
    """An empty directory standing in for the shipped catalogues (atpazit/screening/catalogues)."""
    directory = tmp_path / "catalogues"
    directory.mkdir()
    monkeypatch.setattr(catalogue_module, "CATALOGUE_DIR", directory)
    get_catalogue.cache_clear()
    yield directory
    get_catalogue.cache_clear()


@pytest.fixture
def small_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the loader at a temporary directory holding the small catalogue 2026.1."""
    directory = tmp_path / "catalogues"
    directory.mkdir()
    write_catalogue(directory, small_catalogue_data())
    monkeypatch.setattr(catalogue_module, "CATALOGUE_DIR", directory)
    catalogue_module.get_catalogue.cache_clear()
    yield directory
    catalogue_module.get_catalogue.cache_clear()


@pytest.fixture
def english() -> Iterator[None]:
    """Assert on the English source strings."""
    with translation.override("en"):
        yield


@pytest.fixture
def detainee(riga: Organisation) -> Person:
    """An adult Uzbek man detained in Mucenieki, registered by the Riga unit (invented)."""
    return PersonFactory(
        organisation=riga, given_names="Dilshod", family_name="Karimov", birth_year=1994
    )
