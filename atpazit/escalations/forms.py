from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atpazit.escalations.models import Escalation


class EscalationFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("open", pgettext_lazy("escalations", "open")),
            ("resolved", pgettext_lazy("escalations", "resolved")),
            ("all", _("all")),
        ],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = [("", _("any")), *Escalation.Kind.choices]


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Codes and decisions only; no names or details about the person."),
    )
