"""The written information on the reflection period, as a PDF: the text in each language comes
out intact (Latvian diacritics, Cyrillic), the person's language first, the case number present
and the name never; nothing a user typed can change the document."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
import pytest

from atpazit.reflection import pdf

KEY_SENTENCES = {
    "lv": [
        "Nogaidīšanas periods cilvēku tirdzniecības upuriem",
        "Jūs varat likumīgi uzturēties Latvijā arī bez vīzas vai uzturēšanās atļaujas.",
        "Kamēr ilgst nogaidīšanas periods, Jūs no Latvijas neizraidīs.",
        "Šī palīdzība nav atkarīga no tā, vai Jūs piekrītat sadarboties ar policiju.",
        "Jums var izsniegt termiņuzturēšanās atļauju, ja Jūsu uzturēšanās Latvijā palīdz izmeklēšanai vai tiesvedībai,",
        "Jūs vairs neuzturat nekādu saikni ar personām, kuras tiek turētas aizdomās par cilvēku tirdzniecību.",
        "Nogaidīšanas periodu var izbeigt pirms termiņa tikai tad, ja Jūs pēc savas iniciatīvas atjaunojat saikni",
        "(Eiropas Padomes Konvencijas par cīņu pret cilvēku tirdzniecību 10. panta 2. punkts)",
        "Ārkārtas situācijā zvaniet 112",
        "Tiesībsarga birojs",
        "Nogaidīšanas periods ilgst 30 dienas.",
    ],
    "en": [
        "Reflection period for victims of human trafficking",
        "You may stay in Latvia lawfully, even without a visa or a residence permit.",
        "You will not be removed from Latvia while the reflection period lasts.",
        "This help does not depend on whether you agree to cooperate with the police.",
        "You may be issued a temporary residence permit if your stay in Latvia helps the investigation",
        "you clearly show that you are willing to cooperate",
        "you no longer have any contact with the persons suspected of trafficking.",
        "The reflection period can be ended early only if you, on your own initiative, renew contact",
        "or for reasons of public order or national security.",
        "Until it has been decided whether you are recognised as a victim of human trafficking, you will not be removed from Latvia",
        "Article 10(2)",
        "In an emergency, call 112 (free of charge, day and night).",
        "+371 67686768",
        "The reflection period lasts 30 days.",
    ],
    "ru": [
        "Период размышления для жертв торговли людьми",
        "Вы можете законно находиться в Латвии, даже без визы или вида на жительство.",
        "Пока длится период размышления, Вас не выдворят из Латвии.",
        "Эта помощь не зависит от того, согласны ли Вы сотрудничать с полицией.",
        "Вам может быть выдан временный вид на жительство, если Ваше пребывание в Латвии",
        "Период размышления может быть прекращён досрочно, только если Вы",
        "статья 10, пункт 2",
        "В экстренной ситуации звоните 112",
        "Период размышления длится 30 дней.",
    ],
    "uk": [
        "Період роздумів для жертв торгівлі людьми",
        "Поки триває період роздумів, Вас не видворять з Латвії.",
        "Період роздумів може бути припинено достроково",
        "стаття 10, пункт 2",
        "У надзвичайній ситуації телефонуйте 112",
        "Період роздумів триває 30 днів.",
    ],
}


def sheet(**changes: object) -> pdf.SheetData:
    values: dict[str, object] = {
        "case_number": "AT-2026-000321",
        "issued_on": dt.date(2026, 11, 27),
        "institution": "Valsts robežsardzes Rīgas pārvalde",
        "person_language": "ru",
        "officer_language": "lv",
        "days": 30,
        "start_event": "recognition",
    }
    values.update(changes)
    return pdf.SheetData(**values)  # type: ignore[arg-type]


def text_of(document: bytes) -> str:
    """The PDF's text with line breaks and runs of spaces folded, as a reader would hear it."""
    reader = pypdf.PdfReader(io.BytesIO(document))
    raw = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", raw)


@pytest.mark.parametrize("language", ["lv", "en", "ru", "uk"])
def test_each_language_comes_out_intact(language):
    officer = "en" if language == "lv" else "lv"
    text = text_of(
        pdf.render_information_sheet(sheet(person_language=language, officer_language=officer))
    )
    for sentence in KEY_SENTENCES[language]:
        assert sentence in text, sentence


def test_the_persons_language_comes_first_then_the_officers():
    text = text_of(pdf.render_information_sheet(sheet(person_language="ru", officer_language="lv")))
    russian = text.index(KEY_SENTENCES["ru"][0])
    latvian = text.index(KEY_SENTENCES["lv"][0])
    assert russian < latvian
    assert "English" not in text


def test_one_language_is_printed_once_when_both_are_the_same():
    text = text_of(pdf.render_information_sheet(sheet(person_language="en", officer_language="en")))
    assert text.count(KEY_SENTENCES["en"][0]) == 1


def test_it_carries_the_case_number_date_and_a_receipt_but_never_a_name():
    document = pdf.render_information_sheet(sheet())
    text = text_of(document)
    assert "AT-2026-000321" in text
    assert "27.11.2026" in text
    assert "Подтверждение получения / Apliecinājums par saņemšanu" in text
    assert "Подпись лица / Personas paraksts" in text
    assert "Apliecinu, ka šo rakstisko informāciju saņēmu valodā, kuru saprotu." in text
    payload = str(pdf.build_payload(sheet()))
    assert "Karimov" not in payload
    assert "Dilshod" not in payload
    assert "Karimov" not in text


def test_it_names_the_service_providers_and_how_to_reach_them():
    text = text_of(pdf.render_information_sheet(sheet(person_language="en", officer_language="en")))
    assert "Centrs MARTA" in text
    assert "Drošā māja" in text
    assert "24-hour phone: +371 28612120" in text


def test_the_configured_length_gets_the_right_plural():
    text = text_of(pdf.render_information_sheet(sheet(days=31)))
    assert "Nogaidīšanas periods ilgst 31 dienu." in text
    assert "Период размышления длится 31 день." in text
    assert pdf.days_phrase("ru", 32) == "32 дня"
    assert pdf.days_phrase("uk", 45) == "45 днів"
    assert pdf.days_phrase("lv", 45) == "45 dienas"


def test_the_coe_reading_says_the_period_counts_from_the_first_signs():
    text = text_of(
        pdf.render_information_sheet(
            sheet(person_language="en", officer_language="en", start_event="reasonable_grounds")
        )
    )
    assert "It is counted from the day officials first noted signs" in text
    assert "from the day of the decision that grants it" not in text


def test_typed_values_are_printed_literally_never_as_typst_markup():
    hostile = 'Robežsardze #set page(width: 2cm) *x* $y$ <z> @w ] ) } "'
    document = pdf.render_information_sheet(sheet(institution=hostile))
    reader = pypdf.PdfReader(io.BytesIO(document))
    assert hostile.split(" ")[1] in text_of(document)
    assert '#set page(width: 2cm) *x* $y$ <z> @w ] ) } "' in text_of(document)
    width_pt = float(reader.pages[0].mediabox.width)
    assert round(width_pt) == 595  # still A4


def test_the_same_inputs_give_the_same_document():
    assert pdf.render_information_sheet(sheet()) == pdf.render_information_sheet(sheet())


def test_it_refuses_a_language_the_sheet_is_not_written_in():
    with pytest.raises(pdf.DocumentError):
        pdf.build_payload(sheet(person_language="xx"))


def test_the_sheet_languages_include_the_three_required():
    codes = [code for code, _name in pdf.sheet_languages()]
    assert {"lv", "en", "ru"} <= set(codes)
