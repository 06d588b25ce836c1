"""Template tags of the accounts pages."""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def lockout_minutes(context: dict[str, Any]) -> int:
    """How long a locked account stays locked, in whole minutes (rounded up), as configured
    (``AXES_COOLOFF_TIME``, set by ``ATPAZIT_LOCKOUT_MINUTES``); 0 when it stays locked until
    it is unlocked. Read from the setting, so the page is right wherever it is shown (the
    sign-in page, or the password change that locked the account)."""
    cool_off = get_cool_off(context.get("request"))
    if not cool_off:
        return 0
    return math.ceil(cool_off.total_seconds() / 60)
