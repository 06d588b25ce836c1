"""Forms for screening: the set-up before an interview, the interview form itself (built from the
session's catalogue release), the interview aid and the catalogue-release comparison.

Forms only parse input; the services check the rules. Field names of the interview form are
derived from indicator codes (``ind_DR_01``, ``src_DR_01``, ``note_DR_01``), so the same form
reads a full submit and the live preview's htmx request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.models import Organisation
from atpazit.accounts.roles import OrganisationType
from atpazit.cases import geo
from atpazit.cases.models import Person
from atpazit.screening.catalogue import (
    LANGUAGES,
    LAST_STAGES,
    AgeGroup,
    Catalogue,
    Dimension,
    Form,
    Indicator,
    Stage,
    available_versions,
    latest_catalogue,
)
from atpazit.screening.engine import EvidenceSource
from atpazit.screening.models import (
    FORM_CHOICES,
    PERSON_PROMPT_LANGUAGES,
    PROMPT_LANGUAGES,
    SOURCE_CHOICES,
    STAGE_CHOICES,
    Decision,
    ScreeningSession,
)
from atpazit.screening.reasons import DIMENSION_LABELS, label
from atpazit.screening.services import (
    INTERPRETER_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    ObservationInput,
    ProfileInput,
    SessionSetup,
)
from atpazit.screening.translations import prompt_languages, prompts_in

# What a tick box sends when ticked (a browser sends "on").
TRUTHY = ("on", "true", "True", "1")


def default_prompt_language(person: Person, version: str | None = None) -> str:
    """The person's own language if the prompts of release ``version`` (default: the newest)
    exist in it, else Russian or English if they speak it, else Russian (the most common second
    language of people in removal in Latvia)."""
    available = prompt_languages(version or latest_catalogue().version)
    spoken = [person.preferred_language, *(person.languages or [])]
    for code in spoken:
        if code in available:
            return code
    return "ru"


def prompt_language_choices(version: str) -> list[tuple[str, Any]]:
    """The working languages, then the person languages release ``version`` is translated into."""
    available = prompt_languages(version)
    return [(code, name) for code, name in PERSON_PROMPT_LANGUAGES if code in available]


class SessionStartForm(forms.Form):
    """What the screener chooses before the interview."""

    stage = forms.ChoiceField(label=_("Stage of the removal"), choices=STAGE_CHOICES)
    interview_language = forms.ChoiceField(label=_("Language of the interview"))
    prompt_language = forms.ChoiceField(
        label=_("Show the prompts to the person in"),
        help_text=_(
            "The language the person, or the interpreter, reads the questions in. A translation "
            "not yet reviewed by a native speaker is marked as a draft."
        ),
    )
    officer_language = forms.ChoiceField(
        label=_("Your language"),
        choices=PROMPT_LANGUAGES,
        help_text=_("Prompts, guidance and the reasons of the assessment are shown in it."),
    )
    interpreter_used = forms.BooleanField(label=_("An interpreter is used"), required=False)
    interpreter_name = forms.CharField(
        label=_("Interpreter's name"),
        required=False,
        max_length=INTERPRETER_MAX_LENGTH,
        help_text=_("Only your organisation can read it."),
    )
    exploitation_form = forms.ChoiceField(
        label=_("Form of exploitation to screen for"),
        choices=FORM_CHOICES,
        initial=Form.UNKNOWN.value,
        help_text=_(
            "If you do not know it, keep “unknown or several”: each indicator then counts at its "
            "highest strength across all forms."
        ),
    )
    treat_as_child = forms.BooleanField(
        label=_("Treat the person as a child: I doubt that they are an adult"),
        required=False,
    )
    suspected_of_offence = forms.BooleanField(
        label=_("The person is suspected of an offence"), required=False
    )

    def __init__(self, *args: Any, person: Person, officer_language: str, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "interview_language": person.preferred_language or "",
                "prompt_language": default_prompt_language(person),
                "officer_language": officer_language if officer_language in LANGUAGES else "lv",
                "interpreter_used": person.interpreter_needed,
            },
        )
        super().__init__(*args, **kwargs)
        choices = geo.language_choices()
        cast(forms.ChoiceField, self.fields["interview_language"]).choices = [("", "—"), *choices]
        prompt_choices = prompt_language_choices(latest_catalogue().version)
        cast(forms.ChoiceField, self.fields["prompt_language"]).choices = prompt_choices

    def setup(self) -> SessionSetup:
        data = self.cleaned_data
        return SessionSetup(
            stage=data["stage"],
            interview_language=data["interview_language"],
            prompt_language=data["prompt_language"],
            officer_language=data["officer_language"],
            exploitation_form=data["exploitation_form"],
            treat_as_child=data["treat_as_child"],
            suspected_of_offence=data["suspected_of_offence"],
            interpreter_used=data["interpreter_used"],
            interpreter_name=data["interpreter_name"],
        )


def field_key(code: str) -> str:
    """``DR-01`` -> ``DR_01``: safe in field names, element ids and CSS selectors."""
    return code.replace("-", "_")


class InterviewSubject(Protocol):
    """What the form reads of what it screens: its edit version and the stage of the removal.
    A ScreeningSession is one; the training app's practice attempt is another (issue 13), and
    always passes the form's values as ``draft``."""

    @property
    def version(self) -> int: ...

    @property
    def stage(self) -> str: ...


