"""Reading uploads (csv, xlsx) into rows with precise problems, and formula-safe exports."""

from __future__ import annotations

import datetime
import io
import time
import zipfile
import zoneinfo

import openpyxl
import pytest

from atpazit.lib.spreadsheet import (
    ColumnSpec,
    ImportProblem,
    neutralise_formula,
    read_table,
    write_csv,
    write_xlsx,
)

# Excel has no time zones, so what it stores and gives back is naive.
EXCEL_DATETIME = datetime.datetime(2020, 1, 2, 10, 30)  # noqa: DTZ001
PEOPLE = ColumnSpec(required=("case number", "name"), optional=("born",))


def xlsx_bytes(rows: list[list[object]], *, date_format: str | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                cell = sheet.cell(row=row_number, column=column, value=value)
                if date_format and isinstance(value, datetime.date):
                    cell.number_format = date_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_sheet_xml(data: bytes, replace: dict[str, str]) -> bytes:
    """The workbook with its sheet XML edited, as a hand-crafted file would be."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for old, new in replace.items():
                    assert old in text, old
                    text = text.replace(old, new)
                content = text.encode()
            out.writestr(info, content)
    return target.getvalue()


def only_problem(table) -> ImportProblem:
    assert len(table.problems) == 1, table.problems
    return table.problems[0]


class TestReadCsv:
    def test_it_reads_utf8_with_a_bom_and_commas(self):
        data = "\ufeffcase number,name\nA-1,Ļubova Bērziņa\nA-2, Алёна \n".encode()
        table = read_table(data, "people.csv", columns=PEOPLE)
        assert table.is_valid
        assert table.header == ["case number", "name"]
        assert [(row.number, row.values) for row in table.rows] == [
            (2, {"case number": "A-1", "name": "Ļubova Bērziņa", "born": None}),
            (3, {"case number": "A-2", "name": "Алёна", "born": None}),
        ]

    def test_it_detects_semicolons(self):
        data = b"Case Number;Name;Born\nA-1;Doe, Jane;1990-01-02\n"
        table = read_table(data, "PEOPLE.CSV", columns=PEOPLE)
        assert table.is_valid
        assert table.rows[0].values == {
            "case number": "A-1",
            "name": "Doe, Jane",
            "born": "1990-01-02",
        }

    def test_without_a_spec_rows_are_keyed_by_the_header(self):
        table = read_table(b"a,b\n1,2\n", "x.csv")
        assert table.rows[0].values == {"a": "1", "b": "2"}

    def test_it_numbers_rows_as_records_and_skips_blank_lines(self):
        data = b'case number,name\nA-1,"two\nlines"\n\n,\nA-2,Bob\n'
        table = read_table(data, "x.csv", columns=PEOPLE)
        assert [row.number for row in table.rows] == [2, 5]

    def test_it_rejects_a_baltic_windows_file_with_an_encoding_message(self):
        data = "case number;name\nA-1;Ļubova Bērziņa\n".encode("cp1257")
        problem = only_problem(read_table(data, "x.csv", columns=PEOPLE))
        assert "Windows-1257" in problem.message
        assert "UTF-8" in problem.message
        assert "line 2" in problem.message

    def test_it_rejects_other_encodings_with_a_utf8_message(self):
        problem = only_problem(read_table("name\ncafé\n".encode("latin-1"), "x.csv"))
        assert "UTF-8" in problem.message
        assert "1257" not in problem.message

    def test_it_explains_utf16(self):
        problem = only_problem(read_table("name\nAnna\n".encode("utf-16"), "x.csv"))
        assert "UTF-16" in problem.message

    def test_it_reports_an_unclosed_quote(self):
        problem = only_problem(read_table(b'name\nAnna\n"Bob\n', "x.csv"))
        assert problem.row == 3


class TestFileProblems:
    @pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b",,\n,,\n", b";;\r\n"])
    def test_an_empty_file(self, data):
        assert only_problem(read_table(data, "x.csv")) == ImportProblem(
            None, None, "The file is empty."
        )

    def test_a_header_only_file(self):
        problem = only_problem(read_table(b"case number,name\n", "x.csv", columns=PEOPLE))
        assert problem.message == "The file has a header row but no data rows."

    def test_a_file_over_the_size_limit(self):
        problem = only_problem(read_table(b"name\n" + b"Anna\n" * 300, "x.csv", max_bytes=1024))
        assert problem.message == "The file is 1.5\xa0KB; the largest file accepted is 1.0\xa0KB."

    def test_a_file_over_the_row_limit(self):
        table = read_table(b"name\nA\nB\nC\n", "x.csv", max_rows=2)
        assert only_problem(table).message.startswith("The file has more than 2 data rows")

    @pytest.mark.parametrize(("filename", "text"), [("x.xls", ".xls"), ("x.txt", ".csv or .xlsx")])
    def test_an_unsupported_type(self, filename, text):
        assert text in only_problem(read_table(b"name\nAnna\n", filename)).message


class TestColumns:
    def test_a_missing_required_column(self):
        table = read_table(b"case number\nA-1\n", "x.csv", columns=PEOPLE)
        assert only_problem(table) == ImportProblem(1, "name", 'Required column "name" is missing.')

    def test_an_unknown_column(self):
        table = read_table(b"case number,name,Birth date\nA-1,Anna,1990\n", "x.csv", columns=PEOPLE)
        problem = only_problem(table)
        assert (problem.row, problem.column) == (1, "Birth date")
        assert problem.message.startswith('Unknown column "Birth date".')

    def test_a_duplicate_column(self):
        table = read_table(b"name,case number,Name\nA,A-1,B\n", "x.csv", columns=PEOPLE)
        problem = only_problem(table)
        assert (problem.row, problem.column) == (1, "Name")
        assert "columns A and C" in problem.message

    def test_a_value_under_no_header(self):
        table = read_table(b"case number,name,\nA-1,Anna,\nA-2,Bob,oops\n", "x.csv", columns=PEOPLE)
        assert only_problem(table) == ImportProblem(
            3, "C", "There is a value in column C, which has no header."
        )


class TestReadXlsx:
    def test_it_reads_dates_as_dates(self):
        data = xlsx_bytes(
            [
                ["Case number", "Name", "Born"],
                ["A-1", "Ļubova", datetime.date(1990, 5, 1)],
                [None, None, None],
                ["A-2", " Bob ", EXCEL_DATETIME],
            ]
        )
        table = read_table(data, "people.xlsx", columns=PEOPLE)
        assert table.is_valid, table.problems
        assert [(row.number, row.values) for row in table.rows] == [
            (2, {"case number": "A-1", "name": "Ļubova", "born": datetime.date(1990, 5, 1)}),
            (
                4,
                {
                    "case number": "A-2",
                    "name": "Bob",
                    "born": EXCEL_DATETIME,
                },
            ),
        ]

    def test_a_custom_date_format_is_a_date(self):
        data = xlsx_bytes([["born"], [datetime.date(2001, 2, 3)]], date_format="dd.mm.yyyy")
        assert read_table(data, "x.xlsx").rows[0].values == {"born": datetime.date(2001, 2, 3)}

    def test_it_reports_header_problems_like_csv(self):
        data = xlsx_bytes([["case number", "name", "NAME"], ["A-1", "Anna", "Anna"]])
        assert "columns B and C" in only_problem(read_table(data, "x.xlsx", columns=PEOPLE)).message

    def test_a_header_only_workbook(self):
        data = xlsx_bytes([["case number", "name"]])
        problem = only_problem(read_table(data, "x.xlsx", columns=PEOPLE))
        assert problem.message == "The file has a header row but no data rows."

    def test_an_empty_workbook(self):
        assert only_problem(read_table(xlsx_bytes([]), "x.xlsx")).message == "The file is empty."

    def test_a_row_a_billion_rows_down_is_refused_at_once(self):
        small = with_sheet_xml(
            xlsx_bytes([["name"], ["Anna"]]),
            {'<row r="2"': '<row r="1000000000"', '"A2"': '"A1000000000"'},
        )
        assert len(small) < 8_000
        started = time.monotonic()
        problem = only_problem(read_table(small, "x.xlsx"))
        assert time.monotonic() - started < 2
        assert problem.row == 11_001
        assert "at most 11000 rows" in problem.message

    def test_a_cell_in_the_last_column_is_refused(self):
        wide = with_sheet_xml(xlsx_bytes([["name"], ["Anna"]]), {'"A2"': '"XFD2"'})
        problem = only_problem(read_table(wide, "x.xlsx"))
        assert (problem.row, problem.column) == (2, "XFD")
        assert "Delete the columns to the right" in problem.message

    def test_blank_rows_within_the_allowance_are_fine(self):
        data = with_sheet_xml(
            xlsx_bytes([["name"], ["Anna"]]), {'<row r="2"': '<row r="900"', '"A2"': '"A900"'}
        )
        table = read_table(data, "x.xlsx")
        assert table.is_valid, table.problems
        assert table.rows[0].number == 900

    @pytest.mark.parametrize("cached", [True, False])
    def test_a_formula_cell_is_refused_naming_the_cell(self, cached):
        data = xlsx_bytes([["case number", "name", "born"], ["A-1", "Anna", "=DATE(1990,1,1)"]])
        if cached:  # a stored result that the formula does not produce
            data = with_sheet_xml(data, {"</f>": "</f><v>1</v>"})
        problem = only_problem(read_table(data, "x.xlsx", columns=PEOPLE))
        assert (problem.row, problem.column) == (2, "C")
        assert problem.message.startswith("Cell C2 holds a formula.")

    def test_text_that_starts_with_an_equals_sign_is_not_a_formula(self):
        data = with_sheet_xml(
            xlsx_bytes([["name"], ["Anna"]]),
            {
                '<c r="A2" t="inlineStr"><is><t>Anna</t></is></c>': '<c r="A2" t="inlineStr"><is><t>=Anna</t></is></c>'
            },
        )
        assert read_table(data, "x.xlsx").rows[0].values == {"name": "=Anna"}

    @pytest.mark.parametrize("data", [b"name\nAnna\n", b"PK\x03\x04 broken"])
    def test_a_file_that_is_not_a_workbook(self, data):
        assert "Excel workbook" in only_problem(read_table(data, "x.xlsx")).message


class TestNeutraliseFormula:
    @pytest.mark.parametrize(
        "value",
        [
            '=HYPERLINK("http://evil.example","Click")',
            "+1",
            "-2",
            "@SUM(A1:A2)",
            "\tinjected",
            "\rx",
        ],
    )
    def test_it_prefixes_formula_starts(self, value):
        assert neutralise_formula(value) == "'" + value

    @pytest.mark.parametrize("value", ["Anna", "", "1+1", " =1", 5, -2, 1.5, None])
    def test_it_leaves_the_rest_alone(self, value):
        assert neutralise_formula(value) == value


DANGEROUS_ROW = ['=HYPERLINK("http://evil.example")', "+1", "-2", "@SUM(A1)", "\tx", -2]


class TestWriteCsv:
    def test_it_writes_utf8_with_bom_and_semicolons(self):
        data = write_csv([["name", "born"], ["Ļubova", datetime.date(1990, 5, 1)]])
        assert data == "\ufeffname;born\r\nĻubova;1990-05-01\r\n".encode()

    def test_it_neutralises_every_cell(self):
        text = write_csv([DANGEROUS_ROW]).decode("utf-8-sig")
        assert text == '"\'=HYPERLINK(""http://evil.example"")";\'+1;\'-2;\'@SUM(A1);\'\tx;-2\r\n'

    def test_it_round_trips_through_read_table(self):
        data = write_csv([["name"], ["=1+1"]])
        assert read_table(data, "export.csv").rows[0].values == {"name": "'=1+1"}


class TestWriteXlsx:
    def test_it_neutralises_every_cell(self):
        data = write_xlsx([DANGEROUS_ROW])
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        assert sheet is not None
        cells = next(sheet.iter_rows())
        assert [cell.value for cell in cells] == [
            '\'=HYPERLINK("http://evil.example")',
            "'+1",
            "'-2",
            "'@SUM(A1)",
            "'\tx",
            -2,
        ]
        assert "f" not in {cell.data_type for cell in cells}

    def test_it_writes_dates_and_local_times(self, settings):
        settings.TIME_ZONE = "Europe/Riga"
        aware = datetime.datetime(2025, 1, 1, 10, 0, tzinfo=datetime.UTC)
        data = write_xlsx([[datetime.date(1990, 5, 1), aware, "bad\x00char"]])
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        assert sheet is not None
        born, when, text = (cell.value for cell in next(sheet.iter_rows()))
        assert born.date() == datetime.date(1990, 5, 1)  # openpyxl reads dates as datetimes
        riga = aware.astimezone(zoneinfo.ZoneInfo("Europe/Riga")).replace(tzinfo=None)
        assert when == riga
        assert text == "bad\ufffdchar"
