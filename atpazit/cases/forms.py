"""Forms parse input only; the rules live in cases.validation and the services (I8)."""

from __future__ import annotations

import functools
from typing import Any, cast

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from atpazit.cases import geo
from atpazit.cases.models import TRANSITIONS, AgeChangeReason, Person
from atpazit.cases.selectors import SORTS, PersonFilters
from atpazit.cases.validation import EDITABLE_FIELDS


def _choices(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CachedOptionsSelect(forms.Select):
    """A ``<select>`` for long, fixed choice lists (the ~250 nationalities): renders the same
    HTML as ``forms.Select`` but builds the options once per list of choices (that is, per
    interface language) instead of through a widget template per option on every request,
    which cost the case list ~14 ms of CPU."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs.pop("name", None)
        options = _rendered_options(tuple((str(v), str(label)) for v, label in self.choices))
        wanted = set(self.format_value(value))
        parts: list[str] = [format_html('<select name="{}"{}>', name, flatatt(final_attrs))]
        chosen = False
        for option_value, plain, selected in options:
            if not chosen and option_value in wanted:
                chosen = True
                parts.append(f"\n  {selected}\n")
            else:
                parts.append(f"\n  {plain}\n")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


@functools.lru_cache(maxsize=32)
def _rendered_options(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """(value, option HTML, option HTML marked selected) for each choice."""
    rendered = []
    for value, label in choices:
        value_html, label_html = conditional_escape(value), conditional_escape(label)
        rendered.append(
            (
                value,
                f'<option value="{value_html}">{label_html}</option>',
                f'<option value="{value_html}" selected>{label_html}</option>',
            )
        )
    return tuple(rendered)


class PersonForm(forms.ModelForm):
    """Register or edit a person. ``version`` carries the version the form was loaded with."""

    date_of_birth = forms.DateField(
        label=capfirst(_("date of birth")), required=False, widget=DateInput()
    )
    nationality = forms.ChoiceField(label=capfirst(_("nationality")))
    languages = forms.MultipleChoiceField(
        label=capfirst(_("languages spoken")),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Choose every language the person speaks well enough for an interview."),
    )
    preferred_language = forms.ChoiceField(label=capfirst(_("preferred language")), required=False)
    # Only when the edit takes the person off the child path (ADR 0021); not on registration.
    age_change_reason = forms.ChoiceField(
        label=_("Why the age evidence changed"),
        required=False,
        choices=[("", "—"), *AgeChangeReason.choices],
        help_text=_(
            "Needed when the edit clears a disputed age or makes a child an adult. If the person "
            "is on a removal operation that has not departed, a second case officer must confirm "
            "the change; until then the person stays on the child path."
        ),
    )
    age_change_note = forms.CharField(
        label=_("Note on the age evidence (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = [name for name in EDITABLE_FIELDS if name != "date_of_birth"]
        widgets = {
            "aliases": forms.Textarea(attrs={"rows": 2}),
            "document_numbers": forms.Textarea(attrs={"rows": 2}),
            "contact_details": forms.Textarea(attrs={"rows": 2}),
            "detained_since": DateInput(),
            "detention_court_order_on": DateInput(),
            "return_decision_date": DateInput(),
            "voluntary_departure_until": DateInput(),
            "planned_removal_date": DateInput(),
        }
        help_texts = {
            "aliases": _("Other spellings and names used, e.g. in Cyrillic; one per line."),
            "document_numbers": _(
                "Passport, identity card or other document numbers; one per line. They help "
                "recognise a second registration of the same person."
            ),
            "birth_year": _("Enough when the exact date is not known."),
            "age_disputed": _(
                "Tick when the person's age is in doubt: they are then treated as a child."
            ),
            "detention_court_order_on": _(
                "Without a court order, detention may last at most 10 days."
            ),
            "nationality": "",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "nationality").choices = [("", "—"), *geo.country_choices()]
        _choices(self, "languages").choices = geo.language_choices()
        _choices(self, "preferred_language").choices = [("", "—"), *geo.language_choices()]
        self.fields["given_names"].required = False
        if not self.instance.pk:
            del self.fields["age_change_reason"]
            del self.fields["age_change_note"]
        if self.instance.pk and not self.is_bound:
            self.initial["date_of_birth"] = self.instance.date_of_birth or None
            self.initial["version"] = self.instance.version

    def _post_clean(self) -> None:
        # The services validate and save; a ModelForm must not write to the instance here.
        pass

    def person_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}


class PersonFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Case number, or whole names in any order; accents do not matter."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(label=capfirst(_("status")), required=False)
    detention_centre = forms.ChoiceField(label=capfirst(_("detention centre")), required=False)
    nationality = forms.ChoiceField(
        label=capfirst(_("nationality")), required=False, widget=CachedOptionsSelect
    )
    removal_from = forms.DateField(
        label=_("Planned removal from"), required=False, widget=DateInput()
    )
    removal_until = forms.DateField(
        label=_("Planned removal until"), required=False, widget=DateInput()
    )
    hold = forms.ChoiceField(
        label=_("Removal hold"),
        required=False,
        choices=[("", _("any")), ("yes", _("active hold")), ("no", _("no active hold"))],
    )
    sort = forms.ChoiceField(
        required=False, widget=forms.HiddenInput, choices=[(key, key) for key in SORTS]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_choice = ("", _("any"))
        _choices(self, "status").choices = [any_choice, *Person.Status.choices]
        centres = Person._meta.get_field("detention_centre").choices or []
        _choices(self, "detention_centre").choices = [any_choice, *centres]
        _choices(self, "nationality").choices = [any_choice, *geo.country_choices()]

    def filters(self) -> PersonFilters:
        if not self.is_valid():
            return PersonFilters()
        data = self.cleaned_data
        return PersonFilters(
            query=data["q"],
            status=data["status"],
            detention_centre=data["detention_centre"],
            nationality=data["nationality"],
            removal_from=data["removal_from"],
            removal_until=data["removal_until"],
            hold=data["hold"],
            sort=data["sort"],
        )


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Person.Status.choices)
        allowed = TRANSITIONS.get(person.status, frozenset())
        _choices(self, "to_status").choices = [
            (value, labels[value]) for value in Person.Status.values if value in allowed
        ]


class PlaceHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Why must the removal be held?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A credible suspicion is enough. Do not write details of exploitation here."),
    )


class ReleaseHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reasons for the release"), widget=forms.Textarea(attrs={"rows": 4})
    )
    decision_reference = forms.CharField(
        label=_("Release decision reference"),
        max_length=64,
        help_text=_("The number of the recorded decision, e.g. RS-2026/145."),
    )


class IdentityDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Are these records the same person?"),
        widget=forms.RadioSelect,
        choices=[
            ("same", _("Yes: link them as one person (every hold applies to both)")),
            ("different", _("No: they are different people")),
        ],
    )
    reason = forms.CharField(
        label=_("How did you establish this?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "E.g. the documents or fingerprints compared, or the officer of the other unit you "
            "called. Do not write details of exploitation here."
        ),
    )
