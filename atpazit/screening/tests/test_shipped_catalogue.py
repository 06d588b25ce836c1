"""The shipped catalogues 2026.1 and 2026.2: they load, covers the ILO lists and the return context, in lv/en/ru."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from atpazit.screening.catalogue import (
    CATALOGUE_DIR,
    PROFILES,
    AgeGroup,
    Catalogue,
    Dimension,
    Form,
    Profile,
    Stage,
    Strength,
    available_versions,
    get_catalogue,
    load_catalogue_file,
)
from atpazit.screening.engine import (
    EvidenceSource,
    Observation,
    PersonFacts,
    Recommendation,
    evaluate,
)

VERSION = "2026.1"
S, M, W = Strength.STRONG, Strength.MEDIUM, Strength.WEAK
ADULT_LABOUR = Profile(AgeGroup.ADULT, Form.LABOUR)
CHILD_LABOUR = Profile(AgeGroup.CHILD, Form.LABOUR)
ADULT_SEXUAL = Profile(AgeGroup.ADULT, Form.SEXUAL)

# Items per ILO/EC 2009 dimension in the adult labour list (domain.md §2.1: 67 in all).
ILO_ITEMS = {
    Dimension.DECEPTIVE_RECRUITMENT: ("DR", 10),
    Dimension.COERCIVE_RECRUITMENT: ("CR", 10),
    Dimension.RECRUITMENT_ABUSE_OF_VULNERABILITY: ("VR", 16),
    Dimension.EXPLOITATIVE_CONDITIONS: ("EX", 9),
    Dimension.COERCION_AT_DESTINATION: ("CD", 15),
    Dimension.ABUSE_OF_VULNERABILITY_AT_DESTINATION: ("VD", 7),
}
PREFIXES = {dimension: prefix for dimension, (prefix, _) in ILO_ITEMS.items()} | {
    Dimension.RETURN_CONTEXT: "RC",
    Dimension.CHILD_SPECIFIC: "CH",
}
RECRUITMENT = {
    Dimension.DECEPTIVE_RECRUITMENT,
    Dimension.COERCIVE_RECRUITMENT,
    Dimension.RECRUITMENT_ABUSE_OF_VULNERABILITY,
}
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATVIAN_LETTERS = re.compile(r"[āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ]")
SMUGGLING = {
    "en": re.compile(r"smuggl|border crossing", re.IGNORECASE),
    "lv": re.compile(r"kontraband|pārvedēj|robežas šķērs", re.IGNORECASE),
    "ru": re.compile(r"контрабанд|перевозчик|пересечени. границ", re.IGNORECASE),
}


@pytest.fixture(scope="module", params=["2026.1", "2026.2"])
def catalogue(request) -> Catalogue:
    """Every shipped release keeps these properties (2026.1 stays for old screenings)."""
    return load_catalogue_file(CATALOGUE_DIR / f"{request.param}.yaml")


def rated_profiles() -> list[tuple[str, Profile]]:
    """Each shipped release with each profile it rates (2026.1 predates the newer forms), so no
    test is generated for a pair that cannot exist."""
    pairs = []
    for version in ("2026.1", "2026.2"):
        shipped = load_catalogue_file(CATALOGUE_DIR / f"{version}.yaml")
        pairs += [(version, profile) for profile in PROFILES if shipped.rates(profile.form)]
    return pairs


RATED = rated_profiles()
RATED_IDS = [f"{version}-{p.age_group}-{p.form}" for version, p in RATED]


def strong_codes(catalogue: Catalogue, profile: Profile, dimensions: set[Dimension]) -> list[str]:
    table = catalogue.table(profile)
    return [code for code, (dim, strength) in table.items() if dim in dimensions and strength is S]


def test_it_is_shipped_and_loads_by_version():
    assert VERSION in available_versions()
    assert get_catalogue(VERSION).version == VERSION


def test_it_holds_a_complete_but_usable_number_of_indicators(catalogue):
    assert 60 <= len(catalogue.indicators) <= 110


@pytest.mark.parametrize("dimension", list(Dimension))
def test_every_dimension_has_indicators(catalogue, dimension):
    assert any(indicator.dimension is dimension for indicator in catalogue)


def test_codes_are_unique_and_name_their_dimension(catalogue):
    codes = [indicator.code for indicator in catalogue]
    assert len(codes) == len(set(codes))
    for indicator in catalogue:
        assert indicator.code.startswith(PREFIXES[indicator.dimension] + "-"), indicator.code


@pytest.mark.parametrize(("dimension", "expected"), list(ILO_ITEMS.items()))
def test_it_has_one_indicator_per_item_of_each_ilo_list(catalogue, dimension, expected):
    _, count = expected
    # Release 2026.2 adds non-ILO "purpose" and situation indicators (no `ilo` wording) here.
    items = [ind.ilo for ind in catalogue if ind.dimension is dimension and ind.ilo]
    assert len(items) == count
    assert len(set(items)) == count


@pytest.mark.parametrize(("version", "profile"), RATED, ids=RATED_IDS)
def test_every_profile_has_two_strong_recruitment_indicators(version, profile):
    catalogue = get_catalogue(version)
    assert len(strong_codes(catalogue, profile, RECRUITMENT)) >= 2


@pytest.mark.parametrize(("version", "profile"), RATED, ids=RATED_IDS)
def test_every_profile_has_two_strong_coercion_at_destination_indicators(version, profile):
    catalogue = get_catalogue(version)
    destination = {Dimension.COERCION_AT_DESTINATION}
    assert len(strong_codes(catalogue, profile, destination)) >= 2


@pytest.mark.parametrize(
    ("code", "ilo", "profile", "strength"),
    [
        ("DR-01", "Deceived about the nature of the job", ADULT_LABOUR, S),
        ("DR-02", "Deceived about wages", ADULT_LABOUR, M),
        ("DR-10", "education", ADULT_LABOUR, W),
        ("DR-10", "education", CHILD_LABOUR, S),
        ("CR-01", "Violence on victims", ADULT_LABOUR, S),
        ("CR-02", "Threats of violence", ADULT_LABOUR, M),
        ("CR-02", "Threats of violence", CHILD_LABOUR, S),
        ("CR-04", "Debt bondage", ADULT_LABOUR, M),
        ("CR-04", "Debt bondage", CHILD_LABOUR, S),
        ("CR-05", "Confiscation of documents", ADULT_LABOUR, M),
        ("VR-15", "cultural/religious beliefs", ADULT_LABOUR, W),
        ("VR-16", "General context", CHILD_LABOUR, M),
        ("EX-01", "Excessive working days or hours", ADULT_LABOUR, S),
        ("EX-02", "Low or no salary", ADULT_LABOUR, M),
        ("EX-09", "No access to education", ADULT_LABOUR, W),
        ("CD-01", "Confiscation of documents", ADULT_LABOUR, S),
        ("CD-02", "Debt bondage", ADULT_LABOUR, S),
        ("CD-03", "Isolation, confinement or surveillance", ADULT_LABOUR, S),
        ("CD-04", "Violence on victims", ADULT_LABOUR, S),
        ("CD-06", "illicit/criminal activities", ADULT_LABOUR, M),
        ("CD-06", "illicit/criminal activities", CHILD_LABOUR, S),
        ("CD-07", "Forced tasks or clients", ADULT_LABOUR, M),
        ("CD-07", "Forced tasks or clients", ADULT_SEXUAL, S),
        ("CD-14", "Withholding of wages", ADULT_LABOUR, M),
        ("CD-15", "Threats to inform family", ADULT_LABOUR, W),
        ("VD-01", "Dependency on exploiters", ADULT_LABOUR, M),
        ("VD-07", "Personal characteristics", ADULT_LABOUR, W),
    ],
)
def test_strengths_follow_the_ilo_lists(catalogue, code, ilo, profile, strength):
    indicator = catalogue.indicator(code)
    assert ilo in indicator.ilo
    assert indicator.strength(profile) is strength


@pytest.mark.parametrize(
    ("item", "code", "htcds"),
    [
        (1, "DR-01", "FalsePromises"),
        (2, "DR-02", "FalsePromises"),
        (3, "CR-04", "DebtBondage"),
        (4, "CD-02", "DebtBondage"),
        (5, "CD-01", "WithholdsDocuments"),
        (6, "CD-03", "RestrictsMovement"),
        (7, "CD-04", "PhysicalAbuse"),
        (8, "CD-05", "Threats"),
        (9, "CR-07", "ThreatOfLawEnforcement"),
        (10, "CD-14", "TakesEarnings"),
        (11, "EX-01", "ExcessiveWorkingHours"),
        (12, "EX-04", "WithholdsNecessities"),
        (13, "CD-06", None),
        (14, "CD-10", "PsychologicalAbuse"),
        (15, "VD-01", "RestrictsFinancialAccess"),
        (16, "VD-05", "ThreatOfLawEnforcement"),
        (17, "VD-02", None),
        (18, "VR-11", "PsychologicalAbuse"),
        (19, "CH-01", None),
        (20, "CH-03", None),
        (21, "RC-08", "Threats"),
        (22, "RC-06", None),
    ],
)
def test_every_item_of_the_return_context_checklist_has_an_indicator(catalogue, item, code, htcds):
    indicator = catalogue.indicator(code)
    assert "§2.11" in indicator.notes
    assert re.search(rf"#{item}\b", indicator.notes)
    assert indicator.htcds == htcds


def test_every_indicator_is_written_in_latvian_english_and_russian(catalogue):
    for indicator in catalogue:
        texts = [indicator.text, indicator.guidance, *indicator.prompts]
        assert indicator.prompts, indicator.code
        for text in texts:
            assert all(text.in_language(lang) for lang in ("lv", "en", "ru")), indicator.code
            assert CYRILLIC.search(text.ru), indicator.code
            assert not CYRILLIC.search(text.lv + text.en), indicator.code
        assert LATVIAN_LETTERS.search(indicator.text.lv + indicator.guidance.lv), indicator.code


def test_prompts_are_short_questions_to_the_person(catalogue):
    for indicator in catalogue:
        for prompt in indicator.prompts:
            for lang in ("lv", "en", "ru"):
                assert prompt.in_language(lang).endswith("?"), (indicator.code, lang)
            assert len(prompt.en) <= 110, indicator.code
            assert not re.search(r"illegal|smuggl|\blie\b|\blying\b", prompt.en, re.I), (
                indicator.code
            )


def test_no_indicator_makes_smuggling_an_indicator_by_itself(catalogue):
    for indicator in catalogue:
        for lang, pattern in SMUGGLING.items():
            assert not pattern.search(indicator.text.in_language(lang)), (indicator.code, lang)


@pytest.mark.parametrize("code", ["DR-06", "DR-07", "VR-14", "RC-07"])
def test_travel_and_debt_indicators_exclude_a_crossing_paid_in_full(catalogue, code):
    guidance = catalogue.indicator(code).guidance.en
    assert re.search(r"paid (for it )?in full|Paying someone", guidance)
    assert re.search(r"is not this indicator|shows no indicator", guidance)


def test_a_child_is_never_rated_below_an_adult(catalogue):
    order = {W: 0, M: 1, S: 2}
    for indicator in catalogue:
        for form in catalogue.forms:
            adult = indicator.strength(Profile(AgeGroup.ADULT, form))
            child = indicator.strength(Profile(AgeGroup.CHILD, form))
            assert order[child] >= order[adult], (indicator.code, form)


def test_every_indicator_says_where_its_strengths_come_from(catalogue):
    for indicator in catalogue:
        assert indicator.sources, indicator.code
        assert indicator.stages, indicator.code
        if indicator.ilo:
            assert any(source.key == "ilo-2009" for source in indicator.sources), indicator.code
            assert "ILO 2009" in indicator.notes, indicator.code
            assert "analogy" in indicator.notes, indicator.code
        else:
            assert "ILO" in indicator.notes, indicator.code


def test_only_forced_criminality_flags_the_non_punishment_check(catalogue):
    expected = {"2026.1": {"CD-06"}, "2026.2": {"CD-06", "EX-13"}}[catalogue.version]
    assert catalogue.forced_criminality_codes == frozenset(expected)


def observe(*codes: str) -> list[Observation]:
    stage = Stage.PRE_RETURN_INTERVIEW
    return [Observation(code, EvidenceSource.SAID_BY_PERSON, stage) for code in codes]


def test_no_indicators_means_no_action(catalogue):
    assessment = evaluate(catalogue, ADULT_LABOUR, [], PersonFacts(age=30))
    assert assessment.recommendation is Recommendation.NO_ACTION


@pytest.mark.parametrize("code", ["DR-01", "CR-01", "CD-01", "CD-02", "CD-03", "CD-04"])
def test_one_strong_deception_or_coercion_indicator_refers_an_adult_worker(catalogue, code):
    assessment = evaluate(catalogue, ADULT_LABOUR, observe(code), PersonFacts(age=30))
    assert assessment.recommendation is Recommendation.REFER_FOR_IDENTIFICATION


def test_any_single_indicator_makes_a_child_protection_referral(catalogue):
    for indicator in catalogue:
        for form in catalogue.forms:
            profile = Profile(AgeGroup.CHILD, form)
            facts = PersonFacts(age=15)
            assessment = evaluate(catalogue, profile, observe(indicator.code), facts)
            assert assessment.recommendation is Recommendation.CHILD_PROTECTION_REFERRAL


def test_return_context_signs_count_as_means_with_exploitation(catalogue):
    codes = observe("EX-01", "EX-02", "RC-06", "RC-01")
    assessment = evaluate(catalogue, ADULT_LABOUR, codes, PersonFacts(age=30))
    assert assessment.recommendation is Recommendation.REFER_FOR_IDENTIFICATION
    assert "R3" in assessment.fired_rules


def test_the_dimension_counts_match_the_ilo_totals(catalogue):
    counts = Counter(indicator.dimension for indicator in catalogue if indicator.ilo)
    assert sum(counts[dimension] for dimension in ILO_ITEMS) == 67
