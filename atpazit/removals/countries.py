"""Countries of return: the nationality codes of ``atpazit.cases.geo`` that are real countries."""

from __future__ import annotations

from atpazit.cases.geo import STATELESS, UNKNOWN_NATIONALITY, country_choices, is_country
from atpazit.cases.geo import country_name as country_name

# "Stateless" and "not known" are nationalities, never a destination.
NOT_A_DESTINATION = frozenset({STATELESS, UNKNOWN_NATIONALITY})


def return_country_choices() -> list[tuple[str, str]]:
    """(code, localised name) of every country a person can be returned to, sorted by name."""
    return [choice for choice in country_choices() if choice[0] not in NOT_A_DESTINATION]


def is_return_country(code: str) -> bool:
    return code not in NOT_A_DESTINATION and is_country(code)
