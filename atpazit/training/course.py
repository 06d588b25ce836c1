"""The course: modules with a short lesson each, followed by scenarios (``course.yaml``).

Validated by the same kind of strict schema as the scenarios: every text in lv, en and ru, and
every scenario a module names must be shipped in the library.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, Field, ValidationError

from atpazit.screening.schema import STRICT, dotted, errors_of
from atpazit.training.library import ScenarioError, Text, shipped_scenarios

COURSE_FILE = Path(__file__).resolve().parent / "course.yaml"


class Module(BaseModel):
    model_config = STRICT
    code: Annotated[str, Field(pattern=r"^[a-z]+(?:-[a-z]+)*$", max_length=40)]
    title: Text
    lesson: tuple[Text, ...]
    scenarios: tuple[str, ...]


class Course(BaseModel):
    model_config = STRICT
    version: Annotated[int, Field(ge=1)]
    title: Text
    pass_mark: Annotated[int, Field(ge=1, le=100)]
    modules: tuple[Module, ...]

    def module(self, code: str) -> Module:
        for module in self.modules:
            if module.code == code:
                return module
        raise KeyError(code)


def parse_course(raw: Any, *, origin: str) -> Course:
    """Validate ``raw`` into a Course; raises ScenarioError naming every problem."""
    try:
        course = Course.model_validate(raw)
    except ValidationError as exc:
        problems = [
            f"{dotted(e['loc'])}: {e['msg'].removeprefix('Value error, ')}" for e in errors_of(exc)
        ]
        raise ScenarioError(origin, problems) from None
    shipped = {scenario.id for scenario in shipped_scenarios()}
    problems = []
    codes = [module.code for module in course.modules]
    if len(codes) != len(set(codes)):
        problems.append("modules: two modules have the same code")
    for module in course.modules:
        if not module.scenarios:
            problems.append(f"modules.{module.code}.scenarios: a module needs a scenario")
        problems += [
            f"modules.{module.code}.scenarios: unknown scenario {sid!r}"
            for sid in module.scenarios
            if sid not in shipped
        ]
    if problems:
        raise ScenarioError(origin, problems)
    return course


@functools.cache
def get_course() -> Course:
    raw = yaml.safe_load(COURSE_FILE.read_text(encoding="utf-8"))
    return parse_course(raw, origin=COURSE_FILE.name)
