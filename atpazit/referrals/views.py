"""Pages of the core referral flow: the suspicion page and its actions, the referral inbox and
page, anonymous notifications, and the orphan's court's child cases.

Views parse input, call a selector or a service, and render. Objects outside the actor's scope
are 404 (I6); every page that shows personal data is audited (I7); a refused write shows the
service's message next to the field it names (I8).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from atpazit.accounts.access import Actor, actor_for, requires
from atpazit.audit.services import log_event
from atpazit.cases.rules import is_child
from atpazit.cases.selectors import get_person_for_user
from atpazit.deadlines.models import Deadline
from atpazit.deadlines.rules import Kind
from atpazit.lib.errors import ServiceError
from atpazit.lib.forms import run_service, run_service_telling, submitted
from atpazit.referrals import access, services
from atpazit.referrals.anonymous import anonymous_rows, screening_indicators
from atpazit.referrals.forms import (
    AnonymousNotificationForm,
    CloseSuspicionForm,
    ConsentForm,
    DeclineProposalForm,
    HoldReleaseForm,
    ProposalDecisionForm,
    RaiseSuspicionForm,
    RiskAssessmentForm,
    SendReferralsForm,
    SuspicionFilterForm,
    WithdrawConsentForm,
)
from atpazit.referrals.models import Consent, HoldReleaseProposal, Referral, Suspicion
from atpazit.referrals.selectors import (
    get_release_proposal_for_user,
    get_suspicion_for_user,
    get_suspicion_page,
    guardian_history,
    open_suspicion_of,
    reads_child_thread,
    suspicion_list,
    waiting_release_proposal,
)

PAGE_SIZE = 50


def action_page(
    request: HttpRequest,
    template: str,
    form: forms.Form,
    *,
    title: str,
    submit: str,
    intro: list[str] | None = None,
    danger: bool = False,
    **context: Any,
) -> HttpResponse:
    """A form page for one action on a suspicion or a referral: the title, the explanation
    above the form, the submit button (red when ``danger``) and what ``context`` adds."""
    context |= {
        "form": form,
        "title": title,
        "submit": submit,
        "intro": intro or [],
        "danger": danger,
    }
    return render(request, template, context)


def _suspicion_form_page(
    request: HttpRequest,
    suspicion: Suspicion,
    form: forms.Form,
    *,
    blockers: list[str] | None = None,
    link: tuple[str, str] | None = None,
    **page: Any,
) -> HttpResponse:
    return action_page(
        request,
        "referrals/suspicion_action.html",
        form,
        suspicion=suspicion,
        person=suspicion.person,
        blockers=blockers or [],
        link=link,
        **page,
    )


def _done(request: HttpRequest, suspicion: Suspicion, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("referrals:suspicion_detail", pk=suspicion.pk)


def _suspicion_action(
    request: HttpRequest,
    pk: int,
    *,
    shown_on: str,
    form_class: type[forms.Form],
    call: Callable[[Actor, Suspicion, dict[str, Any]], object],
    done: str,
    page: Callable[[Actor, Suspicion], dict[str, Any]],
    with_person: bool = False,
    initial: Callable[[Suspicion], dict[str, Any]] | None = None,
) -> HttpResponse:
    """One action on a suspicion: the form on GET; on POST the service ``call(actor, suspicion,
    cleaned_data)``, then back to the suspicion page with ``done``, or the form with the
    service's refusal on it. ``page`` gives the action page's title, intro and the like."""
    actor = actor_for(request)
    suspicion = get_suspicion_for_user(actor, pk, shown_on=shown_on)
    form_kwargs: dict[str, Any] = {"person": suspicion.person} if with_person else {}
    if initial is not None:
        form_kwargs["initial"] = initial(suspicion)
    form = form_class(request.POST or None, **form_kwargs)
    if submitted(request, form, lambda data: call(actor, suspicion, data)):
        return _done(request, suspicion, done)
    return _suspicion_form_page(request, suspicion, form, **page(actor, suspicion))


# --- suspicions --------------------------------------------------------------------------------


@requires("referrals.suspicion:read")
def suspicion_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = SuspicionFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    page = Paginator(suspicion_list(actor, state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(s, services.identification_status(s, list(s.referrals.all()))) for s in page]
    log_event(
        "suspicions.listed", details={"state": state, "page": page.number, "shown": len(rows)}
    )
    return render(
        request,
        "referrals/suspicion_list.html",
        {"form": form, "page": page, "rows": rows, "state": state},
    )


@requires("referrals.suspicion:raise")
@require_http_methods(["GET", "POST"])
def suspicion_create_view(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Raise a suspicion about a person (from the person page or a screening decision)."""
    actor = actor_for(request)
    person = get_person_for_user(actor, person_pk, shown_on="raise_suspicion")
    existing = open_suspicion_of(actor, person.pk)
    # One whose hold was released no longer holds the removal: a new one may be raised (I1).
    if existing is not None and existing.hold.is_active:
        messages.info(request, _("This person already has an open suspicion of trafficking."))
        return redirect("referrals:suspicion_detail", pk=existing.pk)
    child = is_child(person, timezone.localdate())
    initial = {"source_reference": request.GET.get("source", "")[:64]}
    form = RaiseSuspicionForm(request.POST or None, child=child, initial=initial)
    created: list[Suspicion] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: created.append(
                services.raise_suspicion(
                    actor=actor,
                    person=person,
                    reason=data["reason"],
                    source_reference=data.get("source_reference", ""),
                    orphans_court=data.get("orphans_court"),
                )
            ),
        ):
            return _done(request, created[0], _raised_message(created[0]))
    return render(
        request, "referrals/suspicion_form.html", {"form": form, "person": person, "child": child}
    )


