"""Reads of personal data are audited where access is granted, never by hand in a view
(docs/architecture.md, "Layers and choke points"; issue 10 item 4).

The accessor that fetches an object for a page (``get_person_for_user(shown_on=...)``,
``get_suspicion_for_user(shown_on=...)``, screening's ``get_session_for_screener(shown_on=...)``,
the exchange's ``thread_for(shown_on=...)``, ...) writes the page's read event, so a new page
cannot forget it. A view module may write only what no accessor can: the read of a list page,
whose event names the page number and how many rows it shows (``*.listed``), and the sign-in
events of the account pages (``auth.*``). Anything else written by hand in a view fails here,
with its file, line and code; the authorisation matrix (tests/test_authorization_matrix.py)
checks that every detail page that shows personal data leaves its read event.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "atpazit"


def is_allowed_in_a_view(code: str) -> bool:
    """A list read, or a sign-in event of the account pages."""
    return code.endswith(".listed") or code.startswith("auth.")


def view_modules() -> list[Path]:
    """Every module of a view layer: ``views.py``, ``views_*.py``, or inside a ``views/``."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if "tests" in relative.parts:
            continue
        if path.stem == "views" or path.stem.startswith("views_") or "views" in relative.parts[:-1]:
            found.append(path)
    return sorted(found)


def _called_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return ""


def audit_writes_in(source: str, filename: str) -> Iterator[str]:
    """``file:line code`` for each audit event the source writes that a view may not write."""
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call) or _called_name(node) != "log_event":
            continue
        first = node.args[0] if node.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            if not is_allowed_in_a_view(first.value):
                yield f"{filename}:{node.lineno} {first.value}"
        else:
            yield f"{filename}:{node.lineno} (an event code not written out: cannot be checked)"


def test_no_view_writes_a_read_event_by_hand():
    found = []
    for path in view_modules():
        relative = str(path.relative_to(ROOT))
        found += audit_writes_in(path.read_text(encoding="utf-8"), relative)
    assert found == [], (
        "audit the read in the accessor that fetches the object for the page "
        "(a shown_on=/shown= keyword), not in the view:\n" + "\n".join(found)
    )


def test_the_view_modules_are_found():
    names = {str(path.relative_to(PACKAGE)) for path in view_modules()}
    assert {"cases/views.py", "referrals/views_referrals.py", "exchange/views.py"} <= names


def test_a_read_written_by_hand_in_a_view_is_caught():
    source = """
from atpazit.audit.services import log_event
from atpazit.audit import services as audit

def detail(request, pk):
    thing = get_thing(pk)
    log_event("thing.viewed", obj=thing)
    audit.log_event("thing.downloaded", obj=thing)
    log_event(CODE, obj=thing)
    log_event("things.listed", details={"page": 1})
    log_event("auth.2fa_verified")
"""
    assert list(audit_writes_in(source, "x/views.py")) == [
        "x/views.py:7 thing.viewed",
        "x/views.py:8 thing.downloaded",
        "x/views.py:9 (an event code not written out: cannot be checked)",
    ]
