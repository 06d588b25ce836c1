"""Notices about a person record from apps above cases, shown on the person page and where a
screening starts (a registry: cases never imports them).

The retention app registers one: a record anonymised by the purge has no name left, so whoever
opens an old case number is told to register the person anew. A notice never refuses anything:
a hold, a screening or a suspicion on such a record stays possible (I1).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.functional import Promise

from atpazit.cases.models import Person

# A check takes the person and returns the notices to show (translated texts), or none.
RecordNotice = Callable[[Person], list[str | Promise]]

_NOTICES: list[RecordNotice] = []


def register_record_notice(check: RecordNotice) -> None:
    if check not in _NOTICES:
        _NOTICES.append(check)


def record_notices(person: Person) -> list[str | Promise]:
    return [notice for check in _NOTICES for notice in check(person)]
