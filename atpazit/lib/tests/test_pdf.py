"""The one typst wrapper every PDF of Atpazīt is built with (atpazit/lib/pdf.py): the data
reaches the template as JSON and is shown as text, never read as markup; further inputs and a
fixed creation date reach typst; a template typst cannot build raises the caller's error naming
the document."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from atpazit.lib.pdf import PdfError, render_pdf
from tests.pdf import pdftotext as text_of

SHEET = """#let data = json(bytes(sys.inputs.at("data")))
#set page(paper: "a6")
= #data.title
#data.note

Size #sys.inputs.at("size", default: "none")
"""


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "sheet.typ"
    path.write_text(SHEET, encoding="utf-8")
    return path


class SheetError(Exception):
    """The caller's own error, which its callers already expect."""


def test_the_data_is_shown_as_text_never_as_markup(sheet: Path) -> None:
    note = '#panic("spliced") *not bold* $x$ Ģirts Ābele, Дильноза'
    pdf = render_pdf(sheet, {"title": "Izziņa", "note": note}, what="the test sheet")
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    assert "Izziņa" in text
    assert note in text
    assert "Size none" in text


def test_further_inputs_reach_the_template_beside_the_data(sheet: Path) -> None:
    pdf = render_pdf(
        sheet, {"title": "T", "note": "N"}, what="the test sheet", inputs={"size": "11"}
    )
    assert "Size 11" in text_of(pdf)


def test_a_fixed_creation_date_gives_the_same_bytes_for_the_same_data(sheet: Path) -> None:
    moment = dt.datetime(2026, 3, 14, 12, 0, tzinfo=dt.UTC)
    data = {"title": "T", "note": "N"}
    first = render_pdf(sheet, data, what="the test sheet", timestamp=moment)
    again = render_pdf(sheet, data, what="the test sheet", timestamp=moment)
    other = render_pdf(sheet, data, what="the test sheet", timestamp=moment + dt.timedelta(days=1))
    assert first == again
    assert first != other


def test_a_template_typst_cannot_build_raises_the_callers_error_naming_the_document(
    sheet: Path,
) -> None:
    with pytest.raises(SheetError, match=r"^typst could not build the test sheet: .*title"):
        render_pdf(sheet, {"note": "no title"}, what="the test sheet", error=SheetError)


def test_without_an_error_class_it_raises_pdf_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.typ"
    broken.write_text('#panic("the template is broken")', encoding="utf-8")
    with pytest.raises(PdfError, match="typst could not build the broken sheet: .*broken"):
        render_pdf(broken, {}, what="the broken sheet")
