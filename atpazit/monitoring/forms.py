"""Forms of forced-return monitoring: they parse input; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.models import Organisation, User
from atpazit.cases.models import Person
from atpazit.monitoring import indicators
from atpazit.monitoring.checklists import Item
from atpazit.monitoring.models import ChecklistAnswer, Mission, Observation, Stage
from atpazit.monitoring.services import MONITOR_ROLES, AnswerInput, StagePlan

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def _when(label: Any, *, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )


def office_monitors(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation=organisation,
        memberships__is_active=True,
        memberships__role__in=MONITOR_ROLES,
        is_active=True,
    ).order_by("last_name", "first_name", "username")


class MonitorsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name()


class PlanForm(forms.Form):
    """Who goes and which stages are covered, with planned times per stage."""

    monitors = MonitorsField(
        label=_("Monitors"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    stages = forms.MultipleChoiceField(
        label=_("Stages covered"), choices=Stage.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["monitors"].queryset = office_monitors(organisation)  # type: ignore[attr-defined]
        for stage in Stage:
            self.fields[f"start_{stage.value}"] = _when(
                _("%(stage)s: planned start") % {"stage": stage.label}
            )
            self.fields[f"end_{stage.value}"] = _when(
                _("%(stage)s: planned end") % {"stage": stage.label}
            )

    def stage_plans(self) -> list[StagePlan]:
        data = self.cleaned_data
        return [
            StagePlan(
                stage=stage,
                planned_start=data.get(f"start_{stage}"),
                planned_end=data.get(f"end_{stage}"),
            )
            for stage in data.get("stages", [])
        ]

    def stage_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"start_{stage.value}"], self[f"end_{stage.value}"]) for stage in Stage]


def plan_initial(mission: Mission) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "monitors": list(mission.monitors.all()),
        "stages": [row.stage for row in mission.stages.all()],
    }
    for row in mission.stages.all():
        initial[f"start_{row.stage}"] = row.planned_start
        initial[f"end_{row.stage}"] = row.planned_end
    return initial


class NewMissionForm(PlanForm):
    informed_at = _when(_("When the Border Guard informed the office of the operation"))


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Internal notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only your office reads them; the Border Guard never sees them."),
    )


class NoticeForm(forms.Form):
    informed_at = _when(
        _("When the Border Guard informed the office of the operation"), required=True
    )


class StageTimesForm(forms.Form):
    actual_start = _when(_("Actual start"))
    actual_end = _when(_("Actual end"))


class ChecklistForm(forms.Form):
    """One answer and a note per item of the mission's release at a stage; the items the
    system answers from the records are not on it."""

    def __init__(self, *args: Any, items: list[Item], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = [item for item in items if not item.automatic]
        for item in self.items:
            self.fields[f"answer_{item.code}"] = forms.ChoiceField(
                label=item.text,
                choices=ChecklistAnswer.Answer.choices,
                widget=forms.RadioSelect(attrs={"class": "choice-row"}),
                required=False,
            )
            self.fields[f"note_{item.code}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[Item, Any, Any]]:
        return [
            (item, self[f"answer_{item.code}"], self[f"note_{item.code}"]) for item in self.items
        ]

    def answers(self) -> dict[str, AnswerInput]:
        data = self.cleaned_data
        return {
            item.code: AnswerInput(
                answer=data[f"answer_{item.code}"], note=data.get(f"note_{item.code}", "")
            )
            for item in self.items
            if data.get(f"answer_{item.code}")
        }

    def field_for_error(self, key: str) -> str | None:
        return f"answer_{key}" if f"answer_{key}" in self.fields else key


def checklist_initial(answers: dict[str, ChecklistAnswer]) -> dict[str, str]:
    initial = {}
    for code, answer in answers.items():
        initial[f"answer_{code}"] = answer.answer
        initial[f"note_{code}"] = answer.note
    return initial


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.case_number


class ObservationForm(forms.Form):
    """Few fields, big targets: what, how serious, which kind, and about whom if anyone."""

    text = forms.CharField(
        label=_("What you observed"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Observation.Severity.choices,
        initial=Observation.Severity.INFO,
        widget=forms.RadioSelect(attrs={"class": "choice-row"}),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Observation.Category.choices)
    person = PersonChoiceField(
        label=_("About a person (case number)"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("nobody in particular"),
    )
    observed_at = _when(_("Time (leave empty for now)"))
    indicator_codes = forms.MultipleChoiceField(
        label=_("Indicators of trafficking seen (screening catalogue)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only with the category “signs of trafficking” and a person. If the screening rules "
            "advise an interview before departure or a referral, the escort leader is told at "
            "once."
        ),
    )
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, mission: Mission, stage: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The current catalogue's indicators usually seen at this stage, with its labels.
        seen_at = indicators.SCREENING_STAGE[stage]
        codes = {code for code, stages in indicators.stages_by_code().items() if seen_at in stages}
        cast(forms.MultipleChoiceField, self.fields["indicator_codes"]).choices = [
            (code, label) for code, label in indicators.indicator_choices() if code in codes
        ]
        person = cast(forms.ModelChoiceField, self.fields["person"])
        person.queryset = (
            Person.objects.filter(manifest_entries__operation=mission.operation)
            .only("case_number")
            .order_by("case_number")
        )


class RemovalRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the person should not travel"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The escort leader and the unit's case officers read this. Write what you observed; "
            "the request and its answer are recorded."
        ),
    )


class AnswerRequestForm(forms.Form):
    ANSWERS = [("accept", _("Accept: take the person off the manifest")), ("refuse", _("Refuse"))]
    answer = forms.ChoiceField(label=_("Answer"), choices=ANSWERS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you refuse."),
    )


class ObservationEditForm(forms.Form):
    """The author's correction of an observation: what, how serious, which kind, when. The
    person and the indicators stay (a new observation says what else was seen)."""

    text = forms.CharField(
        label=_("What you observed"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Observation.Severity.choices,
        widget=forms.RadioSelect(attrs={"class": "choice-row"}),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Observation.Category.choices)
    observed_at = _when(_("Time"), required=True)
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, observation: Observation) -> dict[str, Any]:
        return {
            "text": observation.text,
            "severity": observation.severity,
            "category": observation.category,
            "observed_at": timezone.localtime(observation.observed_at),
            "version": observation.version,
        }
