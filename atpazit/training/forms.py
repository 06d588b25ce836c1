"""Forms of training: the answer to a scenario is the screening app's own interview form; here
only what training adds (asking a question, authoring a scenario)."""

from __future__ import annotations

from typing import Any

import yaml
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atpazit.screening.catalogue import Catalogue, Form
from atpazit.screening.models import (
    AGE_GROUP_CHOICES,
    FORM_CHOICES,
    RECOMMENDATION_CHOICES,
    STAGE_CHOICES,
    Decision,
)
from atpazit.training.library import LANGUAGES, SCENARIO_ID_RE, TEXT_MAX, Scenario
from atpazit.training.templatetags.training_tags import CONTEXT_LABELS

AUTHORING_MAX = 60_000


class AskForm(forms.Form):
    question = forms.CharField(max_length=8)


class ScenarioTextForm(forms.Form):
    """A scenario version as YAML text, in the format of the shipped files."""

    text = forms.CharField(
        label=_("Scenario (YAML, the format of the shipped scenario files)"),
        max_length=AUTHORING_MAX,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}),
        help_text=_(
            "Every text in Latvian, English and Russian (at most %(max)s characters each). "
            "Raise the version by one; the model answer must agree with the engine."
        )
        % {"max": TEXT_MAX},
    )

    def clean_text(self) -> Any:
        text = self.cleaned_data["text"]
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark is not None else ""
            raise forms.ValidationError(
                _("This is not valid YAML%(where)s.") % {"where": where}
            ) from None
        if not isinstance(data, dict):
            raise forms.ValidationError(_("The scenario must be a mapping of fields."))
        return data


# --- the structured authoring form ------------------------------------------------------------

TEXT_FIELDS = ("title", "situation", "observed", "says", "notes")
TEXT_LABELS = {
    "title": _("Title"),
    "situation": _("Situation"),
    "observed": _("What the officer sees"),
    "says": _("What the person says"),
    "notes": _("Teaching notes"),
    "reply": _("The person's reply"),
}
# In brackets after a field's label ("Title (latviešu)"), hence lower case in Latvian.
LANGUAGE_NAMES = {
    "lv": pgettext_lazy("language after a field label", "Latvian"),
    "en": pgettext_lazy("language after a field label", "English"),
    "ru": pgettext_lazy("language after a field label", "Russian"),
}
# The form rows of one scenario's questions (the schema has no limit; a page has one).
MAX_QUESTION_ROWS = 20


def _choices(field: forms.Field) -> forms.ChoiceField:
    assert isinstance(field, forms.ChoiceField)
    return field


def _text_field(name: str, lang: str, *, long: bool) -> forms.CharField:
    return forms.CharField(
        label=_("%(what)s (%(language)s)")
        % {"what": TEXT_LABELS[name], "language": LANGUAGE_NAMES[lang]},
        required=lang == "lv",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "lang": lang})
        if long
        else forms.TextInput(attrs={"lang": lang}),
    )


def _languages(data: dict[str, Any], name: str) -> dict[str, str]:
    return {lang: (data.get(f"{name}_{lang}") or "").strip() for lang in LANGUAGES}


