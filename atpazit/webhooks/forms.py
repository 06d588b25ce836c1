"""The form of a new webhook endpoint (the service checks the same rules again, and the URL)."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from atpazit.webhooks.models import EventType
from atpazit.webhooks.services import DESCRIPTION_MAX_LENGTH, URL_MAX_LENGTH


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=URL_MAX_LENGTH,
        help_text=_(
            "The https:// address of your system's receiver. It must be reachable from the "
            "internet: addresses of private or local networks are refused."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    description = forms.CharField(
        label=capfirst(_("description")),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        help_text=_("Which system receives the events, e.g. “case management of the shelter”."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Your organisation receives an event only about what it may see in Atpazīt."),
    )
