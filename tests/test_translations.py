"""Words read right in every language: one translation per message, statuses that agree with
their noun, file sizes with Latvian plurals, and one date format per language."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.template.defaultfilters import filesizeformat
from django.utils import formats, translation
from django.utils.translation import pgettext

ROOT = Path(__file__).resolve().parents[1] / "atpazit"


def _catalogues(language: str) -> list[Path]:
    return [
        *sorted(ROOT.glob(f"*/locale/{language}/LC_MESSAGES/django.po")),
        ROOT / "locale" / language / "LC_MESSAGES" / "django.po",
    ]


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_a_message_without_a_context_has_one_translation_in_every_catalogue(language):
    """gettext merges the catalogues and the first one wins, everywhere: two translations of
    one message (the disclosure log's "From" as "Datums no") mean one place reads wrong.
    A word that reads differently by what it describes needs a context (pgettext)."""
    seen: dict[str, dict[str, str]] = defaultdict(dict)
    for path in _catalogues(language):
        for entry in polib.pofile(str(path)):
            if entry.obsolete or entry.msgctxt or not entry.msgid:
                continue
            text = entry.msgstr or " | ".join(entry.msgstr_plural.values())
            seen[entry.msgid][path.parts[-5]] = text
    different = {msgid: apps for msgid, apps in seen.items() if len(set(apps.values())) > 1}
    assert different == {}


@pytest.mark.parametrize(
    ("context", "word", "language", "expected"),
    [
        ("removal operation", "cancelled", "lv", "atcelta"),
        ("removal operation", "completed", "lv", "izpildīta"),
        ("removal operation", "cancelled", "ru", "отменена"),
        ("suspicions", "open", "lv", "atvērtās"),
        ("suspicions", "closed", "lv", "slēgtās"),
        ("escalation", "open", "lv", "atvērts"),
        ("date range", "From", "lv", "Datums no"),
        ("disclosure log", "Disclosed by", "lv", "Izpauda"),
    ],
)
def test_statuses_agree_with_what_they_describe(context, word, language, expected):
    with translation.override(language):
        assert pgettext(context, word) == expected


@pytest.mark.parametrize(
    ("size", "language", "expected"),
    [
        (1, "lv", "1 baits"),
        (21, "lv", "21 baits"),
        (28, "lv", "28 baiti"),
        (11, "lv", "11 baiti"),
        (0, "lv", "0 baitu"),
        (28, "ru", "28 байт"),
        (22, "ru", "22 байта"),
        (21, "ru", "21 байт"),
        (28, "en", "28 bytes"),
        (1536, "lv", "1,5 KB"),
    ],
)
def test_file_sizes_follow_each_languages_plural_rules(size, language, expected):
    with translation.override(language):
        assert str(filesizeformat(size)).replace("\xa0", " ") == expected


@pytest.mark.parametrize(
    ("language", "date", "datetime"),
    [
        ("lv", "06.12.2026", "06.12.2026 14:05"),
        ("ru", "06.12.2026", "06.12.2026 14:05"),
        ("en", "06/12/2026", "06/12/2026 14:05"),
    ],
)
def test_one_date_format_per_language_and_british_english(language, date, datetime):
    day = dt.date(2026, 12, 6)
    moment = dt.datetime(2026, 12, 6, 14, 5, tzinfo=dt.UTC)
    with translation.override(language):
        assert formats.date_format(day) == date
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == date
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == datetime
        assert formats.date_format(moment, "DATETIME_FORMAT") == datetime


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_every_audit_action_reads_in_the_auditor_s_language(language):
    from atpazit.audit.labels import ACTIONS

    with translation.override("en"):
        english = {code: str(label) for code, label in ACTIONS.items()}
    with translation.override(language):
        untranslated = [code for code, label in ACTIONS.items() if str(label) == english[code]]

    assert untranslated == []
