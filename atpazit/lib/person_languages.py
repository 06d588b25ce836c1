"""The person's languages: the languages, beyond the working languages lv/en/ru, that Atpazīt's
documents for the person (the interview prompts, the reflection-period information sheet) are
translated into, each translation with its own review status.

What lives here, at the bottom of the layers (docs/architecture.md, "Layers of imports"):

- the list of person languages, their direction of writing and names (CLDR, through Babel);
- the fonts that cover their scripts in the PDFs (Debian packages, never fetched at run time);
- the review status of a translation (``draft``, or ``reviewed`` by a named native reviewer on a
  date), validated with pydantic like the catalogue;
- a registry of translated documents: the screening and reflection apps register a function that
  reports the state of each of their translations, and the shell's ``atpazit i18n check`` and the
  administrators' "Translations" page read it without importing those apps.

docs/screening-format.md ("Translations of the prompts") and ADR 0013 describe the files.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import yaml
from babel import Locale, UnknownLocaleError
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator

# The working languages: the catalogue and the interface exist in them.
WORKING_LANGUAGES = ("lv", "en", "ru")

# The languages most people in Latvian removal procedures speak, besides Russian (issue 11). A new
# person language is added here first, then given its translation files (see the ADR).
PERSON_LANGUAGES = ("uz", "tg", "ky", "hi", "ur", "bn", "vi", "ka", "ar", "fa", "ps", "tr")

# Fonts of the PDFs. DejaVu (fonts-dejavu-core) covers Latin, Cyrillic (Tajik and Kyrgyz letters
# included), Vietnamese and Georgian; fonts-noto-core adds the scripts it lacks. Typst is given
# these folders only (``ignore_system_fonts``), so a document looks the same on every machine.
FONT_PATHS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/noto"]
BASE_FONTS = ["DejaVu Sans"]
# The font a language's script is set in first; DejaVu stays the fallback for digits and Latin.
# Urdu is set in Naskh, not Nastaliq: it stays legible at small sizes and in a table cell.
SCRIPT_FONTS = {
    "ar": "Noto Naskh Arabic",
    "fa": "Noto Naskh Arabic",
    "ur": "Noto Naskh Arabic",
    "ps": "Noto Naskh Arabic",
    "hi": "Noto Sans Devanagari",
    "bn": "Noto Sans Bengali",
    "ka": "Noto Sans Georgian",
}


# Scripts whose font looks smaller than Latin text at the same size (a short x-height): their
# text is set this much larger, so a 10 pt body reads as 10 pt in every script.
SCRIPT_SCALE = {"Noto Naskh Arabic": 1.2}


def scale_for(language: str) -> float:
    """The size factor of text in ``language`` next to Latin text (1.0 for most scripts)."""
    return SCRIPT_SCALE.get(SCRIPT_FONTS.get(language, ""), 1.0)


def fonts_for(language: str) -> list[str]:
    """The typst font list for text in ``language``: its script's font first, then DejaVu, then
    the other scripts' fonts (a language name or a quoted word in another script still shows)."""
    first = SCRIPT_FONTS.get(language)
    others = dict.fromkeys(font for font in SCRIPT_FONTS.values() if font != first)
    return [*([first] if first else []), *BASE_FONTS, *others]


@functools.cache
def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return None


def is_rtl(language: str) -> bool:
    """True for a language written right to left (ar, fa, ur, ps), from CLDR."""
    locale = _locale(language)
    return locale is not None and locale.character_order == "right-to-left"


def direction(language: str) -> str:
    """``rtl`` or ``ltr``: the value of the HTML ``dir`` attribute and of typst's ``dir``."""
    return "rtl" if is_rtl(language) else "ltr"


def native_name(language: str) -> str:
    """The language's name in itself ("o‘zbek", "العربية"), from CLDR; the code if unknown."""
    locale = _locale(language)
    name = locale.get_display_name(locale) if locale is not None else None
    return name or language


def language_name(language: str, in_language: str | None = None) -> str:
    """The name of ``language`` in ``in_language`` (default: the active interface language),
    from CLDR ("uzbeku" in Latvian, "узбекский" in Russian); the code if CLDR has none."""
    reader = _locale((in_language or get_language() or "en").split("-")[0]) or _locale("en")
    name = reader.languages.get(language) if reader is not None else None
    return name or language


def plural_categories(language: str) -> frozenset[str]:
    """The CLDR plural categories of ``language`` ("one", "few", "many", "other", ...)."""
    locale = _locale(language) or _locale("en")
    assert locale is not None  # English is always in CLDR
    return frozenset({*locale.plural_form.tags, "other"})


