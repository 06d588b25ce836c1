"""Forms of the findings and recommendations pages (monitoring/views_findings.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from atpazit.monitoring.models import Observation, Recommendation, Stage

NO_NAMES = _("Case numbers only; no names or details that identify a person.")


class FindingForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Observation.Category.choices)
    text = forms.CharField(
        label=_("Finding"), widget=forms.Textarea(attrs={"rows": 4}), help_text=NO_NAMES
    )


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label=_("Recommendation to the Border Guard"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NO_NAMES,
    )


class VersionForm(forms.Form):
    """A button's form: the version of the recommendation the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ResponseForm(VersionForm):
    response = forms.ChoiceField(
        label=_("Response"), choices=Recommendation.Response.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    actions = forms.CharField(
        label=_("Actions to be taken"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the recommendation is accepted or partly accepted."),
    )
    actions_due = forms.DateField(
        label=_("Actions to be completed by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


FOLLOW_UP_CHOICES = [
    (Recommendation.Status.FOLLOW_UP.value, Recommendation.Status.FOLLOW_UP.label),
    (Recommendation.Status.IMPLEMENTED.value, Recommendation.Status.IMPLEMENTED.label),
    (Recommendation.Status.NOT_IMPLEMENTED.value, Recommendation.Status.NOT_IMPLEMENTED.label),
]


class FollowUpForm(VersionForm):
    status = forms.ChoiceField(label=_("Follow-up status"), choices=FOLLOW_UP_CHOICES)
    note = forms.CharField(
        label=_("What the follow-up found"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_NAMES,
    )


class FindingEditForm(VersionForm):
    """The text of a finding; for one drafted from the records, the Office's note beside it."""

    text = forms.CharField(
        label=_("Finding"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NO_NAMES,
    )


class ReportForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the report"), choices=[])
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 8}), help_text=NO_NAMES
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        from atpazit.monitoring.models import MonitoringReport

        self.fields["language"].choices = MonitoringReport.Language.choices  # type: ignore[attr-defined]


class ReportSummaryForm(VersionForm):
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 8}), help_text=NO_NAMES
    )


class AnnualForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2011, max_value=2100)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("csv", "CSV"), ("xlsx", "XLSX"), ("pdf", "PDF")],
        required=False,
    )
