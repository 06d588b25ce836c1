"""The written information on the reflection period as a PDF, built with typst.

The wording lives in ``documents/reflection_information.yaml`` (one reviewed text per language,
with a version), the layout in ``documents/reflection_information.typ``. The person languages
(uz, ar, ...: lib/person_languages.py) each have a file ``documents/translations/<language>.yaml``
with its review status and the text version it translates (sheet_translations.py); a complete,
current one is offered like the others, and a draft says so in the footer, in the language and in
Latvian. This module only picks the two languages, fills in the case number, date, institution
and the configured length (its plural form from CLDR through Babel), and hands everything to typst
as JSON through ``sys.inputs``: no value is ever spliced into typst markup, so nothing a user
typed can change the document. The PDF names the case number, never the person. Fonts are the
system DejaVu and Noto sets only, so the output does not depend on the machine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import translation

from atpazit.lib.pdf import render_pdf
from atpazit.lib.person_languages import (
    DRAFT_NOTICE,
    day_count,
    direction,
    fonts_for,
    scale_for,
)
from atpazit.reflection import sheet_translations

DOCUMENTS_DIR = Path(__file__).resolve().parent / "documents"
TEMPLATE = DOCUMENTS_DIR / "reflection_information.typ"

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


def _base() -> dict[str, Any]:
    return sheet_translations.base_texts()


def _texts() -> dict[str, Any]:
    """The reviewed texts, then every complete, current person-language translation."""
    base = _base()
    translated = sheet_translations.complete_translations(base)
    languages = {**base["languages"]}
    for code, found in translated.items():
        languages[code] = {**found.texts, "days": found.days}
    return {**base, "languages": languages}


def review_of(language: str) -> Any:
    """The review block of a person-language translation; None for the reviewed base texts."""
    found = sheet_translations.complete_translations(_base()).get(language)
    return found.review if found else None


def text_version() -> str:
    """The version of the wording the sheets are generated with now."""
    return str(_texts()["version"])


def sheet_languages() -> list[tuple[str, str]]:
    """(code, the language's own name) for every language the sheet is written in."""
    return [(code, texts["name"]) for code, texts in _texts()["languages"].items()]


def has_language(code: str) -> bool:
    return code in _texts()["languages"]


def days_phrase(language: str, days: int) -> str:
    """``days`` with the noun in the form the sentence "lasts ..." needs ("31 dienu", "30 дней"):
    the language's ``days`` forms, one per CLDR plural category, chosen by Babel."""
    return day_count(language, days, _texts()["languages"][language]["days"])


def _version(language: str, data: SheetData) -> dict[str, Any]:
    texts = dict(_texts()["languages"][language])
    texts.pop("days")
    texts["lang"] = language
    texts["dir"] = direction(language)
    texts["fonts"] = fonts_for(language)
    texts["scale"] = scale_for(language)
    texts["length_text"] = texts["length_text"].replace("{days}", days_phrase(language, data.days))
    texts["counting"] = texts["counting"][data.start_event]
    # Names, phone numbers and addresses are Latin text: in a right-to-left version they are
    # isolated left to right (LRI ... PDI), so "+371 67898343" and the quotes keep their order.
    iso = _isolate if texts["dir"] == "rtl" else str
    texts["providers"] = [
        {
            "name": iso(provider["name"]),
            "lines": [
                {"label": texts[line["kind"]], "value": iso(line["value"])}
                for line in provider["lines"]
            ],
        }
        for provider in _texts()["providers"]
    ]
    ombudsman = _texts()["ombudsman"]
    texts["ombudsman"] = {
        "name": iso(ombudsman["name"]),
        "lines": [
            {"label": texts[line["kind"]], "value": iso(line["value"])}
            for line in ombudsman["lines"]
        ],
    }
    return texts


def _isolate(text: str) -> str:
    """``text`` as a left-to-right bidi isolate (LRI ... PDI) inside right-to-left text."""
    return f"\u2066{text}\u2069"


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
        "fonts": fonts_for(data.officer_language),
        "draft": _draft_notices(languages),
    }


def _draft_notices(languages: list[str]) -> list[dict[str, str]]:
    """The footer lines of a draft translation: in the language itself, then in Latvian."""
    notices = []
    for language in languages:
        review = review_of(language)
        if review is not None and review.is_draft:
            found = sheet_translations.complete_translations(_base())[language]
            with translation.override("lv"):
                latvian = str(DRAFT_NOTICE)
            notices.append(
                {"lang": language, "dir": direction(language), "text": found.draft_notice}
            )
            notices.append({"lang": "lv", "dir": "ltr", "text": latvian})
    return notices


def render_information_sheet(data: SheetData) -> bytes:
    """The PDF bytes of the sheet. The same ``data`` gives the same bytes (fixed timestamp)."""
    return render_pdf(
        TEMPLATE,
        build_payload(data),
        what="the information sheet",
        error=DocumentError,
        timestamp=dt.datetime.combine(data.issued_on, dt.time(12, 0), tzinfo=dt.UTC),
    )
