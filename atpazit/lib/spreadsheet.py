"""Reading uploaded tables for imports, and writing exports that are safe to open in Excel.

``read_table`` never raises for bad input (DESIGN I8): every problem becomes an
``ImportProblem`` naming the row (numbered as Excel shows it; the header is row 1) and the
column, with a translated message. Imports are all-or-nothing, so callers import only a
table whose ``problems`` list is empty, after adding their own per-value problems.

An xlsx is read by the rows and columns its cells name, never by its declared dimensions, and
a cell placed far beyond what an import can hold (``<row r="1000000000">``) is refused at once
instead of being reached through a billion empty rows. Formula cells are refused, naming the
cell: a formula's stored result may be missing (read as empty) or differ from what the formula
says, and an import must check the values people see.

Cells come back tidy: strings stripped, empty cells as None, xlsx dates as ``date`` (or
``datetime`` where the cell format shows a time; naive, as Excel has no time zones, so the
caller makes it aware). Completely empty rows are skipped. With a ``ColumnSpec``, every row
has every column name, None where an optional column is absent.

The writers prefix a single quote to text starting with = + - @ TAB or CR (OWASP "CSV
injection"), so a name like ``=HYPERLINK(...)`` is shown, never run. Numbers and dates are
written as such and need no prefix.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any, TypeVar

import openpyxl
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles.numbers import is_datetime
from openpyxl.utils import get_column_letter

CellValue = str | int | float | bool | datetime.date | datetime.time | datetime.timedelta | None
T = TypeVar("T")

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 10_000
# An xlsx is a zip of XML; refuse archives that unpack to far more than the upload limit.
XLSX_MAX_EXPANSION = 20
# Rows below the data an xlsx may have (blank or formatted) before it is refused as malformed.
XLSX_SPARE_ROWS = 1_000
XLSX_MAX_COLUMNS = 1_000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_BALTIC_LETTERS = frozenset("āčēģīķļņšūžąęėįųĀČĒĢĪĶĻŅŠŪŽĄĘĖĮŲ")


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an upload; ``row`` and ``column`` are None when not about one."""

    row: int | None
    column: str | None
    message: str


