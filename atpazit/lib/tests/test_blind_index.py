"""Blind indexes: spelling variants meet, different names and keys do not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atpazit.lib.blind_index import INDEX_HEX_LENGTH, blind_index, name_tokens, normalise
from atpazit.lib.crypto import KeyConfigurationError

from .conftest import OTHER_INDEX_KEY


class TestNormalise:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("Ļubova Bērziņa", "lubova berzina"),
            ("  ANNA \t  Marija\n", "anna marija"),
            ("āčēģīķļņšūž ĀČĒĢĪĶĻŅŠŪŽ", "acegiklnsuz acegiklnsuz"),
            ("Łukasz Øster Straße", "lukasz oster strasse"),
            ("Ąžuolė Ğül Şahin", "azuole gul sahin"),
            ("Алёна", "алена"),
            ("АЛЁНА", "алена"),
            ("Йован Ђорђе", "йован ђорђе"),
            ("O'Brien O’Neil", "obrien oneil"),
            ("Ozola-Bērziņa, Anna.", "ozola berzina anna"),
            ("Ａｎｎａ", "anna"),
            ("", ""),
        ],
    )
    def test_it_folds_variants(self, raw, expected):
        assert normalise(raw) == expected


@pytest.mark.usefixtures("keys")
class TestBlindIndex:
    def test_it_matches_spelling_variants(self):
        indexes = {
            blind_index(name) for name in ("Ļubova Bērziņa", "ļubova  berzina", "LUBOVA BERZINA")
        }
        assert len(indexes) == 1

    def test_it_matches_yo_and_ye_in_cyrillic(self):
        assert blind_index("Алёна") == blind_index("Алена")

    def test_it_keeps_short_i_apart_from_i(self):
        assert blind_index("Йован") != blind_index("Иован")

    def test_it_differs_for_different_names(self):
        assert blind_index("Anna Ivanova") != blind_index("Anna Ivanov")

    def test_it_differs_for_a_different_key(self, settings):
        before = blind_index("Anna Ivanova")
        settings.ATPAZIT_BLIND_INDEX_KEY = OTHER_INDEX_KEY
        assert blind_index("Anna Ivanova") != before

    def test_it_differs_per_purpose(self):
        assert blind_index("AB123456") != blind_index("AB123456", purpose="passport")

    def test_it_is_truncated_hex(self):
        index = blind_index("Anna")
        assert index is not None
        assert len(index) == INDEX_HEX_LENGTH
        int(index, 16)

    @pytest.mark.parametrize("empty", ["", "   ", "-", "'"])
    def test_it_is_none_when_nothing_is_left(self, empty):
        assert blind_index(empty) is None

    def test_it_needs_the_key(self, settings):
        settings.ATPAZIT_BLIND_INDEX_KEY = ""
        with pytest.raises(KeyConfigurationError, match="ATPAZIT_BLIND_INDEX_KEY"):
            blind_index("Anna")


@pytest.mark.usefixtures("keys")
class TestNameTokens:
    def test_a_surname_finds_the_full_name(self):
        assert name_tokens("Ivanova") <= name_tokens("Anna Ivanova")
        assert name_tokens("IVANOVA anna") == name_tokens("Anna Ivanova")

    def test_it_skips_single_letters(self):
        assert name_tokens("A. Ivanova") == name_tokens("Ivanova")

    def test_each_word_gets_one_index(self):
        assert len(name_tokens("Anna Marija Ozola-Bērziņa")) == 4

    def test_tokens_do_not_equal_full_name_indexes(self):
        assert name_tokens("Ivanova") != {blind_index("Ivanova")}

    def test_it_is_empty_for_no_words(self):
        assert name_tokens(" - ") == set()


class TestProperties:
    @given(st.text())
    def test_normalise_is_idempotent(self, text):
        assert normalise(normalise(text)) == normalise(text)

    @given(st.text())
    def test_normalise_never_leaves_outer_or_double_spaces(self, text):
        result = normalise(text)
        assert result == result.strip()
        assert "  " not in result
