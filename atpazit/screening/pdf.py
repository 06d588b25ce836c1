"""The printable interview aid as a PDF, built with typst (documents/interview_aid.typ).

The aid is a set of pages for one stage of the removal (or, on request, for every indicator of
the release): the indicators usually observable at that stage, grouped by ILO dimension, each with
a box to tick, its text in the officer's language, its prompts in the person's language next to
the officer's, boxes for the source and lines to write a note. Body text is 10 pt, so it can be
read aloud and filled in with a pen where there is no connection; the ticks are recorded in
Atpazīt afterwards. It carries no personal data (a line for the case number is left blank).
Everything variable is handed to typst as JSON through ``sys.inputs``; no value is ever spliced
into typst markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from atpazit.lib.pdf import render_pdf
from atpazit.lib.person_languages import (
    DRAFT_NOTICE,
    direction,
    fonts_for,
    native_name,
    scale_for,
)
from atpazit.screening.catalogue import LANGUAGES, Catalogue, Dimension, Indicator, Stage
from atpazit.screening.engine import EvidenceSource
from atpazit.screening.reasons import (
    DIMENSION_LABELS,
    EVIDENCE_SOURCE_LABELS,
    STAGE_LABELS,
    label,
)
from atpazit.screening.translations import get_translation, prompt_languages, prompts_in

TEMPLATE = Path(__file__).resolve().parent / "documents" / "interview_aid.typ"
# The body text size in points: legible on paper, read aloud across a table.
BODY_SIZE = 10
LANGUAGE_NAMES = {"lv": "latviešu", "en": "English", "ru": "русский"}


class AidError(Exception):
    """The aid could not be built (bad languages, or typst failed); the message says why."""


def interview_aid_pdf(
    *,
    catalogue: Catalogue,
    person_language: str,
    officer_language: str,
    stage: str | None = None,
) -> bytes:
    """Build the aid for ``catalogue`` with the prompts in both languages, as PDF bytes.

    The person's language is a working language (lv, en, ru) or a person language with a
    complete translation of the release (screening/translations.py); the officer's is a working
    language. With ``stage`` the set lists the indicators usually observable at that stage;
    without, every indicator of the release. Raises AidError for another language, an unknown
    stage, or a typst failure.
    """
    available = prompt_languages(catalogue.version)
    if person_language not in available:
        raise AidError(f"unsupported language {person_language!r}; expected one of {available}")
    if officer_language not in LANGUAGES:
        raise AidError(f"unsupported language {officer_language!r}; expected one of {LANGUAGES}")
    if stage and stage not in set(Stage):
        raise AidError(f"unknown stage {stage!r}")
    data = aid_data(
        catalogue,
        person_language=person_language,
        officer_language=officer_language,
        stage=Stage(stage) if stage else None,
    )
    return render_pdf(
        TEMPLATE, data, what="the interview aid", error=AidError, inputs={"size": str(BODY_SIZE)}
    )


def aid_data(
    catalogue: Catalogue,
    *,
    person_language: str,
    officer_language: str,
    stage: Stage | None = None,
) -> dict[str, Any]:
    """Everything the typst template shows, as plain JSON-ready values."""
    indicators = [ind for ind in catalogue if stage is None or stage in ind.stages]
    with translation.override(officer_language):
        stage_text = label(STAGE_LABELS, stage, officer_language) if stage else _("every stage")
        texts = {
            "title": _("Interview aid: indicators of trafficking in human beings"),
            "version_line": _("Catalogue %(version)s · stage: %(stage)s · %(count)s indicators")
            % {"version": catalogue.version, "stage": stage_text, "count": len(indicators)},
            "instructions": _(
                "Ask in your own words; let the person tell their story. Tick what you observe "
                "or hear, note who said it, and record it in Atpazīt as soon as you can. The "
                "assessment there is advice: you decide, with a reason. A child, or a person "
                "whose age is in doubt, needs no means of control: any indicator is enough."
            ),
            "footer": _(
                "Atpazīt interview aid, catalogue %(version)s, stage: %(stage)s. Printed without "
                "personal data; once filled in, keep it as a case record."
            )
            % {"version": catalogue.version, "stage": stage_text},
            "stage": stage_text,
            "fill_in": [
                _("Case number"),
                _("Date and place"),
                _("Interviewer"),
                _("Interpreter and language"),
            ],
            "source_heading": _("Source:"),
            "sources": [
                label(EVIDENCE_SOURCE_LABELS, source, officer_language) for source in EvidenceSource
            ],
            "note_heading": _("Note:"),
        }
        columns = {
            "code": _("Indicator"),
            "person": LANGUAGE_NAMES.get(person_language) or native_name(person_language),
            "officer": LANGUAGE_NAMES[officer_language],
        }
    translated = get_translation(catalogue.version, person_language)
    if translated is None:
        with translation.override(person_language):
            subtitle = _("Interview aid: indicators of trafficking in human beings")
    else:
        subtitle = translated.title
        columns["person"] = native_name(person_language)
    draft: list[str] = []
    if translated is not None and translated.review.is_draft:
        with translation.override("lv"):
            draft = [translated.draft_notice, str(DRAFT_NOTICE)]
    return {
        **texts,
        "subtitle": subtitle,
        "columns": columns,
        "person_lang": person_language,
        "officer_lang": officer_language,
        "person_dir": direction(person_language),
        "person_fonts": fonts_for(person_language),
        "person_scale": scale_for(person_language),
        "officer_fonts": fonts_for(officer_language),
        "draft": draft,
        "groups": _groups(catalogue, indicators, person_language, officer_language),
    }


def _groups(
    catalogue: Catalogue,
    indicators: list[Indicator],
    person_language: str,
    officer_language: str,
) -> list[dict[str, Any]]:
    translated = get_translation(catalogue.version, person_language)
    groups = []
    for dimension in Dimension:
        rows = [
            {
                "code": ind.code,
                "text": ind.text.in_language(officer_language),
                "person": list(prompts_in(catalogue, ind, person_language)),
                "officer": [p.in_language(officer_language) for p in ind.prompts],
            }
            for ind in indicators
            if ind.dimension is dimension
        ]
        if rows:
            groups.append(
                {
                    "label_officer": label(DIMENSION_LABELS, dimension, officer_language),
                    "label_person": translated.dimension(dimension)
                    if translated
                    else label(DIMENSION_LABELS, dimension, person_language),
                    "rows": rows,
                }
            )
    return groups
