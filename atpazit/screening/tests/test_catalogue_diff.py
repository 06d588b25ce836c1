"""A new catalogue release is reviewed as a diff against the previous one."""

from __future__ import annotations

from atpazit.screening.catalogue import (
    catalogue_to_dict,
    diff_catalogues,
    diff_to_dict,
    get_catalogue,
    parse_catalogue,
)

from .catalogue_factories import catalogue_data, indicator_data


def release(version, indicators):
    return parse_catalogue(catalogue_data(version, indicators), origin=f"{version}.yaml")


def old_indicators():
    return [
        indicator_data("DR-01", "deceptive_recruitment", "S", "S"),
        indicator_data("EX-01", "exploitative_conditions", "M", "M"),
        indicator_data("RC-01", "return_context", "M", "M"),
    ]


def test_identical_releases_have_an_empty_diff():
    diff = diff_catalogues(release("2026.1", old_indicators()), release("2026.2", old_indicators()))

    assert diff.is_empty
    assert diff_to_dict(diff) == {
        "old_version": "2026.1",
        "new_version": "2026.2",
        "added": [],
        "removed": [],
        "changed": [],
        "forms_added": [],
        "forms_removed": [],
        "same_fact_changed": [],
    }


def test_the_diff_lists_added_removed_and_changed_indicators_with_their_fields():
    new = old_indicators()
    del new[2]  # RC-01 removed
    new.append(indicator_data("CH-01", "child_specific", "M", "S"))
    new[1]["strength"]["adult"]["sexual"] = "S"
    new[1]["strength"]["child"]["labour"] = "S"
    new[1]["text"]["lv"] = "Pārmērīgi gara darba diena"
    new[1]["prompts"].append({"lv": "Cik?", "en": "How many?", "ru": "Сколько?"})
    new[0]["dimension"] = "coercive_recruitment"
    new[0]["htcds"] = "FalsePromises"

    diff = diff_catalogues(release("2026.1", old_indicators()), release("2026.2", new))

    assert not diff.is_empty
    assert diff_to_dict(diff) == {
        "old_version": "2026.1",
        "new_version": "2026.2",
        "added": ["CH-01"],
        "removed": ["RC-01"],
        "changed": [
            {"code": "DR-01", "fields": ["dimension", "htcds"]},
            {
                "code": "EX-01",
                "fields": [
                    "strength.adult.sexual",
                    "strength.child.labour",
                    "text.lv",
                    "prompts",
                ],
            },
        ],
        "forms_added": [],
        "forms_removed": [],
        "same_fact_changed": [],
    }


def test_the_listing_gives_codes_dimensions_and_strengths_per_profile():
    listing = catalogue_to_dict(release("2026.1", old_indicators()))

    assert listing["version"] == "2026.1"
    first = listing["indicators"][0]
    assert first["code"] == "DR-01"
    assert first["dimension"] == "deceptive_recruitment"
    assert first["strength"]["adult"]["labour"] == "strong"
    assert set(first["strength"]["child"]) == {
        "unknown",  # derived: the highest strength across the forms
        "labour",
        "sexual",
        "criminality",
        "begging",
        "domestic_servitude",
        "sham_marriage",
    }
    assert "text" not in first


def test_the_listing_carries_texts_in_one_language_when_asked():
    listing = catalogue_to_dict(release("2026.1", old_indicators()), lang="ru")

    first = listing["indicators"][0]
    assert first["text"] == "Indicator DR-01 (ru)"
    assert first["prompts"] == ["Question about DR-01? (ru)"]
    assert first["guidance"] == "What to look for with DR-01. (ru)"


def test_the_diff_names_new_forms_and_changed_same_fact_groups():
    old = release("2026.1", old_indicators())
    data = catalogue_data("2026.2", old_indicators())
    forms = ["labour", "sexual", "criminality", "begging", "domestic_servitude", "sham_marriage"]
    data["forms"] = [*forms, "forced_marriage"]
    for entry in data["indicators"]:
        for age in ("adult", "child"):
            entry["strength"][age]["forced_marriage"] = entry["strength"][age]["labour"]
    data["same_fact"] = {"documents": ["DR-01", "RC-01"]}
    new = parse_catalogue(data, origin="draft")

    diff = diff_to_dict(diff_catalogues(old, new))

    assert diff["forms_added"] == ["forced_marriage"]
    assert diff["same_fact_changed"] == ["documents"]
    assert diff["changed"] == []


def test_the_shipped_2026_2_diff_shows_the_issue_9_changes():
    diff = diff_catalogues(get_catalogue("2026.1"), get_catalogue("2026.2"))
    changed = {change.code: change.fields for change in diff.changed}

    assert diff.forms_added == ("forced_marriage", "illegal_adoption", "organ_removal")
    assert {"EX-11", "EX-12", "EX-13", "EX-14", "EX-15", "RC-14", "RC-15", "CH-07"} <= set(
        diff.added
    )
    assert diff.removed == ()
    assert {"text.en", "coercion", "strength.adult.labour"} <= set(changed["RC-01"])
    assert "text.en" in changed["RC-13"]
