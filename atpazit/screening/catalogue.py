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
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    PlainValidator,
    ValidationError,
    ValidationInfo,
    create_model,
    model_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

from .schema import STRICT, dotted, errors_of, refuse

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogues"
LANGUAGES = ("lv", "en", "ru")
VERSION_RE = re.compile(r"^(\d{4})\.(\d+)$")
CODE_RE = re.compile(r"^[A-Z]{2}-\d{2}$")

_E = TypeVar("_E", bound=StrEnum)

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


# --- Reading a catalogue file: pydantic models, and the problems worded for an editor ----------
#
# Pydantic walks the file and collects every problem; the validators below only word them
# (``unknown strength 'X'; expected S, M or W``), and ``_where`` turns pydantic's location into
# the file's own words (``indicator EX-01, field 'strength.adult.labour'``). What one file needs
# from another part of itself (the forms it rates, its source keys, the codes seen so far) is
# passed in the validation context.


def _mapping(message: str) -> Callable[[object], object]:
    def validate(value: object) -> object:
        if not isinstance(value, dict):
            raise refuse("shape", message)
        return value

    return validate


def _non_empty_list(message: str) -> Callable[[object], object]:
    def validate(value: object) -> object:
        if not isinstance(value, list) or not value:
            raise refuse("shape", message)
        return value

    return validate


