"""The official annual tables (Eurostat, GRETA): who is a registered victim, the breakdowns,
suppression shared by every table, the downloads (formula injection neutralised) and the PDF
annual statistics report, read back in Latvian and in English."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from atpazit.accounts.models import Organisation, User
from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import AuditEvent
from atpazit.cases.tests.factories import PersonFactory
from atpazit.lib.errors import NotAllowed
from atpazit.referrals.models import Suspicion
from atpazit.referrals.tests.factories import (
    RecognisedReferralFactory,
    SuspicionFactory,
)
from atpazit.stats import official
from tests.pdf import pdftotext

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def registered(unit: Organisation, count: int, **person: object) -> list[Suspicion]:
    """``count`` presumed victims (open suspicions) this year."""
    return [
        SuspicionFactory(person=PersonFactory(organisation=unit, **person)) for _ in range(count)
    ]


def identified(unit: Organisation, count: int, **person: object) -> list[Suspicion]:
    """``count`` victims recognised by a provider's commission this year."""
    suspicions = registered(unit, count, **person)
    for suspicion in suspicions:
        RecognisedReferralFactory(suspicion=suspicion)
    return suspicions


def test_identified_presumed_and_not_a_victim(riga: Organisation) -> None:
    identified(riga, 2)
    registered(riga, 3)
    closed = registered(riga, 1)[0]
    closed.closure_reason = Suspicion.ClosureReason.NOT_A_VICTIM
    closed.closed_at = timezone.now()
    closed.save()
    counts = official.count_tables(YEAR)
    assert counts["sex"] == [[0, 2, 0, 0], [0, 3, 0, 0]]  # the factory's men; one not counted
    assert counts["age"] == [[0, 2], [0, 3]]
    assert counts["citizenship"] == [[0, 0, 2, 0], [0, 0, 3, 0]]  # Uzbek: outside the EU


def test_other_years_are_not_counted(riga: Organisation) -> None:
    registered(riga, 2)
    assert sum(map(sum, official.count_tables(YEAR - 1)["sex"])) == 0


def test_the_coordinator_gets_every_table_suppressed_alike(
    rihards: User, riga: Organisation
) -> None:
    identified(riga, 3, sex="female")
    registered(riga, 15, sex="male")
    registered(riga, 12, sex="female", nationality="LT")
    result = official.official_tables(actor_of(rihards), YEAR)
    assert result.total.value == 30
    for table in result.tables.values():
        # 3 identified: hidden everywhere, and the presumed total with it (else 30 - 27 = 3).
        assert table.row_totals[0].value is None
        assert table.row_totals[1].value is None
        assert table.total.value == 30
        for row in table.cells:
            for cell in row:
                assert cell.value is None or cell.value == 0 or cell.value >= 10


def test_roles_without_the_permission_get_no_tables(ilze: User) -> None:
    with pytest.raises(NotAllowed):
        official.official_tables(actor_of(ilze), YEAR)


def test_the_page_shows_the_tables_and_is_audited(
    client_for, rihards: User, riga: Organisation
) -> None:
    registered(riga, 12)
    response = client_for(rihards).get(reverse("stats:official", kwargs={"year": YEAR}))
    assert response.status_code == 200
    assert "Registered victims by citizenship" in response.content.decode()
    event = AuditEvent.objects.get(action="stats.official_viewed")
    assert event.details == {"page": "stats:official", "year": YEAR, "k": 10, "hidden": 0}


def test_a_year_out_of_range_is_not_found(client_for, rihards: User) -> None:
    response = client_for(rihards).get(reverse("stats:official", kwargs={"year": 1990}))
    assert response.status_code == 404


def test_the_csv_and_xlsx_carry_the_suppressed_figures_and_are_audited(
    client_for, rihards: User, riga: Organisation
) -> None:
    registered(riga, 12, sex="male")
    registered(riga, 4, sex="female")
    url = reverse("stats:official", kwargs={"year": YEAR})
    client = client_for(rihards)
    text = client.post(url, {"format": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    sex_header = rows.index(["Registration", "female", "male", "other", "not known", "Total"])
    assert rows[sex_header + 2] == ["presumed victims", "hidden", "hidden", "0", "0", "16"]
    workbook = openpyxl.load_workbook(io.BytesIO(client.post(url, {"format": "xlsx"}).content))
    values = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    assert ["presumed victims", "hidden", "hidden", 0, 0, 16] in values
    exported = AuditEvent.objects.filter(action="stats.official_exported")
    assert sorted(e.details["format"] for e in exported) == ["csv", "xlsx"]


def test_a_get_with_a_format_only_shows_the_tables_and_downloads_nothing(
    client_for, rihards: User, riga: Organisation
) -> None:
    """A link or an image on another site, or a prefetch, cannot start a download: the
    download is a POST with the page's CSRF token (tests/test_csrf_downloads.py)."""
    registered(riga, 12)
    url = reverse("stats:official", kwargs={"year": YEAR})
    response = client_for(rihards).get(url, {"format": "csv"})
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert 'name="format" value="csv"' in response.content.decode()
    assert not AuditEvent.objects.filter(action="stats.official_exported").exists()


def test_an_unknown_format_is_not_found(client_for, rihards: User) -> None:
    url = reverse("stats:official", kwargs={"year": YEAR})
    assert client_for(rihards).post(url, {"format": "html"}).status_code == 404
    assert not AuditEvent.objects.filter(action="stats.official_exported").exists()


def test_a_formula_in_a_label_is_neutralised(
    monkeypatch: pytest.MonkeyPatch, rihards: User, riga: Organisation
) -> None:
    registered(riga, 11)
    monkeypatch.setattr(official, "status_label", lambda code: '=HYPERLINK("x")')
    export = official.export_official_tables(actor=actor_of(rihards), year=YEAR, file_format="csv")
    text = export.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Annual statistics on trafficking in human beings",
                "presumed victims",
                "hidden",
            ],
        ),
        ("lv", ["Gada statistika par cilvēku tirdzniecību", "iespējamie upuri", "slēpts"]),
    ],
)
def test_the_pdf_report_reads_in_latvian_and_english(
    rihards: User, riga: Organisation, language: str, expected: list[str]
) -> None:
    registered(riga, 12, sex="male")
    registered(riga, 3, sex="female")
    with translation.override(language):
        export = official.export_official_tables(
            actor=actor_of(rihards), year=YEAR, file_format="pdf"
        )
    text = pdftotext(export.content)
    for phrase in expected:
        assert phrase in text
    assert str(YEAR) in text
