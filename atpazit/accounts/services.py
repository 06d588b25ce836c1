"""Writes for accounts: users, memberships, organisations, second factors. Each one is audited."""

from __future__ import annotations

import secrets
from typing import Protocol

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership, Organisation, PasswordLink, User
from atpazit.accounts.passwords import issue_password_link
from atpazit.accounts.roles import Role, role_allowed
from atpazit.audit.services import log_event
from atpazit.lib.errors import NotAllowed, ServiceError

RECOVERY_CODE_COUNT = 10


def _locked(organisation: Organisation) -> Organisation:
    """The organisation as stored, locked: its type cannot change while a member is added."""
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _check_role_fits(organisation: Organisation, role: str) -> None:
    if not role_allowed(organisation.type, role):
        raise ServiceError(
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
    language: str = "lv",
) -> User:
    """Create a user with one membership and e-mail them a one-time link to set their password.

    Called by organisation and system administrators, who never set or see the password.
    Raises ServiceError for a role the organisation cannot have or an e-mail address that
    another account already uses (an administrator must not invite themselves twice).
    """
    organisation = _locked(organisation)
    _check_role_fits(organisation, role)
    if User.objects.filter(email__iexact=email).exists():
        raise ServiceError(_("Another account already uses this e-mail address."))
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        language=language,
    )
    user.set_unusable_password()
    user.save()
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    log_event("user.created", obj=user, details={"organisation": organisation.pk, "role": role})
    log_event("membership.created", obj=membership, details={"role": role})
    issue_password_link(user=user, purpose=PasswordLink.Purpose.INVITATION, created_by=actor.user)
    return user


def _refuse_own(actor: Actor, user_id: int) -> None:
    """Nobody changes their own memberships or roles: widening one's own access needs another."""
    if user_id == actor.user.pk:
        raise NotAllowed(
            _("You cannot change your own membership or role; ask another administrator.")
        )


@transaction.atomic
def add_membership(
    *, actor: Actor, user: User, organisation: Organisation, role: str
) -> Membership:
    _refuse_own(actor, user.pk)
    organisation = _locked(organisation)
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
    """Change a user's role or switch the membership off. Role changes are audited as such.

    Nobody changes their own membership (raises NotAllowed).
    """
    _refuse_own(actor, membership.user_id)
    _check_role_fits(membership.organisation, role)
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
    """Create or update an organisation. Only system administrators may call it.

    The type decides which roles exist there (and so what its members may see), so it changes
    only while the organisation has no members, active or not. Raises ServiceError.
    """
    if not actor.can("accounts.organisation:manage"):
        raise NotAllowed(_("Only a system administrator manages organisations."))
    created = organisation is None
    # Compare with the stored type: a ModelForm has already written the new one on the instance.
    stored = (
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation is not None
        else None
    )
    if stored is not None and stored.type != type:
        if Membership.objects.filter(organisation=stored).exists():
            raise ServiceError(
                _("The type of an organisation that has members cannot be changed."), field="type"
            )
        log_event(
            "organisation.type_changed",
            obj=organisation,
            details={"from": stored.type, "to": type},
        )
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
    """Reset a user's sign-in (lost phone): their devices go and their password stops working.

    The user receives a fresh one-time link to set a new password and then enrols again, so
    the administrator never gets a way to sign in as them. The user is told by that e-mail and
    by an in-app notification. Nobody resets their own sign-in this way. The second factor
    guards every organisation the user works for, so an organisation's own administrator may
    reset it only for users who work for no other organisation. Raises ServiceError.
    """
    if user.pk == actor.user.pk:
        raise NotAllowed(_("You cannot reset your own sign-in; ask another administrator."))
    if not actor.can("accounts.organisation:manage"):
        elsewhere = Membership.objects.filter(user=user, is_active=True).exclude(
            organisation=actor.organisation
        )
        if not actor.can("accounts.user:manage") or elsewhere.exists():
            raise NotAllowed(
                _(
                    "This user also works for another organisation; ask a system administrator to reset their second factor."
                )
            )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.set_unusable_password()  # ends every session of the user too
    user.save(update_fields=["password"])
    log_event("user.2fa_reset", obj=user)
    issue_password_link(user=user, purpose=PasswordLink.Purpose.RESET, created_by=actor.user)
    _tell_user_of_reset(actor=actor, user=user)


class UserNotifier(Protocol):
    def __call__(
        self, *, user: User, organisation: Organisation, kind: str, link: str
    ) -> object: ...


# Who tells a user in the application about their own account: the notifications app, which sits
# above accounts, registers its ``notify_user`` here from its ``AppConfig.ready``.
USER_NOTIFIERS: list[UserNotifier] = []


def _tell_user_of_reset(*, actor: Actor, user: User) -> None:
    memberships = Membership.objects.filter(user=user, is_active=True).select_related(
        "organisation"
    )
    membership = next(
        (m for m in memberships if m.organisation_id == getattr(actor.organisation, "pk", None)),
        memberships.first(),
    )
    if membership is None:
        return
    for notify_user in USER_NOTIFIERS:
        notify_user(
            user=user,
            organisation=membership.organisation,
            kind="account.sign_in_reset",
            link=reverse("web:dashboard"),
        )
