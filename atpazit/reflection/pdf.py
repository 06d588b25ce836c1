"""The written information on the reflection period as a PDF, built with typst.

The wording lives in ``documents/reflection_information.yaml`` (one reviewed text per language,
with a version), the layout in ``documents/reflection_information.typ``. This module only picks
the two languages, fills in the case number, date, institution and the configured length, and
hands everything to typst as JSON through ``sys.inputs``: no value is ever spliced into typst
markup, so nothing a user typed can change the document. The PDF names the case number, never
the person. Fonts are the system DejaVu set only, so the output does not depend on the machine.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typst
import yaml

DOCUMENTS_DIR = Path(__file__).resolve().parent / "documents"
TEMPLATE = DOCUMENTS_DIR / "reflection_information.typ"
TEXTS = DOCUMENTS_DIR / "reflection_information.yaml"
FONT_PATHS = ["/usr/share/fonts/truetype/dejavu"]

# Labels of the receipt, in the order they are printed.
RECEIPT_FACTS = ("case_number", "issued_on", "institution", "languages")
RECEIPT_SIGNATURES = ("person_signature", "interpreter", "handed_over_by", "handed_over_on")


class DocumentError(Exception):
    """The sheet could not be produced (unknown language, broken template)."""


@dataclass(frozen=True)
class SheetData:
    """Everything that varies between two information sheets. No name, on purpose."""

    case_number: str
    issued_on: dt.date
    institution: str
    person_language: str
    officer_language: str
    days: int
    start_event: str  # "recognition" or "reasonable_grounds"


@functools.lru_cache(maxsize=1)
def _texts() -> dict[str, Any]:
    with TEXTS.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def text_version() -> str:
    """The version of the wording the sheets are generated with now."""
    return str(_texts()["version"])


def sheet_languages() -> list[tuple[str, str]]:
    """(code, the language's own name) for every language the sheet is written in."""
    return [(code, texts["name"]) for code, texts in _texts()["languages"].items()]


def has_language(code: str) -> bool:
    return code in _texts()["languages"]


def _plural_baltic_slavic(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


_DAYS: dict[str, Callable[[int], str]] = {
    # After "ilgst" (lasts): accusative, "31 dienu", "30 dienas".
    "lv": lambda n: f"{n} dienu" if n % 10 == 1 and n % 100 != 11 else f"{n} dienas",
    "ru": lambda n: f"{n} " + _plural_baltic_slavic(n, "день", "дня", "дней"),
    "uk": lambda n: f"{n} " + _plural_baltic_slavic(n, "день", "дні", "днів"),
    "en": lambda n: f"{n} day" if n == 1 else f"{n} days",
}


def days_phrase(language: str, days: int) -> str:
    """``days`` with the noun in the form the sentence "lasts ..." needs ("31 dienu", "30 дней")."""
    return _DAYS.get(language, _DAYS["en"])(days)


def _version(language: str, data: SheetData) -> dict[str, Any]:
    texts = dict(_texts()["languages"][language])
    texts["lang"] = language
    texts["length_text"] = texts["length_text"].replace("{days}", days_phrase(language, data.days))
    texts["counting"] = texts["counting"][data.start_event]
    texts["providers"] = [
        {
            "name": provider["name"],
            "lines": [
                {"label": texts[line["kind"]], "value": line["value"]} for line in provider["lines"]
            ],
        }
        for provider in _texts()["providers"]
    ]
    ombudsman = _texts()["ombudsman"]
    texts["ombudsman"] = {
        "name": ombudsman["name"],
        "lines": [
            {"label": texts[line["kind"]], "value": line["value"]} for line in ombudsman["lines"]
        ],
    }
    return texts


def _receipt(versions: list[dict[str, Any]], data: SheetData) -> dict[str, Any]:
    def both(key: str) -> str:
        return " / ".join(dict.fromkeys(version[key] for version in versions))

    values = {
        "case_number": data.case_number,
        "issued_on": data.issued_on.strftime("%d.%m.%Y"),
        "institution": data.institution,
        "languages": " / ".join(dict.fromkeys(version["name"] for version in versions)),
    }
    return {
        "heading": both("receipt_heading"),
        "statements": list(dict.fromkeys(version["receipt_statement"] for version in versions)),
        "facts": [{"label": both(key), "value": values[key]} for key in RECEIPT_FACTS],
        "signatures": [both(key) for key in RECEIPT_SIGNATURES],
    }


def build_payload(data: SheetData) -> dict[str, Any]:
    """The JSON the template receives: the person's language first, then the officer's."""
    for code in (data.person_language, data.officer_language):
        if not has_language(code):
            raise DocumentError(f"The information sheet is not written in {code!r}.")
    languages = list(dict.fromkeys([data.person_language, data.officer_language]))
    versions = [_version(language, data) for language in languages]
    return {
        "case_number": data.case_number,
        "text_version": text_version(),
        "versions": versions,
        "receipt": _receipt(versions, data),
    }


def render_information_sheet(data: SheetData) -> bytes:
    """The PDF bytes of the sheet. The same ``data`` gives the same bytes (fixed timestamp)."""
    payload = json.dumps(build_payload(data), ensure_ascii=False)
    timestamp = dt.datetime.combine(data.issued_on, dt.time(12, 0), tzinfo=dt.UTC)
    try:
        pdf = typst.compile(
            str(TEMPLATE),
            font_paths=FONT_PATHS,
            ignore_system_fonts=True,
            sys_inputs={"data": payload},
            timestamp=timestamp,
        )
    except typst.TypstError as exc:
        raise DocumentError(f"typst could not build the information sheet: {exc.message}") from exc
    return bytes(pdf)
