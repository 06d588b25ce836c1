"""Forms parse input only; the rules live in the services, which name the field of each problem."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.models import Organisation
from atpazit.accounts.roles import OrganisationType
from atpazit.cases import geo
from atpazit.cases.models import Person
from atpazit.referrals.models import (
    CommissionAssessment,
    Consent,
    GuardianAppointment,
    PoliceOutcome,
    ReturnRiskAssessment,
    Suspicion,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _organisations(kind: str) -> forms.ModelChoiceField:
    queryset = Organisation.objects.filter(type=kind, is_active=True).order_by("name")
    return forms.ModelChoiceField(queryset=queryset, required=False)


def _language_field(label: Any, person: Person | None = None) -> forms.ChoiceField:
    field = forms.ChoiceField(label=label, choices=[("", "—"), *geo.language_choices()])
    if person is not None and person.preferred_language:
        field.initial = person.preferred_language
    return field


class VersionedForm(forms.Form):
    """Carries the version of the referral the page showed, so a concurrent change is caught."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RaiseSuspicionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the suspicion credible?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "A credible suspicion is enough: what you observed or were told, and by whom. "
            "The removal is held at once."
        ),
    )
    source_reference = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    orphans_court = forms.ModelChoiceField(
        label=_("Orphan's court to notify"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_(
            "The person is a child or their age is disputed: the orphan's court is notified."
        ),
    )

    def __init__(self, *args: Any, child: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        courts = Organisation.objects.filter(type=OrganisationType.ORPHANS_COURT, is_active=True)
        if child and courts.count() > 1:
            cast(forms.ModelChoiceField, self.fields["orphans_court"]).queryset = courts.order_by(
                "name"
            )
            self.fields["orphans_court"].required = True
        else:
            del self.fields["orphans_court"]


class ConsentForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("The person's decision"), choices=Consent.Decision.choices, widget=forms.RadioSelect
    )
    scope = forms.ChoiceField(
        label=_("Referral agreed to"),
        choices=[("", "—"), *Consent.Scope.choices],
        required=False,
        help_text=_("Only when consent was given."),
    )
    interpreter_used = forms.BooleanField(label=capfirst(_("interpreter used")), required=False)
    interpreter_name = forms.CharField(
        label=_("Interpreter"),
        required=False,
        max_length=200,
        help_text=_("Only when an interpreter was used."),
    )
    explained_on = forms.DateField(
        label=_("Date explained"), widget=DateInput(), initial=timezone.localdate
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"] = _language_field(_("Language of the explanation"), person)
        self.order_fields(
            [
                "decision",
                "scope",
                "language",
                "interpreter_used",
                "interpreter_name",
                "explained_on",
            ]
        )


class WithdrawConsentForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How and when the person withdrew their consent. No details of exploitation."),
    )


class SendReferralsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"] = _organisations(OrganisationType.SERVICE_PROVIDER)
        self.fields["provider"].label = _("Service provider")
        self.fields["police"] = _organisations(OrganisationType.POLICE)
        self.fields["police"].label = _("State Police")


def indicator_choices() -> list[tuple[str, str]]:
    from atpazit.screening.catalogue import latest_catalogue

    language = (get_language() or "lv")[:2]
    language = language if language in ("lv", "en", "ru") else "lv"
    return [
        (indicator.code, f"{indicator.code}: {indicator.text.in_language(language)}")
        for indicator in latest_catalogue()
    ]


class AnonymousNotificationForm(forms.Form):
    indicator_codes = forms.MultipleChoiceField(
        label=_("Indicators observed"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only the codes are sent, with the sex, age band, nationality, place and date."
        ),
    )
    support_offered_on = forms.DateField(
        label=_("Support offered to the person on"),
        widget=DateInput(),
        initial=timezone.localdate,
        help_text=_("The person is still offered a provider's support, whatever they decided."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.MultipleChoiceField, self.fields["indicator_codes"]
        ).choices = indicator_choices()
        self.fields["police"] = _organisations(OrganisationType.POLICE)
        self.fields["police"].label = _("State Police")
        self.fields["provider"] = _organisations(OrganisationType.SERVICE_PROVIDER)
        self.fields["provider"].label = _("Service provider")
        self.order_fields(["police", "provider", "indicator_codes", "support_offered_on"])


class RiskAssessmentForm(forms.Form):
    risk_of_retrafficking = forms.ChoiceField(
        label=capfirst(_("risk of re-trafficking on return")),
        choices=[("", "—"), *ReturnRiskAssessment.Risk.choices],
    )
    who_meets_at_handover = forms.CharField(
        label=capfirst(_("who meets the person at hand-over")),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    assessment = forms.CharField(
        label=capfirst(_("assessment")), widget=forms.Textarea(attrs={"rows": 5})
    )
    assessed_on = forms.DateField(
        label=capfirst(_("assessed on")), widget=DateInput(), initial=timezone.localdate
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rights_explained_in"] = _language_field(
            capfirst(_("rights explained in language")), person
        )
        self.order_fields(
            [
                "rights_explained_in",
                "risk_of_retrafficking",
                "who_meets_at_handover",
                "assessment",
                "assessed_on",
            ]
        )


class GuardianAppointmentForm(forms.Form):
    """The orphan's court's decision appointing a guardian or legal representative. ``replaces``
    carries the appointment in force when the form was loaded (the service refuses if it changed)."""

    kind = forms.ChoiceField(
        label=_("Appointed as"), choices=[("", "—"), *GuardianAppointment.Kind.choices]
    )
    name = forms.CharField(label=_("Name of the guardian or legal representative"), max_length=200)
    contact = forms.CharField(
        label=_("Contact"),
        max_length=300,
        required=False,
        help_text=_("Telephone, e-mail or address where the Border Guard can reach them."),
    )
    decision_date = forms.DateField(
        label=_("Date of the orphan's court decision"), widget=DateInput()
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=100)
    replaces = forms.IntegerField(widget=forms.HiddenInput, required=False)


class HoldReleaseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reasons for the release"), widget=forms.Textarea(attrs={"rows": 4})
    )
    decision_reference = forms.CharField(label=_("Decision reference"), max_length=64)


class ProposalDecisionForm(forms.Form):
    """Approve (no note) or decline / withdraw (with a note) a four-eyes release proposal."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class DeclineProposalForm(ProposalDecisionForm):
    note = forms.CharField(
        label=_("Why you decline (or withdraw) the proposal"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseSuspicionForm(forms.Form):
    reason = forms.ChoiceField(
        label=capfirst(_("reason for closure")),
        choices=[("", "—"), *Suspicion.ClosureReason.choices],
    )


class RespondForm(VersionedForm):
    """Accept, decline (with a reason) or start the assessment of a referral."""

    ACTIONS = {"accept": "accepted", "decline": "declined", "assess": "assessing"}
    action = forms.ChoiceField(choices=[(key, key) for key in ACTIONS], widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you decline: the sender looks for another provider."),
    )


class SenderMoveForm(VersionedForm):
    """The sender withdraws a referral, or closes an unanswered one as expired."""

    ACTIONS = {"withdraw": "withdrawn", "expire": "expired"}
    action = forms.ChoiceField(choices=[(key, key) for key in ACTIONS], widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommissionForm(VersionedForm):
    assessed_on = forms.DateField(label=capfirst(_("date of the commission")), widget=DateInput())
    members_present = forms.CharField(
        label=capfirst(_("members present")),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Name and role of each: social worker, psychologist, lawyer, police officer."),
    )
    result = forms.ChoiceField(
        label=capfirst(_("result")),
        choices=CommissionAssessment.Result.choices,
        widget=forms.RadioSelect,
    )
    protocol_reference = forms.CharField(
        label=capfirst(_("assessment protocol reference")), max_length=64
    )
    notes = forms.CharField(
        label=capfirst(_("commission notes")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen only by your organisation; the Border Guard sees the result only."),
    )


class PoliceOutcomeForm(VersionedForm):
    proceedings = forms.ChoiceField(
        label=capfirst(_("criminal proceedings")), choices=PoliceOutcome.Proceedings.choices
    )
    proceedings_reference = forms.CharField(
        label=capfirst(_("proceedings number")), required=False, max_length=64
    )
    decided_on = forms.DateField(
        label=capfirst(_("decision date")), widget=DateInput(), required=False
    )
    victim_status = forms.ChoiceField(
        label=capfirst(_("victim status")), choices=PoliceOutcome.VictimStatus.choices
    )
    notes = forms.CharField(
        label=capfirst(_("notes")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen only by the police."),
    )


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("all referrals")),
            ("open", pgettext_lazy("referrals", "open")),
            ("ended", pgettext_lazy("referrals", "ended")),
        ],
    )


class SuspicionFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("all suspicions")),
            ("open", pgettext_lazy("suspicions", "open")),
            ("closed", pgettext_lazy("suspicions", "closed")),
        ],
    )
