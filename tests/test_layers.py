"""The layers of imports (docs/architecture.md, "Layers of imports"): each part of the project
imports only parts on the layers below it, and never a part beside it on its own layer.

Every import counts: at the top of a module, inside a function, under ``TYPE_CHECKING``, and a
dynamic one (``import_module("atpazit.x.y")``, ``import_string``, ``__import__``).
There are no exceptions: an import that runs against the layers is solved by a registry at the
lower layer (``atpazit.lib.registry``, ``cases.holds``, ``screening.hooks``), never listed here.
Tests (``tests/``, ``atpazit/*/tests/``) are no part of any layer.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The parts: a name and the modules that make it (a package takes its submodules, except the root
# package ``atpazit`` itself; the longest entry that names a module places it).
PARTS: dict[str, tuple[str, ...]] = {
    # The wiring: settings name every app, the URLconf includes their URLs.
    "project": (
        "atpazit",
        "atpazit.urls",
        "atpazit.settings",
        "atpazit.settings_test",
        "atpazit.cli",
        "atpazit.asgi",
        "atpazit.wsgi",
    ),
    "web": ("atpazit.web",),
    # The three apps split out of referrals sit above it; what referrals needs from them (the
    # hold-release facts, the thread panel) they register in ``referrals.hooks``.
    # The API serves every wing through its selectors and services; statistics read them all.
    "api": ("atpazit.api",),
    "stats": ("atpazit.stats",),
    # Retention reads every wing to tell a live case from one past its period, and anonymises
    # through its own table of parts (retention/parts.py); nothing imports it.
    "retention": ("atpazit.retention",),
    "aftercare": ("atpazit.aftercare",),
    "exchange": ("atpazit.exchange",),
    # Webhooks hear of referral and hold changes through referrals.hooks and cases.holds.
    "webhooks": ("atpazit.webhooks",),
    "reflection": ("atpazit.reflection",),
    "monitoring": ("atpazit.monitoring",),
    "referrals": ("atpazit.referrals",),
    "removals": ("atpazit.removals",),
    # Training uses the real screening form, engine and catalogue; nothing below imports it.
    "training": ("atpazit.training",),
    "screening": ("atpazit.screening",),
    "cases": ("atpazit.cases",),
    "deadlines": ("atpazit.deadlines",),
    "notifications": ("atpazit.notifications",),
    "escalations": ("atpazit.escalations",),
    # The auditor's side of the audit app: scoped reads, pages and the command, above accounts.
    "audit.reading": (
        "atpazit.audit.selectors",
        "atpazit.audit.views",
        "atpazit.audit.forms",
        "atpazit.audit.urls",
        "atpazit.audit.management",
    ),
    "accounts": ("atpazit.accounts",),
    # The audit trail itself (log_event, the keyed chain), which every app writes to.
    "audit": ("atpazit.audit",),
    "lib": ("atpazit.lib",),
}

# Top first. A part imports parts on lower layers only; parts on one layer are independent.
LAYERS: list[tuple[str, ...]] = [
    ("project",),
    ("api",),
    ("stats", "retention"),
    # Aftercare reads the reflection period; SIVA's follow-up scope goes down through
    # ``referrals.visibility.register_followup_scope``.
    ("aftercare", "exchange", "webhooks"),
    # Monitoring reads operations and screenings and raises suspicions through their public
    # selectors and services; nothing below imports it.
    ("reflection", "monitoring"),
    ("referrals", "removals", "training"),
    ("screening",),
    ("cases",),
    ("deadlines",),
    # The shell (layout, dashboard, menu) knows no feature app: they contribute through
    # atpazit.lib.registry.
    ("web", "notifications", "escalations", "audit.reading"),
    ("accounts",),
    ("audit",),
    ("lib",),
]

# Calls that import the module their first argument names.
DYNAMIC_IMPORTS = {"import_module", "__import__", "import_string"}
DOTTED = re.compile(r"atpazit(\.[A-Za-z_][A-Za-z0-9_]*)+")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files(root: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted((root / "atpazit").rglob("*.py")):
        if "tests" in path.relative_to(root).parts:
            continue
        yield module_name(path, root), path


def part_of(module: str) -> str | None:
    best: tuple[int, str] | None = None
    for part, prefixes in PARTS.items():
        for prefix in prefixes:
            inside = module.startswith(prefix + ".") and prefix != "atpazit"  # the root alone
            if (module == prefix or inside) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), part)
    return None if best is None else best[1]


def imported_modules(module: str, source: str, known: set[str]) -> Iterator[tuple[int, str]]:
    """(line, module) for every module of the project that ``source`` imports, wherever."""
    package = (
        module if module in known and _is_package(module, known) else module.rpartition(".")[0]
    )
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield node.lineno, sub if sub in known else base
        elif (
            isinstance(node, ast.Call)
            and _called_name(node.func) in DYNAMIC_IMPORTS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            text = node.args[0].value
            if DOTTED.fullmatch(text):
                # import_string("atpazit.cases.demo.load") imports atpazit.cases.demo.
                while text and text not in known:
                    text = text.rpartition(".")[0]
                if text.startswith("atpazit."):  # not "atpazit.E001", a check's id
                    yield node.lineno, text


def _called_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_package(module: str, known: set[str]) -> bool:
    return any(other.startswith(module + ".") for other in known)


def violations(modules: Iterable[tuple[str, str]]) -> list[str]:
    """What runs against the layers in (module, source) pairs; empty when all is in order."""
    modules = list(modules)
    known = {name for name, _ in modules}
    layer_of = {part: index for index, parts in enumerate(LAYERS) for part in parts}
    found = []
    for name, source in modules:
        own = part_of(name)
        if own is None or own not in layer_of:
            found.append(f"{name} is in no layer: declare it in PARTS and LAYERS")
            continue
        for line, target in sorted(set(imported_modules(name, source, known))):
            if not (target == "atpazit" or target.startswith("atpazit.")):
                continue
            other = part_of(target)
            if other is None or other == own:
                continue  # an undeclared target is reported as a module of its own
            if layer_of[other] <= layer_of[own]:
                where = "beside" if layer_of[other] == layer_of[own] else "above"
                found.append(f"{name}:{line} imports {target}: {other} is {where} {own}")
    return found


def test_no_import_runs_against_the_layers():
    modules = [(name, path.read_text()) for name, path in source_files(ROOT)]

    assert violations(modules) == []


def test_every_part_is_on_exactly_one_layer():
    placed = [part for layer in LAYERS for part in layer]

    assert sorted(placed) == sorted(PARTS)


def test_every_app_folder_is_declared():
    apps = {p.parent.name for p in (ROOT / "atpazit").glob("*/apps.py")}

    assert {f"atpazit.{app}" for app in apps} <= {m for ms in PARTS.values() for m in ms}


def test_the_check_sees_every_kind_of_import_against_the_layers():
    screening = """