class ScenarioForm(forms.Form):
    """Every field of a scenario except its questions (see :class:`QuestionForm`), in Latvian
    (required), English and Russian; read into the library's schema by :func:`scenario_data`."""

    id = forms.CharField(
        label=_("Identifier (lower-case letters, digits and hyphens)"),
        max_length=60,
        validators=[
            RegexValidator(
                SCENARIO_ID_RE,
                _("Use lower-case letters, digits and single hyphens, e.g. labour-port-intake."),
            )
        ],
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    form = forms.ChoiceField(label=_("Form of exploitation"))
    stage = forms.ChoiceField(label=_("Stage"), choices=STAGE_CHOICES)
    context = forms.ChoiceField(label=_("Procedure"), choices=list(CONTEXT_LABELS.items()))
    age_group = forms.ChoiceField(label=_("Age group"), choices=AGE_GROUP_CHOICES)
    age = forms.IntegerField(label=_("Age (if known)"), required=False, min_value=0, max_value=130)
    age_disputed = forms.BooleanField(label=_("The age is disputed"), required=False)
    suspected_of_offence = forms.BooleanField(
        label=_("The person is suspected of an offence"), required=False
    )
    observed_indicators = forms.MultipleChoiceField(
        label=_("Indicators the officer sees without asking"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    max_questions = forms.IntegerField(
        label=_("How many questions the trainee may ask"), min_value=1, max_value=12, initial=3
    )
    model_indicators = forms.MultipleChoiceField(
        label=_("Model answer: the indicators present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recommendation = forms.ChoiceField(
        label=_("Model answer: the engine's recommendation"), choices=RECOMMENDATION_CHOICES
    )
    decision = forms.ChoiceField(label=_("Model answer: the decision"), choices=Decision.choices)

    def __init__(
        self, *args: Any, catalogue: Catalogue, fixed_id: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        self.fixed_id = fixed_id
        if fixed_id is not None:
            del self.fields["id"]
        for name in TEXT_FIELDS:
            for lang in LANGUAGES:
                self.fields[f"{name}_{lang}"] = _text_field(name, lang, long=name not in ("title",))
        _choices(self.fields["form"]).choices = [
            (value, label) for value, label in FORM_CHOICES if catalogue.rates(Form(value))
        ]
        codes = [(indicator.code, indicator.code) for indicator in catalogue]
        _choices(self.fields["observed_indicators"]).choices = codes
        _choices(self.fields["model_indicators"]).choices = codes

    def texts(self, name: str) -> dict[str, str]:
        return _languages(self.cleaned_data, name)

    def field_for_error(self, key: str) -> str | None:
        """The field a problem of the schema (``title.ru``, ``model_answer.decision``) is on."""
        head, _sep, rest = key.partition(".")
        if head == "model_answer":
            sub, _sep, lang = rest.partition(".")
            mapping = {"indicators": "model_indicators", "recommendation": "recommendation"}
            if sub == "notes":
                return f"notes_{lang or 'lv'}"
            return mapping.get(sub, "decision" if sub == "decision" else None)
        if head in TEXT_FIELDS and rest in LANGUAGES:
            return f"{head}_{rest}"
        if head == "observed_indicators":
            return head
        return head if head in self.fields else None


class QuestionForm(forms.Form):
    """One question of the interview: a catalogue prompt, the reply it gets, the indicator the
    reply uncovers, and the question whose reply opens it (none: open from the start)."""

    prompt = forms.ChoiceField(label=_("The question (a prompt of the catalogue)"))
    reveals = forms.ChoiceField(label=_("The indicator the reply uncovers"), required=False)
    after = forms.IntegerField(
        label=_("Opened by the reply to question no. (empty: open from the start)"),
        required=False,
        min_value=1,
    )

    def __init__(self, *args: Any, catalogue: Catalogue, lang: str = "lv", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for language in LANGUAGES:
            self.fields[f"reply_{language}"] = _text_field("reply", language, long=True)
        _choices(self.fields["prompt"]).choices = [("", "—")] + [
            (f"{indicator.code}.{number}", f"{indicator.code}.{number}: {prompt.in_language(lang)}")
            for indicator in catalogue
            for number, prompt in enumerate(indicator.prompts, start=1)
        ]
        _choices(self.fields["reveals"]).choices = [("", _("none"))] + [
            (indicator.code, f"{indicator.code}: {indicator.text.in_language(lang)}")
            for indicator in catalogue
        ]


class BaseQuestionFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        kept = [number for number, form in enumerate(self.forms, start=1) if not self._gone(form)]
        if not kept:
            raise forms.ValidationError(_("Write at least one question."))
        for number, form in enumerate(self.forms, start=1):
            if self._gone(form):
                continue
            after = form.cleaned_data.get("after")
            if after is not None and (after not in kept or after == number):
                form.add_error(
                    "after",
                    _("There is no other question no. %(number)s.") % {"number": after},
                )
        if not any(form.cleaned_data.get("after") is None for form in self.kept_forms()):
            raise forms.ValidationError(_("At least one question must be open from the start."))

    def _gone(self, form: forms.Form) -> bool:
        return bool(
            (self.can_delete and form.cleaned_data.get("DELETE"))
            or not form.has_changed()
            and form.empty_permitted
        )

    def kept_forms(self) -> list[forms.Form]:
        return [form for form in self.forms if not self._gone(form)]


QuestionFormSet = forms.formset_factory(
    QuestionForm,
    formset=BaseQuestionFormSet,
    extra=0,
    min_num=1,
    max_num=MAX_QUESTION_ROWS,
    absolute_max=MAX_QUESTION_ROWS,
    validate_max=True,
    can_delete=True,
)


def scenario_data(form: ScenarioForm, questions: Any) -> dict[str, Any]:
    """The scenario as the library's schema reads it, from a valid form and question rows.
    Questions are numbered q1, q2, … in their order on the page, without the removed ones."""
    data = form.cleaned_data
    order = [indicator.code for indicator in form.catalogue]
    numbers = {
        number: index
        for index, (number, row) in enumerate(
            ((n, f) for n, f in enumerate(questions.forms, start=1) if not questions._gone(f)),
            start=1,
        )
    }
    rows = []
    start = []
    unlocks: dict[int, list[str]] = {}
    for number, row in enumerate(questions.forms, start=1):
        if number not in numbers:
            continue
        qid = f"q{numbers[number]}"
        after = row.cleaned_data.get("after")
        if after is None:
            start.append(qid)
        else:
            unlocks.setdefault(numbers[after], []).append(qid)
        reveals = row.cleaned_data.get("reveals") or ""
        rows.append(
            {
                "id": qid,
                "prompt": row.cleaned_data["prompt"],
                "reply": _languages(row.cleaned_data, "reply"),
                "reveals": [reveals] if reveals else [],
            }
        )
    for index, row_data in enumerate(rows, start=1):
        row_data["unlocks"] = unlocks.get(index, [])
    return {
        "id": form.fixed_id or data["id"],
        "version": data["version"],
        "catalogue": form.catalogue.version,
        "form": data["form"],
        "stage": data["stage"],
        "context": data["context"],
        "age_group": data["age_group"],
        "age": data.get("age"),
        "age_disputed": bool(data.get("age_disputed")),
        "suspected_of_offence": bool(data.get("suspected_of_offence")),
        **{name: form.texts(name) for name in ("title", "situation", "observed", "says")},
        "observed_indicators": [c for c in order if c in data["observed_indicators"]],
        "start": start,
        "max_questions": data["max_questions"],
        "questions": rows,
        "model_answer": {
            "indicators": [c for c in order if c in data["model_indicators"]],
            "recommendation": data["recommendation"],
            "decision": data["decision"],
            "notes": form.texts("notes"),
        },
    }


def initial_of(scenario: Scenario, *, version: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The form's and the question rows' initial values for the next version of ``scenario``
    (a question opened by several others shows the first of them)."""
    initial: dict[str, Any] = {
        "id": scenario.id,
        "version": version,
        "form": scenario.form.value,
        "stage": scenario.stage.value,
        "context": scenario.context.value,
        "age_group": scenario.age_group.value,
        "age": scenario.age,
        "age_disputed": scenario.age_disputed,
        "suspected_of_offence": scenario.suspected_of_offence,
        "observed_indicators": list(scenario.observed_indicators),
        "max_questions": scenario.max_questions,
        "model_indicators": list(scenario.model_answer.indicators),
        "recommendation": scenario.model_answer.recommendation.value,
        "decision": scenario.model_answer.decision.value,
    }
    texts = {
        "title": scenario.title,
        "situation": scenario.situation,
        "observed": scenario.observed,
        "says": scenario.says,
        "notes": scenario.model_answer.notes,
    }
    for name, text in texts.items():
        for lang in LANGUAGES:
            initial[f"{name}_{lang}"] = getattr(text, lang)
    number_of = {q.id: n for n, q in enumerate(scenario.questions, start=1)}
    opened_by: dict[str, int] = {}
    for question in scenario.questions:
        for target in question.unlocks:
            opened_by.setdefault(target, number_of[question.id])
    rows = []
    for question in scenario.questions:
        row: dict[str, Any] = {
            "prompt": question.prompt,
            "reveals": question.reveals[0] if question.reveals else "",
            "after": None if question.id in scenario.start else opened_by.get(question.id),
        }
        for lang in LANGUAGES:
            row[f"reply_{lang}"] = getattr(question.reply, lang)
        rows.append(row)
    return initial, rows