class InterviewForm(forms.Form):
    """The interview: one checkbox, evidence source and note per indicator of the session's
    catalogue release, the profile choices, and the decision with its reason."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    exploitation_form = forms.ChoiceField(label=_("Form of exploitation"), choices=FORM_CHOICES)
    treat_as_child = forms.BooleanField(
        label=_("Treat the person as a child: I doubt that they are an adult"), required=False
    )
    suspected_of_offence = forms.BooleanField(
        label=_("The person is suspected of an offence"), required=False
    )
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=Decision.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for your decision"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required. Say what you saw and heard, and why you decide as you do."),
    )
    orphans_court = forms.ModelChoiceField(
        label=_("Orphan's court to notify if you raise a suspicion about a child"),
        queryset=Organisation.objects.none(),
        required=False,
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        catalogue: Catalogue,
        session: ScreeningSession | InterviewSubject,
        draft: Mapping[str, str] | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.session = session
        if draft is not None:
            initial = self._draft_initial(session, draft)
        elif isinstance(session, ScreeningSession):
            initial = self._initial(session)
        else:
            raise TypeError("an interview form for anything but a session needs its values")
        super().__init__(data, initial=initial)
        courts = Organisation.objects.filter(
            type=OrganisationType.ORPHANS_COURT, is_active=True
        ).order_by("name")
        self.fields["orphans_court"].queryset = courts  # type: ignore[attr-defined]
        if Stage(session.stage) in LAST_STAGES:
            # No later stage exists: "re-screen at the next stage" is not a decision here (R7).
            self.fields["decision"].choices = [  # type: ignore[attr-defined]
                (value, text) for value, text in Decision.choices if value != Decision.RESCREEN
            ]
        # Only the forms the session's catalogue release rates (2026.1 lacks the newer ones).
        self.fields["exploitation_form"].choices = [  # type: ignore[attr-defined]
            (value, text) for value, text in FORM_CHOICES if value in catalogue.forms
        ]
        for indicator in catalogue:
            self._add_indicator_fields(indicator)

    @staticmethod
    def _initial(session: ScreeningSession) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": session.version,
            "exploitation_form": session.exploitation_form,
            "treat_as_child": session.age_group == AgeGroup.CHILD,
            "suspected_of_offence": session.suspected_of_offence,
        }
        for observation in session.observations.all():
            key = field_key(observation.indicator)
            initial[f"ind_{key}"] = True
            initial[f"src_{key}"] = observation.source
            initial[f"note_{key}"] = observation.note
        return initial

    def _draft_initial(
        self, session: ScreeningSession | InterviewSubject, draft: Mapping[str, str]
    ) -> dict[str, Any]:
        """The form as the screener left it (``drafts.save_draft``), not as last saved: an
        unticked box is absent from the draft, as from a submit."""
        initial: dict[str, Any] = {
            "version": session.version,
            "treat_as_child": False,
            "suspected_of_offence": False,
            **{f"ind_{field_key(indicator.code)}": False for indicator in self.catalogue},
        }
        for name, value in draft.items():
            if name.startswith("ind_") or name in ("treat_as_child", "suspected_of_offence"):
                initial[name] = value in TRUTHY
            else:
                initial[name] = value
        return initial

    def _add_indicator_fields(self, indicator: Indicator) -> None:
        key = field_key(indicator.code)
        self.fields[f"ind_{key}"] = forms.BooleanField(label=indicator.code, required=False)
        self.fields[f"src_{key}"] = forms.ChoiceField(
            label=_("Source"),
            choices=SOURCE_CHOICES,
            initial=EvidenceSource.SAID_BY_PERSON.value,
            required=False,
        )
        self.fields[f"note_{key}"] = forms.CharField(
            label=_("Note"),
            required=False,
            max_length=NOTE_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for indicator in self.catalogue:
            key = field_key(indicator.code)
            if data.get(f"note_{key}", "").strip() and not data.get(f"ind_{key}"):
                self.add_error(
                    f"note_{key}",
                    _("%(code)s: tick the indicator, or remove the note (it would be lost).")
                    % {"code": indicator.code},
                )
        return data

    def observations(self) -> list[ObservationInput]:
        """The ticked indicators, in catalogue order."""
        data = self.cleaned_data
        return [
            ObservationInput(
                indicator=indicator.code,
                source=data.get(f"src_{field_key(indicator.code)}")
                or EvidenceSource.SAID_BY_PERSON.value,
                note=data.get(f"note_{field_key(indicator.code)}", ""),
            )
            for indicator in self.catalogue
            if data.get(f"ind_{field_key(indicator.code)}")
        ]

    def profile(self) -> ProfileInput:
        data = self.cleaned_data
        return ProfileInput(
            exploitation_form=data.get("exploitation_form") or Form.UNKNOWN.value,
            treat_as_child=bool(data.get("treat_as_child")),
            suspected_of_offence=bool(data.get("suspected_of_offence")),
        )

    def field_for_error(self, key: str) -> str:
        """The field a service's error key names: a field, or an indicator code's tick box
        (atpazit.lib.forms.add_service_error puts anything else on the form)."""
        return key if key in self.fields else f"ind_{field_key(key)}"


def preview_input(
    data: Mapping[str, Any], catalogue: Catalogue
) -> tuple[list[ObservationInput], ProfileInput]:
    """Read the ticks of an unsaved form leniently, for the live preview: an unknown source
    counts as "said by the person", an unknown form as "unknown or several". Never raises."""
    observations = []
    for indicator in catalogue:
        key = field_key(indicator.code)
        if data.get(f"ind_{key}") not in TRUTHY:
            continue
        source = data.get(f"src_{key}")
        if source not in set(EvidenceSource):
            source = EvidenceSource.SAID_BY_PERSON.value
        observations.append(ObservationInput(indicator.code, str(source)))
    form = data.get("exploitation_form")
    profile = ProfileInput(
        exploitation_form=str(form) if form in catalogue.forms else Form.UNKNOWN.value,
        treat_as_child=data.get("treat_as_child") in TRUTHY,
        suspected_of_offence=data.get("suspected_of_offence") in TRUTHY,
    )
    return observations, profile


# --- what the interview template iterates over ----------------------------------------------------


@dataclass(frozen=True)
class PromptPair:
    person_text: str
    officer_text: str


@dataclass(frozen=True)
class IndicatorItem:
    indicator: Indicator
    key: str
    text: str
    guidance: str
    prompts: list[PromptPair]
    checkbox: forms.BoundField
    source: forms.BoundField
    note: forms.BoundField

    @property
    def ticked(self) -> bool:
        return bool(self.checkbox.value())


@dataclass(frozen=True)
class IndicatorGroup:
    dimension: str
    label: str
    items: list[IndicatorItem]

    @property
    def ticked_count(self) -> int:
        return sum(1 for item in self.items if item.ticked)

    @property
    def has_errors(self) -> bool:
        return any(item.checkbox.errors or item.note.errors for item in self.items)


def indicator_groups(
    form: InterviewForm, *, person_language: str, officer_language: str
) -> list[IndicatorGroup]:
    """The indicators grouped by dimension in canonical order, with prompts in both languages."""
    groups = []
    for dimension in Dimension:
        items = [
            _item(form, indicator, person_language, officer_language)
            for indicator in form.catalogue
            if indicator.dimension is dimension
        ]
        if items:
            groups.append(
                IndicatorGroup(
                    dimension.value, label(DIMENSION_LABELS, dimension, officer_language), items
                )
            )
    return groups


def _item(
    form: InterviewForm, indicator: Indicator, person_language: str, officer_language: str
) -> IndicatorItem:
    key = field_key(indicator.code)
    return IndicatorItem(
        indicator=indicator,
        key=key,
        text=indicator.text.in_language(officer_language),
        guidance=indicator.guidance.in_language(officer_language),
        prompts=[
            PromptPair(person_text, prompt.in_language(officer_language))
            for person_text, prompt in zip(
                prompts_in(form.catalogue, indicator, person_language),
                indicator.prompts,
                strict=True,
            )
        ],
        checkbox=form[f"ind_{key}"],
        source=form[f"src_{key}"],
        note=form[f"note_{key}"],
    )


class InterviewAidForm(forms.Form):
    """The two languages (and optionally the stage) of the printable interview aid."""

    person_language = forms.ChoiceField(label=_("Language of the person"), initial="ru")
    officer_language = forms.ChoiceField(
        label=_("Your language"), choices=PROMPT_LANGUAGES, initial="lv"
    )
    stage = forms.ChoiceField(
        label=_("Stage of the removal"),
        choices=[("", _("every stage")), *STAGE_CHOICES],
        required=False,
        help_text=_("Only the indicators usually observable at this stage, to keep the aid short."),
    )

    def __init__(self, *args: Any, version: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = prompt_language_choices(version)
        cast(forms.ChoiceField, self.fields["person_language"]).choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("stage") and data["stage"] not in set(Stage):
            self.add_error("stage", _("Choose a stage of the removal."))
        return data


class CatalogueDiffForm(forms.Form):
    """Two catalogue releases to compare; by default the one before the latest, and the latest."""

    old = forms.ChoiceField(label=_("Older release"))
    new = forms.ChoiceField(label=_("Newer release"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        versions = list(available_versions())
        choices = [(version, version) for version in reversed(versions)]
        cast(forms.ChoiceField, self.fields["old"]).choices = choices
        cast(forms.ChoiceField, self.fields["new"]).choices = choices
        if versions:
            self.fields["new"].initial = versions[-1]
            self.fields["old"].initial = versions[-2] if len(versions) > 1 else versions[-1]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("old") and data.get("old") == data.get("new"):
            self.add_error("new", _("Choose two different releases."))
        return data
