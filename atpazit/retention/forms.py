"""The forms of the retention report: placing a legal hold on a case by its number, and
lifting one with a written reason."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from atpazit.retention.models import LegalHold


class LegalHoldForm(forms.Form):
    case_number = forms.CharField(
        label=_("Case number"),
        max_length=20,
        help_text=_("The pseudonymous case number, e.g. AT-2026-000123."),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=LegalHold.Reason.choices)

    def clean_case_number(self) -> str:
        return self.cleaned_data["case_number"].strip().upper()


class LegalHoldLiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the legal hold lifted?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the court's final judgment, the complaint closed. Do not write names."),
    )
