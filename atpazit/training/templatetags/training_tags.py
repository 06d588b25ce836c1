"""Template filters of training: a scenario's text in the reader's language, and labels."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from atpazit.screening.models import FORM_CHOICES, STAGE_CHOICES

register = template.Library()

CONTEXT_LABELS = {
    "return": _("return procedure"),
    "asylum_interview": _("asylum interview"),
    "reception_centre": _("reception centre for asylum seekers"),
    "dublin_transfer": _("Dublin transfer"),
}
FORMS = dict(FORM_CHOICES)
STAGES = dict(STAGE_CHOICES)


@register.filter
def get_lang(text: Any, lang: str) -> str:
    """A lv/en/ru text of the library in ``lang``."""
    return str(text.in_language(lang)) if text is not None else ""


@register.filter
def lang_of(text: Any, lang: str) -> str:
    """The language ``get_lang`` shows a text in (Latvian when a translation is missing), for
    the ``lang`` attribute around it."""
    return str(text.language_for(lang)) if text is not None else lang


@register.filter
def form_label(value: Any) -> str:
    return str(FORMS.get(str(getattr(value, "value", value)), value))


@register.filter
def stage_label(value: Any) -> str:
    return str(STAGES.get(str(getattr(value, "value", value)), value))


@register.filter
def context_label(value: Any) -> str:
    return str(CONTEXT_LABELS.get(str(getattr(value, "value", value)), value))
