"""Reasons the system writes itself (a hold placed by a suspicion), stored as a code with
parameters and rendered in the reader's language, as screening reasons are (screening/reasons.py).

A person's own words (a manual hold's reason) stay free text. Holds stored before the code existed
carry the text in the language of whoever placed them; migration 0006 turned the known texts into
the code, and any other stored text is still shown as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SUSPICION_RAISED = "suspicion_raised"
REFLECTION_PERIOD = "reflection_period"

HOLD_REASONS: dict[str, Promise] = {
    SUSPICION_RAISED: _("Suspicion of trafficking raised: identification pending."),
    REFLECTION_PERIOD: _("Reflection period: no removal while it runs."),
}

# The texts holds carried before the code, in every language they could be written in
# (migration 0006 and render_hold_reason read them; never change these strings).
LEGACY_TEXTS = {
    SUSPICION_RAISED: (
        "Suspicion of trafficking raised: identification pending.",
        "Izteiktas aizdomas par cilvēku tirdzniecību: notiek identificēšana.",
        "Заявлено подозрение в торговле людьми: идёт идентификация.",
    ),
    REFLECTION_PERIOD: (
        "Reflection period: no removal while it runs.",
        "Nogaidīšanas periods: kamēr tas ir spēkā, izraidīšana nenotiek.",
        "Период размышления: пока он действует, выдворение не производится.",
    ),
}


def render_hold_reason(code: str, params: Mapping[str, Any], text: str) -> str:
    """The reason in the active language: the code's text with its parameters, else the
    stored free text (a person's own words, or an unknown code's stored text)."""
    template = HOLD_REASONS.get(code)
    if template is None:
        return text
    return str(template) % dict(params) if params else str(template)
