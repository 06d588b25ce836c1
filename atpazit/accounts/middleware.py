"""Request middleware: the user's language, the active organisation, and the 2FA gate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation

from atpazit.accounts.access import Actor
from atpazit.accounts.selectors import active_membership_for

ACTIVE_MEMBERSHIP_SESSION_KEY = "atpazit_active_membership"
# The language chosen before the second factor: kept for this session only, not on the account.
SESSION_LANGUAGE_KEY = "atpazit_session_language"


def second_factor_passed(user: Any) -> bool:
    """Whether a signed-in user has passed both sign-in steps (or 2FA is switched off)."""
    return bool(user.is_authenticated) and (
        not settings.ATPAZIT_2FA_REQUIRED or bool(user.is_verified())
    )


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over cookies and browser headers; before the
    second factor, a language chosen in this session wins over the saved one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.language
            if not second_factor_passed(user):
                language = request.session.get(SESSION_LANGUAGE_KEY) or language
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


class ActiveOrganisationMiddleware:
    """Attach ``request.actor``: the user and the membership they act through right now."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            membership = active_membership_for(
                user, request.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY)
            )
            request.actor = Actor(user=user, membership=membership)  # type: ignore[attr-defined]
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Until the second factor is verified, a signed-in user reaches only the 2FA pages.

    Views that belong to the 2FA step itself are marked with ``otp_exempt``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not settings.ATPAZIT_2FA_REQUIRED:
            return None
        if user.is_verified() or getattr(view_func, "otp_exempt", False):
            return None
        return redirect("accounts:two_factor")


def otp_exempt(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let a signed-in user who has not yet passed 2FA open this view (the 2FA step itself)."""
    view.otp_exempt = True  # type: ignore[attr-defined]
    return view
