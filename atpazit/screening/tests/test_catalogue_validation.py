"""A malformed catalogue file is refused with a message naming the file, the indicator code and
the field — every problem at once, so an editor can fix them in one pass."""

from __future__ import annotations

import pytest

from atpazit.screening.catalogue import (
    AgeGroup,
    CatalogueError,
    Dimension,
    Form,
    Profile,
    Strength,
    available_versions,
    get_catalogue,
    latest_catalogue,
    load_catalogue_file,
)

from .catalogue_factories import catalogue_data, indicator_data, write_catalogue


def two_indicators():
    return [
        indicator_data("DR-01", "deceptive_recruitment", "S", "S", htcds="FalsePromises"),
        indicator_data("EX-01", "exploitative_conditions", "M", "S"),
    ]


def load(tmp_path, data, name=None):
    return load_catalogue_file(write_catalogue(tmp_path, data, name))


def refused(tmp_path, data, name=None) -> CatalogueError:
    with pytest.raises(CatalogueError) as caught:
        load(tmp_path, data, name)
    return caught.value


def test_a_valid_file_loads_with_every_profile_indexed(tmp_path):
    loaded = load(tmp_path, catalogue_data(indicators=two_indicators()))

    assert loaded.version == "2026.1"
    assert [indicator.code for indicator in loaded] == ["DR-01", "EX-01"]
    assert "DR-01" in loaded
    assert "ZZ-01" not in loaded
    dr01 = loaded.indicator("DR-01")
    assert dr01.dimension is Dimension.DECEPTIVE_RECRUITMENT
    assert dr01.htcds == "FalsePromises"
    assert dr01.text.in_language("ru") == "Indicator DR-01 (ru)"
    assert dr01.sources[0].key == "ilo2009"
    child_sexual = Profile(AgeGroup.CHILD, Form.SEXUAL)
    assert loaded.table(child_sexual)["EX-01"] == (
        Dimension.EXPLOITATIVE_CONDITIONS,
        Strength.STRONG,
    )
    assert len(dr01.strengths) == 14  # 2 age groups x (6 rated forms + the derived "unknown")


def with_indicator_change(path: str, value):
    """The two-indicator catalogue with one field of EX-01 changed (``None`` deletes it)."""
    data = catalogue_data(indicators=two_indicators())
    target = data["indicators"][1]
    *parents, last = path.split(".")
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if value is None:
        del target[last]
    else:
        target[last] = value
    return data


# (name, data, what the message must say)
INVALID = [
    (
        "missing translation",
        with_indicator_change("text.ru", None),
        "indicator EX-01, field 'text.ru': missing translation",
    ),
    (
        "blank translation of a prompt",
        with_indicator_change("prompts.0.lv", "  "),
        "indicator EX-01, field 'prompts[0].lv': missing translation",
    ),
    (
        "unknown language",
        with_indicator_change("guidance.de", "Hinweis"),
        "indicator EX-01, field 'guidance.de': unknown language",
    ),
    (
        "unknown dimension",
        with_indicator_change("dimension", "exploitation"),
        "indicator EX-01, field 'dimension': unknown dimension 'exploitation'",
    ),
    (
        "a list where the dimension should be",
        with_indicator_change("dimension", ["exploitative_conditions"]),
        "indicator EX-01, field 'dimension': unknown dimension",
    ),
    (
        "unknown strength",
        with_indicator_change("strength.adult.labour", "X"),
        "indicator EX-01, field 'strength.adult.labour': unknown strength 'X'; expected S, M or W",
    ),
    (
        "weak for a child",
        with_indicator_change("strength.child.begging", "W"),
        "indicator EX-01, field 'strength.child.begging': weak is not used for children",
    ),
    (
        "a form missing from a profile",
        with_indicator_change("strength.adult.sham_marriage", None),
        "indicator EX-01, field 'strength.adult.sham_marriage': missing required field",
    ),
    (
        "unknown form",
        with_indicator_change("strength.child.fishing", "M"),
        "indicator EX-01, field 'strength.child.fishing': unknown profile form 'fishing'",
    ),
    (
        "missing field",
        with_indicator_change("guidance", None),
        "indicator EX-01, field 'guidance': missing required field",
    ),
    (
        "missing prompts",
        with_indicator_change("prompts", []),
        "indicator EX-01, field 'prompts': must be a non-empty list",
    ),
    (
        "unknown field",
        with_indicator_change("weight", 3),
        "indicator EX-01: unknown field 'weight'",
    ),
    (
        "unknown stage",
        with_indicator_change("stages", ["at_the_airport"]),
        "indicator EX-01, field 'stages': unknown stage 'at_the_airport'",
    ),
    (
        "unknown HTCDS code",
        with_indicator_change("htcds", "Bribery"),
        "indicator EX-01, field 'htcds': unknown HTCDS means-of-control code 'Bribery'",
    ),
    (
        "unknown source",
        with_indicator_change("sources", ["hearsay"]),
        "indicator EX-01, field 'sources': unknown source 'hearsay'",
    ),
    (
        "bad code",
        with_indicator_change("code", "ex-1"),
        "indicator ex-1, field 'code': 'ex-1' is not of the form AB-01",
    ),
    (
        "forced_criminality not a boolean",
        with_indicator_change("forced_criminality", "yes"),
        "indicator EX-01, field 'forced_criminality': must be true or false",
    ),
]


