"""The reflection tests read the interface in English (the source language). Personas come from
tests/personas.py; ``cast()`` builds the case they follow."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest
from django.utils import translation

from atpazit.accounts.models import User
from atpazit.reflection.tests.factories import Cast, dilshods_case


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def cast(
    ilze: User, janis: User, liga: User, maris: User, sanita: User, dace: User
) -> Callable[..., Cast]:
    """Builds Dilshod's case among the personas: ``cast()``, ``cast(recognised=False)``,
    ``cast(child=True)``, ``cast(recognised_on=date)``."""
    people = dict(ilze=ilze, janis=janis, liga=liga, maris=maris, sanita=sanita, dace=dace)
    return functools.partial(dilshods_case, people)
