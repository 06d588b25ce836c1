"""What every page does with forms: the error summary at the top of the page (issue 11).

A form that reloads the page with errors shows them at each field (``web/form_fields.html``) and,
through ``{% error_summary %}`` in ``base.html``, once more at the top of the page as a list of
links to those fields, so a refusal is never off-screen (the GOV.UK error summary pattern). The
tag finds the forms in the page's context itself: no view has to pass anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import BaseForm

register = template.Library()


@dataclass(frozen=True)
class ErrorLink:
    href: str
    label: str
    message: str


@register.filter
def form_anchor(form: BaseForm) -> str:
    """The id of the place a form shows its own (non-field) errors."""
    prefix = f"{form.prefix}-" if form.prefix else ""
    return f"{prefix}{type(form).__name__.lower()}-errors"


def _links(form: BaseForm) -> list[ErrorLink]:
    links: list[ErrorLink] = []
    for name, messages in form.errors.items():
        href, label = f"#{form_anchor(form)}", ""
        if name != NON_FIELD_ERRORS and name in form.fields:
            field = form[name]
            if not field.is_hidden:
                # A group of radio buttons has no single id: its first button stands for it.
                href = f"#{field.id_for_label or f'{field.auto_id}_0'}"
                label = str(field.label or "")
        links.extend(ErrorLink(href, label, str(message)) for message in messages)
    return links


@register.inclusion_tag("web/_error_summary.html", takes_context=True)
def error_summary(context: template.Context) -> dict[str, Any]:
    """Every error of every form of the page that has been validated and refused."""
    seen: set[int] = set()
    links: list[ErrorLink] = []
    for value in context.flatten().values():
        # Only forms the view already validated: the summary never runs a form's checks itself.
        if not isinstance(value, BaseForm) or id(value) in seen or value._errors is None:
            continue
        seen.add(id(value))
        links.extend(_links(value))
    return {"errors": links}
