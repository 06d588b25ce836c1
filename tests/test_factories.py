"""Every factory of every app builds a saved object on its own (a broken factory fails here,
not in a feature test). Factories live in ``atpazit/<app>/tests/factories.py``, one per state."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import factory
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _factories() -> list[type[factory.django.DjangoModelFactory]]:
    found = []
    for path in sorted(ROOT.glob("atpazit/*/tests/factories.py")):
        module = importlib.import_module(f"atpazit.{path.parent.parent.name}.tests.factories")
        for _name, value in inspect.getmembers(module, inspect.isclass):
            defined_here = value.__module__ == module.__name__
            if defined_here and issubclass(value, factory.django.DjangoModelFactory):
                found.append(value)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model_factory", _factories(), ids=lambda f: f"{f.__module__}.{f.__name__}"
)
def test_every_factory_builds_a_saved_object(model_factory):
    assert model_factory().pk is not None


def test_no_test_module_defines_a_factory():
    """Factories belong in the app's tests/factories.py, not in the test that first needed one."""
    offenders = []
    for path in sorted([*ROOT.glob("atpazit/*/tests/test_*.py"), *ROOT.glob("tests/**/test_*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            bases = [ast.unparse(base) for base in getattr(node, "bases", ())]
            if isinstance(node, ast.ClassDef) and any("Factory" in base for base in bases):
                offenders.append(f"{path.relative_to(ROOT)}: {node.name}")
    assert offenders == []
