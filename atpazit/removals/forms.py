"""Forms for removal operations: they parse input; the services decide."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.models import Organisation, User
from atpazit.removals.countries import return_country_choices
from atpazit.removals.manifest_import import MAX_BYTES, MAX_ROWS
from atpazit.removals.models import RemovalOperation
from atpazit.removals.services import OperationDetails

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def unit_members(organisation: Organisation) -> QuerySet[User]:
    """Users who can be on an escort: active members of the unit running the operation."""
    return User.objects.filter(
        memberships__organisation=organisation, memberships__is_active=True, is_active=True
    ).order_by("last_name", "first_name", "username")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name()


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name()


class OperationForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=RemovalOperation.Type.choices)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=40,
        required=False,
        help_text=_("The unit's own number for the operation, if it has one."),
    )
    departure_at = forms.DateTimeField(
        label=_("Departure (date and time)"),
        input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )
    route = forms.CharField(
        label=_("Route"),
        max_length=200,
        help_text=_("For example: Riga – Istanbul – Tashkent."),
    )
    country_of_return = forms.ChoiceField(label=_("Country of return"))
    escort_leader = UserChoiceField(
        label=_("Escort leader"), queryset=User.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country_of_return"].choices = [("", "—"), *return_country_choices()]  # type: ignore[attr-defined]
        self.fields["escort_leader"].queryset = unit_members(organisation)  # type: ignore[attr-defined]


class EscortTeamForm(forms.Form):
    """The escort team, rendered as a fieldset of checkboxes (kind to a tablet)."""

    escort_team = UsersChoiceField(
        label=_("Escort team"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["escort_team"].queryset = unit_members(organisation)  # type: ignore[attr-defined]


def operation_details(form: OperationForm, team_form: EscortTeamForm) -> OperationDetails:
    data = form.cleaned_data
    return OperationDetails(
        type=data["type"],
        departure_at=data["departure_at"],
        route=data["route"],
        country_of_return=data["country_of_return"],
        reference=data["reference"],
        escort_leader=data["escort_leader"],
        escort_team=list(team_form.cleaned_data["escort_team"]),
    )


def initial_for(operation: RemovalOperation) -> tuple[dict[str, Any], dict[str, Any]]:
    """Initial values of both forms for an existing operation."""
    main = {
        "type": operation.type,
        "reference": operation.reference,
        "departure_at": timezone.localtime(operation.departure_at),
        "route": operation.route,
        "country_of_return": operation.country_of_return,
        "escort_leader": operation.escort_leader_id,
        "version": operation.version,
    }
    return main, {"escort_team": list(operation.escort_team.values_list("pk", flat=True))}


class AddPersonForm(forms.Form):
    case_number = forms.CharField(label=_("Case number"), max_length=20)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Manifest file (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "A header row with the column case_number, and optionally family_name and "
            "date_of_birth. At most %(rows)d persons and 1 MB."
        ) % {"rows": MAX_ROWS}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 1 MB; split it into smaller files.")
            )
        return upload


class OperationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("any")), *RemovalOperation.Status.choices],
    )
    departs_from = forms.DateField(
        label=_("Departing from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    departs_until = forms.DateField(
        label=_("Departing until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    country = forms.ChoiceField(label=_("Country of return"), required=False)

    def __init__(self, *args: Any, countries: Iterable[str] = (), **kwargs: Any) -> None:
        """``countries``: the codes to offer, those of the operations the user can see (a
        short list instead of every country in the world, which is also much faster to draw)."""
        super().__init__(*args, **kwargs)
        present = set(countries)
        offered = [choice for choice in return_country_choices() if choice[0] in present]
        self.fields["country"].choices = [("", _("any")), *offered]  # type: ignore[attr-defined]
