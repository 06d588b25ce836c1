from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.models import Organisation
from atpazit.accounts.roles import OrganisationType, Role


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=12,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("Given name"), max_length=150)
    last_name = forms.CharField(label=_("Family name"), max_length=150)
    email = forms.EmailField(label=_("Work e-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=())
    language = forms.ChoiceField(
        label=_("Language"),
        choices=(),
        help_text=_(
            "The user receives a one-time link at their work e-mail, sets their own password "
            "and then sets up two-factor sign-in."
        ),
    )

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles  # type: ignore[attr-defined]
        self.fields["language"].choices = settings.LANGUAGES  # type: ignore[attr-defined]

    def clean_username(self) -> str:
        from atpazit.accounts.models import User

        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is already taken."))
        return username

    def clean_email(self) -> str:
        from atpazit.accounts.models import User

        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Another account already uses this e-mail address."))
        return email


class OwnPasswordSetForm(SetPasswordForm):
    """A new password, twice, checked against the password validators for this user."""


class OwnPasswordChangeForm(SetPasswordForm):
    """The current password and a new one, twice; the service checks the current one."""

    current_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["current_password", "new_password1", "new_password2"]


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=())
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles  # type: ignore[attr-defined]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "type", "email", "is_active"]


def role_choices_for(organisation_type: str) -> list[tuple[str, str]]:
    from atpazit.accounts.roles import ROLES_BY_ORGANISATION_TYPE

    allowed = ROLES_BY_ORGANISATION_TYPE.get(organisation_type, frozenset())
    return [(value, str(label)) for value, label in Role.choices if value in allowed]


__all__ = ["OrganisationType"]
