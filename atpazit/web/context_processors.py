from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from atpazit.accounts.selectors import memberships_of
from atpazit.lib.registry import NAVIGATION, PAGE_SCRIPTS


def navigation(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    user = getattr(request, "user", None)
    verified = (
        user is not None
        and user.is_authenticated
        and (not settings.ATPAZIT_2FA_REQUIRED or user.is_verified())
    )
    if actor is None or not verified:
        return {
            "nav_items": [],
            "nav_memberships": [],
            "languages": settings.LANGUAGES,
            "page_scripts": [script for script in PAGE_SCRIPTS if script.signed_out],
        }
    items = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "active": request.path == reverse(item.url_name),
        }
        for item in NAVIGATION
        if actor.can(item.permission)
    ]
    return {
        "nav_items": items,
        "nav_memberships": list(memberships_of(actor.user)),
        "active_membership": actor.membership,
        "languages": settings.LANGUAGES,
        # Scripts apps add to every page of those holding a permission (lib.registry).
        "page_scripts": [
            script
            for script in PAGE_SCRIPTS
            if not script.signed_out and actor.can(script.permission)
        ],
    }
