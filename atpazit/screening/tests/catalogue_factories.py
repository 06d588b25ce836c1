"""Small, invented catalogues for engine tests; the shipped catalogue is tested on its own.

Every dimension gets the same ladder of codes, so a test can say "two strong in coercion at
destination" as ``["CD-01", "CD-02"]``:

    01, 02      strong (adult and child)
    03, 04, 05  medium (adult and child)
    06, 07, 08  weak for adults, medium for children (the ILO children's lists have no weak tier)

Two extras: ``EX-09`` is medium for labour but strong for sexual exploitation (profiles differ),
and ``CD-09`` is a forced-criminality sign.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml

from atpazit.screening.catalogue import (
    LEGACY_FORMS,
    AgeGroup,
    Catalogue,
    Dimension,
    Form,
    Profile,
    Stage,
    parse_catalogue,
)
from atpazit.screening.engine import (
    Assessment,
    EvidenceSource,
    Observation,
    PersonFacts,
    evaluate,
)

PREFIX = {
    Dimension.DECEPTIVE_RECRUITMENT: "DR",
    Dimension.COERCIVE_RECRUITMENT: "CR",
    Dimension.RECRUITMENT_ABUSE_OF_VULNERABILITY: "RV",
    Dimension.EXPLOITATIVE_CONDITIONS: "EX",
    Dimension.COERCION_AT_DESTINATION: "CD",
    Dimension.ABUSE_OF_VULNERABILITY_AT_DESTINATION: "AD",
    Dimension.RETURN_CONTEXT: "RC",
    Dimension.CHILD_SPECIFIC: "CH",
}
LADDER = {1: "S", 2: "S", 3: "M", 4: "M", 5: "M", 6: "W", 7: "W", 8: "W"}

ADULT_LABOUR = Profile(AgeGroup.ADULT, Form.LABOUR)
ADULT_SEXUAL = Profile(AgeGroup.ADULT, Form.SEXUAL)
CHILD_LABOUR = Profile(AgeGroup.CHILD, Form.LABOUR)
NO_FACTS = PersonFacts()


def texts(en: str) -> dict[str, str]:
    """An lv/en/ru text triple; the lv and ru stand-ins are marked so tests can tell them apart."""
    return {"lv": f"{en} (lv)", "en": en, "ru": f"{en} (ru)"}


def strengths(adult: str, child: str, **per_form: str) -> dict[str, dict[str, str]]:
    """The same letter for every form of an age group; ``adult_sexual="S"`` overrides one."""
    table = {
        "adult": {form.value: adult for form in LEGACY_FORMS},
        "child": {form.value: child for form in LEGACY_FORMS},
    }
    for key, letter in per_form.items():
        age, form = key.split("_", 1)
        table[age][form] = letter
    return table


def indicator_data(
    code: str, dimension: str, adult: str = "M", child: str = "M", **overrides: Any
) -> dict[str, Any]:
    """One valid indicator entry as it would appear in the YAML file."""
    entry: dict[str, Any] = {
        "code": code,
        "dimension": dimension,
        "strength": strengths(adult, child),
        "htcds": None,
        "text": texts(f"Indicator {code}"),
        "prompts": [texts(f"Question about {code}?")],
        "guidance": texts(f"What to look for with {code}."),
        "stages": ["detention_intake", "pre_departure"],
        "sources": ["ilo2009"],
    }
    entry.update(overrides)
    return {key: value for key, value in entry.items() if value is not None}


def ladder_indicators() -> list[dict[str, Any]]:
    entries = []
    for dimension, prefix in PREFIX.items():
        for number, letter in LADDER.items():
            child = "S" if letter == "S" else "M"
            entries.append(indicator_data(f"{prefix}-{number:02d}", dimension.value, letter, child))
    extra = indicator_data("EX-09", "exploitative_conditions", "M", "M")
    extra["strength"] = strengths("M", "M", adult_sexual="S", child_sexual="S")
    entries.append(extra)
    entries.append(
        indicator_data(
            "CD-09", "coercion_at_destination", "M", "S", forced_criminality=True, htcds="Threats"
        )
    )
    return entries


def catalogue_data(
    version: str = "2026.1", indicators: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A whole valid catalogue as parsed YAML; pass ``indicators`` to replace the ladder."""
    return {
        "version": version,
        "title": "Test catalogue",
        "sources": {
            "ilo2009": {
                "title": "ILO/EC Operational indicators of trafficking in human beings (2009)",
                "url": "https://www.ilo.org/publications/operational-indicators-trafficking-human-beings",
            }
        },
        "indicators": copy.deepcopy(indicators) if indicators is not None else ladder_indicators(),
    }


@functools.cache
def ladder_catalogue() -> Catalogue:
    """The ladder catalogue, parsed once per test session (it is immutable)."""
    return parse_catalogue(catalogue_data(), origin="ladder-catalogue")


def write_catalogue(directory: Path, data: dict[str, Any], name: str | None = None) -> Path:
    """Write ``data`` as ``<version>.yaml`` (or ``name``) into ``directory``; return the path."""
    path = directory / (name or f"{data['version']}.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def observed(*codes: str, source: EvidenceSource = EvidenceSource.OBSERVED) -> list[Observation]:
    """Observations of ``codes`` from one source at detention intake."""
    return [Observation(code, source, Stage.DETENTION_INTAKE) for code in codes]


def assess(
    *codes: str,
    profile: Profile = ADULT_LABOUR,
    facts: PersonFacts = NO_FACTS,
    source: EvidenceSource = EvidenceSource.OBSERVED,
) -> Assessment:
    """Evaluate ``codes`` against the ladder catalogue."""
    return evaluate(ladder_catalogue(), profile, observed(*codes, source=source), facts)
