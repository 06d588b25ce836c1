"""The printable interview aid as a PDF, built with typst (documents/interview_aid.typ).

The aid lists the interview prompts of one catalogue release, grouped by ILO dimension, in the
person's language next to the officer's, with a box to tick per indicator: an officer can screen
where there is no connection and record the ticks in Atpazīt afterwards. It carries no personal
data. Everything variable is handed to typst as JSON through ``sys.inputs``; no value is ever
spliced into typst markup.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typst
from django.utils import translation
from django.utils.translation import gettext as _

from atpazit.lib.person_languages import DRAFT_NOTICE, FONT_PATHS, direction, fonts_for, native_name
from atpazit.screening.catalogue import LANGUAGES, Catalogue, Dimension, Indicator, Stage
from atpazit.screening.reasons import DIMENSION_LABELS, STAGE_LABELS, label
from atpazit.screening.translations import get_translation, prompt_languages, prompts_in

TEMPLATE = Path(__file__).resolve().parent / "documents" / "interview_aid.typ"
# Layouts tried in order until the aid fits on one page: every prompt at a readable size first,
# then only each indicator's first prompt, down to the smallest size still legible on paper.
# Each layout is smaller than the one before, so the first that fits is found by bisection.
LAYOUTS: tuple[tuple[int | None, str], ...] = (
    *((None, size) for size in ("8.5", "8", "7.5", "7", "6.5", "6")),
    *((1, size) for size in ("6.5", "6", "5.5")),
)
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
    language. With ``stage`` only the indicators usually observable at that stage are listed.
    Raises AidError for another language, an unknown stage, or a typst failure.
    """
    available = prompt_languages(catalogue.version)
    if person_language not in available:
        raise AidError(f"unsupported language {person_language!r}; expected one of {available}")
    if officer_language not in LANGUAGES:
        raise AidError(f"unsupported language {officer_language!r}; expected one of {LANGUAGES}")
    if stage and stage not in set(Stage):
        raise AidError(f"unknown stage {stage!r}")

    def inputs_for(layout: tuple[int | None, str]) -> dict[str, str]:
        max_prompts, size = layout
        data = aid_data(
            catalogue,
            person_language=person_language,
            officer_language=officer_language,
            stage=Stage(stage) if stage else None,
            max_prompts=max_prompts,
        )
        return {"data": json.dumps(data, ensure_ascii=False), "size": size}

    low, high = 0, len(LAYOUTS) - 1  # if none fits, the smallest layout (two pages)
    while low < high:
        middle = (low + high) // 2
        if _page_count(inputs_for(LAYOUTS[middle])) <= 1:
            high = middle
        else:
            low = middle + 1
    inputs = inputs_for(LAYOUTS[low])
    return _compile(inputs)


def aid_data(
    catalogue: Catalogue,
    *,
    person_language: str,
    officer_language: str,
    stage: Stage | None = None,
    max_prompts: int | None = None,
) -> dict[str, Any]:
    """Everything the typst template shows, as plain JSON-ready values; with ``max_prompts``
    only that many prompts per indicator (the first ones, the most important)."""
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
            "footer": _("Atpazīt interview aid, catalogue %(version)s. Contains no personal data.")
            % {"version": catalogue.version},
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
        "officer_fonts": fonts_for(officer_language),
        "draft": draft,
        "groups": _groups(catalogue, indicators, person_language, officer_language, max_prompts),
    }


def _groups(
    catalogue: Catalogue,
    indicators: list[Indicator],
    person_language: str,
    officer_language: str,
    max_prompts: int | None,
) -> list[dict[str, Any]]:
    translated = get_translation(catalogue.version, person_language)
    groups = []
    for dimension in Dimension:
        rows = [
            {
                "code": ind.code,
                "person": list(prompts_in(catalogue, ind, person_language)[:max_prompts]),
                "officer": [p.in_language(officer_language) for p in ind.prompts[:max_prompts]],
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


def _page_count(inputs: dict[str, str]) -> int:
    try:
        value = typst.query(
            str(TEMPLATE),
            "<page-count>",
            field="value",
            one=True,
            font_paths=FONT_PATHS,
            ignore_system_fonts=True,
            sys_inputs=inputs,
        )
    except typst.TypstError as exc:
        raise AidError(f"typst could not lay out the interview aid: {exc.message}") from exc
    return int(json.loads(value))


def _compile(inputs: dict[str, str]) -> bytes:
    try:
        pdf = typst.compile(
            str(TEMPLATE),
            font_paths=FONT_PATHS,
            ignore_system_fonts=True,
            sys_inputs=inputs,
        )
    except typst.TypstError as exc:
        raise AidError(f"typst could not build the interview aid: {exc.message}") from exc
    if not isinstance(pdf, bytes):
        raise AidError("typst returned no PDF")
    return pdf
