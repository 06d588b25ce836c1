"""Writes for accounts: users, memberships, organisations, second factors. Each one is audited."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership, Organisation, User
from atpazit.accounts.roles import Role, role_allowed
from atpazit.audit.services import log_event

RECOVERY_CODE_COUNT = 10


class AccountsError(Exception):
    """A write to accounts was refused; the message is translated and safe to show."""


def _check_role_fits(organisation: Organisation, role: str) -> None:
    if not role_allowed(organisation.type, role):
        from django.utils.translation import gettext as _

        raise AccountsError(
            _("Organisations of type “%(type)s” cannot have the role “%(role)s”.")
            % {
                "role": Role(role).label if role in Role.values else role,
                "type": organisation.get_type_display(),
            }
        )


@transaction.atomic
def create_user(
    *,
    actor: Actor,
    organisation: Organisation,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    password: str,
    language: str = "lv",
) -> User:
    """Create a user with one membership. Called by organisation and system administrators."""
    _check_role_fits(organisation, role)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        language=language,
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    log_event("user.created", obj=user, details={"organisation": organisation.pk, "role": role})
    log_event("membership.created", obj=membership, details={"role": role})
    return user


@transaction.atomic
def add_membership(
    *, actor: Actor, user: User, organisation: Organisation, role: str
) -> Membership:
    _check_role_fits(organisation, role)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    if not created:
        membership.role = role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active"])
    log_event(
        "membership.created" if created else "membership.reactivated",
        obj=membership,
        details={"role": role},
    )
    return membership


@transaction.atomic
def change_membership(
    *, actor: Actor, membership: Membership, role: str, is_active: bool
) -> Membership:
    """Change a user's role or switch the membership off. Role changes are audited as such."""
    _check_role_fits(membership.organisation, role)
    if membership.user_id == actor.user.pk and not is_active:
        from django.utils.translation import gettext as _

        raise AccountsError(_("You cannot switch off your own membership."))
    old_role, old_active = membership.role, membership.is_active
    membership.role = role
    membership.is_active = is_active
    membership.save(update_fields=["role", "is_active"])
    if old_role != role:
        log_event("user.role_changed", obj=membership, details={"from": old_role, "to": role})
    if old_active != is_active:
        log_event("membership.activated" if is_active else "membership.deactivated", obj=membership)
    return membership


@transaction.atomic
def save_organisation(
    *,
    actor: Actor,
    organisation: Organisation | None,
    name: str,
    type: str,
    email: str,
    is_active: bool,
) -> Organisation:
    """Create or update an organisation. Called by system administrators."""
    created = organisation is None
    organisation = organisation or Organisation()
    organisation.name, organisation.type, organisation.email, organisation.is_active = (
        name,
        type,
        email,
        is_active,
    )
    organisation.save()
    log_event("organisation.created" if created else "organisation.updated", obj=organisation)
    return organisation


def set_language(*, user: User, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
        log_event("user.language_changed", obj=user, details={"language": language})


# --- second factor -------------------------------------------------------------------------


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed TOTP device a user is enrolling; one is made on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
        log_event("auth.2fa_enrolment_started", obj=user)
    return device


def has_confirmed_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def confirm_totp_enrolment(*, user: User, token: str) -> list[str] | None:
    """Confirm the pending device if ``token`` matches; return fresh recovery codes, else None."""
    device = pending_totp_device(user)
    if not device.verify_token(token.strip()):
        log_event("auth.2fa_enrolment_failed", obj=user, outcome="failure")
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = replace_recovery_codes(user=user)
    log_event("auth.2fa_enrolled", obj=user)
    return codes


def replace_recovery_codes(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify_second_factor(*, user: User, token: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts ``token`` (an authenticator code or a one-time recovery code)."""
    token = token.strip().replace(" ", "")
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    for static in StaticDevice.objects.filter(user=user, confirmed=True):
        if static.verify_token(token):
            log_event("auth.recovery_code_used", obj=user)
            return static
    return None


@transaction.atomic
def reset_second_factor(*, actor: Actor, user: User) -> None:
    """Remove a user's devices so they enrol again at next sign-in (lost phone).

    The second factor guards every organisation the user works for, so an organisation's own
    administrator may reset it only for users who work for no other organisation.
    """
    if not actor.can("accounts.organisation:manage"):
        elsewhere = Membership.objects.filter(user=user, is_active=True).exclude(
            organisation=actor.organisation
        )
        if not actor.can("accounts.user:manage") or elsewhere.exists():
            from django.utils.translation import gettext as _

            raise AccountsError(
                _(
                    "This user also works for another organisation; ask a system administrator to reset their second factor."
                )
            )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    log_event("user.2fa_reset", obj=user)
