"""Nationalities (ISO 3166-1) and languages (ISO 639) with names in the interface language.

The code lists come from pycountry (ISO 3166-1 and the ISO 639-1 codes); the **names** come from
CLDR through Babel, as a reader of that language writes them ("ukraiņu", "Čehija", "grieķu" in
Latvian; "украинский", "Чехия" in Russian; "Greek", not the ISO "Modern Greek (1453-)"). Where
CLDR has no name for a code, the iso-codes translation pycountry ships is the fallback. Nothing
here is a hand-kept list except the user-assigned codes ISO 3166 leaves to users: ``XX``
(stateless), ``ZZ`` (nationality not known) and ``XK`` (Kosovo, as the European Commission uses
it). Languages are those with a two-letter ISO 639-1 code (about 180, every language of the
people in removal procedures we know of). Choices are cached per interface language.
"""

from __future__ import annotations

import functools
import gettext

import pycountry
from babel import Locale, UnknownLocaleError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from atpazit.lib.blind_index import normalise

STATELESS = "XX"
UNKNOWN_NATIONALITY = "ZZ"
KOSOVO = "XK"
_SPECIAL_NATIONALITIES = {
    STATELESS: _("stateless"),
    UNKNOWN_NATIONALITY: _("nationality not known"),
    KOSOVO: _("Kosovo"),
}


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "lv").split("-")[0]


@functools.lru_cache(maxsize=16)
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


@functools.lru_cache(maxsize=16)
def _cldr(language: str) -> Locale | None:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return None


def _sort_key(label: str) -> str:
    # Diacritics folded, so "Ēģipte" sorts with the E's as Latvian readers expect.
    return normalise(label)


@functools.lru_cache(maxsize=16)
def _country_names(language: str) -> dict[str, str]:
    catalogue = _catalogue("iso3166-1", language)
    cldr = _cldr(language)
    territories = cldr.territories if cldr is not None else {}
    names = {
        country.alpha_2: territories.get(country.alpha_2) or catalogue.gettext(country.name)
        for country in pycountry.countries
    }
    with translation.override(language):
        names.update({code: str(label) for code, label in _SPECIAL_NATIONALITIES.items()})
    return names


@functools.lru_cache(maxsize=16)
def _language_names(language: str) -> dict[str, str]:
    catalogue = _catalogue("iso639-3", language)
    cldr = _cldr(language)
    languages = cldr.languages if cldr is not None else {}
    return {
        entry.alpha_2: languages.get(entry.alpha_2) or catalogue.gettext(entry.name)
        for entry in pycountry.languages
        if hasattr(entry, "alpha_2")
    }


def country_name(code: str, language: str | None = None) -> str:
    """The localised name of a nationality code; the code itself if unknown."""
    return _country_names(_language(language)).get(code, code)


def language_name(code: str, language: str | None = None) -> str:
    """The localised name of an ISO 639-1 language code; the code itself if unknown."""
    return _language_names(_language(language)).get(code, code)


@functools.lru_cache(maxsize=16)
def _sorted_choices(kind: str, language: str) -> tuple[tuple[str, str], ...]:
    names = _country_names(language) if kind == "country" else _language_names(language)
    return tuple(sorted(names.items(), key=lambda item: _sort_key(item[1])))


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, localised name) for every nationality, sorted by name, in the current language."""
    return list(_sorted_choices("country", _language(language)))


def language_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, localised name) for every ISO 639-1 language, sorted by name."""
    return list(_sorted_choices("language", _language(language)))


def is_country(code: str) -> bool:
    return code in _country_names("en")


def is_language(code: str) -> bool:
    return code in _language_names("en")