def _folded(value: object, message: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise refuse("text", message)
    return " ".join(value.split())


def _translation(value: object) -> str:
    return _folded(value, "missing translation (lv, en and ru are all required)")


def _optional_text(value: object) -> str | None:
    return None if value is None else _folded(value, "must be a non-empty string when present")


def _catalogue_flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise refuse("flag", "must be true or false")
    return value


def _member(enum: type[_E], noun: str) -> Callable[[object], _E]:
    members = {member.value: member for member in enum}
    listed = ", ".join(members)

    def validate(value: object) -> _E:
        # isinstance first: a YAML list or mapping here is unhashable, and must be a problem.
        member = members.get(value) if isinstance(value, str) else None
        if member is None:
            raise refuse(
                "choice",
                "unknown {noun} {value!r}; expected {listed}",
                noun=noun,
                value=value,
                listed=listed,
            )
        return member

    return validate


def _present(value: object) -> object:
    """An explicit null is a missing field, not a value."""
    if value is None:
        raise refuse("missing", "missing required field")
    return value


Required = BeforeValidator(_present)


def _context(info: ValidationInfo) -> dict[str, Any]:
    assert isinstance(info.context, dict)  # noqa: S101 - parse_catalogue always passes one
    return info.context


def _version(value: object, info: ValidationInfo) -> str:
    # Unquoted 2026.10 is the float 2026.1 in YAML: insist on a string.
    if not isinstance(value, str) or not VERSION_RE.match(value):
        raise refuse(
            "version",
            'wrong version format {value!r}: expected a quoted string YEAR.N, e.g. "2026.1"',
            value=value,
        )
    expected = _context(info)["expected_version"]
    if expected is not None and value != expected:
        raise refuse(
            "version",
            "{value!r} does not match the file name {expected!r}",
            value=value,
            expected=expected,
        )
    return value


def _code(value: object, info: ValidationInfo) -> str:
    if not isinstance(value, str) or not CODE_RE.match(value):
        raise refuse("code", "{value!r} is not of the form AB-01", value=value)
    seen: set[str] = _context(info)["codes"]
    if value in seen:
        raise refuse("code", "duplicate code {value}", value=value)
    seen.add(value)
    return value


def _stages(value: tuple[Stage, ...]) -> tuple[Stage, ...]:
    for position, stage in enumerate(value):
        if stage in value[:position]:
            raise refuse("stage", "stage {value!r} listed twice", value=stage.value)
    return value


def _htcds(value: object) -> str | None:
    if value is not None and (not isinstance(value, str) or value not in HTCDS_METHODS_OF_CONTROL):
        raise refuse("htcds", "unknown HTCDS means-of-control code {value!r}", value=value)
    return value


def _source_ref(value: object, info: ValidationInfo) -> Source:
    sources: dict[str, Source] = _context(info)["sources"]
    if not isinstance(value, str) or value not in sources:
        raise refuse("source", "unknown source {value!r}", value=value)
    return sources[value]


def _strength(child: bool) -> Callable[[object], Strength]:
    def validate(value: object) -> Strength:
        if not isinstance(value, str) or value not in STRENGTH_LETTERS:
            raise refuse("strength", "unknown strength {value!r}; expected S, M or W", value=value)
        if child and value == "W":
            raise refuse(
                "strength", "weak is not used for children: the ILO children's lists have none"
            )
        return STRENGTH_LETTERS[value]

    return validate


def _url(value: object) -> str:
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        raise refuse("url", "missing or not an http(s) URL")
    return value


Translation = Annotated[
    str, PlainValidator(_translation), Field(default=None, validate_default=True)
]
OptionalText = Annotated[str | None, PlainValidator(_optional_text)]
CatalogueFlag = Annotated[bool, PlainValidator(_catalogue_flag)]
TEXT_SHAPE = "must map each of lv, en, ru to a text"


class _TextIn(BaseModel):
    model_config = STRICT
    lv: Translation
    en: Translation
    ru: Translation

    def text(self) -> Text:
        return Text(self.lv, self.en, self.ru)


TextIn = Annotated[_TextIn, BeforeValidator(_mapping(TEXT_SHAPE))]


class _SourceIn(BaseModel):
    model_config = STRICT
    title: Annotated[
        str,
        PlainValidator(lambda v: _folded(v, "missing required field")),
        Field(default=None, validate_default=True),
    ]
    url: Annotated[str, PlainValidator(_url), Field(default=None, validate_default=True)]


@functools.cache
def _strength_model(forms: tuple[Form, ...], child: bool) -> type[BaseModel]:
    """The strengths of one age group: one required field per form the release rates."""
    letter = Annotated[Strength, PlainValidator(_strength(child)), Required]
    fields: dict[str, Any] = {form.value: (letter, ...) for form in forms}
    name = f"Strengths{'Child' if child else 'Adult'}{len(forms)}"
    return create_model(name, __config__=STRICT, **fields)


def _age_group_strengths(child: bool) -> Callable[[object, ValidationInfo], dict[Form, Strength]]:
    def validate(value: object, info: ValidationInfo) -> dict[Form, Strength]:
        if not isinstance(value, dict):
            raise refuse("shape", "missing required field (a strength for every form)")
        forms: tuple[Form, ...] = _context(info)["forms"]
        model = _strength_model(forms, child)
        parsed = model.model_validate(value)
        return {form: getattr(parsed, form.value) for form in forms}

    return validate


class _StrengthIn(BaseModel):
    model_config = STRICT
    adult: Annotated[
        dict[Form, Strength],
        PlainValidator(_age_group_strengths(child=False)),
        Field(default=None, validate_default=True),
    ]
    child: Annotated[
        dict[Form, Strength],
        PlainValidator(_age_group_strengths(child=True)),
        Field(default=None, validate_default=True),
    ]


class _IndicatorIn(BaseModel):
    model_config = STRICT
    code: Annotated[str, PlainValidator(_code), Required]
    dimension: Annotated[Dimension, PlainValidator(_member(Dimension, "dimension")), Required]
    strength: Annotated[
        _StrengthIn, BeforeValidator(_mapping("must map adult and child to forms")), Required
    ]
    text: Annotated[TextIn, Required]
    prompts: Annotated[
        tuple[TextIn, ...],
        BeforeValidator(_non_empty_list("must be a non-empty list of translations")),
        Required,
    ]
    guidance: Annotated[TextIn, Required]
    stages: Annotated[
        tuple[Annotated[Stage, PlainValidator(_member(Stage, "stage"))], ...],
        BeforeValidator(_non_empty_list("must be a non-empty list of stages")),
        AfterValidator(_stages),
        Required,
    ]
    sources: Annotated[
        tuple[Annotated[Source, PlainValidator(_source_ref)], ...],
        BeforeValidator(_non_empty_list("must be a non-empty list of source keys")),
        Required,
    ]
    htcds: Annotated[str | None, PlainValidator(_htcds)] = None
    ilo: OptionalText = None
    forced_criminality: CatalogueFlag = False
    # A return-context sign of control that counts as coercion for rule R2 (release 2026.2).
    coercion: CatalogueFlag = False
    notes: OptionalText = None

    @model_validator(mode="after")
    def _coercion_is_a_return_context_sign(self) -> _IndicatorIn:
        if self.coercion and self.dimension is not Dimension.RETURN_CONTEXT:
            message = (
                "only return-context signs are flagged; the other dimensions say it themselves"
            )
            _collect("indicator", [_problem(("coercion",), message)])
        return self

    def indicator(self, forms: tuple[Form, ...]) -> Indicator:
        pairs: list[tuple[Profile, Strength]] = []
        for age, rated in (
            (AgeGroup.ADULT, self.strength.adult),
            (AgeGroup.CHILD, self.strength.child),
        ):
            # "Unknown or several": the highest strength across the rated forms.
            pairs.append((Profile(age, Form.UNKNOWN), strongest(rated.values())))
            pairs.extend((Profile(age, form), rated[form]) for form in forms)
        return Indicator(
            code=self.code,
            dimension=self.dimension,
            strengths=tuple(pairs),
            htcds=self.htcds,
            stages=self.stages,
            text=self.text.text(),
            prompts=tuple(prompt.text() for prompt in self.prompts),
            guidance=self.guidance.text(),
            ilo=self.ilo,
            sources=self.sources,
            forced_criminality=self.forced_criminality,
            notes=self.notes or "",
            coercion=self.coercion,
        )


def _collect(field: str, problems: list[InitErrorDetails]) -> None:
    """Raise every problem found by a validator that walks its value itself."""
    if problems:
        raise ValidationError.from_exception_data(field, problems)


def _problem(loc: tuple[str | int, ...], message: str, **values: Any) -> InitErrorDetails:
    return {"type": refuse("problem", message, **values), "loc": loc, "input": None}


def _forms(value: object, info: ValidationInfo) -> tuple[Form, ...]:
    if not isinstance(value, list) or not value:
        raise refuse("shape", "must be a non-empty list of forms of exploitation")
    forms: list[Form] = []
    problems: list[InitErrorDetails] = []
    for item in value:
        if item == Form.UNKNOWN.value:
            problems.append(_problem((), "'unknown' is derived from the other forms: omit it"))
        elif not isinstance(item, str) or item not in set(RATED_FORMS):
            expected = ", ".join(RATED_FORMS)
            problems.append(
                _problem(
                    (), "unknown form {item!r}; expected {expected}", item=item, expected=expected
                )
            )
        elif Form(item) in forms:
            problems.append(_problem((), "form {item!r} listed twice", item=item))
        else:
            forms.append(Form(item))
    missing = [form.value for form in LEGACY_FORMS if form not in forms]
    if missing:
        problems.append(
            _problem((), "a release must rate {missing} too", missing=", ".join(missing))
        )
    # Canonical order, whatever the file's order; the indicators' strengths are read for these.
    rated = tuple(form for form in RATED_FORMS if form in forms)
    if not problems:
        _context(info)["forms"] = rated
    _collect("forms", problems)
    return rated


def _sources(value: object, info: ValidationInfo) -> dict[str, Source]:
    if not isinstance(value, dict) or not value:
        raise refuse("shape", "must map source keys to {title, url}")
    sources: dict[str, Source] = _context(info)["sources"]
    problems: list[InitErrorDetails] = []
    for key, entry in value.items():
        # Not a mapping: reported as its title and URL missing.
        entry = entry if isinstance(entry, dict) else {}
        try:
            parsed = _SourceIn.model_validate(entry)
            sources[str(key)] = Source(str(key), parsed.title, parsed.url)
        except ValidationError as exc:
            # Known all the same, so that indicators citing it are not refused twice.
            sources[str(key)] = Source(str(key), "", "")
            problems.extend({**error, "loc": (str(key), *error["loc"])} for error in _init(exc))
    _collect("sources", problems)
    return sources


def _init(error: ValidationError) -> list[InitErrorDetails]:
    """Errors of a nested validation, to be raised again further out."""
    return [
        {
            "type": PydanticCustomError(e["type"], "{message}", {"message": e["msg"]})
            if e["type"] not in ("missing", "extra_forbidden")
            else e["type"],
            "loc": e["loc"],
            "input": None,
        }
        for e in errors_of(error)
    ]


def _same_fact(value: object, info: ValidationInfo) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict) or not value:
        raise refuse("shape", "must map a fact name to a list of codes")
    known: set[str] = _context(info)["codes"]
    owner: dict[str, str] = {}
    groups = []
    problems: list[InitErrorDetails] = []
    for name, codes in value.items():
        loc = (str(name),)
        if not isinstance(codes, list) or len(codes) < 2:
            problems.append(_problem(loc, "must list at least two indicator codes"))
            continue
        for code in codes:
            if not isinstance(code, str) or code not in known:
                problems.append(_problem(loc, "unknown indicator {code!r}", code=code))
            elif code in owner:
                message = "{code} is already in same_fact.{owner}"
                problems.append(_problem(loc, message, code=code, owner=owner[code]))
            else:
                owner[code] = str(name)
        groups.append((str(name), tuple(str(code) for code in codes)))
    _collect("same_fact", problems)
    return tuple(groups)


