"""The monitoring checklist releases: versioned data files, validated when loaded (ADR 0016).

Each release is ``checklists/<version>.yaml`` (items per stage, each with a code, the stages it
is asked at, a topic, its source in the Council of Europe Twenty Guidelines or FRA practice, and
its text in lv/en/ru). A released file is never edited; a change is a new release. A mission
stores the release it was planned with and is always shown and answered against it, so a newer
release never changes what an older mission asked.

The files are read with pydantic: a release that does not validate is refused as a whole, with
every problem listed by its path (``items[3].stages[0]``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated

import yaml
from django.conf import settings
from django.utils.translation import get_language
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from atpazit.monitoring.models import Stage

CHECKLIST_DIR = Path(__file__).resolve().parent / "checklists"
LANGUAGES = ("lv", "en", "ru")
RELEASE_NAME = re.compile(r"^\d{4}\.\d+$")
STRICT = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)


class Automatic(StrEnum):
    """Items the system answers from the records rather than the monitor from observation."""

    SCREENED_BEFORE_DEPARTURE = "screened_before_departure"


class Topic(StrEnum):
    INFORMATION = "information"
    MEDICAL = "medical"
    FORCE = "force"
    ESCORT = "escort"
    FAMILIES = "families"
    INTERPRETATION = "interpretation"
    BELONGINGS = "belongings"
    HANDOVER = "handover"
    TRAFFICKING = "trafficking"


def _text(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
    return value


NonEmpty = Annotated[str, BeforeValidator(_text)]


class _Text(BaseModel):
    model_config = STRICT
    en: NonEmpty
    lv: NonEmpty
    ru: NonEmpty


class _Item(BaseModel):
    model_config = STRICT
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,59}$")]
    stages: Annotated[list[Stage], Field(min_length=1)]
    topic: Topic
    source: NonEmpty
    automatic: Automatic | None = None
    text: _Text


class _Release(BaseModel):
    model_config = STRICT
    version: Annotated[str, Field(pattern=r"^\d{4}\.\d+$")]
    items: Annotated[list[_Item], Field(min_length=1)]


@dataclass(frozen=True)
class Item:
    code: str
    stages: tuple[str, ...]
    topic: str
    source: str
    automatic: str | None
    texts: dict[str, str]

    @property
    def text(self) -> str:
        """The item in the reader's language (English where the language has none)."""
        language = (get_language() or "lv").split("-")[0]
        return self.texts.get(language) or self.texts["en"]


@dataclass(frozen=True)
class Checklist:
    version: str
    items: tuple[Item, ...]

    def for_stage(self, stage: str) -> list[Item]:
        return [item for item in self.items if stage in item.stages]

    def item(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def codes_for(self, stage: str) -> set[str]:
        return {item.code for item in self.for_stage(stage)}


class ChecklistError(Exception):
    def __init__(self, origin: str, problems: list[str]) -> None:
        self.origin = origin
        self.problems = problems
        super().__init__(f"{origin}: " + "; ".join(problems))


def _directory() -> Path:
    return Path(getattr(settings, "ATPAZIT_MONITORING_CHECKLIST_DIR", CHECKLIST_DIR))


def parse(text: str, origin: str) -> Checklist:
    """A release from YAML text, or ChecklistError with every problem and its path."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ChecklistError(origin, [f"not valid YAML: {exc}"]) from exc
    try:
        release = _Release.model_validate(data)
    except ValidationError as exc:
        raise ChecklistError(origin, [_problem(error) for error in exc.errors()]) from exc
    codes = [item.code for item in release.items]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise ChecklistError(origin, [f"item code {code!r} is used twice" for code in duplicates])
    return Checklist(
        version=release.version,
        items=tuple(
            Item(
                code=item.code,
                stages=tuple(str(stage) for stage in item.stages),
                topic=str(item.topic),
                source=item.source,
                automatic=str(item.automatic) if item.automatic else None,
                texts={"en": item.text.en, "lv": item.text.lv, "ru": item.text.ru},
            )
            for item in release.items
        ),
    )


def _problem(error: object) -> str:
    details = dict(error)  # type: ignore[call-overload]
    path = ""
    for part in details.get("loc", ()):
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return f"{path or 'release'}: {details.get('msg', 'invalid')}"


@cache
def _load(directory: str, version: str) -> Checklist:
    path = Path(directory) / f"{version}.yaml"
    if not path.is_file():
        raise ChecklistError(f"{version}.yaml", ["no such checklist release"])
    checklist = parse(path.read_text(encoding="utf-8"), path.name)
    if checklist.version != version:
        raise ChecklistError(path.name, [f"version {checklist.version!r} is not the file name's"])
    return checklist


def load(version: str) -> Checklist:
    """The release ``version``: a mission's own release, whatever is current now."""
    return _load(str(_directory()), version)


def versions() -> list[str]:
    """Every shipped release, oldest first."""
    names = [path.stem for path in _directory().glob("*.yaml") if RELEASE_NAME.match(path.stem)]
    return sorted(names, key=lambda name: tuple(int(part) for part in name.split(".")))


def current_version() -> str:
    """The newest shipped release: the one a newly planned mission gets."""
    shipped = versions()
    if not shipped:
        raise ChecklistError(str(_directory()), ["no checklist release is shipped"])
    return shipped[-1]


def clear_cache() -> None:
    _load.cache_clear()
