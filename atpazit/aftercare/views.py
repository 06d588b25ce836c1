"""Pages after identification: the follow-up of a case (SIVA, rehabilitation, residence permit,
return decision), the provider's request to SIVA, and SIVA's inbox and decision form.

Each organisation sees only its part (I6): SIVA the request page with the case number, the
child marker, how and when the person was identified, and the provider; the Border Guard, the
police and the Ombudsman the residence and return track, never the service details. Every page
about a person is audited (I7).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from atpazit.accounts.access import Actor, actor_for, requires
from atpazit.accounts.roles import OrganisationType
from atpazit.aftercare import services as aftercare
from atpazit.aftercare.models import (
    Rehabilitation,
    ResidencePermit,
    ReturnDecision,
    ServiceDecision,
)
from atpazit.lib.errors import ServiceError
from atpazit.lib.forms import submitted
from atpazit.referrals.models import Suspicion
from atpazit.reflection import services as reflection
from atpazit.reflection.views import DateInput


class SivaRequestForm(forms.Form):
    siva = forms.ModelChoiceField(
        label=gettext_lazy("SIVA organisation"), queryset=aftercare.siva_organisations()
    )


class ServiceDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=ServiceDecision.Decision.choices,
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=gettext_lazy("Decided on"), widget=DateInput)
    reference = forms.CharField(label=gettext_lazy("Decision reference"), max_length=64)


class RehabilitationStartForm(forms.Form):
    started_on = forms.DateField(label=gettext_lazy("Started on"), widget=DateInput)


class RehabilitationEndForm(forms.Form):
    ended_on = forms.DateField(label=gettext_lazy("Ended on"), widget=DateInput)


class ResidencePermitForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Step"), choices=ResidencePermit.Status.choices)
    status_on = forms.DateField(label=gettext_lazy("Date"), widget=DateInput)
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"),
        widget=DateInput,
        required=False,
        help_text=gettext_lazy("Only for a granted permit."),
    )
    reference = forms.CharField(
        label=gettext_lazy("Reference"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("The application or decision number; required for a decision."),
    )


class ReturnDecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=ReturnDecision.Kind.choices,
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=gettext_lazy("Decided on"), widget=DateInput)
    reference = forms.CharField(label=gettext_lazy("Decision reference"), max_length=64)


def _is_provider(actor: Actor) -> bool:
    return (
        actor.organisation is not None
        and actor.organisation.type == OrganisationType.SERVICE_PROVIDER
    )


# --- the follow-up of a case ---------------------------------------------------------------------


@requires("referrals.followup:read")
def aftercare_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """After identification: the service (for the provider), the residence permit and the return
    decision (for everyone who follows the case)."""
    actor = actor_for(request)
    suspicion = aftercare.get_aftercare_case(actor, pk, shown_on="aftercare_detail")
    provider = _is_provider(actor)
    rehabilitation = (
        Rehabilitation.objects.filter(suspicion=suspicion).select_related("provider").first()
    )
    context = {
        "suspicion": suspicion,
        "identification": reflection.identification_of(suspicion),
        "law_applies": reflection.law_applies(suspicion.person),
        "provider_view": provider,
        "requests": list(
            suspicion.service_requests.select_related("to_organisation").prefetch_related(
                "decisions"
            )
        )
        if provider
        else [],
        "request_blockers": aftercare.request_blockers(suspicion) if provider else [],
        "counter": aftercare.rehabilitation_counter(rehabilitation)
        if provider and rehabilitation
        else None,
        "rehabilitation_blockers": aftercare.rehabilitation_blockers(suspicion) if provider else [],
        "permits": list(suspicion.residence_permits.select_related("recorded_by")),
        "permit_in_force": aftercare.permit_in_force(suspicion),
        "return_decisions": list(suspicion.return_decisions.select_related("recorded_by")),
        "decided": aftercare.residence_or_return_decided(suspicion),
        "can_request": actor.can("referrals.siva:request") and provider,
        "can_rehabilitation": actor.can("referrals.rehabilitation:record") and provider,
        "can_residence": actor.can("referrals.residence:record"),
        "can_return": actor.can("referrals.return_decision:record"),
    }
    return render(request, "aftercare/aftercare_detail.html", context)


@requires("referrals.siva:request")
@require_http_methods(["GET", "POST"])
def siva_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider asks SIVA for a service decision; the page says what SIVA will receive."""
    actor = actor_for(request)
    suspicion = aftercare.get_aftercare_case(actor, pk, shown_on="siva_request")
    organisations = list(aftercare.siva_organisations())
    form = SivaRequestForm(
        request.POST or None, initial={"siva": organisations[0] if organisations else None}
    )
    if submitted(
        request,
        form,
        lambda data: aftercare.request_service_decision(
            actor=actor, suspicion=suspicion, siva=data["siva"]
        ),
    ):
        messages.success(request, _("SIVA has been asked for a service decision."))
        return redirect("aftercare:aftercare_detail", pk=suspicion.pk)
    context = {
        "form": form,
        "suspicion": suspicion,
        "blockers": aftercare.request_blockers(suspicion),
        "identification": reflection.identification_of(suspicion),
    }
    return render(request, "aftercare/aftercare_siva_request.html", context)