def _title(value: object) -> str:
    return _folded(value, "must be a non-empty string")


class _CatalogueIn(BaseModel):
    """A catalogue file, top level. Fields are read in this order: the forms and the sources
    before the indicators that use them, the indicators before the same-fact groups."""

    model_config = STRICT
    version: Annotated[str, PlainValidator(_version), Required]
    title: Annotated[str, PlainValidator(_title), Required]
    forms: Annotated[tuple[Form, ...], PlainValidator(_forms)] = LEGACY_FORMS
    sources: Annotated[dict[str, Source], PlainValidator(_sources), Required]
    indicators: Annotated[
        tuple[Annotated[_IndicatorIn, BeforeValidator(_mapping("must be a mapping"))], ...],
        BeforeValidator(_non_empty_list("must be a non-empty list")),
        Required,
    ]
    same_fact: Annotated[tuple[tuple[str, tuple[str, ...]], ...], PlainValidator(_same_fact)] = ()


_TEXT_FIELDS = frozenset({"text", "guidance", "prompts"})
_LISTS = frozenset({"stages", "sources"})  # their problems name the field, not the position


def _indicator_where(raw: dict[str, Any], loc: tuple[str | int, ...]) -> str:
    entries = raw.get("indicators")
    entry = entries[loc[1]] if isinstance(entries, list) and isinstance(loc[1], int) else None
    code = entry.get("code") if isinstance(entry, dict) else None
    label = f"indicator {code}" if isinstance(code, str) else f"indicator #{int(loc[1]) + 1}"
    rest = loc[2:]
    if rest and rest[0] in _LISTS:
        rest = (rest[0],)
    return f"{label}, field '{dotted(rest)}'" if rest else label