def day_count(language: str, n: int, forms: Mapping[str, str]) -> str:
    """``n`` with the form of the noun its CLDR plural category needs: ``forms`` maps each
    category to a text with ``{n}`` ("31 dienu", "32 дня", "3 أيام"); "other" is the fallback."""
    locale = _locale(language) or _locale("en")
    assert locale is not None
    category = locale.plural_form(n)
    return forms.get(category, forms["other"]).replace("{n}", str(n))


# --- the review status of a translation --------------------------------------------------------


class ReviewStatus(StrEnum):
    """A translation is a draft until a native speaker has reviewed it."""

    DRAFT = "draft"
    REVIEWED = "reviewed"


REVIEW_STATUS_LABELS = {
    ReviewStatus.DRAFT: _("draft: not reviewed by a native speaker"),
    ReviewStatus.REVIEWED: _("reviewed by a native speaker"),
}

# The Latvian half of the footer of a document in a draft language (the other half is in the
# language itself, from its translation file); rendered with translation.override("lv").
DRAFT_NOTICE = _("Draft translation, not yet reviewed by a native speaker.")


def _no_blank(value: object) -> object:
    if isinstance(value, str) and not value.strip():
        return None
    return value


class Review(BaseModel):
    """The ``review`` block of a translation file.

    ``reviewed`` needs the native reviewer's name and the date of the review; a ``draft`` has
    neither (a draft that names a reviewer would read as reviewed).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)
    status: ReviewStatus
    reviewer: Annotated[str | None, BeforeValidator(_no_blank)] = None
    reviewed_on: dt.date | None = None
    translator: Annotated[str | None, BeforeValidator(_no_blank)] = None

    @model_validator(mode="after")
    def _reviewer_goes_with_status(self) -> Review:
        if self.status is ReviewStatus.REVIEWED and (not self.reviewer or not self.reviewed_on):
            raise ValueError("a reviewed translation names its reviewer and reviewed_on date")
        if self.status is ReviewStatus.DRAFT and (self.reviewer or self.reviewed_on):
            raise ValueError("a draft names no reviewer and no reviewed_on date")
        return self

    @property
    def is_draft(self) -> bool:
        return self.status is ReviewStatus.DRAFT


# --- the registry of translated documents ------------------------------------------------------


@dataclass(frozen=True)
class LanguageStatus:
    """The state of one translation of one document: complete or not, and its review."""

    language: str
    present: bool  # a translation file exists for the language
    review: Review | None = None  # None when there is no file, or its review block is invalid
    total: int = 0  # texts the document has
    problems: tuple[str, ...] = ()  # missing, stale or invalid texts: each fails the check

    @property
    def complete(self) -> bool:
        """Present, valid, every text translated and current: the language can be offered."""
        return self.present and self.review is not None and not self.problems

    @property
    def needs_review(self) -> bool:
        return self.review is None or self.review.is_draft


def review_of(path: Path) -> Review | None:
    """The review block of a file with problems elsewhere, for the report; None if unreadable."""
    try:
        return Review.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))["review"])
    except (OSError, yaml.YAMLError, ValidationError, KeyError, TypeError):
        return None


def language_statuses(
    folder: Path,
    total: int,
    read: Callable[[Path], Any],
    error: type[Exception],
) -> list[LanguageStatus]:
    """The state of every person language's file ``<language>.yaml`` in ``folder``: absent,
    present with its ``problems`` (``read`` raised ``error``, which carries them), or present
    and valid (``read`` returned an object with a ``review``)."""
    result = []
    for language in PERSON_LANGUAGES:
        path = folder / f"{language}.yaml"
        if not path.is_file():
            result.append(LanguageStatus(language, present=False, total=total))
            continue
        try:
            found = read(path)
        except error as exc:
            problems = exc.problems  # type: ignore[attr-defined]
            status = LanguageStatus(
                language, present=True, review=review_of(path), total=total, problems=problems
            )
        else:
            status = LanguageStatus(language, present=True, review=found.review, total=total)
        result.append(status)
    return result


@dataclass(frozen=True)
class TranslatedDocument:
    """A document translated into the person's languages, as registered by its app.

    ``statuses`` returns one LanguageStatus per person language, in PERSON_LANGUAGES order. A
    language without a file is reported as not translated (``review`` None, no problems): it is
    simply not offered. A file with problems fails ``atpazit i18n check``.
    """

    key: str
    title: str | Promise
    statuses: Callable[[], list[LanguageStatus]]
    position: int = 0


TRANSLATED_DOCUMENTS: list[TranslatedDocument] = []


def register_translated_document(document: TranslatedDocument) -> None:
    """Add a document (once per key); the list is kept in ``position`` order."""
    if any(existing.key == document.key for existing in TRANSLATED_DOCUMENTS):
        return
    TRANSLATED_DOCUMENTS.append(document)
    TRANSLATED_DOCUMENTS.sort(key=lambda entry: (entry.position, entry.key))
