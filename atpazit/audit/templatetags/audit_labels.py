"""Template filters that show the audit trail's and disclosure log's codes as labels."""

from __future__ import annotations

from django import template

from atpazit.audit import labels

register = template.Library()


@register.filter
def object_label(object_type: str) -> str:
    return labels.object_label(object_type)


@register.filter
def category_labels(codes: list[str]) -> str:
    return ", ".join(labels.category_labels(list(codes or [])))


@register.filter
def purpose_label(purpose: str) -> str:
    return labels.purpose_label(purpose)


@register.filter
def action_label(action: str) -> str:
    return labels.action_label(action)