@pytest.mark.parametrize(
    ("data", "message"), [case[1:] for case in INVALID], ids=[case[0] for case in INVALID]
)
def test_an_invalid_indicator_is_refused_naming_file_code_and_field(tmp_path, data, message):
    error = refused(tmp_path, data)

    assert len(error.problems) == 1
    assert str(error).startswith(f"{tmp_path / '2026.1.yaml'}: {message}")


def test_a_duplicate_code_is_refused(tmp_path):
    data = catalogue_data(indicators=[*two_indicators(), indicator_data("DR-01", "return_context")])

    error = refused(tmp_path, data)

    assert "indicator DR-01, field 'code': duplicate code DR-01" in str(error)
    assert str(tmp_path) in str(error)


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("2026-1", "wrong version format '2026-1'"),
        (2026.1, "expected a quoted string YEAR.N"),
        ("v1", "wrong version format 'v1'"),
    ],
)
def test_a_bad_version_is_refused(tmp_path, version, message):
    data = catalogue_data(indicators=two_indicators())
    data["version"] = version

    error = refused(tmp_path, data, name="2026.1.yaml")

    assert "field 'version'" in str(error)
    assert message in str(error)


def test_the_version_must_match_the_file_name(tmp_path):
    error = refused(tmp_path, catalogue_data(indicators=two_indicators()), name="2026.2.yaml")

    assert "2026.2.yaml: field 'version': '2026.1' does not match the file name '2026.2'" in str(
        error
    )


@pytest.mark.parametrize("field", ["version", "title", "sources", "indicators"])
def test_a_missing_top_level_field_is_refused(tmp_path, field):
    data = catalogue_data(indicators=two_indicators())
    del data[field]

    error = refused(tmp_path, data, name="2026.1.yaml")

    assert f"field '{field}': missing required field" in str(error)


def test_every_problem_is_reported_at_once(tmp_path):
    data = with_indicator_change("text.ru", None)
    data["indicators"][0]["dimension"] = "nowhere"

    error = refused(tmp_path, data)

    assert len(error.problems) == 2
    assert str(error).startswith(f"2 problems in catalogue {tmp_path / '2026.1.yaml'}:")
    assert "indicator DR-01, field 'dimension'" in str(error)
    assert "indicator EX-01, field 'text.ru'" in str(error)


def test_invalid_yaml_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "2026.1.yaml"
    path.write_text("version: '2026.1'\nindicators: [\n", encoding="utf-8")

    with pytest.raises(CatalogueError, match=r"2026\.1\.yaml: invalid YAML"):
        load_catalogue_file(path)


def test_a_missing_file_is_refused_naming_it(tmp_path):
    with pytest.raises(CatalogueError, match=r"2026\.9\.yaml: cannot read file"):
        load_catalogue_file(tmp_path / "2026.9.yaml")


class TestShippedVersions:
    def test_versions_are_listed_oldest_first_numerically(self, shipped_dir):
        for version in ("2026.10", "2026.2", "2025.3"):
            write_catalogue(shipped_dir, catalogue_data(version, two_indicators()))
        (shipped_dir / "README.yaml").write_text("not a catalogue", encoding="utf-8")

        assert available_versions() == ("2025.3", "2026.2", "2026.10")
        assert latest_catalogue().version == "2026.10"

    def test_a_version_is_loaded_once(self, shipped_dir):
        write_catalogue(shipped_dir, catalogue_data("2026.1", two_indicators()))

        assert get_catalogue("2026.1") is get_catalogue("2026.1")

    def test_an_unknown_version_names_the_available_ones(self, shipped_dir):
        write_catalogue(shipped_dir, catalogue_data("2026.1", two_indicators()))

        with pytest.raises(CatalogueError, match="unknown catalogue version; available: 2026.1"):
            get_catalogue("2027.1")

    def test_a_malformed_version_is_refused(self, shipped_dir):
        with pytest.raises(CatalogueError, match="wrong version format"):
            get_catalogue("../secrets")

    def test_no_shipped_catalogue_is_an_error(self, shipped_dir):
        with pytest.raises(CatalogueError, match="no catalogue files found"):
            latest_catalogue()


@pytest.mark.parametrize("field", ["strength", "text", "dimension", "code", "stages"])
def test_an_explicit_null_is_a_missing_field_not_a_value(tmp_path, field):
    data = catalogue_data(indicators=two_indicators())
    data["indicators"][1][field] = None

    error = refused(tmp_path, data)

    label = "indicator #2" if field == "code" else "indicator EX-01"
    assert error.problems == (f"{label}, field '{field}': missing required field",)


def test_a_source_that_is_not_a_mapping_is_refused_for_its_title_and_url(tmp_path):
    data = catalogue_data(indicators=two_indicators())
    data["sources"]["ilo2009"] = "ILO 2009"

    error = refused(tmp_path, data)

    assert error.problems == (
        "source ilo2009, field 'title': missing required field",
        "source ilo2009, field 'url': missing or not an http(s) URL",
    )
