"""The shipped scenarios and lessons use the interface's words (review of issue 13): the
screening form calls an indicator "pazīme" in Latvian and "признак" in Russian, so the texts a
trainee reads beside it must not say "indikators" or "индикатор"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from pydantic import BaseModel

from atpazit.training.course import get_course
from atpazit.training.library import Text, shipped_scenarios

SCREENING_PO = Path(__file__).resolve().parents[2] / "screening" / "locale"
# The interface's word for "indicator" and the other word a text must not use instead.
TERMS = {
    "lv": ("pazīme", re.compile(r"indikator", re.IGNORECASE)),
    "ru": ("признак", re.compile(r"индикатор", re.IGNORECASE)),
}


def texts_of(value: object, where: str) -> Iterator[tuple[str, Text]]:
    """Every lv/en/ru text inside a scenario or the course, with where it is."""
    if isinstance(value, Text):
        yield where, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts_of(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from texts_of(item, f"{where}[{index}]")


def shipped_texts() -> list[tuple[str, Text]]:
    found = list(texts_of(get_course(), "course.yaml"))
    for scenario in shipped_scenarios():
        found += texts_of(scenario, f"{scenario.id}.yaml")
    return found


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_the_interface_calls_an_indicator_as_the_texts_do(language):
    word, _other = TERMS[language]
    catalogue = polib.pofile(str(SCREENING_PO / language / "LC_MESSAGES" / "django.po"))

    assert catalogue.find("indicator").msgstr == word


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_no_shipped_scenario_or_lesson_says_indicator_with_the_other_word(language):
    _word, other = TERMS[language]

    wrong = [where for where, text in shipped_texts() if other.search(getattr(text, language))]

    assert wrong == []


def test_the_check_reads_every_text():
    places = [where for where, _text in shipped_texts()]

    assert "labour-construction-intake.yaml.model_answer.notes" in places
    assert "labour-construction-intake.yaml.questions[3].reply" in places
    assert any(p.startswith("course.yaml.modules[0].lesson[") for p in places)
    assert all(text.en and text.ru for _where, text in shipped_texts())
