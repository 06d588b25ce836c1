"""Pydantic building blocks for the screening formats: the engine's JSON input and the
catalogue files.

Pydantic does the walking, the type checks and the collecting of every problem; the types here
only word the messages the way an editor or an integrator needs them (``unknown value 'x';
expected one of ...``) and turn pydantic's error locations into the paths the formats document
(``observations[2].stage``, ``strength.child.labour``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import ConfigDict, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

_E = TypeVar("_E", bound=StrEnum)

# Every schema refuses fields it does not know, and takes no value it would have to coerce.
STRICT = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

# Pydantic error types that mean "this is not an object" or "not a list", whatever the model.
OBJECT_ERRORS = frozenset({"model_type", "model_attributes_type", "dict_type"})
LIST_ERRORS = frozenset({"list_type", "tuple_type"})


def refuse(kind: str, message: str, **values: Any) -> PydanticCustomError:
    """A validation error whose message is ours: ``message`` formatted with ``values``."""
    # Pydantic fills "{name}" from the context; passing the finished text as the only name
    # keeps a brace inside a refused value from being read as a placeholder.
    text = message.format(**values) if values else message
    return PydanticCustomError(kind, "{message}", {"message": text})


def choice(enum: type[_E], *, optional: bool = False) -> Callable[[object], _E | None]:
    """A validator taking one of ``enum``'s values (a string), None where ``optional``."""
    members = {member.value: member for member in enum}
    expected = ", ".join(members)

    def validate(value: object) -> _E | None:
        if value is None and optional:
            return None
        if value is None:
            raise refuse("missing", "missing required field")
        member = members.get(value) if isinstance(value, str) else None
        if member is None:
            raise refuse(
                "choice",
                "unknown value {value!r}; expected one of {expected}",
                value=value,
                expected=expected,
            )
        return member

    return validate


def flag(value: object) -> bool:
    """true or false, nothing else (not "yes", not 1)."""
    if not isinstance(value, bool):
        raise refuse("flag", "must be true or false, not {value!r}", value=value)
    return value


def optional_str(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise refuse("string", "must be a string, not {value!r}", value=value)
    return value


def dotted(loc: Iterable[int | str]) -> str:
    """``('observations', 2, 'stage')`` -> ``observations[2].stage``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def errors_of(error: ValidationError) -> list[ErrorDetails]:
    """The errors of ``error`` without the input values (they may be personal data)."""
    return error.errors(include_url=False, include_input=False)
