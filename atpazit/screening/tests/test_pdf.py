"""The printable interview aid: a set of pages per stage, body text at 10 pt, tick boxes and lines
to write on, prompts in two languages, Latvian and Cyrillic intact."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from atpazit.screening.catalogue import get_catalogue, latest_catalogue
from atpazit.screening.pdf import AidError, aid_data, interview_aid_pdf
from atpazit.screening.tests.factories import (
    SMALL_INDICATORS,
    small_catalogue_data,
    write_catalogue,
)


def text_of(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def squeezed(text: str) -> str:
    """Text without line breaks and spaces, so a prompt split across lines is still found."""
    return "".join(text.split())


@pytest.mark.usefixtures("small_catalogue")
class TestTheAid:
    def test_it_has_the_prompts_in_both_languages_with_diacritics_and_cyrillic(self):
        pdf = interview_aid_pdf(
            catalogue=get_catalogue("2026.1"), person_language="ru", officer_language="lv"
        )

        pages, text = text_of(pdf)
        assert pdf.startswith(b"%PDF")
        assert pages >= 1
        assert squeezed("Где ваш паспорт?") in squeezed(text)
        assert squeezed("Kur ir Jūsu pase?") in squeezed(text)
        assert squeezed("Сколько часов в день Вы работали?") in squeezed(text)
        assert squeezed("Cik stundu dienā Jūs strādājāt?") in squeezed(text)
        assert "DR-01" in text
        assert "CH-01" in text

    def test_prompts_are_grouped_under_their_dimensions(self):
        data = aid_data(get_catalogue("2026.1"), person_language="ru", officer_language="en")

        labels = [group["label_officer"] for group in data["groups"]]
        assert labels == [
            "deceptive recruitment",
            "exploitative conditions",
            "coercion at destination",
            "signs of control in the return context",
            "child-specific signs",
        ]
        assert [row["code"] for row in data["groups"][2]["rows"]] == ["CD-01", "CD-02"]
        assert data["groups"][2]["rows"][0]["person"] == ["Где ваш паспорт?"]
        assert data["groups"][2]["rows"][0]["officer"] == ["Where is your passport?"]

    def test_a_stage_keeps_only_its_indicators(self, small_catalogue):
        indicators = [dict(entry) for entry in SMALL_INDICATORS]
        indicators[0] = {**indicators[0], "stages": ["in_flight"]}
        write_catalogue(small_catalogue, small_catalogue_data("2026.2", indicators))

        data = aid_data(
            latest_catalogue(), person_language="lv", officer_language="en", stage="in_flight"
        )

        assert [row["code"] for group in data["groups"] for row in group["rows"]] == ["DR-01"]

    def test_markup_in_the_catalogue_is_printed_as_text_never_run(self, small_catalogue):
        indicators = [dict(entry) for entry in SMALL_INDICATORS]
        hostile = '#panic("x") $x^2$ *bold* <label> @ref ] [ \\ "quote"'
        indicators[0] = {
            **indicators[0],
            "prompts": [{"lv": hostile, "en": hostile, "ru": hostile}],
        }
        write_catalogue(small_catalogue, small_catalogue_data("2026.2", indicators))

        pdf = interview_aid_pdf(
            catalogue=latest_catalogue(), person_language="lv", officer_language="ru"
        )

        assert squeezed('#panic("x")') in squeezed(text_of(pdf)[1])

    def test_it_refuses_a_language_the_catalogue_does_not_have(self):
        with pytest.raises(AidError):
            interview_aid_pdf(
                catalogue=get_catalogue("2026.1"), person_language="uz", officer_language="lv"
            )


def words_with_boxes(pdf: bytes) -> list[tuple[str, float, float]]:
    """Every word of the PDF with the top of its box and its height in points (pdftotext's box
    is the font size: 10.0 for 10 pt text)."""
    found = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"],  # noqa: S607 - poppler-utils, installed by CI
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [
        (word, float(y_min), float(y_max) - float(y_min))
        for y_min, y_max, word in re.findall(
            r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</word>', found
        )
    ]


def test_the_aid_of_every_stage_has_several_pages_with_every_prompt():
    catalogue = latest_catalogue()

    pdf = interview_aid_pdf(catalogue=catalogue, person_language="ru", officer_language="lv")

    pages, text = text_of(pdf)
    assert pages > 2
    for indicator in catalogue:
        assert indicator.code in text
    last = catalogue.indicators[-1]
    assert squeezed(last.prompts[-1].ru) in squeezed(text)
    assert squeezed(last.prompts[-1].lv) in squeezed(text)


def test_the_body_text_is_at_least_10_points():
    catalogue = latest_catalogue()
    pdf = interview_aid_pdf(
        catalogue=catalogue, person_language="ru", officer_language="lv", stage="handover"
    )

    words = words_with_boxes(pdf)

    # Everything above the footer (the bottom 2 cm of an A4 page, 842 pt high) is body text.
    body = [(word, height) for word, top, height in words if top < 842 - 57]
    assert len(body) > 1000
    assert min(height for _word, height in body) >= 9.99  # 10 pt, less rounding
    prompt = catalogue.indicator("RC-01").prompts[0].ru.split()
    assert all(height >= 9.99 for word, height in body if word in prompt)


def test_a_stage_is_a_set_of_pages_of_its_own_indicators_to_fill_in_with_a_pen():
    catalogue = latest_catalogue()
    at_handover = [ind.code for ind in catalogue if "handover" in ind.stages]

    pdf = interview_aid_pdf(
        catalogue=catalogue, person_language="ru", officer_language="en", stage="handover"
    )

    pages, text = text_of(pdf)
    assert pages > 1
    # Issue 9: RC-07 (a debt still owed) was hidden at hand-over.
    assert "RC-07" in at_handover
    assert "RC-09" in at_handover
    assert re.findall(r"\b[A-Z]{2}-\d{2}\b", text) == at_handover
    # Per indicator: the source to tick and a note to write; once: the case number to fill in.
    assert text.count("Source:") == len(at_handover)
    assert text.count("Note:") == len(at_handover)
    assert "Case number" in text
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:  # every page of the set names its stage
        assert "stage: hand-over." in " ".join(page.extract_text().split())


@pytest.mark.django_db
@pytest.mark.usefixtures("small_catalogue")
class TestDownload:
    def test_it_is_a_pdf_attachment(self, client_for, janis):
        response = client_for(janis).get(
            reverse("screening:aid_download"),
            {"person_language": "ru", "officer_language": "lv", "stage": "detention_intake"},
        )

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'attachment; filename="atpazit-interview-aid-2026.1-ru-lv.pdf"'
        )
        assert squeezed("Где ваш паспорт?") in squeezed(text_of(response.content)[1])

    def test_a_bad_language_is_named_on_the_form(self, client_for, janis):
        response = client_for(janis).get(
            reverse("screening:aid_download"), {"person_language": "uz", "officer_language": "lv"}
        )

        assert response.status_code == 400
        assert "person_language" in response.context["form"].errors

    def test_the_form_page_offers_the_two_languages(self, client_for, janis):
        response = client_for(janis).get(reverse("screening:aid"))

        assert response.status_code == 200
        assert 'name="person_language"' in response.content.decode()

    def test_a_caseworker_has_no_aid(self, client_for, liga):
        assert client_for(liga).get(reverse("screening:aid")).status_code == 403
