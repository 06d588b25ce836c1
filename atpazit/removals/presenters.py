"""The manifest tables as the pages show them, resolved in Python once per page.

A 200-person charter is 200 rows of a dozen cells. Resolving each label, country name and link
in the template costs several milliseconds per column (a ``{% url %}`` per row alone costs more
than the whole query work), so the pages get rows of ready strings: each label is translated
once per page, each link is built from one ``reverse``. Holds no data the selector did not load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from atpazit.cases.geo import country_name, language_name
from atpazit.cases.models import Hold, Sex
from atpazit.removals.models import RemovalOperation
from atpazit.removals.selectors import ManifestRow, ScreeningStatus

_SENTINEL = 987654321
BADGE_OF_LEVEL = {"danger": "danger", "warn": "warn", "info": "ok"}
SCREENING_BADGE = {
    ScreeningStatus.NOT_SCREENED: "warn",
    ScreeningStatus.SUSPICION_RAISED: "danger",
    ScreeningStatus.SCREENED: "",
}


@dataclass(frozen=True)
class RowView:
    row: ManifestRow
    case_number: str
    is_conflict: bool
    is_held: bool
    obstacles: list[str]
    age_marker: str  # "age disputed", "child" or ""
    birth_year: str
    interpreter_needed: bool
    person_url: str
    remove_url: str
    remove_label: str
    nationality: str
    sex: str
    language: str
    holds: list[str]
    screening: str
    screening_badge: str
    screening_detail: str
    interview: bool  # R7: defer until a closer interview is done (advice)
    flags: list[tuple[str, str]]  # (badge style, label)


def manifest_table(operation: RemovalOperation, rows: list[ManifestRow]) -> list[RowView]:
    """Display rows for the operation page and the pre-departure check."""
    person_url = _link("cases:person_detail")
    remove_url = _link("removals:manifest_remove", operation.pk)
    sexes = _labels(Sex.choices)
    causes = _labels(Hold.Cause.choices)
    screening = {status: str(status.label) for status in ScreeningStatus}
    flag_labels: dict[str, str] = {}
    take_off = gettext("Take %(case)s off the manifest")
    disputed, child = gettext("age disputed"), gettext("child")
    views = []
    for row in rows:
        person = row.person
        views.append(
            RowView(
                row=row,
                case_number=person.case_number,
                is_conflict=row.is_conflict,
                is_held=row.is_held,
                obstacles=[obstacle.message for obstacle in row.obstacles],
                age_marker=disputed if person.age_disputed else child if row.is_child else "",
                birth_year=str(person.birth_year) if person.birth_year else "—",
                interpreter_needed=person.interpreter_needed,
                person_url=person_url(person.pk),
                remove_url=remove_url(row.entry.pk),
                remove_label=take_off % {"case": person.case_number},
                nationality=country_name(person.nationality) if person.nationality else "—",
                sex=sexes.get(person.sex, person.sex),
                language=language_name(person.preferred_language)
                if person.preferred_language
                else "—",
                holds=[_hold_text(hold, causes) for hold in row.holds] + row.notes,
                screening=screening[row.screening],
                screening_badge=SCREENING_BADGE[row.screening],
                screening_detail=_screening_detail(person),
                interview=row.interview_before_departure,
                flags=[
                    (BADGE_OF_LEVEL[flag.level], flag_labels.setdefault(flag.code, str(flag.label)))
                    for flag in row.flags
                ],
            )
        )
    return views


def _link(name: str, *fixed: object) -> Callable[[int], str]:
    """One ``reverse`` for a whole column of links that differ only in the last id."""
    pattern = reverse(name, args=[*fixed, _SENTINEL])
    return lambda pk: pattern.replace(str(_SENTINEL), str(pk))


def _labels(choices: Iterable[tuple[str, object]]) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _date(value: object) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")  # type: ignore[arg-type]


def _hold_text(hold: Hold, causes: dict[str, str]) -> str:
    return f"{causes.get(hold.cause, hold.cause)}, {_date(hold.started_at)}"


def _screening_detail(person: models.Model) -> str:
    latest = getattr(person, "latest_screening", None)
    if latest is None:
        return ""
    return f"{latest.stage_label}, {_date(latest.completed_at)}: {latest.recommendation_label}"
