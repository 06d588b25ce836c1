"""The form of the de-identified case-level export (views_exports.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from atpazit.stats.htcds import FIRST_YEAR


class HtcdsExportForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=9999,
        help_text=_("Suspicions of trafficking raised in this year (local time)."),
    )