def _suspicion_form_view(
    request: HttpRequest,
    pk: int,
    *,
    page: str,
    form_class: type[forms.Form],
    initial: dict[str, Any],
    action: Callable[[Actor, Suspicion, dict[str, Any]], object],
    title: str,
    success: str,
    blockers: Callable[[Suspicion], list[str]],
) -> HttpResponse:
    actor = actor_for(request)
    suspicion = aftercare.get_aftercare_case(actor, pk, shown_on=page)
    form = form_class(request.POST or None, initial=initial)
    if submitted(request, form, lambda data: action(actor, suspicion, data)):
        messages.success(request, success)
        return redirect("aftercare:aftercare_detail", pk=suspicion.pk)
    context = {
        "form": form,
        "suspicion": suspicion,
        "title": title,
        "blockers": blockers(suspicion),
    }
    return render(request, "aftercare/aftercare_form.html", context)


@requires("referrals.rehabilitation:record")
@require_http_methods(["GET", "POST"])
def rehabilitation_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _suspicion_form_view(
        request,
        pk,
        page="rehabilitation_start",
        form_class=RehabilitationStartForm,
        initial={"started_on": timezone.localdate()},
        action=lambda actor, suspicion, data: aftercare.start_rehabilitation(
            actor=actor, suspicion=suspicion, **data
        ),
        title=_("Start social rehabilitation"),
        success=_("The rehabilitation has started; the 180-day counter runs."),
        blockers=aftercare.rehabilitation_blockers,
    )


def _end_rehabilitation(actor: Actor, suspicion: Suspicion, data: dict[str, Any]) -> object:
    rehabilitation = Rehabilitation.objects.filter(suspicion=suspicion).first()
    if rehabilitation is None:
        raise ServiceError(_("No rehabilitation is recorded for this person."))
    return aftercare.end_rehabilitation(
        actor=actor, rehabilitation=rehabilitation, ended_on=data["ended_on"]
    )


@requires("referrals.rehabilitation:record")
@require_http_methods(["GET", "POST"])
def rehabilitation_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _suspicion_form_view(
        request,
        pk,
        page="rehabilitation_end",
        form_class=RehabilitationEndForm,
        initial={"ended_on": timezone.localdate()},
        action=_end_rehabilitation,
        title=_("End social rehabilitation"),
        success=_("The end of the rehabilitation is recorded."),
        blockers=lambda suspicion: (
            []
            if Rehabilitation.objects.filter(suspicion=suspicion, ended_on__isnull=True).exists()
            else [_("No running rehabilitation is recorded for this person.")]
        ),
    )


@requires("referrals.residence:record")
@require_http_methods(["GET", "POST"])
def residence_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _suspicion_form_view(
        request,
        pk,
        page="residence_record",
        form_class=ResidencePermitForm,
        initial={"status_on": timezone.localdate()},
        action=lambda actor, suspicion, data: aftercare.record_residence_permit(
            actor=actor, suspicion=suspicion, **data
        ),
        title=_("Residence permit"),
        success=_("The residence-permit step is recorded."),
        blockers=aftercare.residence_blockers,
    )


@requires("referrals.return_decision:record")
@require_http_methods(["GET", "POST"])
def return_decision_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _suspicion_form_view(
        request,
        pk,
        page="return_decision_record",
        form_class=ReturnDecisionForm,
        initial={"decided_on": timezone.localdate()},
        action=lambda actor, suspicion, data: aftercare.record_return_decision(
            actor=actor, suspicion=suspicion, **data
        ),
        title=_("Return decision after identification"),
        success=_(
            "The return decision is recorded. Release the hold by a decision on the suspicion's page; screen the person again before any removal."
        ),
        blockers=aftercare.return_blockers,
    )


# --- SIVA -----------------------------------------------------------------------------------


@requires("referrals.siva:decide")
def siva_inbox_view(request: HttpRequest) -> HttpResponse:
    """SIVA's requests: those waiting for a decision first, soonest due first."""
    inbox = aftercare.siva_inbox(actor_for(request))
    context = {
        "waiting": [(r, aftercare.decision_due(r)) for r in inbox.waiting],
        "queued": inbox.queued,
        "decided": inbox.decided,
        "now": timezone.now(),
    }
    return render(request, "aftercare/aftercare_siva_inbox.html", context)


@requires("referrals.siva:decide")
@require_http_methods(["GET", "POST"])
def siva_decision_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    service_request = aftercare.get_service_request_for_user(actor, pk, shown=True)
    form = ServiceDecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if submitted(
        request,
        form,
        lambda data: aftercare.record_service_decision(
            actor=actor, request=service_request, **data
        ),
    ):
        messages.success(request, _("The decision is recorded and the provider is told."))
        return redirect("aftercare:siva_inbox")
    case = aftercare.siva_case(service_request)
    context = {
        "form": form,
        "case": case,
        "suspicion": service_request.suspicion,
        "now": timezone.now(),
    }
    return render(request, "aftercare/aftercare_siva_decision.html", context)
