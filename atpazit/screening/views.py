"""Screening pages: a person's screenings, starting one, the interview form with its live
assessment, a stored session, the list, the printable interview aid and the release diff.

Views parse input, call a selector or a service, and render. Every page that shows a session or a
person is audited (I7); a session or person outside the actor's scope is a 404 (I6).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from atpazit.accounts.access import actor_for, requires
from atpazit.audit.services import log_event
from atpazit.cases.notices import record_notices
from atpazit.cases.rules import is_child
from atpazit.cases.selectors import get_person_for_user
from atpazit.lib.errors import InvalidInput, ServiceError
from atpazit.lib.forms import add_service_error
from atpazit.lib.pages import query_without_page
from atpazit.lib.person_languages import direction, language_name
from atpazit.screening import drafts, selectors, services
from atpazit.screening.catalogue import (
    CatalogueError,
    diff_catalogues,
    get_catalogue,
    latest_catalogue,
)
from atpazit.screening.forms import (
    CatalogueDiffForm,
    InterviewAidForm,
    InterviewForm,
    SessionStartForm,
    indicator_groups,
    preview_input,
)
from atpazit.screening.models import ScreeningSession
from atpazit.screening.pdf import AidError, interview_aid_pdf
from atpazit.screening.translations import get_translation, prompt_languages

PAGE_SIZE = 50


def _ui_language() -> str:
    language = (get_language() or "lv").split("-")[0]
    return language if language in ("lv", "en", "ru") else "lv"


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- lists ---------------------------------------------------------------------------------------


@requires("screening.session:read")
@require_GET
def session_list_view(request: HttpRequest) -> HttpResponse:
    """Screenings the actor may see, newest first; "in progress" and "mine" narrow the list."""
    actor = actor_for(request)
    open_only = request.GET.get("open") == "1"
    mine = request.GET.get("mine") == "1"
    sessions = selectors.session_list(actor, open_only=open_only, mine=mine)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    log_event(
        "screenings.listed",
        details={"open": open_only, "mine": mine, "page": page.number, "shown": len(page)},
    )
    query = query_without_page(request)
    context = {
        "page": page,
        "open_only": open_only,
        "mine": mine,
        "query": query,
    }
    return render(request, "screening/session_list.html", context)


@requires("screening.session:read")
@require_GET
def person_sessions_view(request: HttpRequest, person_pk: int) -> HttpResponse:
    """A person's screenings and the "Screen this person" button; a partial for the person page."""
    actor = actor_for(request)
    person = get_person_for_user(actor, person_pk)
    sessions = selectors.sessions_of_person(actor, person, shown=True)
    context = {
        "person": person,
        "sessions": sessions,
        "can_screen": actor.can("screening.session:create"),
        "partial": _is_htmx(request),
    }
    template = (
        "screening/_person_sessions.html" if _is_htmx(request) else "screening/person_sessions.html"
    )
    return render(request, template, context)


# --- starting and running a screening ------------------------------------------------------------


