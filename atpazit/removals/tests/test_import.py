"""Importing a manifest: every problem is named by row and column, and nothing is imported
unless the whole file is valid (I8)."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest

from atpazit.audit.models import AuditEvent
from atpazit.cases.models import Person
from atpazit.cases.tests.factories import PersonFactory
from atpazit.lib.errors import NotAllowed
from atpazit.removals import services
from atpazit.removals.manifest_import import MAX_ROWS
from atpazit.removals.models import ManifestEntry
from atpazit.removals.tests.factories import (
    ConfirmedOperationFactory,
    PlannedOperationFactory,
    person_on,
)

pytestmark = pytest.mark.django_db


def run(actor, operation, data: bytes, filename: str = "manifest.csv"):
    return services.import_manifest(actor=actor, operation=operation, data=data, filename=filename)


def where(result) -> list[tuple[int | None, str | None]]:
    return [(problem.row, problem.column) for problem in result.problems]


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def karimova(riga) -> Person:
    return PersonFactory(
        organisation=riga, family_name="Karimova", given_names="Dilnoza", date_of_birth="1991-04-17"
    )


@pytest.fixture
def ozolina(riga) -> Person:
    return PersonFactory(organisation=riga, family_name="Ozoliņa", birth_year=1988)


class TestAValidFile:
    def test_a_csv_adds_everyone_listed(self, ilze_actor, operation, karimova, ozolina):
        data = f"case_number\n{karimova.case_number}\n{ozolina.case_number}\n".encode()

        result = run(ilze_actor, operation, data)

        assert (result.ok, result.added) == (True, 2)
        assert set(operation.manifest.values_list("person", flat=True)) == {karimova.pk, ozolina.pk}
        assert AuditEvent.objects.filter(action="manifest.person_added").count() == 2
        assert AuditEvent.objects.get(action="manifest.imported").details == {
            "added": 2,
            "format": "csv",
        }

    def test_excel_style_semicolons_a_bom_and_the_cross_checks_are_accepted(
        self, ilze_actor, operation, karimova, ozolina
    ):
        data = (
            "\ufeffCase_Number;Family_Name;Date_of_Birth\r\n"
            f"{karimova.case_number.lower()};KARIMOVA;17.04.1991\r\n"
            f"{ozolina.case_number};Ozolina;1988-02-02\r\n"
        ).encode()

        result = run(ilze_actor, operation, data)

        assert result.ok, result.problems

    def test_an_xlsx_built_in_excel_is_read_with_its_date_cells(
        self, ilze_actor, operation, karimova
    ):
        data = xlsx(
            [
                ["case_number", "family_name", "date_of_birth"],
                [karimova.case_number, "Karimova", datetime.date(1991, 4, 17)],
            ]
        )

        result = run(ilze_actor, operation, data, "manifest.xlsx")

        assert (result.ok, result.added) == (True, 1)

    def test_importing_into_a_confirmed_operation_plans_the_removals(
        self, ilze_actor, riga, karimova
    ):
        confirmed = ConfirmedOperationFactory(organisation=riga)

        run(ilze_actor, confirmed, f"case_number\n{karimova.case_number}\n".encode())

        karimova.refresh_from_db()
        assert karimova.status == Person.Status.REMOVAL_PLANNED


class TestABadFile:
    """Each case: the precise place and words, and not a single person imported."""

    @pytest.fixture(autouse=True)
    def nothing_is_imported(self, db):
        yield
        # Factories add entries without a user; an import would record who added them.
        assert not ManifestEntry.objects.filter(added_by__isnull=False).exists()
        assert not AuditEvent.objects.filter(action="manifest.imported").exists()

    def test_wrong_columns(self, ilze_actor, operation):
        result = run(ilze_actor, operation, b"lieta;uzvards\nAT-2026-000001;Karimova\n")

        assert where(result) == [(1, "case_number"), (1, "lieta"), (1, "uzvards")]
        assert result.problems[0].message == 'Required column "case_number" is missing.'
        assert "The columns can be: case_number, family_name, date_of_birth" in (
            result.problems[1].message
        )

    def test_bad_and_impossible_dates(self, ilze_actor, operation, karimova, ozolina):
        third = PersonFactory(organisation=operation.organisation)
        data = (
            "case_number,date_of_birth\n"
            f"{karimova.case_number},31.02.1991\n"
            f"{ozolina.case_number},2999-01-01\n"
            f"{third.case_number},vakar\n"
        ).encode()

        result = run(ilze_actor, operation, data)

        assert where(result) == [(2, "date_of_birth"), (3, "date_of_birth"), (4, "date_of_birth")]
        assert result.problems[0].message == (
            "31.02.1991 is not a date. Write it as YYYY-MM-DD or DD.MM.YYYY."
        )
        assert result.problems[1].message == "The date of birth is in the future."

    def test_a_date_of_birth_or_name_that_does_not_match_the_record(
        self, ilze_actor, operation, karimova, ozolina
    ):
        data = (
            "case_number,family_name,date_of_birth\n"
            f"{karimova.case_number},Karimova,1991-04-18\n"
            f"{ozolina.case_number},Bērziņa,1988-05-05\n"
        ).encode()

        result = run(ilze_actor, operation, data)

        assert where(result) == [(2, "date_of_birth"), (3, "family_name")]
        assert result.problems[0].message == (
            f"The date of birth does not match the record of {karimova.case_number}."
        )
        # The message never repeats the name on record.
        assert "Ozoliņa" not in result.problems[1].message

    def test_an_unknown_case_number_and_one_of_another_unit_read_the_same(
        self, ilze_actor, operation, daugavpils
    ):
        stranger = PersonFactory(organisation=daugavpils)
        data = f"case_number\nAT-2026-999999\n{stranger.case_number}\n".encode()

        result = run(ilze_actor, operation, data)

        assert where(result) == [(2, "case_number"), (3, "case_number")]
        assert result.problems[0].message == (
            "No person with case number AT-2026-999999 is registered in your unit."
        )
        assert result.problems[1].message == (
            f"No person with case number {stranger.case_number} is registered in your unit."
        )

    def test_duplicate_rows(self, ilze_actor, operation, karimova):
        data = f"case_number\n{karimova.case_number}\n{karimova.case_number.lower()}\n".encode()

        result = run(ilze_actor, operation, data)

        assert where(result) == [(3, "case_number")]
        assert result.problems[0].message == f"Case number {karimova.case_number} is also in row 2."

    def test_a_person_already_on_the_manifest(self, ilze_actor, operation):
        listed = person_on(operation)

        result = run(ilze_actor, operation, f"case_number\n{listed.case_number}\n".encode())

        assert where(result) == [(2, "case_number")]
        assert result.problems[0].message == f"{listed.case_number} is already on this manifest."

    def test_a_person_on_another_open_operation(self, ilze_actor, operation, riga):
        other = PlannedOperationFactory(organisation=riga, reference="RP-2026/555")
        elsewhere = person_on(other)

        result = run(ilze_actor, operation, f"case_number\n{elsewhere.case_number}\n".encode())

        assert where(result) == [(2, "case_number")]
        assert "RP-2026/555" in result.problems[0].message

    def test_a_missing_case_number_in_a_row(self, ilze_actor, operation, karimova):
        data = f"case_number,family_name\n,Karimova\n{karimova.case_number},Karimova\n".encode()

        result = run(ilze_actor, operation, data)

        assert where(result) == [(2, "case_number")]
        assert result.problems[0].message == "The case number is missing."

    def test_an_empty_file(self, ilze_actor, operation):
        result = run(ilze_actor, operation, b"")

        assert where(result) == [(None, None)]
        assert result.problems[0].message == "The file is empty."

    def test_a_header_without_rows(self, ilze_actor, operation):
        result = run(ilze_actor, operation, b"case_number,family_name\n")

        assert result.problems[0].message == "The file has a header row but no data rows."

    def test_a_file_in_the_windows_baltic_encoding(self, ilze_actor, operation, ozolina):
        data = f"case_number;family_name\n{ozolina.case_number};Ozoliņa\n".encode("cp1257")

        result = run(ilze_actor, operation, data)

        assert len(result.problems) == 1
        assert "Windows Baltic encoding (Windows-1257)" in result.problems[0].message
        assert "line 2" in result.problems[0].message

    def test_formula_payloads(self, ilze_actor, operation, karimova):
        data = (
            "case_number,family_name\n"
            '"=HYPERLINK(""http://x.invalid"",""click"")",Karimova\n'
            f"{karimova.case_number},@SUM(A1:A9)\n"
            "+AT-2026-000001,\n"
        ).encode()

        result = run(ilze_actor, operation, data)

        assert where(result) == [(2, "case_number"), (3, "family_name"), (4, "case_number")]
        assert all("formulas are not accepted" in p.message for p in result.problems)

    def test_an_xlsx_with_problems_reports_them_the_same_way(self, ilze_actor, operation, karimova):
        data = xlsx(
            [
                ["case_number", "date_of_birth"],
                [karimova.case_number, "1991-13-40"],
                ["AT-2026-424242", None],
            ]
        )

        result = run(ilze_actor, operation, data, "manifest.xlsx")

        assert where(result) == [(2, "date_of_birth"), (3, "case_number")]

    def test_not_a_spreadsheet(self, ilze_actor, operation):
        result = run(ilze_actor, operation, b"%PDF-1.7 ...", "manifest.pdf")

        assert result.problems[0].message == "Upload a .csv or .xlsx file."

    def test_a_broken_xlsx(self, ilze_actor, operation):
        result = run(ilze_actor, operation, b"PK\x03\x04 not really", "manifest.xlsx")

        assert "could not be opened as an Excel workbook" in result.problems[0].message

    def test_too_many_rows(self, ilze_actor, operation):
        rows = "\n".join(f"AT-2026-{n:06d}" for n in range(MAX_ROWS + 1))

        result = run(ilze_actor, operation, f"case_number\n{rows}\n".encode())

        assert any("more than 500 data rows" in p.message for p in result.problems)

    def test_one_bad_row_among_good_ones_stops_the_whole_file(
        self, ilze_actor, operation, karimova, ozolina
    ):
        data = (
            f"case_number\n{karimova.case_number}\nAT-2026-000000\n{ozolina.case_number}\n"
        ).encode()

        result = run(ilze_actor, operation, data)

        assert where(result) == [(3, "case_number")]
        refused = AuditEvent.objects.get(action="manifest.import_refused")
        assert refused.outcome == AuditEvent.Outcome.FAILURE
        assert refused.details == {"problems": 1, "rows": 2}


class TestWhoMayImport:
    def test_another_unit_cannot_import_into_the_operation(self, gunars_actor, operation, karimova):
        with pytest.raises(NotAllowed):
            run(gunars_actor, operation, f"case_number\n{karimova.case_number}\n".encode())

        assert not ManifestEntry.objects.exists()

    def test_the_monitor_cannot_import(self, dace_actor, operation, karimova):
        with pytest.raises(NotAllowed):
            run(dace_actor, operation, f"case_number\n{karimova.case_number}\n".encode())