from typing import TYPE_CHECKING
from importlib import import_module

if TYPE_CHECKING:
    from atpazit.referrals.models import Suspicion

def decide():
    from atpazit.referrals import services
    import atpazit.removals.conflicts
    return import_module("atpazit.referrals.handover")

LOADER = import_string("atpazit.removals.views.operation_list")
"""
    modules = [
        ("atpazit.screening.services", screening),
        ("atpazit.referrals", ""),
        ("atpazit.referrals.models", ""),
        ("atpazit.referrals.services", ""),
        ("atpazit.referrals.handover", ""),
        ("atpazit.removals.conflicts", "from ..referrals.models import Suspicion\n"),
        ("atpazit.cases.views", ""),
        ("atpazit.removals.views", ""),
        (
            "atpazit.web.views",
            "from atpazit.lib import registry\nfrom atpazit.cases import views\n",
        ),
        ("atpazit.lib.registry", ""),
        ("atpazit.newapp.models", ""),
    ]

    found = violations(modules)

    assert found == [
        "atpazit.screening.services:6 imports atpazit.referrals.models: referrals is above screening",
        "atpazit.screening.services:9 imports atpazit.referrals.services: referrals is above screening",
        "atpazit.screening.services:10 imports atpazit.removals.conflicts: removals is above screening",
        "atpazit.screening.services:11 imports atpazit.referrals.handover: referrals is above screening",
        "atpazit.screening.services:13 imports atpazit.removals.views: removals is above screening",
        "atpazit.removals.conflicts:1 imports atpazit.referrals.models: referrals is beside removals",
        "atpazit.web.views:2 imports atpazit.cases.views: cases is above web",
        "atpazit.newapp.models is in no layer: declare it in PARTS and LAYERS",
    ]
