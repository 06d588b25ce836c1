"""Fixtures for the screening tests."""

from __future__ import annotations

import pytest

from atpazit.screening import catalogue as catalogue_module
from atpazit.screening.catalogue import get_catalogue


@pytest.fixture
def shipped_dir(tmp_path, monkeypatch):
    """An empty directory standing in for the shipped catalogues (atpazit/screening/catalogues)."""
    directory = tmp_path / "catalogues"
    directory.mkdir()
    monkeypatch.setattr(catalogue_module, "CATALOGUE_DIR", directory)
    get_catalogue.cache_clear()
    yield directory
    get_catalogue.cache_clear()
