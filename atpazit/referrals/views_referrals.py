"""Pages of the receiving side: the referral inbox and page with its answer, assessment and
police forms; anonymous notifications; the orphan's court's child cases. The Border Guard and
the Ombudsman see the referral page too, with the status only (access.referral_parts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from atpazit.accounts.access import Actor, actor_for, requires
from atpazit.audit.services import log_event
from atpazit.cases import geo
from atpazit.deadlines.rules import Kind
from atpazit.lib.forms import run_service_telling, submitted
from atpazit.referrals import access, hooks, labour, services
from atpazit.referrals.anonymous import anonymous_rows
from atpazit.referrals.forms import (
    CommissionForm,
    GuardianAppointmentForm,
    PoliceOutcomeForm,
    ReferralFilterForm,
    RespondForm,
    SenderMoveForm,
)
from atpazit.referrals.holdline import hold_line
from atpazit.referrals.models import Consent, Referral, Suspicion
from atpazit.referrals.selectors import (
    ReferralFilters,
    anonymous_notifications_visible_to,
    child_cases_visible_to,
    get_anonymous_notification_for_user,
    get_child_case_for_user,
    get_referral_for_user,
    get_referral_page,
    guardian_history,
    reads_child_thread,
    referral_list,
)
from atpazit.referrals.views import PAGE_SIZE, action_page, open_deadline_of

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# --- referrals (providers, police; status for the Border Guard and the Ombudsman) ------------------


@requires("referrals.referral:read")
def referral_list_view(request: HttpRequest) -> HttpResponse:
    """Referrals to my organisation (or about my unit's persons), soonest deadline first."""
    actor = actor_for(request)
    form = ReferralFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = Paginator(referral_list(actor, ReferralFilters(status=status)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    log_event(
        "referrals.listed",
        details={"status": status, "page": page.number, "shown": len(page.object_list)},
    )
    return render(
        request,
        "referrals/referral_list.html",
        {
            "form": form,
            "page": page,
            "status": status,
            "now": timezone.now(),
            "organisation": actor.organisation,
        },
    )


@requires("referrals.referral:read")
def referral_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A referral as the actor may see it: the package and notes only for the receiver (I6)."""
    actor = actor_for(request)
    referral = get_referral_page(actor, pk)
    parts = access.referral_parts(actor, referral)
    context = _referral_context(actor, referral, parts)
    context |= hooks.referral_panels_context(request, referral)  # the exchange's thread panel
    return render(request, "referrals/referral_detail.html", context)


def _referral_context(
    actor: Actor, referral: Referral, parts: access.ReferralParts
) -> dict[str, Any]:
    suspicion = referral.suspicion
    package = services.package_of(referral) if parts.package else None
    refusal = services.disclosure_refusal(referral)
    status = services.identification_status(suspicion)
    return {
        "referral": referral,
        "suspicion": suspicion,
        "parts": parts,
        "package": package,
        "package_rows": _package_rows(package) if package else [],
        "actions": access.referral_actions(actor, referral),
        "transitions": list(referral.transitions.select_related("by")),
        "commission": getattr(referral, "commission_assessment", None)
        if _has(referral, "commission_assessment")
        else None,
        "police": getattr(referral, "police_outcome", None)
        if _has(referral, "police_outcome")
        else None,
        "response_due": open_deadline_of(referral, _response_kind(referral)),
        "consent_stopped": refusal is not None and refusal.code == "consent_withdrawn",
        "status": status,
        # The reader's own track only: the status over all tracks would tell the police that
        # the provider recognised the person, and the provider that a police track exists (I6).
        "hold_line": hold_line(suspicion, services.identification_status(suspicion, [referral])),
        "now": timezone.now(),
    }


def _response_kind(referral: Referral) -> str:
    return (
        Kind.PROVIDER_RESPONSE
        if referral.track == Referral.Track.PROVIDER
        else Kind.POLICE_RESPONSE
    )


def _has(referral: Referral, name: str) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        getattr(referral, name)
    except ObjectDoesNotExist:
        return False
    return True


def _package_rows(package: dict[str, Any]) -> list[tuple[str, str]]:
    """The package as (label, value) rows, in the order of the package fields."""
    labels = _package_labels()
    rows = []
    for key, value in package.items():
        rows.append((labels.get(key, key), _package_value(key, value)))
    return rows


def _package_labels() -> dict[str, str]:
    return {
        "case_number": _("Case number"),
        "referring_organisation": _("Referred by"),
        "sent_on": _("Sent on"),
        "legal_basis": _("Legal basis"),
        "consent": _("Consent"),
        "family_name": _("Family name"),
        "given_names": _("Given names"),
        "aliases": _("Other names used"),
        "date_of_birth": _("Date of birth"),
        "birth_year": _("Year of birth"),
        "stated_age": _("Stated age"),
        "age_disputed": _("Age disputed"),
        "child_path": _("Child path"),
        "sex": _("Sex"),
        "nationality": _("Nationality"),
        "languages": _("Languages spoken"),
        "preferred_language": _("Preferred language"),
        "interpreter_needed": _("Interpreter needed"),
        "detention_centre": _("Detention centre"),
        "detention_place_other": _("Other place of detention"),
        "detained_since": _("Detained since"),
        "planned_removal_date": _("Planned removal date"),
        "suspicion_raised_on": _("Suspicion raised on"),
        "suspicion_reason": _("Why the suspicion is credible"),
    }


def _package_value(key: str, value: Any) -> str:
    from atpazit.cases.models import DetentionCentre, Sex

    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key == "nationality":
        return geo.country_name(value)
    if key == "languages":
        return ", ".join(geo.language_name(code) for code in value)
    if key == "preferred_language":
        return geo.language_name(value)
    if key == "sex":
        return str(dict(Sex.choices).get(value, value))
    if key == "detention_centre":
        return str(dict(DetentionCentre.choices).get(value, value))
    if key == "legal_basis":
        return str(dict(Referral.LegalBasis.choices).get(value, value))
    if key == "consent" and isinstance(value, dict):
        scope = dict(Consent.Scope.choices).get(value.get("scope", ""), "")
        return _("%(scope)s, explained on %(date)s in %(language)s") % {
            "scope": scope,
            "date": _local_date(value.get("explained_on", "")),
            "language": geo.language_name(value.get("language", "")),
        }
    return _local_date(str(value))


def _local_date(value: str) -> str:
    """An ISO date of the package ("2026-12-06") in the reader's date format; any other text
    as it is. The package stores ISO dates so that it reads the same in every language."""
    if not ISO_DATE.match(value):
        return value
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return date_format(day, "SHORT_DATE_FORMAT")


def _referral_action_page(
    request: HttpRequest, referral: Referral, form: forms.Form, **page: Any
) -> HttpResponse:
    return action_page(
        request,
        "referrals/referral_action.html",
        form,
        referral=referral,
        suspicion=referral.suspicion,
        **page,
    )


def _referral_done(request: HttpRequest, referral: Referral, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("referrals:referral_detail", pk=referral.pk)


def _move_referral(
    request: HttpRequest,
    pk: int,
    *,
    shown_on: str,
    form_class: type[RespondForm] | type[SenderMoveForm],
    default: str,
    page: Callable[[str], dict[str, Any]],
) -> HttpResponse:
    """A move of the referral's status picked by ``action`` (the form's ACTIONS): the form on
    GET; on POST the transition, then the referral page, or the form with the refusal on it.
    ``page(action)`` gives the action page's title, intro and the like."""
    actor = actor_for(request)
    referral = get_referral_for_user(actor, pk, shown_on=shown_on)
    action = request.POST.get("action") or request.GET.get("action") or default
    form = form_class(request.POST or None, initial={"action": action, "version": referral.version})
    moved: list[str] = []

    def move(data: dict[str, Any]) -> object:
        moved.append(form_class.ACTIONS[data["action"]])
        return services.transition_referral(
            actor=actor,
            referral=referral,
            to_status=moved[0],
            reason=data["reason"],
            version=data["version"],
        )

    if submitted(request, form, move):
        return _referral_done(
            request,
            referral,
            _("The referral is now: %(status)s.") % {"status": Referral.Status(moved[0]).label},
        )
    return _referral_action_page(request, referral, form, **page(action))


@requires("referrals.referral:respond")
@require_http_methods(["GET", "POST"])
def referral_respond_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept, decline (with a reason) or start the assessment: the receiving organisation."""
    return _move_referral(
        request,
        pk,
        shown_on="referral_respond",
        form_class=RespondForm,
        default="accept",
        page=_respond_page,
    )


def _respond_page(action: str) -> dict[str, Any]:
    titles = {
        "accept": _("Accept the referral"),
        "decline": _("Decline the referral"),
        "assess": _("Start the assessment"),
    }
    title = str(titles.get(action, titles["accept"]))
    return {"title": title, "submit": title, "danger": action == "decline"}


@requires("referrals.referral:send")
@require_http_methods(["GET", "POST"])
def referral_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The sender withdraws a referral, or closes an unanswered one as expired."""
    return _move_referral(
        request,
        pk,
        shown_on="referral_withdraw",
        form_class=SenderMoveForm,
        default="withdraw",
        page=_withdraw_page,
    )


def _withdraw_page(action: str) -> dict[str, Any]:
    if action == "expire":
        title, intro = (
            _("Close as expired"),
            [
                _(
                    "The recipient did not answer within the deadline. You can then refer the person to another organisation."
                )
            ],
        )
    else:
        title, intro = (
            _("Withdraw the referral"),
            [_("The recipient is told the referral is withdrawn. Write why.")],
        )
    return {"title": title, "submit": title, "intro": intro, "danger": True}


@requires("referrals.commission:record")
@require_http_methods(["GET", "POST"])
def commission_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    referral = get_referral_for_user(actor, pk, shown_on="commission")
    form = CommissionForm(request.POST or None, initial={"version": referral.version})
    if submitted(
        request,
        form,
        lambda data: services.record_commission_assessment(actor=actor, referral=referral, **data),
    ):
        return _referral_done(request, referral, _("The commission's assessment is recorded."))
    intro = [
        _(
            "The commission of specialists decides whether the person meets the criteria of a victim (Cabinet Regulation No. 344). The Border Guard sees the result only."
        )
    ]
    return _referral_action_page(
        request, referral, form, title=_("Commission assessment"), submit=_("Record"), intro=intro
    )


@requires("referrals.police:record")
@require_http_methods(["GET", "POST"])
def police_outcome_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    referral = get_referral_for_user(actor, pk, shown_on="police_outcome")
    initial: dict[str, Any] = {"version": referral.version}
    if _has(referral, "police_outcome"):
        outcome = referral.police_outcome
        initial |= {
            "proceedings": outcome.proceedings,
            "proceedings_reference": outcome.proceedings_reference,
            "decided_on": outcome.decided_on,
            "victim_status": outcome.victim_status,
        }
    form = PoliceOutcomeForm(request.POST or None, initial=initial)
    if submitted(
        request,
        form,
        lambda data: services.record_police_outcome(actor=actor, referral=referral, **data),
    ):
        return _referral_done(request, referral, _("The police outcome is recorded."))
    intro = [
        _(
            "A refusal to open criminal proceedings ends the police track only: the provider's track goes on, and support never depends on cooperating with the police."
        )
    ]
    return _referral_action_page(
        request,
        referral,
        form,
        title=_("Criminal proceedings and victim status"),
        submit=_("Record"),
        intro=intro,
    )


# --- anonymous notifications (recipients) ------------------------------------------------------------


@requires("referrals.anonymous:read")
def anonymous_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    queryset: QuerySet[Any] = anonymous_notifications_visible_to(actor).order_by("-sent_at", "-pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    log_event(
        "anonymous_notifications.listed",
        details={"page": page.number, "shown": len(page.object_list)},
    )
    return render(request, "referrals/anonymous_list.html", {"page": page})


@requires("referrals.anonymous:read")
def anonymous_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """What the recipient gets: the payload only, never who or which case (I5)."""
    actor = actor_for(request)
    notification = get_anonymous_notification_for_user(actor, pk, shown=True)
    return render(
        request,
        "referrals/anonymous_detail.html",
        {"notification": notification, "rows": anonymous_rows(notification.payload)},
    )


# --- the labour inspectorate's notices (R4) --------------------------------------------------------


@requires(labour.READ)
def labour_notice_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    queryset = labour.labour_notices_visible_to(actor).only("pk", "sent_at", "payload")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    log_event(
        "labour_notices.listed", details={"page": page.number, "shown": len(page.object_list)}
    )
    return render(request, "referrals/labour_notice_list.html", {"page": page})


@requires(labour.READ)
def labour_notice_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """What the inspectorate gets: the de-identified payload only, never who or which case."""
    actor = actor_for(request)
    notice = labour.get_labour_notice_for_user(actor, pk, shown=True)
    return render(
        request,
        "referrals/labour_notice_detail.html",
        {"notice": notice, "rows": anonymous_rows(notice.payload)},
    )


# --- the orphan's court -----------------------------------------------------------------------------


@requires("referrals.child:read")
def child_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    queryset = (
        child_cases_visible_to(actor)
        .select_related("person", "hold")
        .order_by("closed_at", "-raised_at")
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    log_event("child_cases.listed", details={"page": page.number, "shown": len(page.object_list)})
    return render(request, "referrals/child_list.html", {"page": page})


@requires("referrals.child:read")
def child_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A child's case for the orphan's court: identity, age, where the child is, the hold and
    the tracks' status; never the grounds, the packages or anyone's notes."""
    actor = actor_for(request)
    suspicion = get_child_case_for_user(actor, pk, shown=True)
    referrals = list(suspicion.referrals.all())
    status = services.identification_status(suspicion, referrals)
    context = {
        "suspicion": suspicion,
        "person": suspicion.person,
        "referrals": referrals,
        "status": status,
        "hold_line": hold_line(suspicion, status),
        "spoken_languages": [geo.language_name(code) for code in suspicion.person.languages],
        "appointments": guardian_history(suspicion, shown_on="child_detail"),
        "guardian_in_full": access.sees_guardian_in_full(actor, suspicion),
        "may_appoint": _may_appoint(actor, suspicion),
        "child_thread": reads_child_thread(actor, suspicion),
    }
    return render(request, "referrals/child_detail.html", context)


def _may_appoint(actor: Actor, suspicion: Suspicion) -> bool:
    """Offer the appointment forms (the service checks the same again)."""
    return (
        actor.can(services.GUARDIAN_RECORD)
        and access.is_orphans_court(actor, suspicion)
        and suspicion.closed_at is None
    )


@requires("referrals.guardian:record")
@require_http_methods(["GET", "POST"])
def guardian_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The orphan's court records the guardian or legal representative it appointed; a new
    appointment supersedes the one in force, which stays in the history."""
    actor = actor_for(request)
    suspicion = get_child_case_for_user(actor, pk, shown=True)
    appointments = guardian_history(suspicion, shown_on="guardian_record")
    current = next((a for a in appointments if a.is_current), None)
    shown = current.pk if current is not None else None
    data = request.POST if request.method == "POST" else None
    form = GuardianAppointmentForm(data, initial={"replaces": shown})
    reached_service = False

    def record(data: dict[str, Any]) -> object:
        nonlocal reached_service
        reached_service = True
        return services.record_guardian_appointment(actor=actor, suspicion=suspicion, **data)

    if submitted(request, form, record):
        messages.success(request, _("The appointment is recorded; the Border Guard is told."))
        return redirect("referrals:child_detail", pk=suspicion.pk)
    if reached_service and form.cleaned_data.get("replaces") != shown:
        # The service refused because a colleague changed the appointment after the page was
        # loaded: shown again with the one in force now, so a resend is knowing. Any other
        # refusal (a field left empty) keeps the appointment the officer saw, so the resend is
        # still checked against it and never supersedes a colleague's record unknowingly.
        again = request.POST.copy()
        again["replaces"] = "" if shown is None else str(shown)
        form.data = again
    return action_page(
        request,
        "referrals/guardian_form.html",
        form,
        title=_("Guardian or legal representative"),
        submit=_("Record the appointment"),
        intro=[
            _(
                "Record the decision of your orphan's court appointing a guardian or legal "
                "representative for this child. A new appointment replaces the one in force, "
                "which stays in the history."
            )
        ],
        suspicion=suspicion,
        person=suspicion.person,
        appointments=appointments,
        current=current,
    )


@requires("referrals.guardian:record")
@require_POST
def guardian_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    """End the appointment in force without a new one (the button on the child page)."""
    actor = actor_for(request)
    suspicion = get_child_case_for_user(actor, pk)
    shown = request.POST.get("appointment", "")
    run_service_telling(
        request,
        lambda: services.end_guardian_appointment(
            actor=actor, suspicion=suspicion, appointment_pk=int(shown) if shown.isdigit() else None
        ),
        success=_("The appointment is ended; the Border Guard is told."),
    )
    return redirect("referrals:child_detail", pk=suspicion.pk)