def _raised_message(suspicion: Suspicion) -> str:
    parts = [
        _("The suspicion is raised and the removal of %(case)s is held.")
        % {"case": suspicion.person.case_number}
    ]
    if suspicion.child_path:
        parts.append(_("Child path: refer by law; the orphan's court has been notified."))
    else:
        parts.append(_("Next: explain the person's rights and record their decision on referral."))
    if services.information_sheet_offered(suspicion):
        parts.append(_("Hand over the written information on the reflection period."))
    return " ".join(parts)


@requires("referrals.suspicion:read")
def suspicion_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The suspicion page: the hold, each track's status, the derived identification status,
    consent, and the actions the actor may take. Never the packages or notes (I6)."""
    actor = actor_for(request)
    suspicion = get_suspicion_page(actor, pk)
    context = _suspicion_context(actor, suspicion)
    context["appointments"] = guardian_history(suspicion, shown_on="suspicion_detail")
    context["guardian_in_full"] = access.sees_guardian_in_full(actor, suspicion)
    context["child_thread"] = reads_child_thread(actor, suspicion)
    return render(request, "referrals/suspicion_detail.html", context)


def _suspicion_context(actor: Actor, suspicion: Suspicion) -> dict[str, Any]:
    referrals = list(suspicion.referrals.all())
    consents = list(suspicion.consents.all())
    consent = consents[0] if consents else None
    in_force = services.consent_covers(consent, Referral.Track.PROVIDER) or services.consent_covers(
        consent, Referral.Track.POLICE
    )
    refused = consent is not None and (
        consent.decision == Consent.Decision.REFUSED or consent.withdrawn_at is not None
    )
    hold = suspicion.hold
    anonymous = list(suspicion.anonymous_notifications.select_related("to_organisation"))
    return {
        "suspicion": suspicion,
        "person": suspicion.person,
        "hold": hold,
        "hold_deadline": open_deadline_of(hold, Kind.HOLD_CONFIRMATION)
        if hold.confirmed_at is None
        else None,
        "tracks": [(r, access.referral_parts(actor, r)) for r in referrals],
        "status": services.identification_status(suspicion, referrals),
        "consent": consent,
        "consents": consents,
        "anonymous": [(n, anonymous_rows(n.payload)) for n in anonymous],
        "risk_assessments": list(suspicion.risk_assessments.all()),
        "sheets": list(suspicion.information_sheets.all()),
        "sheet_offered": services.information_sheet_offered(suspicion),
        "reflection": getattr(suspicion, "reflection_period", None)
        if _has_reflection(suspicion)
        else None,
        "actions": access.suspicion_actions(
            actor,
            suspicion,
            consent_in_force=in_force,
            consent_refused=refused,
            anonymous_sent=bool(anonymous),
            both_tracks_open={r.track for r in access.open_tracks(referrals)}
            == set(Referral.Track.values),
        ),
        "blockers": services.release_blockers_for(suspicion) if hold.is_active else [],
        "four_eyes": hold.is_active and services.hold_release_assessment(suspicion).needs_four_eyes,
        "proposal": waiting_release_proposal(suspicion) if hold.is_active else None,
        "htcds_status": services.HTCDS_CASE_STATUS.get(suspicion.closure_reason, ""),
        "now": timezone.now(),
        # The reflection period and what follows identification are the follow-up pages.
        "can_follow_up": actor.can("referrals.followup:read"),
    }


def _has_reflection(suspicion: Suspicion) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return suspicion.reflection_period is not None
    except ObjectDoesNotExist:
        return False


def open_deadline_of(subject: Any, kind: str) -> Deadline | None:
    return Deadline.objects.filter(
        subject=f"{subject._meta.label_lower}:{subject.pk}",
        kind=kind,
        met_at__isnull=True,
        cancelled_at__isnull=True,
    ).first()


@requires("cases.hold:create")
@require_POST
def hold_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    suspicion = get_suspicion_for_user(actor, pk)
    run_service_telling(
        request,
        lambda: services.confirm_suspicion_hold(actor=actor, suspicion=suspicion),
        success=_("The hold is confirmed."),
    )
    return redirect("referrals:suspicion_detail", pk=suspicion.pk)


@requires("referrals.consent:record")
@require_http_methods(["GET", "POST"])
def consent_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _suspicion_action(
        request,
        pk,
        shown_on="consent",
        form_class=ConsentForm,
        with_person=True,
        call=lambda actor, suspicion, data: services.record_consent(
            actor=actor, suspicion=suspicion, **data
        ),
        done=_("The person's decision is recorded."),
        page=lambda actor, suspicion: {
            "title": _("Record the decision on referral"),
            "submit": _("Record"),
            "intro": [
                _(
                    "Explain, in a language the person understands, what a referral is, who receives which data, that support does not depend on cooperating with the police, and that consent can be withdrawn at any time."
                ),
                _(
                    "If the person refuses, no personal data leave: you can send an anonymous notification instead."
                ),
            ],
        },
    )


@requires("referrals.consent:record")
@require_http_methods(["GET", "POST"])
def consent_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _suspicion_action(
        request,
        pk,
        shown_on="consent_withdraw",
        form_class=WithdrawConsentForm,
        call=lambda actor, suspicion, data: services.withdraw_consent(
            actor=actor, suspicion=suspicion, **data
        ),
        done=_(
            "The withdrawal is recorded. No further personal data will be disclosed; the recipients of open referrals are told."
        ),
        page=lambda actor, suspicion: {
            "title": _("Record the withdrawal of consent"),
            "submit": _("Record the withdrawal"),
            "intro": [
                _(
                    "From now on nothing more about the person is sent to the provider or the police. What they already received stays with them."
                )
            ],
            "danger": True,
        },
    )


@requires("referrals.referral:send")
@require_http_methods(["GET", "POST"])
def referral_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _suspicion_action(
        request,
        pk,
        shown_on="referral_send",
        form_class=SendReferralsForm,
        call=lambda actor, suspicion, data: services.send_referrals(
            actor=actor, suspicion=suspicion, **data
        ),
        done=_(
            "The referrals are sent. The recipients are notified and must answer within the deadline."
        ),
        page=lambda actor, suspicion: {
            "title": _("Send referrals"),
            "submit": _("Send"),
            "intro": [
                _(
                    "A child is referred by law: no consent is needed. Choose a provider and the State Police."
                )
                if suspicion.child_path
                else _(
                    "Only the tracks the person consented to can be sent. The package holds the minimum each track needs; the disclosure is logged."
                )
            ],
        },
    )


@requires("referrals.referral:send")
@require_http_methods(["GET", "POST"])
def anonymous_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _suspicion_action(
        request,
        pk,
        shown_on="anonymous_send",
        form_class=AnonymousNotificationForm,
        # Pre-filled with what the screening found; the officer still decides what is sent.
        initial=lambda suspicion: {"indicator_codes": _screening_indicators(suspicion)},
        call=lambda actor, suspicion, data: services.send_anonymous_notification(
            actor=actor, suspicion=suspicion, **data
        ),
        done=_("The anonymous notification is sent. It carries no identifier."),
        page=lambda actor, suspicion: {
            "title": _("Send an anonymous notification"),
            "submit": _("Send"),
            "intro": [
                _(
                    "The person refused referral. The State Police and a provider are told only the sex, age band, nationality, indicators, the region of the place and the week: no name, no case number, no date of birth, no exact place or day, no free text."
                ),
                *(
                    [
                        _(
                            "The indicators recorded in the screening are ticked already: untick any that should not be sent."
                        )
                    ]
                    if _screening_indicators(suspicion)
                    else []
                ),
            ],
        },
    )


def _screening_indicators(suspicion: Suspicion) -> list[str]:
    return screening_indicators(suspicion.person, suspicion.source_reference)


@requires("referrals.risk_assessment:record")
@require_http_methods(["GET", "POST"])
def risk_assessment_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _suspicion_action(
        request,
        pk,
        shown_on="risk_assessment",
        form_class=RiskAssessmentForm,
        with_person=True,
        call=lambda actor, suspicion, data: services.record_return_risk_assessment(
            actor=actor, suspicion=suspicion, **data
        ),
        done=_("The pre-return risk assessment is documented."),
        page=lambda actor, suspicion: {
            "title": _("Pre-return risk assessment"),
            "submit": _("Record"),
            "intro": [
                _(
                    "Assess the risk of re-trafficking on return and who will meet the person at hand-over. Releasing the hold of an adult who refused referral needs this assessment."
                )
            ],
        },
    )


@requires("referrals.hold:release_decision")
@require_http_methods(["GET", "POST"])
def hold_release_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _suspicion_action(
        request,
        pk,
        shown_on="hold_release",
        form_class=HoldReleaseForm,
        call=lambda actor, suspicion, data: services.decide_hold_release(
            actor=actor, suspicion=suspicion, **data
        ),
        done=_(
            "The hold is released by your decision. The Ombudsman is informed. Screen the person again before any rescheduled removal."
        ),
        page=lambda actor, suspicion: {
            "title": _("Decide on releasing the hold"),
            "submit": _("Release the hold"),
            "intro": [
                _(
                    "The decision is recorded with your name, the reasons and the reference, and reported to the Ombudsman. Removal may then be rescheduled only after a fresh pre-departure screening."
                )
            ],
            "danger": True,
            # An inactive hold says so itself among the blockers.
            "blockers": services.release_blockers_for(suspicion),
            "link": _four_eyes_link(actor, suspicion),
        },
    )


def _four_eyes_link(actor: Actor, suspicion: Suspicion) -> tuple[str, str] | None:
    """The way to a four-eyes proposal, where the release needs one and the actor may propose."""
    if (
        suspicion.hold.is_active
        and actor.can("referrals.hold_release:propose")
        and services.hold_release_assessment(suspicion).needs_four_eyes
    ):
        return (
            reverse("referrals:hold_release_propose", args=[suspicion.pk]),
            _("Propose the release to a second case officer"),
        )
    return None


# --- four eyes: a release no identification outcome supports (docs/decisions/0008) ------------


@requires("referrals.hold_release:propose")
@require_http_methods(["GET", "POST"])
def hold_release_propose_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _suspicion_action(
        request,
        pk,
        shown_on="hold_release_propose",
        form_class=HoldReleaseForm,
        call=lambda actor, suspicion, data: services.propose_hold_release(
            actor=actor, suspicion=suspicion, **data
        ),
        done=_(
            "Your proposal is recorded. The hold stays until a second case officer of the unit approves it; the Ombudsman is then told."
        ),
        page=lambda actor, suspicion: {
            "title": _("Propose releasing the hold"),
            "submit": _("Propose the release"),
            "intro": [
                _(
                    "No decision of the provider's commission or the police ends this hold. Propose the release with your reasons and the decision reference: a second case officer of the unit must approve it before the hold ends, and the Ombudsman is told."
                )
            ],
            "danger": True,
            "blockers": services.proposal_blockers(suspicion),
        },
    )


def _proposal_page(
    request: HttpRequest,
    proposal: HoldReleaseProposal,
    *,
    decline_form: DeclineProposalForm | None = None,
    approve_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_for(request)
    suspicion = proposal.suspicion
    own = proposal.proposed_by_id == actor.user.pk
    waiting = proposal.status == HoldReleaseProposal.Status.PENDING
    context = {
        "proposal": proposal,
        "suspicion": suspicion,
        "person": suspicion.person,
        "own": own,
        "waiting": waiting,
        "stale": services.is_stale(proposal),
        "blockers": services.four_eyes_blockers_for(suspicion)
        if waiting and suspicion.hold.is_active
        else [],
        "basis": _basis_label(proposal.basis),
        "decline_form": decline_form or DeclineProposalForm(initial={"version": proposal.version}),
        "approve_errors": approve_errors or [],
    }
    return render(request, "referrals/release_proposal.html", context, status=status)


def _basis_label(basis: str) -> str:
    return {
        services.ReleaseBasis.TRACKS_WITHOUT_OUTCOME: _(
            "every referral track ended without a decision (withdrawn, expired or declined)"
        ),
        services.ReleaseBasis.ADULT_REFUSED: _(
            "an adult refused referral after being informed of their rights"
        ),
    }.get(basis, basis)


@requires("referrals.hold_release:approve")
@require_http_methods(["GET"])
def release_proposal_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A four-eyes release proposal: the reasons, who proposed it, and approve / decline (or,
    for the proposer, withdraw)."""
    proposal = get_release_proposal_for_user(actor_for(request), pk, shown=True)
    return _proposal_page(request, proposal)


