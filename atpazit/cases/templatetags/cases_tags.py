"""Display helpers: localised nationality and language names."""

from __future__ import annotations

from django import template

from atpazit.cases import geo

register = template.Library()


@register.filter
def country(code: str) -> str:
    return geo.country_name(code) if code else "—"


@register.filter
def language(code: str) -> str:
    return geo.language_name(code) if code else "—"
