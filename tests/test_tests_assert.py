"""Every test checks something: a test with no ``assert``, no ``pytest.raises`` and no assertion
helper passes whatever the code does. And a test named after a status code checks that code."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Calls that assert by themselves: pytest's and pytest-django's helpers, Playwright's ``expect``,
# and any helper of ours named ``assert_*`` (e.g. ``assert_accessible``).
ASSERTING_CALLS = {
    "pytest.raises",
    "pytest.fail",
    "django_assert_num_queries",
    "django_assert_max_num_queries",
    "expect",
}


def _test_modules() -> list[Path]:
    return sorted([*ROOT.glob("atpazit/*/tests/test_*.py"), *ROOT.glob("tests/**/test_*.py")])


def _tests() -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    for path in _test_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            is_function = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            if is_function and node.name.startswith("test"):
                yield f"{path.relative_to(ROOT)}:{node.lineno} {node.name}", node


def _asserts(test: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name in ASSERTING_CALLS or name.split(".")[-1].startswith("assert"):
                return True
            if name.startswith("expect("):  # expect(locator).to_have_text(...)
                return True
    return False


def test_every_test_asserts_something():
    silent = [where for where, test in _tests() if not _asserts(test)]
    assert silent == []


def _client_errors(text: str) -> set[int]:
    return {int(code) for code in re.findall(r"(?<![0-9])(4[0-9][0-9])(?![0-9])", text)}


def test_a_test_named_after_a_status_code_checks_that_code_and_no_other():
    """``test_another_unit_gets_404`` that asserts a 403 for someone says what it does not test."""
    wrong = []
    for where, test in _tests():
        named = _client_errors(test.name)
        if not named:
            continue
        checked = {
            node.value
            for node in ast.walk(test)
            if isinstance(node, ast.Constant) and isinstance(node.value, int)
        } & set(range(400, 500))
        if checked != named:
            wrong.append(f"{where}: named {sorted(named)}, checks {sorted(checked)}")
    assert wrong == []


def test_the_check_finds_a_silent_test():
    """The check itself can fail: a test calling the code under test and asserting nothing."""
    silent = ast.parse("def test_it_releases():\n    release(ilze, suspicion)\n").body[0]
    loud = ast.parse("def test_it_refuses():\n    with pytest.raises(X):\n        go()\n").body[0]
    assert isinstance(silent, ast.FunctionDef)
    assert isinstance(loud, ast.FunctionDef)
    assert not _asserts(silent)
    assert _asserts(loud)
    assert _client_errors("test_another_unit_and_the_ombudsman_get_404") == {404}
