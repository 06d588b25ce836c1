"""The form of a new API token (the service checks the same rules again)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from atpazit.api.models import ApiToken
from atpazit.api.services import MAX_LIFETIME_DAYS, NAME_MAX_LENGTH


def _in_ninety_days() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=90)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=capfirst(_("name")),
        max_length=NAME_MAX_LENGTH,
        help_text=_("The system that will use the token, e.g. “case management of the shelter”."),
    )
    scope = forms.ChoiceField(
        label=capfirst(_("scope")),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("Read and write lets the system answer referrals in your name."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        initial=_in_ninety_days,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most %(days)d days from today.") % {"days": MAX_LIFETIME_DAYS},
    )
