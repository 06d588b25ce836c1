"""The interview prompts in the person's languages (issue 11, section 1): translation files beside
the catalogue release, each with its review status, checked against the release; the languages
offered where the screener chooses them; right-to-left on the page and in the PDF; the draft
footer in the language and in Latvian."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse

from atpazit.lib.person_languages import PERSON_LANGUAGES, Review, ReviewStatus
from atpazit.screening import catalogue as catalogue_module
from atpazit.screening import translations
from atpazit.screening.catalogue import CATALOGUE_DIR, get_catalogue, latest_catalogue
from atpazit.screening.models import ScreeningSession
from atpazit.screening.pdf import interview_aid_pdf
from atpazit.screening.tests.factories import OpenSessionFactory
from atpazit.screening.translations import (
    TranslationError,
    get_translation,
    prompt_languages,
    prompts_in,
    read_translation,
)
from tests.pdf import pdftotext

SHIPPED_PROMPTS = CATALOGUE_DIR / "prompts"


def words(text: str) -> list[str]:
    return [word.strip("،؟?.,:") for word in text.split() if word.strip("،؟?.,:")]


@pytest.fixture
def copied_release(tmp_path, monkeypatch):
    """The shipped release 2026.2 and its prompt translations, copied to a temporary folder that
    stands in for atpazit/screening/catalogues (so a test may break a file)."""
    directory = tmp_path / "catalogues"
    directory.mkdir()
    shutil.copy(CATALOGUE_DIR / "2026.2.yaml", directory / "2026.2.yaml")
    shutil.copytree(SHIPPED_PROMPTS / "2026.2", directory / "prompts" / "2026.2")
    monkeypatch.setattr(catalogue_module, "CATALOGUE_DIR", directory)
    get_catalogue.cache_clear()
    translations.clear_cache()
    yield directory
    get_catalogue.cache_clear()
    translations.clear_cache()


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


class TestShippedTranslations:
    def test_uzbek_and_arabic_translate_every_prompt_of_the_newest_release(self):
        catalogue = latest_catalogue()

        for language in ("uz", "ar"):
            translation = get_translation(catalogue.version, language)
            assert translation is not None, language
            for indicator in catalogue:
                texts = prompts_in(catalogue, indicator, language)
                assert len(texts) == len(indicator.prompts)
                assert all(text.strip() for text in texts)

    def test_every_shipped_file_is_complete_and_current(self):
        report = translations.statuses()

        assert [status.language for status in report] == list(PERSON_LANGUAGES)
        assert [(s.language, s.problems) for s in report if s.problems] == []

    def test_the_machine_made_translations_are_drafts_never_claimed_reviewed(self):
        version = latest_catalogue().version

        for language in ("uz", "ar"):
            review = get_translation(version, language).review
            assert review.status is ReviewStatus.DRAFT
            assert review.reviewer is None

    def test_arabic_prompts_are_arabic_script_without_short_vowel_marks(self):
        # Harakat come back doubled from PDF text extraction; plain modern prose has none.
        catalogue = latest_catalogue()

        for indicator in catalogue:
            for text in prompts_in(catalogue, indicator, "ar"):
                assert re.search("[\u0600-\u06ff]", text), indicator.code
                assert not re.search("[\u064b-\u0652]", text), indicator.code

    def test_the_languages_offered_are_the_working_ones_then_the_translated_ones(self):
        offered = prompt_languages(latest_catalogue().version)

        assert offered[:3] == ("lv", "en", "ru")
        assert {"uz", "ar"} <= set(offered)

    def test_an_old_release_keeps_its_three_working_languages(self):
        # Screenings of release 2026.1 are shown as computed; its prompts are not translated.
        assert prompt_languages("2026.1") == ("lv", "en", "ru")


class TestTheFileIsCheckedAgainstItsRelease:
    def test_a_missing_prompt_is_named_with_its_code_and_position(self, copied_release):
        path = copied_release / "prompts" / "2026.2" / "ar.yaml"
        edit(path, lambda data: data["prompts"]["DR-01"].pop())

        with pytest.raises(TranslationError) as caught:
            read_translation(path, get_catalogue("2026.2"))

        assert any(p.startswith("prompts.DR-01[1]: missing") for p in caught.value.problems)

    def test_a_prompt_whose_english_changed_is_stale(self, copied_release):
        path = copied_release / "prompts" / "2026.2" / "uz.yaml"
        edit(path, lambda data: data["prompts"]["CD-01"][0].update(en="Where is your passport?"))

        with pytest.raises(TranslationError) as caught:
            read_translation(path, get_catalogue("2026.2"))

        assert caught.value.problems == (
            "prompts.CD-01[0]: stale: the release's prompt now reads "
            "'Where is your passport now? Who has had it since you arrived?'",
        )

    def test_a_missing_indicator_and_an_unknown_one_are_named(self, copied_release):
        path = copied_release / "prompts" / "2026.2" / "uz.yaml"

        def change(data):
            data["prompts"]["XX-99"] = data["prompts"].pop("RC-15")

        edit(path, change)

        with pytest.raises(TranslationError) as caught:
            read_translation(path, get_catalogue("2026.2"))

        assert "prompts.RC-15: missing (1 prompts to translate)" in caught.value.problems
        assert "prompts.XX-99: the release has no indicator XX-99" in caught.value.problems

    def test_an_empty_text_is_not_a_translation(self, copied_release):
        path = copied_release / "prompts" / "2026.2" / "uz.yaml"
        edit(path, lambda data: data["prompts"]["CH-07"][0].update(text="  "))

        with pytest.raises(TranslationError) as caught:
            read_translation(path, get_catalogue("2026.2"))

        assert caught.value.problems == ("prompts.CH-07[0]: not translated",)

    def test_a_broken_language_is_not_offered(self, copied_release):
        edit(
            copied_release / "prompts" / "2026.2" / "ar.yaml",
            lambda data: data["prompts"].pop("EX-01"),
        )

        assert "ar" not in prompt_languages("2026.2")
        assert "uz" in prompt_languages("2026.2")

    @pytest.mark.parametrize(
        ("review", "message"),
        [
            ({"status": "reviewed"}, "names its reviewer"),
            ({"status": "reviewed", "reviewer": "Dilnoza R."}, "names its reviewer"),
            ({"status": "draft", "reviewer": "Dilnoza R."}, "a draft names no reviewer"),
            ({"status": "checked"}, "status"),
        ],
    )
    def test_the_review_block_says_who_reviewed_and_when(self, copied_release, review, message):
        path = copied_release / "prompts" / "2026.2" / "uz.yaml"
        edit(path, lambda data: data.update(review=review))

        with pytest.raises(TranslationError) as caught:
            read_translation(path, get_catalogue("2026.2"))

        assert any(p.startswith("review") and message in p for p in caught.value.problems)

    def test_a_reviewed_file_names_the_reviewer_and_date(self, copied_release):
        path = copied_release / "prompts" / "2026.2" / "uz.yaml"
        reviewed = {"status": "reviewed", "reviewer": "Dilnoza R.", "reviewed_on": "2026-12-20"}
        edit(path, lambda data: data.update(review=reviewed))

        review = read_translation(path, get_catalogue("2026.2")).review

        assert review == Review(status="reviewed", reviewer="Dilnoza R.", reviewed_on="2026-12-20")
        assert not review.is_draft

    def test_a_file_for_another_language_is_refused(self, copied_release):
        path = copied_release / "prompts" / "2026.2" / "xx.yaml"
        shutil.copy(copied_release / "prompts" / "2026.2" / "uz.yaml", path)

        with pytest.raises(TranslationError, match="not a person language"):
            read_translation(path, get_catalogue("2026.2"))

    def test_a_template_lists_every_prompt_to_translate(self):
        catalogue = latest_catalogue()

        data = yaml.safe_load(translations.template(catalogue, "tg"))

        assert data["review"]["status"] == "draft"
        assert sum(len(p) for p in data["prompts"].values()) == sum(
            len(indicator.prompts) for indicator in catalogue
        )
        assert data["prompts"]["DR-01"][0] == {
            "en": catalogue.indicators[0].prompts[0].en,
            "text": "",
        }


class TestTheI18nCheck:
    def test_it_reports_each_language_and_its_review_status(self, copied_release, capsys):
        call_command("i18n", "languages")

        report = capsys.readouterr().out
        assert "uz: complete (110 texts), DRAFT: needs review by a native speaker" in report
        assert "ar: complete (110 texts), DRAFT" in report
        assert "tr: not translated yet (not offered)" in report or "tr: complete" in report

    def test_it_fails_when_a_language_file_misses_a_prompt(self, copied_release):
        edit(
            copied_release / "prompts" / "2026.2" / "ar.yaml",
            lambda data: data["prompts"]["CD-04"].pop(),
        )

        with pytest.raises(CommandError) as caught:
            call_command("i18n", "languages")

        assert "screening.prompts ar: prompts.CD-04[1]: missing" in str(caught.value)

    def test_it_fails_on_a_stale_prompt(self, copied_release):
        edit(
            copied_release / "prompts" / "2026.2" / "uz.yaml",
            lambda data: data["prompts"]["VR-09"][0].update(en="Who depends on you?"),
        )

        with pytest.raises(CommandError, match=r"screening.prompts uz: prompts.VR-09\[0\]: stale"):
            call_command("i18n", "languages")


@pytest.fixture(scope="module")
def pdf_text():
    """The text of the hand-over aid in Arabic for a Latvian officer (built once)."""
    pdf = interview_aid_pdf(
        catalogue=latest_catalogue(), person_language="ar", officer_language="lv", stage="handover"
    )
    return pdftotext(pdf)


@pytest.mark.parametrize(
    "language",
    [code for code in PERSON_LANGUAGES if (SHIPPED_PROMPTS / "2026.2" / f"{code}.yaml").is_file()],
)
def test_each_shipped_language_comes_out_in_its_own_script(language):
    catalogue = latest_catalogue()
    translation = get_translation(catalogue.version, language)

    text = pdftotext(
        interview_aid_pdf(
            catalogue=catalogue, person_language=language, officer_language="lv", stage="handover"
        )
    )

    # pdftotext may split an Indic cluster with a space ("संके त"): compare without spaces.
    unspaced = "".join(text.split())
    for sample in (
        translation.title,
        prompts_in(catalogue, catalogue.indicator("RC-11"), language)[0],
    ):
        plain = re.sub('[\u200c/()«»“”„"]', " ", sample)
        assert all(word in unspaced for word in words(plain)), sample


class TestTheAidInArabic:
    def test_the_arabic_prompts_are_in_the_pdf_text(self, pdf_text):
        catalogue = latest_catalogue()
        prompt = prompts_in(catalogue, catalogue.indicator("RC-11"), "ar")[0]

        assert prompt == "كيف تشعر؟ هل تحتاج إلى طبيب؟"
        assert all(word in pdf_text for word in words(prompt))
        # A whole right-to-left sentence survives extraction in order.
        assert "هل تحتاج إلى طبيب" in pdf_text

    def test_the_draft_footer_is_in_arabic_and_in_latvian(self, pdf_text):
        notice = get_translation(latest_catalogue().version, "ar").draft_notice

        assert all(word in pdf_text for word in words(notice))
        assert "Tulkojuma melnraksts" in pdf_text

    def test_the_arabic_font_is_embedded(self):
        pdf = interview_aid_pdf(
            catalogue=latest_catalogue(),
            person_language="ar",
            officer_language="en",
            stage="handover",
        )
        fonts = subprocess.run(
            ["pdffonts", "-"],  # noqa: S607
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()

        assert "NotoNaskhArabic" in fonts

    def test_a_working_language_has_no_draft_footer(self):
        text = pdftotext(
            interview_aid_pdf(
                catalogue=latest_catalogue(), person_language="ru", officer_language="lv"
            )
        )

        assert "Tulkojuma melnraksts" not in text

    def test_the_uzbek_aid_says_it_is_a_draft_in_uzbek_and_latvian(self):
        text = pdftotext(
            interview_aid_pdf(
                catalogue=latest_catalogue(),
                person_language="uz",
                officer_language="lv",
                stage="handover",
            )
        )

        assert "Tarjima loyihasi" in text
        assert "Tulkojuma melnraksts" in text


@pytest.mark.django_db
class TestTheInterviewInArabic:
    def test_the_start_form_offers_the_translated_languages(self, client_for, janis, detainee):
        response = client_for(janis).get(reverse("screening:session_start", args=[detainee.pk]))

        choices = dict(response.context["form"].fields["prompt_language"].choices)
        assert list(choices)[:3] == ["lv", "en", "ru"]
        assert choices["ar"] == "Arabic (العربية)"
        assert choices["uz"] == "Uzbek (o‘zbek)"

    def test_a_language_without_its_file_is_not_offered(
        self, copied_release, client_for, janis, detainee
    ):
        (copied_release / "prompts" / "2026.2" / "uz.yaml").unlink()

        response = client_for(janis).get(reverse("screening:session_start", args=[detainee.pk]))

        choices = dict(response.context["form"].fields["prompt_language"].choices)
        assert "uz" not in choices
        assert "ar" in choices

    def test_an_uzbek_speaker_gets_uzbek_prompts_by_default(self, client_for, janis, detainee):
        detainee.preferred_language = "uz"
        detainee.save(update_fields=["preferred_language"])

        response = client_for(janis).get(reverse("screening:session_start", args=[detainee.pk]))

        assert response.context["form"].initial["prompt_language"] == "uz"

    def test_a_screening_started_in_arabic_shows_the_prompts_right_to_left(
        self, client_for, janis, detainee
    ):
        officer = client_for(janis)
        response = officer.post(
            reverse("screening:session_start", args=[detainee.pk]),
            {
                "stage": "detention_intake",
                "interview_language": "ar",
                "prompt_language": "ar",
                "officer_language": "lv",
                "exploitation_form": "unknown",
            },
        )
        session = ScreeningSession.objects.get(person=detainee)
        assert response.status_code == 302
        assert session.prompt_language == "ar"

        page = officer.get(reverse("screening:session_interview", args=[session.pk]))

        html = page.content.decode()
        prompt = prompts_in(latest_catalogue(), latest_catalogue().indicator("DR-02"), "ar")[0]
        assert f'<td lang="ar" dir="rtl">{prompt}</td>' in html
        # The Latvian stays beside it for the officer, left to right.
        assert '<td lang="lv">Cik Jums solīja maksāt? Cik Jūs patiesībā saņēmāt?</td>' in html
        assert "draft translation, not yet reviewed by a native speaker" in html

    def test_a_russian_screening_is_left_to_right(self, client_for, janis, detainee):
        session = OpenSessionFactory(person=detainee, screener=janis)

        html = (
            client_for(janis)
            .get(reverse("screening:session_interview", args=[session.pk]))
            .content.decode()
        )

        assert 'lang="ru" dir="ltr"' in html
        assert 'dir="rtl"' not in html

    def test_a_language_without_a_translation_is_refused(
        self, copied_release, client_for, janis, detainee
    ):
        (copied_release / "prompts" / "2026.2" / "ar.yaml").unlink()

        response = client_for(janis).post(
            reverse("screening:session_start", args=[detainee.pk]),
            {
                "stage": "detention_intake",
                "interview_language": "ar",
                "prompt_language": "ar",
                "officer_language": "lv",
                "exploitation_form": "unknown",
            },
        )

        assert response.status_code == 200
        assert "prompt_language" in response.context["form"].errors
        assert not ScreeningSession.objects.filter(person=detainee).exists()

    def test_the_aid_page_names_the_draft_languages(self, client_for, janis):
        html = client_for(janis).get(reverse("screening:aid")).content.decode()

        assert "Draft translations, not yet reviewed by a native speaker:" in html
        assert "Arabic" in html

    def test_the_aid_downloads_in_arabic(self, client_for, janis):
        response = client_for(janis).get(
            reverse("screening:aid_download"),
            {"person_language": "ar", "officer_language": "lv", "stage": "handover"},
        )

        assert response.status_code == 200
        assert "هل تحتاج إلى طبيب" in pdftotext(response.content)
