"""Dashboard, language choice and error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from atpazit.accounts.access import actor_for, requires
from atpazit.accounts.middleware import SESSION_LANGUAGE_KEY, otp_exempt, second_factor_passed
from atpazit.accounts.permissions import PERMISSION_LABELS
from atpazit.accounts.services import set_language
from atpazit.lib.person_languages import (
    REVIEW_STATUS_LABELS,
    TRANSLATED_DOCUMENTS,
    LanguageStatus,
    direction,
    language_name,
    native_name,
)
from atpazit.web.dashboards import dashboard_panels


@requires("web.dashboard:view")
def dashboard_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    can_do = [label for permission, label in PERMISSION_LABELS.items() if actor.can(permission)]
    return render(
        request,
        "web/dashboard.html",
        {"actor": actor, "can_do": can_do, "panels": dashboard_panels(actor)},
    )


@requires("screening.catalogue:review")
@require_GET
def translations_view(request: HttpRequest) -> HttpResponse:
    """Which translations for the person (the interview prompts, the reflection-period sheet)
    exist, are complete and are reviewed by a native speaker: what still needs review. Reads
    the shipped files only; no personal data."""
    documents = [
        (document.title, [_status_row(s) for s in document.statuses()])
        for document in TRANSLATED_DOCUMENTS
    ]
    needs_review = sorted(
        {str(row["name"]) for _title, rows in documents for row in rows if row["needs_review"]}
    )
    return render(
        request,
        "web/translations.html",
        {
            "documents": [{"title": title, "rows": rows} for title, rows in documents],
            "needs_review": needs_review,
        },
    )


def _status_row(status: LanguageStatus) -> dict[str, object]:
    review = status.review
    return {
        "code": status.language,
        "name": language_name(status.language),
        "native": native_name(status.language),
        "dir": direction(status.language),
        "present": status.present,
        "complete": status.complete,
        "problems": len(status.problems),
        "total": status.total,
        "review": review,
        "review_label": REVIEW_STATUS_LABELS[review.status] if review else "",
        "needs_review": status.present and status.needs_review,
    }


@login_not_required
@otp_exempt
@require_POST
def set_language_view(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie, and on the account only once both
    sign-in steps are passed (a password-only session changes just its own language)."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response: HttpResponse = HttpResponseRedirect(target)
    if language not in dict(settings.LANGUAGES):
        return response
    if second_factor_passed(request.user):
        set_language(user=request.user, language=language)  # type: ignore[arg-type]
    elif request.user.is_authenticated:
        request.session[SESSION_LANGUAGE_KEY] = language
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",
    )
    return response


@login_not_required
@otp_exempt
def root_view(request: HttpRequest) -> HttpResponse:
    return redirect("web:dashboard" if request.user.is_authenticated else "accounts:login")


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
