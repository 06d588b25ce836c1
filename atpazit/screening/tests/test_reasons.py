"""Reasons are stored as codes with parameters and rendered in lv, en or ru when shown.

Needs the compiled catalogues (``make compilemessages``, which ``make test`` runs first)."""

from __future__ import annotations

import pytest
from django.utils import translation

from atpazit.screening import reasons as r
from atpazit.screening.engine import PersonFacts, assessment_to_dict
from atpazit.screening.reasons import Reason, label, render_reason

from .catalogue_factories import ADULT_LABOUR, CHILD_LABOUR, assess

LANGUAGES = ("lv", "en", "ru")

# One sample of every reason code, with parameters of the kinds the engine gives it.
SAMPLES = {
    r.RULE_R1: Reason.of(r.RULE_R1, indicators=("EX-03", "RC-01")),
    r.RULE_R2: Reason.of(r.RULE_R2, indicators=("DR-01",)),
    r.RULE_R3: Reason.of(r.RULE_R3, means=("coercion_at_destination", "return_context")),
    r.RULE_R4: Reason.of(r.RULE_R4, indicators=("EX-03",)),
    r.RULE_R5: Reason.of(r.RULE_R5, indicators=("DR-03", "RC-01")),
    r.RULE_R6: Reason.of(r.RULE_R6),
    r.RULE_R2_COERCION: Reason.of(
        r.RULE_R2_COERCION, dimension="coercion_at_destination", indicators=("CD-10", "RC-05")
    ),
    r.RULE_R7: Reason.of(r.RULE_R7, stage="handover", indicators=("RC-13",)),
    r.SAME_FACT: Reason.of(r.SAME_FACT, dimension="return_context", indicators=("RC-13",)),
    r.CHILD_BY_AGE: Reason.of(r.CHILD_BY_AGE, age=16),
    r.CHILD_BY_DISPUTED_AGE: Reason.of(r.CHILD_BY_DISPUTED_AGE),
    r.CHILD_BY_PROFILE: Reason.of(r.CHILD_BY_PROFILE, age=24),
    r.AGE_GROUP_FROM_FACTS: Reason.of(r.AGE_GROUP_FROM_FACTS, effective="child", requested="adult"),
    r.DIMENSION_POSITIVE: Reason.of(
        r.DIMENSION_POSITIVE,
        dimension="exploitative_conditions",
        strong=1,
        medium=1,
        weak=0,
        indicators=("EX-01", "EX-03"),
    ),
    r.PATTERN_ADULT_TRAFFICKING: Reason.of(r.PATTERN_ADULT_TRAFFICKING),
    r.PATTERN_CHILD_TRAFFICKING: Reason.of(r.PATTERN_CHILD_TRAFFICKING),
    r.PATTERN_DECEPTION_EXPLOITATION: Reason.of(
        r.PATTERN_DECEPTION_EXPLOITATION, dimensions=("deceptive_recruitment",)
    ),
    r.PATTERN_EXPLOITED_MIGRANT: Reason.of(r.PATTERN_EXPLOITED_MIGRANT),
    r.PATTERN_INSUFFICIENT: Reason.of(r.PATTERN_INSUFFICIENT),
    r.THIRD_PARTY_ONLY: Reason.of(r.THIRD_PARTY_ONLY, indicator="RC-01"),
    r.RESTS_ON_THIRD_PARTY: Reason.of(r.RESTS_ON_THIRD_PARTY, without="rescreen_next_stage"),
    r.CHILD_SIGN_FOR_ADULT: Reason.of(r.CHILD_SIGN_FOR_ADULT, indicators=("CH-01",)),
    r.NON_PUNISHMENT: Reason.of(r.NON_PUNISHMENT, indicators=("CD-09",)),
}


