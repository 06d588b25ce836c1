"""Language and country names come from CLDR (Babel) in the interface language (issue 11): the
Latvian lists said "Ukrainian", "Czechia" and "Modern Greek (1453-)"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.cases import geo
from atpazit.cases.tests.factories import PersonFactory


@pytest.mark.parametrize(
    ("interface", "language", "country"),
    [
        (
            "lv",
            {"uk": "ukraiņu", "el": "grieķu", "uz": "uzbeku"},
            {"CZ": "Čehija", "LV": "Latvija"},
        ),
        (
            "ru",
            {"uk": "украинский", "el": "греческий", "uz": "узбекский"},
            {"CZ": "Чехия", "LV": "Латвия"},
        ),
        (
            "en",
            {"uk": "Ukrainian", "el": "Greek", "uz": "Uzbek"},
            {"CZ": "Czechia", "LV": "Latvia"},
        ),
    ],
)
def test_names_are_those_of_the_interface_language(interface, language, country):
    for code, name in language.items():
        assert geo.language_name(code, interface) == name
    for code, name in country.items():
        assert geo.country_name(code, interface) == name


def test_no_name_is_an_iso_catalogue_label():
    names = [name for _code, name in geo.language_choices("lv")]

    assert not any("(1453-)" in name or "Modern" in name for name in names)
    assert len(names) > 150  # the whole ISO 639-1 list is still offered


def test_the_codes_atpazit_assigns_keep_their_own_names():
    assert geo.country_name(geo.STATELESS, "lv") == "bezvalstnieks"
    assert geo.country_name(geo.UNKNOWN_NATIONALITY, "en") == "nationality not known"


def test_the_latvian_list_is_sorted_as_a_latvian_reader_expects():
    names = [name for _code, name in geo.country_choices("lv")]

    assert (
        names.index("Čehija")
        < names.index("Dānija")
        < names.index("Ēģipte")
        < names.index("Francija")
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("interface", "ukrainian", "czechia"),
    [("lv", "ukraiņu", "Čehija"), ("ru", "украинский", "Чехия")],
)
def test_the_person_pages_show_the_names_in_the_interface_language(
    client_for, ilze, riga, interface, ukrainian, czechia
):
    ilze.language = interface
    ilze.save(update_fields=["language"])
    person = PersonFactory(organisation=riga, nationality="CZ", languages=["uk"])
    client = client_for(ilze)

    form = client.get(reverse("cases:person_create")).content.decode()
    detail = client.get(reverse("cases:person_detail", args=[person.pk])).content.decode()

    assert f'<option value="uk">{ukrainian}</option>' in form
    assert f'<option value="CZ">{czechia}</option>' in form
    assert ukrainian in detail
    assert czechia in detail
    assert "Ukrainian" not in form + detail
