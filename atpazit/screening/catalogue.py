"""The indicator catalogue: versioned YAML data, loaded and validated into frozen dataclasses.

A catalogue file lives in ``catalogues/<version>.yaml`` and is a reviewed release (DESIGN.md §5):
the engine reads it, nothing writes it at run time. Every screening stores the catalogue version it
was computed with, so old versions stay loadable for as long as the files are kept.

Callers: the engine (``engine.evaluate``), the ``screening`` management command and, later, the
screening views. Loading raises :class:`CatalogueError`, whose message names the file, the
indicator code and the field of every problem found.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogues"
LANGUAGES = ("lv", "en", "ru")
VERSION_RE = re.compile(r"^(\d{4})\.(\d+)$")
CODE_RE = re.compile(r"^[A-Z]{2}-\d{2}$")

# The C loader is ~10x faster; fall back to the pure-Python one where libyaml is missing.
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Dimension(StrEnum):
    """The six ILO 2009 dimensions, then our two contextual categories (screening-format.md)."""

    DECEPTIVE_RECRUITMENT = "deceptive_recruitment"
    COERCIVE_RECRUITMENT = "coercive_recruitment"
    RECRUITMENT_ABUSE_OF_VULNERABILITY = "recruitment_abuse_of_vulnerability"
    EXPLOITATIVE_CONDITIONS = "exploitative_conditions"
    COERCION_AT_DESTINATION = "coercion_at_destination"
    ABUSE_OF_VULNERABILITY_AT_DESTINATION = "abuse_of_vulnerability_at_destination"
    RETURN_CONTEXT = "return_context"
    CHILD_SPECIFIC = "child_specific"


class Strength(StrEnum):
    """ILO grading of an indicator within one profile."""

    STRONG = "strong"
    MEDIUM = "medium"
    WEAK = "weak"


class AgeGroup(StrEnum):
    """Age group of a profile; a child is under 18 or of disputed age (invariant I4)."""

    ADULT = "adult"
    CHILD = "child"


class Form(StrEnum):
    """Form of exploitation a profile is about.

    ``UNKNOWN`` ("unknown or several") is not rated in a catalogue file: each indicator takes its
    highest strength across the forms the release rates (DESIGN.md §5, "Form unknown"), so not
    knowing the form never rates an indicator lower than any single form would.
    """

    UNKNOWN = "unknown"
    LABOUR = "labour"
    SEXUAL = "sexual"
    CRIMINALITY = "criminality"
    BEGGING = "begging"
    DOMESTIC_SERVITUDE = "domestic_servitude"
    SHAM_MARRIAGE = "sham_marriage"
    # Added in catalogue release 2026.2 (Criminal Law s.154-2; Directive 2024/1712).
    FORCED_MARRIAGE = "forced_marriage"
    ILLEGAL_ADOPTION = "illegal_adoption"
    ORGAN_REMOVAL = "organ_removal"


# The forms a release rates when its file has no top-level ``forms`` list (release 2026.1).
LEGACY_FORMS = (
    Form.LABOUR,
    Form.SEXUAL,
    Form.CRIMINALITY,
    Form.BEGGING,
    Form.DOMESTIC_SERVITUDE,
    Form.SHAM_MARRIAGE,
)
RATED_FORMS = tuple(form for form in Form if form is not Form.UNKNOWN)


class Stage(StrEnum):
    """Removal stage at which an indicator was, or can usually be, observed."""

    DETENTION_INTAKE = "detention_intake"
    PRE_RETURN_INTERVIEW = "pre_return_interview"
    PRE_DEPARTURE = "pre_departure"
    TRANSFER = "transfer"
    IN_FLIGHT = "in_flight"
    HANDOVER = "handover"
    OTHER = "other"


# The stages after which no later screening stage exists: "re-screen at the next stage" is no
# advice here, so rule R7 asks for a closer interview before the person leaves (DESIGN.md §5).
LAST_STAGES = frozenset({Stage.PRE_DEPARTURE, Stage.TRANSFER, Stage.IN_FLIGHT, Stage.HANDOVER})
# The order of the removal; OTHER has no place in it.
STAGE_ORDER = (
    Stage.DETENTION_INTAKE,
    Stage.PRE_RETURN_INTERVIEW,
    Stage.PRE_DEPARTURE,
    Stage.TRANSFER,
    Stage.IN_FLIGHT,
    Stage.HANDOVER,
)


# HTCDS vic_MethodsOfControl picklist (domain.md §4.1).
HTCDS_METHODS_OF_CONTROL = frozenset(
    {
        "DebtBondage",
        "TakesEarnings",
        "RestrictsFinancialAccess",
        "Threats",
        "PsychologicalAbuse",
        "PhysicalAbuse",
        "SexualAbuse",
        "FalsePromises",
        "PsychoactiveSubstances",
        "RestrictsMovement",
        "RestrictsMedicalCare",
        "ExcessiveWorkingHours",
        "UsesChildren",
        "ThreatOfLawEnforcement",
        "WithholdsNecessities",
        "WithholdsDocuments",
        "Other",
    }
)

STRENGTH_LETTERS = {"S": Strength.STRONG, "M": Strength.MEDIUM, "W": Strength.WEAK}
STRENGTH_ORDER = {Strength.WEAK: 0, Strength.MEDIUM: 1, Strength.STRONG: 2}

_REQUIRED_TOP = ("version", "title", "sources", "indicators")
_OPTIONAL_TOP = ("forms", "same_fact")
_REQUIRED_FIELDS = (
    "code",
    "dimension",
    "strength",
    "text",
    "prompts",
    "guidance",
    "stages",
    "sources",
)
_OPTIONAL_FIELDS = ("htcds", "ilo", "forced_criminality", "coercion", "notes")


@dataclass(frozen=True, slots=True)
class Profile:
    """Who the indicator strengths are read for: an age group and a form of exploitation."""

    age_group: AgeGroup
    form: Form


PROFILES = tuple(Profile(age, form) for age in AgeGroup for form in Form)


def strongest(strengths: Iterable[Strength]) -> Strength:
    """The highest of ``strengths`` (strong > medium > weak)."""
    return max(strengths, key=STRENGTH_ORDER.__getitem__)


@dataclass(frozen=True, slots=True)
class Text:
    """One text in each of the three working languages."""

    lv: str
    en: str
    ru: str

    def in_language(self, lang: str) -> str:
        """Return the text in ``lang`` (lv, en or ru); raises ValueError for any other."""
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}; expected one of {LANGUAGES}")
        return str(getattr(self, lang))


@dataclass(frozen=True, slots=True)
class Source:
    """A public source an indicator rests on."""

    key: str
    title: str
    url: str


@dataclass(frozen=True)
class Indicator:
    """One indicator: its stable code, dimension, per-profile strengths and translated texts."""

    code: str
    dimension: Dimension
    strengths: tuple[tuple[Profile, Strength], ...]
    htcds: str | None
    stages: tuple[Stage, ...]
    text: Text
    prompts: tuple[Text, ...]
    guidance: Text
    ilo: str | None
    sources: tuple[Source, ...]
    forced_criminality: bool = False
    notes: str = ""
    # A return-context sign of control that counts as coercion for rule R2 (release 2026.2).
    coercion: bool = False

    def strength(self, profile: Profile) -> Strength:
        """Return the strength for ``profile``; every profile of the release's forms has one
        (validated on load), ``unknown`` included; KeyError for a form the release lacks."""
        for candidate, strength in self.strengths:
            if candidate == profile:
                return strength
        raise KeyError(profile)


@dataclass(frozen=True, eq=False)
class Catalogue:
    """A loaded catalogue release, pre-indexed per profile so evaluation does no per-call work."""

    version: str
    title: str
    indicators: tuple[Indicator, ...]
    origin: str = ""
    # The forms this release rates, and ``unknown`` (derived from them); see LEGACY_FORMS.
    forms: tuple[Form, ...] = (Form.UNKNOWN, *LEGACY_FORMS)
    # Groups of codes that describe one fact at different stages (a held passport at recruitment,
    # at destination, now): within one dimension a group counts once, at its strongest.
    same_fact: tuple[tuple[str, tuple[str, ...]], ...] = ()
    _by_code: dict[str, Indicator] = field(init=False, repr=False)
    _tables: dict[Profile, dict[str, tuple[Dimension, Strength]]] = field(init=False, repr=False)
    forced_criminality_codes: frozenset[str] = field(init=False, repr=False)
    coercion_codes: frozenset[str] = field(init=False, repr=False)
    fact_of: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_code = {indicator.code: indicator for indicator in self.indicators}
        tables = {
            profile: {ind.code: (ind.dimension, ind.strength(profile)) for ind in self.indicators}
            for profile in self.profiles
        }
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_tables", tables)
        flagged = frozenset(ind.code for ind in self.indicators if ind.forced_criminality)
        object.__setattr__(self, "forced_criminality_codes", flagged)
        coercion = frozenset(ind.code for ind in self.indicators if ind.coercion)
        object.__setattr__(self, "coercion_codes", coercion)
        fact_of = {code: name for name, codes in self.same_fact for code in codes}
        object.__setattr__(self, "fact_of", fact_of)

    @property
    def profiles(self) -> tuple[Profile, ...]:
        """Every profile this release can evaluate: both age groups × its forms."""
        return tuple(Profile(age, form) for age in AgeGroup for form in self.forms)

    def rates(self, form: Form) -> bool:
        """True when this release has strengths for ``form`` (``unknown`` always)."""
        return form in self.forms

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def indicator(self, code: str) -> Indicator:
        """Return the indicator with ``code``; raises KeyError if the release has none."""
        return self._by_code[code]

    def table(self, profile: Profile) -> Mapping[str, tuple[Dimension, Strength]]:
        """Return code -> (dimension, strength) for ``profile``, built once at load time.

        Raises KeyError for a form the release does not rate (check ``rates`` first)."""
        return self._tables[profile]


class CatalogueError(Exception):
    """A catalogue file is missing, unreadable or invalid; the message lists every problem."""

    def __init__(self, origin: str, problems: list[str]) -> None:
        self.origin = origin
        self.problems = tuple(problems)
        if len(problems) == 1:
            message = f"{origin}: {problems[0]}"
        else:
            lines = "\n".join(f"- {origin}: {problem}" for problem in problems)
            message = f"{len(problems)} problems in catalogue {origin}:\n{lines}"
        super().__init__(message)


class _Parser:
    """Collects every problem in one catalogue file, so an editor can fix them in one pass."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.problems: list[str] = []
        self.sources: dict[str, Source] = {}
        self.forms: tuple[Form, ...] = LEGACY_FORMS

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def catalogue(self, raw: object, expected_version: str | None) -> Catalogue:
        if not isinstance(raw, dict):
            self.problem("top level", "must be a mapping with version, title, sources, indicators")
            raise CatalogueError(self.origin, self.problems)
        self._unknown_keys("top level", raw, _REQUIRED_TOP + _OPTIONAL_TOP)
        for key in _REQUIRED_TOP:
            if key not in raw:
                self.problem(f"field '{key}'", "missing required field")
        version = self._version(raw.get("version"), expected_version)
        title = raw.get("title")
        if "title" in raw and (not isinstance(title, str) or not title.strip()):
            self.problem("field 'title'", "must be a non-empty string")
        if "forms" in raw:
            self.forms = self._rated_forms(raw["forms"])
        self.sources = self._sources(raw.get("sources"))
        indicators = self._indicators(raw.get("indicators"))
        same_fact = self._same_fact(raw.get("same_fact"), indicators)
        if self.problems:
            raise CatalogueError(self.origin, self.problems)
        return Catalogue(
            str(version),
            str(title),
            indicators,
            self.origin,
            forms=(Form.UNKNOWN, *self.forms),
            same_fact=same_fact,
        )

    def _rated_forms(self, raw: object) -> tuple[Form, ...]:
        rated = set(RATED_FORMS)
        if not isinstance(raw, list) or not raw:
            self.problem("field 'forms'", "must be a non-empty list of forms of exploitation")
            return LEGACY_FORMS
        forms: list[Form] = []
        for value in raw:
            if value == Form.UNKNOWN.value:
                self.problem("field 'forms'", "'unknown' is derived from the other forms: omit it")
            elif not isinstance(value, str) or value not in rated:
                expected = ", ".join(RATED_FORMS)
                self.problem("field 'forms'", f"unknown form {value!r}; expected {expected}")
            elif Form(value) in forms:
                self.problem("field 'forms'", f"form {value!r} listed twice")
            else:
                forms.append(Form(value))
        missing = [form.value for form in LEGACY_FORMS if form not in forms]
        if missing:
            self.problem("field 'forms'", f"a release must rate {', '.join(missing)} too")
        # Canonical order, whatever the file's order.
        return tuple(form for form in RATED_FORMS if form in forms)

    def _same_fact(
        self, raw: object, indicators: tuple[Indicator, ...]
    ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        if raw is None:
            return ()
        if not isinstance(raw, dict) or not raw:
            self.problem("field 'same_fact'", "must map a fact name to a list of codes")
            return ()
        known = {indicator.code for indicator in indicators}
        owner: dict[str, str] = {}
        groups = []
        for name, codes in raw.items():
            where = f"field 'same_fact.{name}'"
            if not isinstance(codes, list) or len(codes) < 2:
                self.problem(where, "must list at least two indicator codes")
                continue
            for code in codes:
                if code not in known:
                    self.problem(where, f"unknown indicator {code!r}")
                elif code in owner:
                    self.problem(where, f"{code} is already in same_fact.{owner[code]}")
                else:
                    owner[code] = str(name)
            groups.append((str(name), tuple(str(code) for code in codes)))
        return tuple(groups)

    def _unknown_keys(self, where: str, raw: dict[Any, Any], known: tuple[str, ...]) -> None:
        for key in raw:
            if key not in known:
                self.problem(where, f"unknown field {key!r}")

    def _version(self, value: object, expected: str | None) -> str | None:
        if value is None:
            return None
        # Unquoted 2026.10 is the float 2026.1 in YAML: insist on a string.
        if not isinstance(value, str) or not VERSION_RE.match(value):
            self.problem(
                "field 'version'",
                f'wrong version format {value!r}: expected a quoted string YEAR.N, e.g. "2026.1"',
            )
            return None
        if expected is not None and value != expected:
            self.problem("field 'version'", f"{value!r} does not match the file name {expected!r}")
        return value

    def _sources(self, raw: object) -> dict[str, Source]:
        if raw is None:
            return {}
        if not isinstance(raw, dict) or not raw:
            self.problem("field 'sources'", "must map source keys to {title, url}")
            return {}
        sources = {}
        for key, entry in raw.items():
            where = f"source {key}"
            title = entry.get("title") if isinstance(entry, dict) else None
            url = entry.get("url") if isinstance(entry, dict) else None
            if not isinstance(title, str) or not title.strip():
                self.problem(f"{where}, field 'title'", "missing required field")
            if not isinstance(url, str) or not url.startswith(("https://", "http://")):
                self.problem(f"{where}, field 'url'", "missing or not an http(s) URL")
            if isinstance(entry, dict):
                self._unknown_keys(where, entry, ("title", "url"))
            sources[str(key)] = Source(str(key), str(title), str(url))
        return sources

    def _indicators(self, raw: object) -> tuple[Indicator, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list) or not raw:
            self.problem("field 'indicators'", "must be a non-empty list")
            return ()
        seen: set[str] = set()
        indicators = []
        for position, entry in enumerate(raw, start=1):
            indicator = self._indicator(position, entry, seen)
            if indicator is not None:
                indicators.append(indicator)
        return tuple(indicators)

    def _indicator(self, position: int, raw: object, seen: set[str]) -> Indicator | None:
        if not isinstance(raw, dict):
            self.problem(f"indicator #{position}", "must be a mapping")
            return None
        code = raw.get("code")
        label = f"indicator {code}" if isinstance(code, str) else f"indicator #{position}"
        before = len(self.problems)
        self._code(label, code, seen)
        self._unknown_keys(label, raw, _REQUIRED_FIELDS + _OPTIONAL_FIELDS)
        for key in _REQUIRED_FIELDS:
            if key not in raw:
                self.problem(f"{label}, field '{key}'", "missing required field")
        built = self._build(label, raw)
        return built if len(self.problems) == before else None

    def _code(self, label: str, code: object, seen: set[str]) -> None:
        if code is None:
            return  # reported as a missing required field
        if not isinstance(code, str) or not CODE_RE.match(code):
            self.problem(f"{label}, field 'code'", f"{code!r} is not of the form AB-01")
        elif code in seen:
            self.problem(f"{label}, field 'code'", f"duplicate code {code}")
        else:
            seen.add(code)

    def _build(self, label: str, raw: dict[str, Any]) -> Indicator:
        dimension = self._dimension(label, raw.get("dimension"))
        coercion = self._flag(label, raw.get("coercion", False), "coercion")
        if coercion and dimension is not Dimension.RETURN_CONTEXT:
            self.problem(
                f"{label}, field 'coercion'",
                "only return-context signs are flagged; the other dimensions say it themselves",
            )
        return Indicator(
            code=str(raw.get("code")),
            dimension=dimension,
            strengths=self._strengths(label, raw.get("strength")),
            htcds=self._htcds(label, raw.get("htcds")),
            stages=self._stages(label, raw.get("stages")),
            text=self._text(label, "text", raw.get("text")),
            prompts=self._prompts(label, raw.get("prompts")),
            guidance=self._text(label, "guidance", raw.get("guidance")),
            ilo=self._optional_str(label, "ilo", raw.get("ilo")),
            sources=self._source_refs(label, raw.get("sources")),
            forced_criminality=self._flag(
                label, raw.get("forced_criminality", False), "forced_criminality"
            ),
            notes=self._optional_str(label, "notes", raw.get("notes")) or "",
            coercion=coercion,
        )

    def _dimension(self, label: str, value: object) -> Dimension:
        # isinstance first: a YAML list or mapping here is unhashable, and must be a problem,
        # not a TypeError.
        if isinstance(value, str) and value in set(Dimension):
            return Dimension(value)
        if value is not None:
            expected = ", ".join(Dimension)
            self.problem(
                f"{label}, field 'dimension'", f"unknown dimension {value!r}; expected {expected}"
            )
        # Placeholder only: the problem recorded above discards this indicator.
        return Dimension.RETURN_CONTEXT

    def _strengths(self, label: str, raw: object) -> tuple[tuple[Profile, Strength], ...]:
        if raw is None:
            return ()
        if not isinstance(raw, dict):
            self.problem(f"{label}, field 'strength'", "must map adult and child to forms")
            return ()
        for key in raw:
            if key not in set(AgeGroup):
                self.problem(
                    f"{label}, field 'strength.{key}'",
                    f"unknown profile age group {key!r}; expected adult or child",
                )
        pairs = []
        for age in AgeGroup:
            rated = self._forms(label, age, raw.get(age.value))
            if rated:
                # "Unknown or several": the highest strength across the rated forms.
                pairs.append((Profile(age, Form.UNKNOWN), strongest(s for _, s in rated)))
            for form, strength in rated:
                pairs.append((Profile(age, form), strength))
        return tuple(pairs)

    def _forms(self, label: str, age: AgeGroup, raw: object) -> list[tuple[Form, Strength]]:
        where = f"{label}, field 'strength.{age}"
        if not isinstance(raw, dict):
            self.problem(f"{where}'", "missing required field (a strength for every form)")
            return []
        for key in raw:
            if key == Form.UNKNOWN.value:
                message = "'unknown' is derived (the highest strength across forms): omit it"
                self.problem(f"{where}.{key}'", message)
            elif key not in set(self.forms):
                expected = ", ".join(self.forms)
                message = f"unknown profile form {key!r}; expected {expected}"
                self.problem(f"{where}.{key}'", message)
        pairs = []
        for form in self.forms:
            strength = self._strength(f"{where}.{form}'", age, raw.get(form.value))
            if strength is not None:
                pairs.append((form, strength))
        return pairs

    def _strength(self, where: str, age: AgeGroup, value: object) -> Strength | None:
        if value is None:
            self.problem(where, "missing required field")
            return None
        if not isinstance(value, str) or value not in STRENGTH_LETTERS:
            self.problem(where, f"unknown strength {value!r}; expected S, M or W")
            return None
        if age is AgeGroup.CHILD and value == "W":
            self.problem(where, "weak is not used for children: the ILO children's lists have none")
        return STRENGTH_LETTERS[value]

    def _text(self, label: str, name: str, raw: object) -> Text:
        if raw is None:
            return Text("", "", "")
        if not isinstance(raw, dict):
            self.problem(f"{label}, field '{name}'", "must map each of lv, en, ru to a text")
            return Text("", "", "")
        for key in raw:
            if key not in LANGUAGES:
                where = f"{label}, field '{name}.{key}'"
                self.problem(where, "unknown language; expected lv, en, ru")
        values = []
        for lang in LANGUAGES:
            value = raw.get(lang)
            if not isinstance(value, str) or not value.strip():
                self.problem(
                    f"{label}, field '{name}.{lang}'",
                    "missing translation (lv, en and ru are all required)",
                )
                value = ""
            values.append(" ".join(value.split()))
        return Text(*values)

    def _prompts(self, label: str, raw: object) -> tuple[Text, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list) or not raw:
            self.problem(f"{label}, field 'prompts'", "must be a non-empty list of translations")
            return ()
        return tuple(self._text(label, f"prompts[{i}]", item) for i, item in enumerate(raw))

    def _stages(self, label: str, raw: object) -> tuple[Stage, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list) or not raw:
            self.problem(f"{label}, field 'stages'", "must be a non-empty list of stages")
            return ()
        stages = []
        for value in raw:
            if not isinstance(value, str) or value not in set(Stage):
                expected = ", ".join(Stage)
                message = f"unknown stage {value!r}; expected {expected}"
                self.problem(f"{label}, field 'stages'", message)
            elif Stage(value) in stages:
                self.problem(f"{label}, field 'stages'", f"stage {value!r} listed twice")
            else:
                stages.append(Stage(value))
        return tuple(stages)

    def _htcds(self, label: str, value: object) -> str | None:
        if value is not None and (
            not isinstance(value, str) or value not in HTCDS_METHODS_OF_CONTROL
        ):
            self.problem(
                f"{label}, field 'htcds'", f"unknown HTCDS means-of-control code {value!r}"
            )
        return value if isinstance(value, str) else None

    def _source_refs(self, label: str, raw: object) -> tuple[Source, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list) or not raw:
            self.problem(f"{label}, field 'sources'", "must be a non-empty list of source keys")
            return ()
        refs = []
        for key in raw:
            if isinstance(key, str) and key in self.sources:
                refs.append(self.sources[key])
            else:
                self.problem(f"{label}, field 'sources'", f"unknown source {key!r}")
        return tuple(refs)

    def _optional_str(self, label: str, name: str, value: object) -> str | None:
        if value is not None and (not isinstance(value, str) or not value.strip()):
            self.problem(f"{label}, field '{name}'", "must be a non-empty string when present")
            return None
        return " ".join(value.split()) if isinstance(value, str) else None

    def _flag(self, label: str, value: object, name: str) -> bool:
        if not isinstance(value, bool):
            self.problem(f"{label}, field '{name}'", "must be true or false")
            return False
        return value


def parse_catalogue(raw: object, *, origin: str, expected_version: str | None = None) -> Catalogue:
    """Validate already-parsed YAML/JSON data into a Catalogue; raises CatalogueError."""
    return _Parser(origin).catalogue(raw, expected_version)


def load_catalogue_file(path: Path) -> Catalogue:
    """Load and validate one catalogue file; the file name must be ``<version>.yaml``.

    Raises CatalogueError naming the file for a missing file, bad YAML or any invalid field.
    """
    origin = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(origin, [f"cannot read file: {exc.strerror or exc}"]) from exc
    try:
        raw = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader, C or Python
    except yaml.YAMLError as exc:
        raise CatalogueError(origin, [f"invalid YAML: {exc}"]) from exc
    return parse_catalogue(raw, origin=origin, expected_version=path.stem)


def _version_key(version: str) -> tuple[int, int]:
    match = VERSION_RE.match(version)
    if match is None:
        raise ValueError(version)
    return int(match.group(1)), int(match.group(2))


def available_versions(directory: Path | None = None) -> tuple[str, ...]:
    """Return the catalogue versions in ``directory`` (default: the shipped ones), oldest first."""
    # Read CATALOGUE_DIR at call time, not as a default argument, so tests can point it elsewhere.
    stems = (path.stem for path in (directory or CATALOGUE_DIR).glob("*.yaml"))
    return tuple(sorted((stem for stem in stems if VERSION_RE.match(stem)), key=_version_key))


@functools.cache
def get_catalogue(version: str) -> Catalogue:
    """Return the shipped catalogue ``version`` (loaded once per process).

    Raises CatalogueError for a malformed version, an unknown version or an invalid file.
    """
    if not VERSION_RE.match(version):
        raise CatalogueError(version, ["wrong version format: expected YEAR.N, e.g. 2026.1"])
    path = CATALOGUE_DIR / f"{version}.yaml"
    if not path.is_file():
        known = ", ".join(available_versions()) or "none"
        raise CatalogueError(version, [f"unknown catalogue version; available: {known}"])
    return load_catalogue_file(path)


def latest_catalogue() -> Catalogue:
    """Return the newest shipped catalogue; raises CatalogueError if none is shipped."""
    versions = available_versions()
    if not versions:
        raise CatalogueError(str(CATALOGUE_DIR), ["no catalogue files found"])
    return get_catalogue(versions[-1])


@dataclass(frozen=True)
class IndicatorChange:
    """An indicator present in both releases, and which of its fields differ."""

    code: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class CatalogueDiff:
    """What a new catalogue release adds, removes and changes compared with an old one."""

    old_version: str
    new_version: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[IndicatorChange, ...]
    forms_added: tuple[str, ...] = ()
    forms_removed: tuple[str, ...] = ()
    same_fact_changed: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when the two releases hold the same indicators with the same content."""
        return not (
            self.added
            or self.removed
            or self.changed
            or self.forms_added
            or self.forms_removed
            or self.same_fact_changed
        )


def _changed_fields(old: Indicator, new: Indicator, forms: Iterable[Form]) -> tuple[str, ...]:
    """Fields that differ. Strengths are compared for ``forms``, the forms both releases rate
    (not the derived ``unknown``); a new form is in the diff's ``forms_added``, not repeated
    per indicator."""
    changed: list[str] = []
    if old.dimension != new.dimension:
        changed.append("dimension")
    for age in AgeGroup:
        for form in forms:
            profile = Profile(age, form)
            if old.strength(profile) != new.strength(profile):
                changed.append(f"strength.{profile.age_group}.{profile.form}")
    for name in ("htcds", "stages"):
        if getattr(old, name) != getattr(new, name):
            changed.append(name)
    changed.extend(_changed_texts("text", old.text, new.text))
    if old.prompts != new.prompts:
        changed.append("prompts")
    changed.extend(_changed_texts("guidance", old.guidance, new.guidance))
    for name in ("ilo", "sources", "forced_criminality", "coercion", "notes"):
        if getattr(old, name) != getattr(new, name):
            changed.append(name)
    return tuple(changed)


def _changed_texts(name: str, old: Text, new: Text) -> list[str]:
    return [f"{name}.{lang}" for lang in LANGUAGES if getattr(old, lang) != getattr(new, lang)]


def diff_catalogues(old: Catalogue, new: Catalogue) -> CatalogueDiff:
    """Compare two releases indicator by indicator, for the release review."""
    old_codes = {ind.code for ind in old}
    new_codes = {ind.code for ind in new}
    # ``unknown`` is derived from the other forms: its changes follow from theirs.
    common_forms = [f for f in new.forms if f in old.forms and f is not Form.UNKNOWN]
    changed = []
    for code in sorted(old_codes & new_codes):
        fields = _changed_fields(old.indicator(code), new.indicator(code), common_forms)
        if fields:
            changed.append(IndicatorChange(code, fields))
    old_facts, new_facts = dict(old.same_fact), dict(new.same_fact)
    return CatalogueDiff(
        old_version=old.version,
        new_version=new.version,
        added=tuple(sorted(new_codes - old_codes)),
        removed=tuple(sorted(old_codes - new_codes)),
        changed=tuple(changed),
        forms_added=tuple(form.value for form in new.forms if form not in old.forms),
        forms_removed=tuple(form.value for form in old.forms if form not in new.forms),
        same_fact_changed=tuple(
            sorted(
                name
                for name in set(old_facts) | set(new_facts)
                if old_facts.get(name) != new_facts.get(name)
            )
        ),
    )


def diff_to_dict(diff: CatalogueDiff) -> dict[str, Any]:
    """Plain-JSON form of a diff, keys in a fixed order."""
    return {
        "old_version": diff.old_version,
        "new_version": diff.new_version,
        "added": list(diff.added),
        "removed": list(diff.removed),
        "changed": [{"code": c.code, "fields": list(c.fields)} for c in diff.changed],
        "forms_added": list(diff.forms_added),
        "forms_removed": list(diff.forms_removed),
        "same_fact_changed": list(diff.same_fact_changed),
    }


def catalogue_to_dict(catalogue: Catalogue, *, lang: str | None = None) -> dict[str, Any]:
    """Plain-JSON listing: codes, dimensions and strengths per profile (and texts in ``lang``)."""
    return {
        "version": catalogue.version,
        "title": catalogue.title,
        "forms": [form.value for form in catalogue.forms],
        "same_fact": {name: list(codes) for name, codes in catalogue.same_fact},
        "indicators": [_indicator_to_dict(ind, lang) for ind in catalogue],
    }


def _indicator_to_dict(indicator: Indicator, lang: str | None) -> dict[str, Any]:
    strengths: dict[str, dict[str, str]] = {age.value: {} for age in AgeGroup}
    for profile, strength in indicator.strengths:
        strengths[profile.age_group.value][profile.form.value] = strength.value
    entry: dict[str, Any] = {
        "code": indicator.code,
        "dimension": indicator.dimension.value,
        "strength": strengths,
        "htcds": indicator.htcds,
        "stages": [stage.value for stage in indicator.stages],
        "coercion": indicator.coercion,
    }
    if lang is not None:
        entry["text"] = indicator.text.in_language(lang)
        entry["prompts"] = [prompt.in_language(lang) for prompt in indicator.prompts]
        entry["guidance"] = indicator.guidance.in_language(lang)
    return entry
