"""Checking a manifest file before anything is imported (I8: all or nothing).

The file is a CSV (UTF-8, ``,`` or ``;``) or XLSX with a header row:

- ``case_number`` (required): the person's pseudonymous case number;
- ``family_name`` and ``date_of_birth`` (optional): when given, each is cross-checked against
  the person's record, so a typing error in a case number cannot put the wrong person on a
  removal. Dates are ``YYYY-MM-DD`` or ``DD.MM.YYYY`` (or an Excel date cell).

``validate`` returns the persons to add, or every problem with its row number (as Excel shows
it; the header is row 1) and column. Services call it; it never writes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.cases.holds import removal_blocks
from atpazit.cases.models import Person
from atpazit.lib.blind_index import normalise
from atpazit.lib.spreadsheet import (
    FORMULA_PREFIXES,
    CellValue,
    ColumnSpec,
    ImportProblem,
    Row,
    read_table,
)
from atpazit.removals.models import ManifestEntry, RemovalOperation

CASE_NUMBER = "case_number"
FAMILY_NAME = "family_name"
DATE_OF_BIRTH = "date_of_birth"
COLUMNS = ColumnSpec(required=(CASE_NUMBER,), optional=(FAMILY_NAME, DATE_OF_BIRTH))
MAX_ROWS = 500  # the largest charter carries far fewer; a bigger file is a mistake
MAX_BYTES = 1024 * 1024
REMOVABLE = frozenset({Person.Status.REGISTERED, Person.Status.REMOVAL_PLANNED})


@dataclass(frozen=True)
class Candidate:
    """A valid row: the person it names and the row number, for messages while writing."""

    row: int
    person: Person


def clean_case_number(value: CellValue | str) -> str:
    """Case numbers compare without surrounding spaces and case-insensitively (stored upper)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().upper()


