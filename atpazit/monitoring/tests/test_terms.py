"""Forced-return monitoring reads the same way everywhere (docs/glossary.md, domain.md §1.9):
the activity is "uzraudzība" (piespiedu izraidīšanas uzraudzība) — its head is the
"uzraudzības vadītājs" —, the person is a "novērotājs" and what they saw a "novērojums"."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.utils import translation

from atpazit.accounts.roles import Role

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("language", "label"),
    [("lv", "Uzraudzības vadītājs"), ("ru", "Руководитель мониторинга")],
)
def test_the_head_of_monitoring_role_is_named_after_monitoring(language, label):
    with translation.override(language):
        assert str(Role.HEAD_OF_MONITORING.label) == label


def test_no_latvian_text_calls_monitoring_novērošana():
    wrong = [
        f"{path.relative_to(ROOT)}: {entry.msgid!r} -> {entry.msgstr!r}"
        for path in sorted(ROOT.glob("*/locale/lv/LC_MESSAGES/django.po"))
        for entry in polib.pofile(str(path))
        if "monitoring" in entry.msgid.lower() and "novērošan" in entry.msgstr.lower()
    ]
    assert wrong == []
