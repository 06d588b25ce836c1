"""Forms of training: the answer to a scenario is the screening app's own interview form; here
only what training adds (asking a question, authoring a scenario)."""

from __future__ import annotations

from typing import Any

import yaml
from django import forms
from django.utils.translation import gettext_lazy as _

from atpazit.training.library import TEXT_MAX

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