def validate(
    operation: RemovalOperation, data: bytes, filename: str, *, persons: QuerySet[Person]
) -> tuple[list[Candidate], list[ImportProblem]]:
    """Read and check a manifest file for ``operation``, looking case numbers up among
    ``persons`` (the actor's ``persons_visible_to``); a fixed number of queries."""
    table = read_table(data, filename, columns=COLUMNS, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    if table.problems:
        return [], table.problems
    numbers = {clean_case_number(row.values[CASE_NUMBER]) for row in table.rows}
    found = persons.filter(organisation=operation.organisation_id, case_number__in=numbers - {""})
    checker = _RowChecker(operation, {person.case_number: person for person in found})
    candidates: list[Candidate] = []
    problems: list[ImportProblem] = []
    for row in table.rows:
        person, row_problems = checker.check(row)
        problems += row_problems
        if person is not None and not row_problems:
            candidates.append(Candidate(row=row.number, person=person))
    return candidates, problems


class _RowChecker:
    """Checks one row at a time against facts loaded once for the whole file."""

    def __init__(self, operation: RemovalOperation, persons: dict[str, Person]) -> None:
        self.operation = operation
        self.persons = persons
        ids = [person.pk for person in persons.values()]
        # Holds on the person, on records linked with them and on likely unresolved duplicates
        # in any unit, and removal preconditions (I1): what the guard refuses, for the file.
        self.blocks = removal_blocks(
            list(persons.values()),
            lock=False,
            confirmed=operation.status == RemovalOperation.Status.CONFIRMED,
        )
        self.operations = open_operations_of(ids, operation)
        self.seen: dict[str, int] = {}

    def check(self, row: Row) -> tuple[Person | None, list[ImportProblem]]:
        problems = [
            ImportProblem(row.number, column, message) for column, message in _formula_problems(row)
        ]
        if problems:
            return None, problems
        person, message = self._person(row)
        if message:
            problems.append(ImportProblem(row.number, CASE_NUMBER, message))
        for column, message in _cell_problems(row, person):
            problems.append(ImportProblem(row.number, column, message))
        return person, problems

    def _person(self, row: Row) -> tuple[Person | None, str | None]:
        number = clean_case_number(row.values[CASE_NUMBER])
        if not number:
            return None, _("The case number is missing.")
        if number in self.seen:
            return None, _("Case number %(case)s is also in row %(row)d.") % {
                "case": number,
                "row": self.seen[number],
            }
        self.seen[number] = row.number
        person = self.persons.get(number)
        if person is None:
            return None, unknown_case_message(number)
        problem = person_problem(self.operation, person, elsewhere=self.operations)
        if problem is None and person.pk in self.blocks:
            problem = str(self.blocks[person.pk])
        return person, problem


def unknown_case_message(number: str) -> str:
    # The same words for "does not exist" and "belongs to another unit" (I6: never reveal).
    return _("No person with case number %(case)s is registered in your unit.") % {"case": number}


def person_problem(
    operation: RemovalOperation,
    person: Person,
    *,
    elsewhere: dict[int, list[RemovalOperation]],
) -> str | None:
    """Why ``person`` cannot go on ``operation``'s manifest, apart from holds; None if they can.

    ``elsewhere`` maps person ids to the open operations they are on (``open_operations_of``).
    """
    if person.organisation_id != operation.organisation_id:
        return unknown_case_message(person.case_number)
    if person.status not in REMOVABLE:
        return _("%(case)s is not in an active return procedure (%(status)s).") % {
            "case": person.case_number,
            "status": person.get_status_display(),
        }
    operations = elsewhere.get(person.pk, [])
    if any(other.pk == operation.pk for other in operations):
        return _("%(case)s is already on this manifest.") % {"case": person.case_number}
    if operations:
        other = operations[0]
        return _(
            "%(case)s is already on operation %(operation)s departing %(date)s; remove them "
            "from it first."
        ) % {
            "case": person.case_number,
            "operation": str(other),
            "date": timezone.localtime(other.departure_at).strftime("%d.%m.%Y"),
        }
    return None


def open_operations_of(
    person_ids: Iterable[int], operation: RemovalOperation
) -> dict[int, list[RemovalOperation]]:
    """The planned or confirmed operations (this one included) each person is on; one query."""
    found: dict[int, list[RemovalOperation]] = defaultdict(list)
    entries = ManifestEntry.objects.filter(
        person__in=list(person_ids),
        operation__status__in=[RemovalOperation.Status.PLANNED, RemovalOperation.Status.CONFIRMED],
    ).select_related("operation")
    for entry in entries:
        found[entry.person_id].append(entry.operation)
    return found


def _formula_problems(row: Row) -> list[tuple[str, str]]:
    message = _(
        "The cell starts with %(char)s like a spreadsheet formula; formulas are not accepted. "
        "Enter the value itself."
    )
    return [
        (column, message % {"char": repr(value[0])})
        for column, value in row.values.items()
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES)
    ]


def _cell_problems(row: Row, person: Person | None) -> list[tuple[str, str]]:
    problems = []
    family_name = row.values.get(FAMILY_NAME)
    if (
        family_name is not None
        and person is not None
        and normalise(str(family_name)) != normalise(person.family_name)
    ):
        message = _("The family name does not match the record of %(case)s.")
        problems.append((FAMILY_NAME, message % {"case": person.case_number}))
    born = row.values.get(DATE_OF_BIRTH)
    if born is not None:
        problems += [(DATE_OF_BIRTH, message) for message in _date_problems(born, person)]
    return problems


def _date_problems(value: CellValue, person: Person | None) -> list[str]:
    day = parse_date(value)
    if day is None:
        return [
            _("%(value)s is not a date. Write it as YYYY-MM-DD or DD.MM.YYYY.")
            % {"value": str(value)[:40]}
        ]
    if day > timezone.localdate():
        return [_("The date of birth is in the future.")]
    if person is not None and not _birth_matches(day, person):
        return [
            _("The date of birth does not match the record of %(case)s.")
            % {"case": person.case_number}
        ]
    return []


def parse_date(value: CellValue) -> datetime.date | None:
    """A date from an Excel cell or from text in ISO or Latvian (DD.MM.YYYY) form."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(value.strip(), pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None


def _birth_matches(day: datetime.date, person: Person) -> bool:
    # Only what the record holds can be compared: a full date, else the year.
    if person.date_of_birth:
        return person.date_of_birth == day.isoformat()
    if person.birth_year:
        return person.birth_year == day.year
    return True
