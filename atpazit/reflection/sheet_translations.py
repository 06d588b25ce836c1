"""The reflection-period information sheet in the person's languages (uz, ar, ...).

The reviewed texts (lv, en, ru, uk) live in ``documents/reflection_information.yaml`` under one
``version``. Each person language has a file ``documents/translations/<language>.yaml``:

    language: uz
    source_version: "2026-12"   # the version of reflection_information.yaml it translates
    review: {status: draft, reviewer: null, reviewed_on: null, translator: ...}
    draft_notice: "..."          # footer of a draft, in the language (the Latvian one is gettext)
    days: {one: "{n} kun", other: "{n} kun"}   # one phrase per CLDR plural category of the language
    texts: {name: ..., title: ..., rights: [...], counting: {...}, ...}   # the keys of the en text

A file is checked against the English text: the same keys, as many rights, both ``counting``
texts, ``{days}`` in ``length_text``, a phrase for every plural category, and the same
``source_version`` (a new version of the wording makes every translation stale until it is
translated again). Only a complete, current file is offered; ``atpazit i18n check`` fails on any
problem and reports the review status (docs/reflection-sheet-sources.md, ADR 0013).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from atpazit.lib.person_languages import (
    PERSON_LANGUAGES,
    LanguageStatus,
    Review,
    language_statuses,
    plural_categories,
)

DOCUMENTS_DIR = Path(__file__).resolve().parent / "documents"
TEXTS = DOCUMENTS_DIR / "reflection_information.yaml"


@functools.lru_cache(maxsize=1)
def base_texts() -> dict[str, Any]:
    """The reviewed texts (lv, en, ru, uk) and the providers, as in the main file."""
    with TEXTS.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def translations_dir() -> Path:
    """Read at call time, so tests can point it elsewhere."""
    return DOCUMENTS_DIR / "translations"


class SheetTranslationError(Exception):
    def __init__(self, origin: str, problems: list[str]) -> None:
        self.origin = origin
        self.problems = tuple(problems)
        super().__init__(f"{origin}: " + "; ".join(problems))


@dataclass(frozen=True)
class SheetTranslation:
    language: str
    review: Review
    draft_notice: str
    days: dict[str, str]
    texts: dict[str, Any]


class _FileIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    language: str
    source_version: str
    review: Review
    draft_notice: str
    days: dict[str, str]
    texts: dict[str, Any]


def _blank(value: object) -> bool:
    return not isinstance(value, str) or not value.strip()


def _check_texts(texts: dict[str, Any], english: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    expected = set(english) - {"days"}
    for key in sorted(expected - set(texts)):
        problems.append(f"texts.{key}: missing")
    for key in sorted(set(texts) - expected):
        problems.append(f"texts.{key}: unknown text")
    for key in sorted(expected & set(texts)):
        value, source = texts[key], english[key]
        if isinstance(source, list):
            if not isinstance(value, list) or len(value) != len(source):
                problems.append(f"texts.{key}: must list {len(source)} texts, as the English one")
            else:
                problems += [f"texts.{key}[{i}]: empty" for i, v in enumerate(value) if _blank(v)]
        elif isinstance(source, dict):
            if not isinstance(value, dict) or set(value) != set(source):
                problems.append(f"texts.{key}: must have the texts {', '.join(sorted(source))}")
            else:
                problems += [f"texts.{key}.{k}: empty" for k, v in value.items() if _blank(v)]
        elif _blank(value):
            problems.append(f"texts.{key}: empty")
    if "{days}" not in str(texts.get("length_text", "")):
        problems.append("texts.length_text: must contain {days}")
    return problems


def read_translation(path: Path, base: dict[str, Any]) -> SheetTranslation:
    """Read and check one file against the reviewed texts ``base`` (the parsed main file)."""
    origin = str(path)
    language = path.stem
    if language not in PERSON_LANGUAGES:
        raise SheetTranslationError(origin, [f"{language!r} is not a person language"])
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = _FileIn.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise SheetTranslationError(origin, [f"cannot read: {exc}"]) from exc
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in e['loc']) or 'top level'}: {e['msg']}"
            for e in exc.errors(include_url=False, include_input=False)
        ]
        raise SheetTranslationError(origin, problems) from None
    problems = []
    if data.language != language:
        problems.append(f"language: {data.language!r} is not the file name's {language!r}")
    if data.source_version != str(base["version"]):
        problems.append(
            f"source_version: stale: translates {data.source_version!r}, the text is now "
            f"{base['version']!r}; translate the changes and update it"
        )
    if _blank(data.draft_notice):
        problems.append("draft_notice: empty")
    for category in sorted(plural_categories(language) - set(data.days)):
        problems.append(f"days.{category}: missing (a CLDR plural category of {language})")
    # "one" and "two" may spell the number out ("يومين"); every other form shows it.
    problems += [
        f"days.{k}: must contain {{n}}"
        for k, v in data.days.items()
        if "{n}" not in v and k not in ("one", "two")
    ]
    problems += _check_texts(data.texts, base["languages"]["en"])
    if problems:
        raise SheetTranslationError(origin, problems)
    return SheetTranslation(language, data.review, data.draft_notice, data.days, data.texts)


@functools.cache
def _complete(directory: Path, version: str) -> dict[str, SheetTranslation]:
    base = base_texts()
    found = {}
    for language in PERSON_LANGUAGES:
        path = directory / f"{language}.yaml"
        if path.is_file():
            try:
                found[language] = read_translation(path, base)
            except SheetTranslationError:
                continue  # not offered; the i18n check names the problem
    return found


def complete_translations(base: dict[str, Any]) -> dict[str, SheetTranslation]:
    """Every complete, current translation of the text version of ``base``, by language."""
    return _complete(translations_dir(), str(base["version"]))


def clear_cache() -> None:
    _complete.cache_clear()


def statuses(directory: Path | None = None) -> list[LanguageStatus]:
    """The state of the sheet in every person language, read afresh."""
    base = base_texts()
    folder = directory or translations_dir()
    english = base["languages"]["en"]
    total = sum(
        len(v) if isinstance(v, list | dict) else 1 for k, v in english.items() if k != "days"
    )
    return language_statuses(
        folder, total, lambda path: read_translation(path, base), SheetTranslationError
    )