@requires("screening.session:create")
@require_http_methods(["GET", "POST"])
def session_start_view(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Choose the stage, the languages and the profile, then start the interview."""
    actor = actor_for(request)
    person = get_person_for_user(actor, person_pk, shown_on="screening_start")
    form = SessionStartForm(request.POST or None, person=person, officer_language=_ui_language())
    if request.method == "POST" and form.is_valid():
        try:
            session = services.start_session(actor=actor, person=person, setup=form.setup())
        except ServiceError as exc:
            add_service_error(form, exc)
        except CatalogueError:
            form.add_error(
                None, _("The indicator catalogue cannot be loaded; tell the system administrator.")
            )
        else:
            return redirect("screening:session_interview", pk=session.pk)
    context = {
        "person": person,
        "form": form,
        "child": is_child(person, timezone.localdate()),
        "open_sessions": selectors.open_sessions_of(actor, person),
        "record_notices": record_notices(person),
    }
    return render(request, "screening/session_start.html", context)


@requires("screening.session:create")
@require_http_methods(["GET", "POST"])
def session_interview_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The interview form. "Save" stores the ticks and recomputes the assessment; "Record the
    decision" stores the ticks and the decision together, or nothing (I8)."""
    actor = actor_for(request)
    session = selectors.get_session_for_screener(actor, pk, shown_on="interview")
    if not session.is_open:
        return redirect("screening:session_detail", pk=session.pk)
    catalogue = services.session_catalogue(session)
    # Reopened, the form shows the draft the screener left, not only what was last saved.
    draft = drafts.draft_of(session) if request.method == "GET" else None
    form = InterviewForm(
        request.POST or None,
        catalogue=catalogue,
        session=session,
        draft=draft.values if draft else None,
    )
    assessment = (
        _preview_assessment(session, draft.values)
        if draft
        else selectors.stored_assessment(session)
    )
    if request.method == "POST":
        outcome = _save_interview(request, actor, session, form)
        if isinstance(outcome, HttpResponse):
            return outcome
        assessment = outcome or assessment
    context = _interview_context(session, form, assessment)
    context["draft"] = draft
    # A refused submit keeps the revision its window knew; a fresh page the stored one.
    context["draft_revision"] = (
        _int(request.POST.get("draft_revision")) if request.method == "POST" else None
    )
    if context["draft_revision"] is None:
        context["draft_revision"] = draft.revision if draft else drafts.revision_of(session)
    return render(request, "screening/session_interview.html", context)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _save_interview(
    request: HttpRequest, actor: Any, session: ScreeningSession, form: InterviewForm
) -> HttpResponse | Any:
    """Handle a submit; return a redirect on success, else the assessment to show (or None)."""
    if not form.is_valid():
        return _preview_assessment(session, form.data)
    deciding = request.POST.get("action") == "decide"
    try:
        with transaction.atomic():
            saved = services.set_observations(
                actor=actor,
                session=session,
                observations=form.observations(),
                profile=form.profile(),
                version=form.cleaned_data.get("version"),
            )
            if deciding:
                services.record_decision(
                    actor=actor,
                    session=saved,
                    decision=form.cleaned_data.get("decision") or "",
                    reason=form.cleaned_data.get("reason") or "",
                    version=saved.version,
                    orphans_court=form.cleaned_data.get("orphans_court"),
                )
    except services.ConcurrentEdit as exc:
        add_service_error(form, exc)
        form.data = _with_version(form.data, exc.session.version)
    except ServiceError as exc:
        add_service_error(form, exc)
    else:
        if deciding:
            messages.success(request, _("The decision is recorded."))
            return redirect("screening:session_detail", pk=session.pk)
        messages.success(request, _("The observations are saved and the assessment is updated."))
        return redirect("screening:session_interview", pk=session.pk)
    return _preview_assessment(session, form.data)


def _with_version(data: Any, version: int) -> Any:
    updated = data.copy()
    updated["version"] = str(version)
    return updated


def _preview_assessment(session: ScreeningSession, data: Any) -> Any:
    """The assessment of the ticks as submitted, so a refused save still shows the right advice."""
    catalogue = services.session_catalogue(session)
    observations, profile = preview_input(data, catalogue)
    facts = services.person_facts(
        session.person,
        today=timezone.localdate(),
        suspected_of_offence=profile.suspected_of_offence,
    )
    return services.assess(
        catalogue=catalogue,
        session=session,
        observations=observations,
        profile=profile,
        facts=facts,
    )


def _interview_context(
    session: ScreeningSession, form: InterviewForm, assessment: Any
) -> dict[str, Any]:
    view = selectors.assessment_view(assessment, session.officer_language)
    person_language = session.prompt_language
    translated = get_translation(session.catalogue_version, person_language)
    # A translation withdrawn since the session started (never shipped broken: the i18n check
    # fails on it) shows the English prompts rather than no page; the page says so.
    fallback = person_language not in prompt_languages(session.catalogue_version)
    if fallback:
        person_language = "en"
    return {
        "session": session,
        "person": session.person,
        "form": form,
        "person_language": person_language,
        "person_dir": direction(person_language),
        "prompt_fallback": fallback,
        "prompt_draft": translated is not None and translated.review.is_draft,
        "groups": indicator_groups(
            form,
            person_language=person_language,
            officer_language=session.officer_language,
        ),
        "view": view,
        # Asked only where it matters: more than one orphan's court to choose from.
        "choose_court": form.fields["orphans_court"].queryset.count() > 1,  # type: ignore[attr-defined]
    }


@requires("screening.session:create")
@require_POST
def session_draft_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep the interview form as it is now (htmx, on every change) and answer with the live
    assessment of it. A refusal (another window saved meanwhile, the decision recorded, a text
    too long) answers 409 or 422 with the message for the page's draft status."""
    actor = actor_for(request)
    session = selectors.get_session_for_screener(actor, pk)
    take_over = _int(request.POST.get("take_over_revision"))
    revision = take_over if take_over is not None else _int(request.POST.get("draft_revision"))
    values = {name: request.POST.get(name, "") for name in request.POST}
    try:
        draft = drafts.save_draft(
            actor=actor,
            session=session,
            values=values,
            revision=revision or 0,
            session_version=_int(request.POST.get("version")),
        )
    except ServiceError as exc:
        return _draft_refused(request, session, exc)
    view = selectors.assessment_view(
        _preview_assessment(session, draft.values), session.officer_language
    )
    context = {"view": view, "session": session, "draft": draft}
    return render(request, "screening/_draft_saved.html", context)


def _draft_refused(
    request: HttpRequest, session: ScreeningSession, exc: ServiceError
) -> HttpResponse:
    context = {
        "session": session,
        "refusal": exc,
        "draft_conflict": exc if isinstance(exc, drafts.DraftConflict) else None,
    }
    status = 422 if isinstance(exc, InvalidInput) else 409
    response = render(request, "screening/_draft_status.html", context, status=status)
    response["HX-Retarget"] = "#draft-status"
    response["HX-Reswap"] = "innerHTML"
    return response


@requires("screening.session:read")
@require_GET
def session_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A stored screening, displayed exactly as it was computed, with the catalogue release it
    used. Notes and the interpreter's name only for the screener's organisation."""
    actor = actor_for(request)
    session = selectors.get_session_for_user(actor, pk)
    notes_visible = selectors.may_read_notes(actor, session)
    lang = _ui_language()
    context = {
        "session": session,
        "person": session.person,
        "view": selectors.assessment_view(selectors.stored_assessment(session), lang),
        "observations": selectors.observation_rows(session, lang=lang, notes_visible=notes_visible),
        "notes_visible": notes_visible,
        "catalogue_available": selectors.catalogue_of(session) is not None,
        "may_edit": selectors.may_edit(actor, session),
        "suspicion_id": selectors.suspicion_id_of(session),
        "follows_advice": session.decision
        and services.follows_advice(session.recommendation, session.decision),
    }
    return render(request, "screening/session_detail.html", context)


# --- the interview aid and the catalogue releases -------------------------------------------------


@requires("screening.catalogue:read")
@require_GET
def aid_view(request: HttpRequest) -> HttpResponse:
    """Choose the two languages (and the stage) of the printable interview aid."""
    version = latest_catalogue().version
    form = InterviewAidForm(initial={"officer_language": _ui_language()}, version=version)
    return render(request, "screening/aid.html", {"form": form, **_aid_context(version)})


@requires("screening.catalogue:read")
@require_GET
def aid_download_view(request: HttpRequest) -> HttpResponse:
    """The interview aid as a PDF attachment; bad choices go back to the form with a message."""
    catalogue = latest_catalogue()
    form = InterviewAidForm(request.GET, version=catalogue.version)
    context = {"form": form, **_aid_context(catalogue.version)}
    if not form.is_valid():
        return render(request, "screening/aid.html", context, status=400)
    data = form.cleaned_data
    try:
        pdf = interview_aid_pdf(
            catalogue=catalogue,
            person_language=data["person_language"],
            officer_language=data["officer_language"],
            stage=data.get("stage") or None,
        )
    except (AidError, CatalogueError):
        form.add_error(
            None, _("The interview aid could not be built; tell the system administrator.")
        )
        return render(request, "screening/aid.html", context, status=500)
    name = f"atpazit-interview-aid-{catalogue.version}-{data['person_language']}-{data['officer_language']}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _aid_context(version: str) -> dict[str, Any]:
    """The person languages of the aid whose translation is still a draft (named on the page)."""
    drafts = [
        language_name(code)
        for code in prompt_languages(version)
        if (found := get_translation(version, code)) is not None and found.review.is_draft
    ]
    return {"draft_languages": drafts}


@requires("screening.catalogue:review")
@require_GET
def catalogue_diff_view(request: HttpRequest) -> HttpResponse:
    """What a catalogue release adds, removes and changes compared with another (the review)."""
    form = CatalogueDiffForm(request.GET or None)
    versions: tuple[str, str] | None = None
    if form.is_bound:
        if form.is_valid():
            versions = (form.cleaned_data["old"], form.cleaned_data["new"])
    elif form.fields["old"].initial != form.fields["new"].initial:
        versions = (form.fields["old"].initial, form.fields["new"].initial)
    diff = old_catalogue = new_catalogue = None
    if versions is not None:
        try:
            old_catalogue, new_catalogue = get_catalogue(versions[0]), get_catalogue(versions[1])
        except CatalogueError as exc:
            form.add_error(None, str(exc))
        else:
            diff = diff_catalogues(old_catalogue, new_catalogue)
    lang = _ui_language()
    context = {
        "form": form,
        "diff": diff,
        "added": [_describe(new_catalogue, code, lang) for code in diff.added] if diff else [],
        "removed": [_describe(old_catalogue, code, lang) for code in diff.removed] if diff else [],
        "changed": [
            (_describe(new_catalogue, change.code, lang), change.fields) for change in diff.changed
        ]
        if diff
        else [],
    }
    return render(request, "screening/catalogue_diff.html", context)


def _describe(catalogue: Any, code: str, lang: str) -> dict[str, str]:
    indicator = catalogue.indicator(code)
    return {"code": code, "text": indicator.text.in_language(lang)}
