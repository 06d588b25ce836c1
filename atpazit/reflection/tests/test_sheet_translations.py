"""The information sheet on the reflection period in the person's languages (issue 11): one file
per language with its review status, checked against the English text and its version; the day
count in each language's CLDR plural form; right to left in Arabic; a draft says so in the footer
in the language and in Latvian."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
import yaml
from django.core.management import CommandError, call_command

from atpazit.lib.person_languages import PERSON_LANGUAGES, plural_categories
from atpazit.reflection import pdf, sheet_translations
from atpazit.reflection.sheet_translations import SheetTranslationError, read_translation
from tests.pdf import BIDI_MARKS, pdftotext

SHIPPED = sheet_translations.translations_dir()


def sheet(**changes: object) -> pdf.SheetData:
    values: dict[str, object] = {
        "case_number": "AT-2026-000321",
        "issued_on": dt.date(2026, 11, 27),
        "institution": "Valsts robežsardzes Rīgas pārvalde",
        "person_language": "ar",
        "officer_language": "lv",
        "days": 30,
        "start_event": "recognition",
    }
    values.update(changes)
    return pdf.SheetData(**values)  # type: ignore[arg-type]


@pytest.fixture
def copied(tmp_path, monkeypatch):
    """The shipped translations in a temporary folder, so a test may break one."""
    folder = tmp_path / "translations"
    shutil.copytree(SHIPPED, folder)
    monkeypatch.setattr(sheet_translations, "translations_dir", lambda: folder)
    sheet_translations.clear_cache()
    yield folder
    sheet_translations.clear_cache()


def edit(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems_of(path) -> tuple[str, ...]:
    with pytest.raises(SheetTranslationError) as caught:
        read_translation(path, sheet_translations.base_texts())
    return caught.value.problems


class TestTheShippedTranslations:
    def test_uzbek_and_arabic_are_offered_beside_the_reviewed_languages(self):
        codes = [code for code, _name in pdf.sheet_languages()]

        assert codes[:4] == ["lv", "en", "ru", "uk"]
        assert {"uz", "ar"} <= set(codes)
        assert dict(pdf.sheet_languages())["ar"] == "اللغة العربية"

    def test_every_shipped_file_is_complete_and_current(self):
        report = sheet_translations.statuses()

        assert [status.language for status in report] == list(PERSON_LANGUAGES)
        assert [(s.language, s.problems) for s in report if s.problems] == []

    def test_they_are_drafts(self):
        for language in ("uz", "ar"):
            assert pdf.review_of(language).is_draft
        assert pdf.review_of("ru") is None  # the reviewed base text


@pytest.mark.parametrize(
    "language", [code for code in PERSON_LANGUAGES if (SHIPPED / f"{code}.yaml").is_file()]
)
def test_each_shipped_language_comes_out_in_its_own_script(language):
    texts = pdf._texts()["languages"][language]

    text = pdftotext(pdf.render_information_sheet(sheet(person_language=language)))

    for key in ("title", "emergency", "receipt_statement"):
        # Punctuation moves around a right-to-left word in extracted text: compare the words.
        words = re.sub(r"[()،.,:;؟?!«»“”„\"/]", " ", BIDI_MARKS.sub("", texts[key])).split()
        assert all(word in text for word in words), key


class TestTheDayCount:
    @pytest.mark.parametrize(
        ("language", "days", "phrase"),
        [
            ("lv", 30, "30 dienas"),
            ("lv", 31, "31 dienu"),
            ("lv", 11, "11 dienas"),
            ("en", 1, "1 day"),
            ("ru", 21, "21 день"),
            ("ru", 45, "45 дней"),
            ("uk", 32, "32 дні"),
            ("uz", 30, "30 kun"),
            ("ar", 1, "يوما واحدا"),
            ("ar", 2, "يومين"),
            ("ar", 3, "3 أيام"),
            ("ar", 30, "30 يوما"),
            ("ar", 100, "100 يوم"),
        ],
    )
    def test_it_takes_the_cldr_plural_form_of_the_language(self, language, days, phrase):
        assert pdf.days_phrase(language, days) == phrase

    def test_every_language_has_a_form_for_each_of_its_plural_categories(self):
        for code, _name in pdf.sheet_languages():
            forms = pdf._texts()["languages"][code]["days"]
            assert plural_categories(code) <= set(forms), code


@pytest.fixture(scope="module")
def text():
    """The sheet in Arabic, then Latvian (built once)."""
    return pdftotext(pdf.render_information_sheet(sheet()))


class TestTheSheetInArabic:
    def test_the_arabic_text_is_in_the_pdf(self, text):
        assert "لن يتم ترحيلك من لاتفيا ما دامت فترة التفكير مستمرة" in text
        assert "في حالة الطوارئ" in text
        assert "112" in text

    def test_the_day_count_is_in_arabic_and_in_latvian(self, text):
        # pdftotext drops the space between a number and right-to-left text: compare unspaced.
        assert "تستمرفترةالتفكير30يوما" in text.replace(" ", "")
        assert "Nogaidīšanas periods ilgst 30 dienas." in text

    def test_the_draft_footer_is_in_arabic_and_in_latvian(self, text):
        assert "ترجمة أولية" in text
        assert "Tulkojuma melnraksts, ko dzimtās valodas runātājs vēl nav pārbaudījis." in text

    def test_the_arabic_version_is_set_right_to_left_with_an_arabic_font(self):
        payload = pdf.build_payload(sheet())

        assert payload["versions"][0]["dir"] == "rtl"
        assert payload["versions"][0]["fonts"][0] == "Noto Naskh Arabic"
        assert payload["versions"][1]["dir"] == "ltr"
        # Latin names and phone numbers stay left to right inside the Arabic text.
        assert (
            payload["versions"][0]["ombudsman"]["lines"][0]["value"] == "\u2066+371 67686768\u2069"
        )

    def test_a_reviewed_language_has_no_draft_footer(self):
        text = pdftotext(pdf.render_information_sheet(sheet(person_language="ru")))

        assert "Tulkojuma melnraksts" not in text

    def test_the_uzbek_sheet_says_it_is_a_draft_in_uzbek(self):
        text = pdftotext(pdf.render_information_sheet(sheet(person_language="uz", days=31)))

        assert "Oʻylab koʻrish muddati 31 kun davom etadi." in text
        assert "Tarjima loyihasi" in text
        assert "Tulkojuma melnraksts" in text


class TestTheFileIsChecked:
    def test_a_new_version_of_the_wording_makes_it_stale(self, copied):
        edit(copied / "ar.yaml", lambda data: data.update(source_version="2026-11"))

        assert problems_of(copied / "ar.yaml")[0].startswith("source_version: stale")

    def test_a_missing_text_and_a_missing_right_are_named(self, copied):
        def change(data):
            del data["texts"]["hold_text"]
            data["texts"]["rights"].pop()

        edit(copied / "uz.yaml", change)

        problems = problems_of(copied / "uz.yaml")
        assert "texts.hold_text: missing" in problems
        assert "texts.rights: must list 6 texts, as the English one" in problems

    def test_a_missing_plural_category_is_named(self, copied):
        edit(copied / "ar.yaml", lambda data: data["days"].pop("few"))

        assert problems_of(copied / "ar.yaml") == (
            "days.few: missing (a CLDR plural category of ar)",
        )

    def test_a_broken_language_is_not_offered(self, copied):
        edit(copied / "ar.yaml", lambda data: data["texts"].pop("emergency"))

        assert not pdf.has_language("ar")
        assert pdf.has_language("uz")
        with pytest.raises(pdf.DocumentError):
            pdf.build_payload(sheet())

    def test_the_i18n_check_fails_on_it(self, copied):
        edit(copied / "uz.yaml", lambda data: data["texts"].pop("emergency"))

        with pytest.raises(CommandError, match="reflection.sheet uz: texts.emergency: missing"):
            call_command("i18n", "languages")