def _extra_message(loc: tuple[str | int, ...], forms: tuple[Form, ...]) -> str:
    key = loc[-1]
    if loc[0] == "indicators" and len(loc) > 3:
        if loc[2] in _TEXT_FIELDS:
            return "unknown language; expected lv, en, ru"
        if loc[2] == "strength" and len(loc) == 4:
            return f"unknown profile age group {key!r}; expected adult or child"
        if loc[2] == "strength" and key == Form.UNKNOWN.value:
            return "'unknown' is derived (the highest strength across forms): omit it"
        if loc[2] == "strength":
            return f"unknown profile form {key!r}; expected {', '.join(forms)}"
    return f"unknown field {key!r}"


def _where(raw: dict[str, Any], error: ErrorDetails, forms: tuple[Form, ...]) -> str:
    """One problem in the file's own words: where it is, then what is wrong."""
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        message = _extra_message(loc, forms)
        # An unknown field of a mapping is reported on the mapping, an unknown language or
        # form on the field itself.
        if message.startswith("unknown field"):
            loc = loc[:-1]
    elif kind == "missing":
        message = "missing required field"
    else:
        message = error["msg"]
    if not loc:
        where = "top level"
    elif loc[0] == "indicators" and len(loc) > 1:
        where = _indicator_where(raw, loc)
    elif loc[0] == "sources" and len(loc) > 1:
        where = f"source {loc[1]}" + (f", field '{dotted(loc[2:])}'" if loc[2:] else "")
    else:
        where = f"field '{'.'.join(str(part) for part in loc)}'"
    return f"{where}: {message}"


def parse_catalogue(raw: object, *, origin: str, expected_version: str | None = None) -> Catalogue:
    """Validate already-parsed YAML/JSON data into a Catalogue; raises CatalogueError listing
    every problem, each with the indicator code (or source key) and the field."""
    if not isinstance(raw, dict):
        problem = "top level: must be a mapping with version, title, sources, indicators"
        raise CatalogueError(origin, [problem])
    context: dict[str, Any] = {
        "expected_version": expected_version,
        "forms": LEGACY_FORMS,
        "sources": {},
        "codes": set(),
    }
    try:
        data = _CatalogueIn.model_validate(raw, context=context)
    except ValidationError as exc:
        problems = [_where(raw, error, context["forms"]) for error in errors_of(exc)]
        raise CatalogueError(origin, problems) from None
    return Catalogue(
        data.version,
        data.title,
        tuple(indicator.indicator(data.forms) for indicator in data.indicators),
        origin,
        forms=(Form.UNKNOWN, *data.forms),
        same_fact=data.same_fact,
    )


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