def test_there_is_a_sample_for_every_reason_code():
    assert set(SAMPLES) == set(r.MESSAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_every_reason_renders_completely_in_every_language(code, lang):
    text = render_reason(SAMPLES[code], lang)

    assert text.strip()
    assert "%(" not in text
    for name, value in SAMPLES[code].params:
        if isinstance(value, tuple) and name == "indicators":
            assert all(item in text for item in value)  # codes are shown as they are


@pytest.mark.parametrize("lang", ["lv", "ru"])
def test_every_message_and_label_is_translated(lang):
    tables = [
        r.MESSAGES,
        r.DIMENSION_LABELS,
        r.RECOMMENDATION_LABELS,
        r.PATTERN_LABELS,
        r.AGE_GROUP_LABELS,
        r.FORM_LABELS,
        r.EVIDENCE_SOURCE_LABELS,
        r.STAGE_LABELS,
    ]
    with translation.override(lang):
        untranslated = [
            source
            for table in tables
            for source in table.values()
            if translation.gettext(source) == source
        ]

    assert untranslated == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "R4: exploitation indicators (EX-03), but not enough for R1 to R3: inform the State "
            "Labour Inspectorate and re-screen at the next stage.",
        ),
        (
            "lv",
            "R4: ekspluatācijas pazīmes (EX-03), taču ar tām nepietiek, lai piemērotu R1–R3: "
            "informējiet Valsts darba inspekciju un atkārtojiet pārbaudi nākamajā posmā.",
        ),
        (
            "ru",
            "R4: есть признаки эксплуатации (EX-03), но их недостаточно для правил R1–R3: "
            "сообщите в Государственную инспекцию труда и повторите проверку на следующем этапе.",
        ),
    ],
)
def test_r4_names_the_state_labour_inspectorate_in_each_language(lang, expected):
    assert render_reason(SAMPLES[r.RULE_R4], lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "R3: exploitation together with means (coercion at destination, signs of control"),
        ("lv", "R3: ekspluatācija kopā ar līdzekļiem (piespiešana galamērķī, kontroles pazīmes"),
        ("ru", "R3: эксплуатация в сочетании со средствами воздействия (принуждение в месте"),
    ],
)
def test_dimension_parameters_are_shown_as_translated_labels(lang, expected):
    assert render_reason(SAMPLES[r.RULE_R3], lang).startswith(expected)


def test_a_recommendation_parameter_is_shown_as_its_label():
    text = render_reason(SAMPLES[r.RESTS_ON_THIRD_PARTY], "lv")

    assert "atkārtot pārbaudi nākamajā posmā ar padziļinātām pārrunām" in text


def test_rendering_does_not_change_the_active_language():
    with translation.override("ru"):
        render_reason(SAMPLES[r.RULE_R1], "lv")
        assert translation.get_language() == "ru"


def test_an_unsupported_language_is_refused():
    with pytest.raises(ValueError, match="unsupported language 'de'"):
        render_reason(SAMPLES[r.RULE_R6], "de")


def test_labels_translate_one_code():
    assert label(r.DIMENSION_LABELS, "coercive_recruitment", "ru") == "вербовка путём принуждения"
    assert label(r.STAGE_LABELS, "pre_departure", "lv") == "pirms izbraukšanas"


def test_the_same_stored_assessment_renders_in_each_language():
    assessment = assess("DR-01", "EX-03", profile=ADULT_LABOUR)

    lv = assessment_to_dict(assessment, lang="lv")["reasons"]
    ru = assessment_to_dict(assessment, lang="ru")["reasons"]

    assert [reason["code"] for reason in lv] == [reason["code"] for reason in ru]
    assert lv[0]["text"].startswith("R2: spēcīga maldināšanas vai piespiešanas pazīme (DR-01)")
    assert ru[0]["text"].startswith("R2: сильный признак обмана или принуждения (DR-01)")


def test_a_child_assessment_explains_itself_in_latvian():
    assessment = assess("RC-03", profile=CHILD_LABOUR, facts=PersonFacts(age=15))

    texts = [reason["text"] for reason in assessment_to_dict(assessment, lang="lv")["reasons"]]

    assert texts[0] == "Uzskatīts par bērnu: norādītais vecums (15) ir mazāks par 18 gadiem."
    assert texts[1].startswith("R1: bērns (jaunāks par 18 gadiem vai ar apšaubītu vecumu)")