@dataclass(frozen=True)
class ColumnSpec:
    """The columns an import expects; header cells match case- and spacing-insensitively."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return self.required + self.optional


@dataclass(frozen=True)
class Row:
    """A data row: its Excel row number and its values keyed by column name."""

    number: int
    values: dict[str, CellValue]


@dataclass
class Table:
    """What ``read_table`` found: the header as written, the data rows and any problems."""

    header: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems


class _Unreadable(Exception):
    """Internal: the file as a whole cannot be read; carries the problem to report."""

    def __init__(self, problem: ImportProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


Record = tuple[int, list[CellValue]]


def read_table(
    uploaded_bytes: bytes,
    filename: str,
    *,
    columns: ColumnSpec | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Table:
    """Read a .csv or .xlsx upload into a Table; problems are collected, never raised.

    Called by import views and services. With ``columns`` the header is checked against
    it (missing, unknown and duplicate columns) and row values are keyed by the spec's
    names; without it, by the header text.
    """
    try:
        records = _records(uploaded_bytes, filename, max_bytes=max_bytes, max_rows=max_rows)
        return _build_table(records, columns=columns, max_rows=max_rows)
    except _Unreadable as exc:
        return Table(problems=[exc.problem])


def _records(data: bytes, filename: str, *, max_bytes: int, max_rows: int) -> Iterator[Record]:
    if len(data) > max_bytes:
        raise _unreadable(
            gettext("The file is %(size)s; the largest file accepted is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(max_bytes)}
        )
    if not data.strip(b" \t\r\n" + codecs.BOM_UTF8):
        raise _unreadable(gettext("The file is empty."))
    suffix = PurePath(filename.replace("\\", "/")).suffix.lower()
    if suffix == ".csv":
        return _csv_records(data)
    if suffix == ".xlsx":
        return _xlsx_records(data, max_bytes=max_bytes, last_row=max_rows + XLSX_SPARE_ROWS)
    if suffix == ".xls":
        raise _unreadable(gettext("Old .xls files cannot be read; save the file as .xlsx."))
    raise _unreadable(gettext("Upload a .csv or .xlsx file."))


def _unreadable(message: str, *, row: int | None = None, column: str | None = None) -> _Unreadable:
    return _Unreadable(ImportProblem(row=row, column=column, message=message))


# --- CSV ---------------------------------------------------------------------------------


def _csv_records(data: bytes) -> Iterator[Record]:
    text = _decode_csv(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            yield number, [_clean(value) for value in record]
    except csv.Error:
        raise _unreadable(
            gettext("Row %(row)d is not valid CSV: check for a quote that is not closed.")
            % {"row": number + 1},
            row=number + 1,
        ) from None


def _decode_csv(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _unreadable(
            gettext(
                'The file is saved as UTF-16 ("Unicode text"). In Excel use Save As and '
                'choose "CSV UTF-8 (Comma delimited)", then upload it again.'
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _encoding_problem(data, exc.start) from None


def _encoding_problem(data: bytes, bad_offset: int) -> _Unreadable:
    # cp1257 is tried only to explain the error better: importing it silently could
    # garble names if the guess were wrong.
    line = data.count(b"\n", 0, bad_offset) + 1
    if _looks_baltic(data):
        message = gettext(
            "The file is saved in the Windows Baltic encoding (Windows-1257), not UTF-8 "
            '(first at line %(line)d). In Excel use Save As and choose "CSV UTF-8 (Comma '
            'delimited)", then upload it again.'
        )
    else:
        message = gettext(
            "The file is not in UTF-8 encoding (first wrong character at line %(line)d). "
            'In Excel use Save As and choose "CSV UTF-8 (Comma delimited)", then upload '
            "it again."
        )
    return _unreadable(message % {"line": line})


def _looks_baltic(data: bytes) -> bool:
    try:
        text = data.decode("cp1257")
    except UnicodeDecodeError:
        return False
    return any(char in _BALTIC_LETTERS for char in text)


def _delimiter(text: str) -> str:
    # Excel writes ';' in Latvian and other comma-decimal locales, ',' elsewhere.
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


# --- XLSX --------------------------------------------------------------------------------


def _xlsx_records(data: bytes, *, max_bytes: int, last_row: int) -> Iterator[Record]:
    _check_archive(data, max_bytes=max_bytes)
    try:
        # data_only=False: formula cells show as formulas (and are refused), not as their
        # cached results, which may be absent or stale.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many types for a broken file; all mean "unreadable"
        raise _not_a_workbook() from None
    return _sheet_records(workbook, last_row=last_row)


def _check_archive(data: bytes, *, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _not_a_workbook() from None
    if unpacked > max_bytes * XLSX_MAX_EXPANSION:
        raise _unreadable(
            gettext("The workbook is too large once unpacked; split it into smaller files.")
        )


def _not_a_workbook() -> _Unreadable:
    return _unreadable(
        gettext(
            "The file could not be opened as an Excel workbook. If it is password-protected "
            "or an old .xls file, save it as .xlsx without a password."
        )
    )


def _sheet_records(workbook: Any, *, last_row: int) -> Iterator[Record]:
    # Only the first sheet is read; read_only mode streams it instead of loading it whole.
    # openpyxl yields one (cheap, empty) row per missing row number, so stopping at last_row
    # bounds the work however far down a cell claims to be.
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # stored dimensions are often wrong; read what is there
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            _check_extent(number, cells, last_row=last_row)
            yield number, [_xlsx_value(cell) for cell in cells]
    except _Unreadable:
        raise
    except Exception:  # a corrupt sheet can fail part-way through; report, don't crash
        raise _not_a_workbook() from None
    finally:
        workbook.close()


def _check_extent(number: int, cells: Sequence[Any], *, last_row: int) -> None:
    if number > last_row:
        raise _unreadable(
            gettext(
                "The sheet has cells down to row %(row)d or beyond; an import reads at most "
                "%(max)d rows. Delete the empty rows below your data, or split the file."
            )
            % {"row": number, "max": last_row},
            row=number,
        )
    if len(cells) > XLSX_MAX_COLUMNS:
        letter = get_column_letter(len(cells))
        raise _unreadable(
            gettext(
                "Row %(row)d has cells as far right as column %(letter)s; an import reads at "
                "most %(max)d columns. Delete the columns to the right of your data."
            )
            % {"row": number, "letter": letter, "max": XLSX_MAX_COLUMNS},
            row=number,
            column=letter,
        )


def _xlsx_value(cell: Any) -> CellValue:
    if getattr(cell, "data_type", None) == "f":
        raise _unreadable(
            gettext(
                "Cell %(cell)s holds a formula. Imports read values only: copy the cells and "
                "paste them as values (Paste Special, Values), then upload the file again."
            )
            % {"cell": cell.coordinate},
            row=cell.row,
            column=cell.column_letter,
        )
    value = cell.value
    if isinstance(value, datetime.datetime) and is_datetime(cell.number_format) == "date":
        return value.date()
    return _clean(value)


def _clean(value: Any) -> CellValue:
    if isinstance(value, str):
        return value.strip() or None
    return value


# --- Header and rows ---------------------------------------------------------------------


def _build_table(records: Iterator[Record], *, columns: ColumnSpec | None, max_rows: int) -> Table:
    first = next(_non_empty(records), None)
    if first is None:
        return Table(problems=[ImportProblem(None, None, gettext("The file is empty."))])
    header_number, header_cells = first
    header = [_header_text(value) for value in header_cells]
    problems = _header_problems(header, header_number, columns)
    if problems:
        return Table(header=header, problems=problems)
    keys = _column_keys(header, columns)
    table = Table(header=header)
    absent = [name for name in columns.names if name not in keys] if columns else []
    _read_rows(_non_empty(records), keys, absent, table, max_rows=max_rows)
    if not table.rows and not table.problems:
        table.problems.append(
            ImportProblem(None, None, gettext("The file has a header row but no data rows."))
        )
    return table


def _non_empty(records: Iterator[Record]) -> Iterator[Record]:
    return (record for record in records if any(value is not None for value in record[1]))


def _header_text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return " ".join(str(value).split())


def _canonical(name: str) -> str:
    return " ".join(name.split()).casefold()


def _header_problems(
    header: list[str], row: int, columns: ColumnSpec | None
) -> list[ImportProblem]:
    problems = _duplicate_problems(header, row)
    if columns is not None:
        problems += _spec_problems(header, row, columns)
    return problems


def _duplicate_problems(header: list[str], row: int) -> list[ImportProblem]:
    seen: dict[str, int] = {}
    problems = []
    for index, name in enumerate(header):
        if not name:
            continue
        first = seen.setdefault(_canonical(name), index)
        if first != index:
            message = gettext(
                'Column "%(name)s" appears twice, in columns %(first)s and %(second)s.'
            )
            letters = {
                "first": get_column_letter(first + 1),
                "second": get_column_letter(index + 1),
            }
            problems.append(ImportProblem(row, name, message % {"name": name, **letters}))
    return problems


def _spec_problems(header: list[str], row: int, columns: ColumnSpec) -> list[ImportProblem]:
    present = {_canonical(name) for name in header if name}
    expected = {_canonical(name) for name in columns.names}
    problems = [
        ImportProblem(row, name, gettext('Required column "%(name)s" is missing.') % {"name": name})
        for name in columns.required
        if _canonical(name) not in present
    ]
    allowed = ", ".join(columns.names)
    problems += [
        ImportProblem(
            row,
            name,
            gettext('Unknown column "%(name)s". The columns can be: %(allowed)s.')
            % {"name": name, "allowed": allowed},
        )
        for name in header
        if name and _canonical(name) not in expected
    ]
    return problems


def _column_keys(header: list[str], columns: ColumnSpec | None) -> list[str | None]:
    # None marks a column without a header: its cells must stay empty.
    if columns is None:
        return [name or None for name in header]
    by_canonical = {_canonical(name): name for name in columns.names}
    return [by_canonical.get(_canonical(name)) if name else None for name in header]


def _read_rows(
    records: Iterator[Record],
    keys: list[str | None],
    absent: list[str],
    table: Table,
    *,
    max_rows: int,
) -> None:
    # Optional columns left out of the file still appear in every row, as None.
    for number, cells in records:
        if len(table.rows) >= max_rows:
            table.problems.append(_too_many_rows(max_rows))
            return
        table.problems += _unnamed_cell_problems(number, cells, keys)
        values = {key: _cell(cells, index) for index, key in enumerate(keys) if key is not None}
        values.update(dict.fromkeys(absent))
        table.rows.append(Row(number=number, values=values))


def _cell(cells: list[CellValue], index: int) -> CellValue:
    return cells[index] if index < len(cells) else None


def _unnamed_cell_problems(
    number: int, cells: list[CellValue], keys: list[str | None]
) -> list[ImportProblem]:
    problems = []
    for index, value in enumerate(cells):
        if value is not None and (index >= len(keys) or keys[index] is None):
            letter = get_column_letter(index + 1)
            message = gettext("There is a value in column %(letter)s, which has no header.")
            problems.append(ImportProblem(number, letter, message % {"letter": letter}))
    return problems


def _too_many_rows(max_rows: int) -> ImportProblem:
    message = ngettext(
        "The file has more than %(max)d data row; split it into smaller files.",
        "The file has more than %(max)d data rows; split it into smaller files.",
        max_rows,
    )
    return ImportProblem(None, None, message % {"max": max_rows})


# --- Safe export -------------------------------------------------------------------------


def neutralise_formula(value: T) -> T | str:
    """Prefix ``'`` to text a spreadsheet would run as a formula; leave anything else alone.

    Applied to every cell by ``write_csv`` and ``write_xlsx``; call it directly when an
    export is built another way.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def iter_csv(rows: Iterable[Sequence[object]], *, delimiter: str = ";") -> Iterator[bytes]:
    """Yield a UTF-8 CSV (BOM first, so Excel reads Latvian letters) one row at a time.

    For StreamingHttpResponse on large exports. ';' by default because Excel in the Latvian
    locale splits columns on it; ``read_table`` accepts both.
    """
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield codecs.BOM_UTF8
    for row in rows:
        yield writer.writerow([_export_value(value) for value in row]).encode("utf-8")


def write_csv(rows: Iterable[Sequence[object]], *, delimiter: str = ";") -> bytes:
    """Return a whole CSV export as bytes; see ``iter_csv``."""
    return b"".join(iter_csv(rows, delimiter=delimiter))


def write_xlsx(rows: Iterable[Sequence[object]], *, sheet_title: str = "Export") -> bytes:
    """Return an .xlsx export (one sheet, streamed by openpyxl's write-only mode) as bytes."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title)
    for row in rows:
        sheet.append([_xlsx_export_value(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can stream."""

    def write(self, value: str) -> str:
        return value


_PLAIN_TYPES = (bool, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta)


def _export_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)  # Excel has no time zones; show local time
    if isinstance(value, _PLAIN_TYPES):
        return value
    return neutralise_formula(str(value))


def _xlsx_export_value(value: object) -> object:
    value = _export_value(value)
    if isinstance(value, str):
        # XML cannot hold most control characters; openpyxl would refuse the whole file.
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value
