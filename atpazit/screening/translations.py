"""Translations of the interview prompts into the person's languages (uz, ar, ...).

The catalogue release is a reviewed, immutable artefact in lv/en/ru. The prompts in the other
languages the person may speak live beside it, one file per release and language:

    atpazit/screening/catalogues/prompts/<release>/<language>.yaml

Each file carries its own review status (``draft``, or ``reviewed`` by a named native speaker on
a date), a footer notice for drafts written in the language itself, the aid's title and the
dimension names in the language, and every prompt of the release keyed by indicator code and
position, each with the English prompt it was translated from. That English text is compared with
the release: a prompt whose English changed is *stale* and must be translated again.

A file is read with pydantic (ADR 0011) and checked against its release. A language is offered to
the screener only when its file is complete and current for the session's release; ``atpazit
i18n check`` fails on any problem in a file and reports each language's review status.
docs/screening-format.md, "Translations of the prompts", is the reference; ADR 0013 the why.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ValidationError

from atpazit.lib.person_languages import (
    PERSON_LANGUAGES,
    LanguageStatus,
    Review,
    language_statuses,
)
from atpazit.screening import catalogue as catalogues
from atpazit.screening.catalogue import (
    LANGUAGES,
    Catalogue,
    CatalogueError,
    Dimension,
    Indicator,
    get_catalogue,
)
from atpazit.screening.schema import STRICT, dotted, errors_of

_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def prompts_dir() -> Path:
    """The folder of the prompt translations (read at call time, so tests can move it)."""
    return catalogues.CATALOGUE_DIR / "prompts"


class TranslationError(Exception):
    """A translation file is unreadable or invalid; ``problems`` lists every problem."""

    def __init__(self, origin: str, problems: list[str]) -> None:
        self.origin = origin
        self.problems = tuple(problems)
        super().__init__(f"{origin}: " + "; ".join(problems))


@dataclass(frozen=True)
class PromptTranslation:
    """The prompts of one catalogue release in one person language, checked against it."""

    version: str
    language: str
    review: Review
    draft_notice: str
    title: str
    dimensions: dict[str, str]
    prompts: dict[str, tuple[str, ...]]

    def prompts_of(self, code: str) -> tuple[str, ...]:
        return self.prompts[code]

    def dimension(self, dimension: Dimension) -> str:
        return self.dimensions[dimension.value]


def _text(value: object) -> object:
    """Whitespace folded, as the catalogue folds its texts; a non-string is left to pydantic."""
    return " ".join(value.split()) if isinstance(value, str) else value


Folded = Annotated[str, BeforeValidator(_text)]


class _PromptIn(BaseModel):
    model_config = STRICT
    en: Folded  # the English prompt of the release this text translates
    text: Folded


class _FileIn(BaseModel):
    model_config = STRICT
    release: str
    language: str
    review: Review
    draft_notice: Folded
    title: Folded
    dimensions: dict[str, Folded]
    prompts: dict[str, list[_PromptIn]]


def _problems_of(error: ValidationError) -> list[str]:
    problems = []
    for item in errors_of(error):
        where = dotted(item["loc"]) or "top level"
        message = "missing required field" if item["type"] == "missing" else item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown field"
        problems.append(f"{where}: {message}")
    return problems


def _blank(text: str) -> bool:
    return not text.strip()


def _check_against(data: _FileIn, catalogue: Catalogue, language: str) -> list[str]:
    """What the file lacks, or holds in excess, compared with its release."""
    problems: list[str] = []
    if data.release != catalogue.version:
        problems.append(f"release: {data.release!r} is not the folder's {catalogue.version!r}")
    if data.language != language:
        problems.append(f"language: {data.language!r} is not the file name's {language!r}")
    for name in ("draft_notice", "title"):
        if _blank(getattr(data, name)):
            problems.append(f"{name}: must not be empty")
    expected = {dimension.value for dimension in Dimension}
    for missing in sorted(expected - set(data.dimensions)):
        problems.append(f"dimensions.{missing}: missing")
    for extra in sorted(set(data.dimensions) - expected):
        problems.append(f"dimensions.{extra}: unknown dimension")
    for key, value in data.dimensions.items():
        if key in expected and _blank(value):
            problems.append(f"dimensions.{key}: must not be empty")
    for indicator in catalogue:
        problems.extend(_check_indicator(indicator, data.prompts.get(indicator.code)))
    for code in sorted(set(data.prompts) - {indicator.code for indicator in catalogue}):
        problems.append(f"prompts.{code}: the release has no indicator {code}")
    return problems


def _check_indicator(indicator: Indicator, given: list[_PromptIn] | None) -> list[str]:
    code = indicator.code
    if given is None:
        return [f"prompts.{code}: missing ({len(indicator.prompts)} prompts to translate)"]
    problems = []
    for index, prompt in enumerate(indicator.prompts):
        where = f"prompts.{code}[{index}]"
        if index >= len(given):
            problems.append(f"{where}: missing; it reads {prompt.en!r}")
        elif given[index].en != prompt.en:
            problems.append(f"{where}: stale: the release's prompt now reads {prompt.en!r}")
        elif _blank(given[index].text):
            problems.append(f"{where}: not translated")
    if len(given) > len(indicator.prompts):
        problems.append(
            f"prompts.{code}: {len(given)} prompts; the release has {len(indicator.prompts)}"
        )
    return problems


def read_translation(path: Path, catalogue: Catalogue) -> PromptTranslation:
    """Read and check one file ``<release>/<language>.yaml`` against ``catalogue``.

    Raises TranslationError listing every problem: bad YAML, a field of the wrong shape, a
    missing, stale or extra prompt, a missing dimension name, a wrong review block.
    """
    origin = str(path)
    language = path.stem
    if language not in PERSON_LANGUAGES:
        expected = ", ".join(PERSON_LANGUAGES)
        raise TranslationError(origin, [f"{language!r} is not a person language ({expected})"])
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # noqa: S506 - safe loader
    except OSError as exc:
        raise TranslationError(origin, [f"cannot read file: {exc.strerror or exc}"]) from exc
    except yaml.YAMLError as exc:
        raise TranslationError(origin, [f"invalid YAML: {exc}"]) from exc
    if not isinstance(raw, dict):
        raise TranslationError(origin, ["top level: must be a mapping"])
    # YAML reads 2026.2 unquoted as a float: the release is compared as text.
    if "release" in raw and not isinstance(raw["release"], str):
        raw = {**raw, "release": str(raw["release"])}
    try:
        data = _FileIn.model_validate(raw)
    except ValidationError as exc:
        raise TranslationError(origin, _problems_of(exc)) from None
    problems = _check_against(data, catalogue, language)
    if problems:
        raise TranslationError(origin, problems)
    return PromptTranslation(
        version=catalogue.version,
        language=language,
        review=data.review,
        draft_notice=data.draft_notice,
        title=data.title,
        dimensions=dict(data.dimensions),
        prompts={code: tuple(p.text for p in prompts) for code, prompts in data.prompts.items()},
    )


def translation_path(version: str, language: str) -> Path:
    return prompts_dir() / version / f"{language}.yaml"


@functools.cache
def _translation(version: str, language: str, directory: Path) -> PromptTranslation | None:
    path = directory / version / f"{language}.yaml"
    if not path.is_file():
        return None
    try:
        return read_translation(path, get_catalogue(version))
    except (TranslationError, CatalogueError):
        # Not offered; ``atpazit i18n check`` names the problem (CI fails on it).
        return None


def get_translation(version: str, language: str) -> PromptTranslation | None:
    """The complete, current translation of release ``version`` into ``language``, or None when
    there is none (or it has problems: an incomplete language is never offered)."""
    if language not in PERSON_LANGUAGES:
        return None
    return _translation(version, language, prompts_dir())


def clear_cache() -> None:
    _translation.cache_clear()


def prompt_languages(version: str) -> tuple[str, ...]:
    """The languages the prompts of release ``version`` can be shown in: the working languages,
    then every person language with a complete, current translation."""
    translated = tuple(lang for lang in PERSON_LANGUAGES if get_translation(version, lang))
    return (*LANGUAGES, *translated)


def prompts_in(catalogue: Catalogue, indicator: Indicator, language: str) -> tuple[str, ...]:
    """The prompts of ``indicator`` in ``language`` (a working or a translated person language).

    Raises ValueError for a language the release has no complete translation into."""
    if language in LANGUAGES:
        return tuple(prompt.in_language(language) for prompt in indicator.prompts)
    translation = get_translation(catalogue.version, language)
    if translation is None:
        raise ValueError(f"release {catalogue.version} has no translation into {language!r}")
    return translation.prompts_of(indicator.code)


def statuses(version: str | None = None, directory: Path | None = None) -> list[LanguageStatus]:
    """The state of every person language's prompts for ``version`` (default: the newest
    release), read afresh from ``directory`` (default: the shipped folder)."""
    catalogue = get_catalogue(version) if version else catalogues.latest_catalogue()
    folder = (directory or prompts_dir()) / catalogue.version
    total = sum(len(indicator.prompts) for indicator in catalogue)
    return language_statuses(
        folder, total, lambda path: read_translation(path, catalogue), TranslationError
    )


def template(catalogue: Catalogue, language: str) -> str:
    """A new translation file for ``language``, in the layout of the shipped ones: every prompt
    with its English source and an empty text, status draft. Printed by ``atpazit screening
    translation-template LANGUAGE``; an empty text fails the check until it is translated."""

    def quoted(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML string

    lines = [
        f"# Interview prompts of indicator catalogue release {catalogue.version} in {language!r}.",
        '# Format and review: docs/screening-format.md, "Translations of the prompts" (ADR 0013).',
        "# Each `text` translates the `en` above it; `en` is checked against the release, never",
        "# edit it. A native speaker who has reviewed the file sets review.status to reviewed,",
        "# with their name and the date, in a reviewed change.",
        f'release: "{catalogue.version}"',
        f"language: {language}",
        "review:",
        "  status: draft",
        "  reviewer: null",
        "  reviewed_on: null",
        "  translator: null",
        'draft_notice: ""',
        'title: ""',
        "dimensions:",
        *(f'  {dimension.value}: ""' for dimension in Dimension),
        "prompts:",
    ]
    for indicator in catalogue:
        lines.append(f"  {indicator.code}:")
        for prompt in indicator.prompts:
            lines += [f"    - en: {quoted(prompt.en)}", '      text: ""']
    return "\n".join(lines) + "\n"
