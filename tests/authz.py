"""What the authorisation-matrix test needs to know about each URL.

``PUBLIC`` lists views anyone may open. ``URL_SAMPLES`` gives, for URLs with parameters, a
function that builds an object the acting user may reach if their role allows the view at all.
A new view with parameters and no sample fails the matrix test, so every view gets a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from atpazit.accounts.models import User

Sample = Callable[[User], dict[str, Any]]


def _own_membership(user: User) -> dict[str, Any]:
    return {"pk": user.memberships.get().pk}


def _own_organisation(user: User) -> dict[str, Any]:
    return {"pk": user.memberships.get().organisation_id}


URL_SAMPLES: dict[str, Sample] = {
    "accounts:membership_edit": _own_membership,
    "accounts:organisation_edit": _own_organisation,
}

# Views whose very purpose is to be reachable before sign-in or before 2FA.
PUBLIC = {"root", "accounts:login", "web:set_language"}