@requires("referrals.hold_release:approve")
@require_POST
def release_proposal_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    proposal = get_release_proposal_for_user(actor, pk)
    form = ProposalDecisionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        services.approve_hold_release(actor=actor, proposal=proposal, version=version)
    except ServiceError as exc:
        proposal = get_release_proposal_for_user(actor, pk, shown=True)  # as it is now
        return _proposal_page(request, proposal, approve_errors=[str(exc)], status=400)
    return _done(
        request,
        proposal.suspicion,
        _(
            "You approved the release: the hold is released and the Ombudsman is told. Screen the person again before any rescheduled removal."
        ),
    )


@requires("referrals.hold_release:approve")
@require_POST
def release_proposal_decline_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    proposal = get_release_proposal_for_user(actor, pk)
    form = DeclineProposalForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: services.decline_hold_release(
                actor=actor, proposal=proposal, note=data["note"], version=data["version"]
            ),
        ):
            return _done(
                request, proposal.suspicion, _("The proposal is closed. The hold stays in force.")
            )
    proposal = get_release_proposal_for_user(actor, pk, shown=True)  # as it is now
    return _proposal_page(request, proposal, decline_form=form, status=400)


@requires("referrals.suspicion:close")
@require_http_methods(["GET", "POST"])
def close_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _suspicion_action(
        request,
        pk,
        shown_on="close",
        form_class=CloseSuspicionForm,
        call=lambda actor, suspicion, data: services.close_suspicion(
            actor=actor, suspicion=suspicion, **data
        ),
        done=_("The suspicion is closed."),
        page=lambda actor, suspicion: {
            "title": _("Close the suspicion"),
            "submit": _("Close"),
            "intro": [
                _("Closing does not release the removal hold: only a hold-release decision does.")
            ],
        },
    )
