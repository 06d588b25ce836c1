"""Writes for passwords: one-time links to set one's own password, and changing it.

Only the user ever chooses or knows their password. An administrator invites a user, or resets a
user's second factor, and the user receives a one-time link by e-mail. The token is made when the
e-mail is sent and only its SHA-256 is stored, so neither the administrator nor anyone reading the
database can use it. Every step is audited; audit details carry codes and ids only.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from atpazit.accounts.models import PasswordLink, User
from atpazit.audit.services import log_event
from atpazit.lib.errors import ServiceError

# Links still unsent this long after they were made are no longer retried by the tick.
RETRY_UNSENT_FOR = timedelta(days=7)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def issue_password_link(*, user: User, purpose: str, created_by: User | None) -> PasswordLink:
    """Make a one-time link for ``user`` and queue its e-mail; earlier open links stop working.

    Called by the accounts services that invite a user or reset their second factor, never by a
    view directly. Raises ServiceError if the user has no e-mail address to send it to.
    """
    if not user.email:
        raise ServiceError(
            _("This user has no work e-mail address, so no link to set a password can be sent.")
        )
    revoke_password_links(user=user)
    link = PasswordLink.objects.create(user=user, purpose=purpose, created_by=created_by)
    log_event("user.password_link_issued", obj=user, details={"link": link.pk, "purpose": purpose})
    transaction.on_commit(lambda: _enqueue(link.pk))
    return link


def _enqueue(link_id: int) -> None:
    from atpazit.accounts.tasks import send_password_link

    send_password_link.enqueue(link_id)


def revoke_password_links(*, user: User) -> int:
    """Close every open link of ``user`` (a newer link, a password set or changed)."""
    return PasswordLink.objects.filter(user=user, used_at=None, revoked_at=None).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def deliver_password_link(*, link_id: int) -> str:
    """Make the token and e-mail the link to the user; called by the worker task.

    Runs once per link: a link already sent, used or revoked is skipped. If sending fails the
    transaction rolls back, the link stays unsent and the tick retries it.
    """
    link = PasswordLink.objects.select_for_update().select_related("user").get(pk=link_id)
    if link.sent_at is not None or not link.is_open:
        return "skipped"
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link.token_hash = _hash(token)
    link.sent_at = now
    link.expires_at = now + timedelta(hours=settings.ATPAZIT_PASSWORD_LINK_HOURS)
    link.save(update_fields=["token_hash", "sent_at", "expires_at"])
    subject, body = _email_text(link, token)
    send_mail(subject, body, None, [link.user.email], fail_silently=False)
    log_event(
        "user.password_link_sent", obj=link.user, details={"link": link.pk, "purpose": link.purpose}
    )
    return "sent"


def _email_text(link: PasswordLink, token: str) -> tuple[str, str]:
    # The token goes in the query string, never the path: the access log records the path only.
    url = (
        settings.ATPAZIT_BASE_URL.rstrip("/")
        + reverse("accounts:password_link")
        + "?"
        + urlencode({"token": token})
    )
    hours = settings.ATPAZIT_PASSWORD_LINK_HOURS
    with translation.override(link.user.language or settings.LANGUAGE_CODE):
        if link.purpose == PasswordLink.Purpose.RESET:
            subject = _("Atpazīt: your sign-in was reset")
            first = _(
                "An administrator reset your two-factor sign-in in Atpazīt, and your password "
                "no longer works. Set a new password with the link below, then sign in and set "
                "up your authenticator app again. If you did not ask for this, tell your "
                "organisation's data protection officer at once."
            )
        else:
            subject = _("Atpazīt: set your password")
            first = _(
                "An account in Atpazīt was created for you. Set your own password with the link "
                "below, then sign in and set up two-factor sign-in with an authenticator app."
            )
        body = _(
            "%(first)s\n\n%(url)s\n\nThe link works once, for %(hours)d hours. Do not forward "
            "this e-mail: whoever has the link can set the password. Nobody from Atpazīt will "
            "ever ask you for your password."
        ) % {"first": first, "url": url, "hours": hours}
    return str(subject), body


def retry_unsent_password_links() -> int:
    """Re-enqueue links whose e-mail could not be sent yet; called by `atpazit tick`."""
    now = timezone.now()
    ids = list(
        PasswordLink.objects.filter(
            sent_at=None,
            used_at=None,
            revoked_at=None,
            created_at__gte=now - RETRY_UNSENT_FOR,
            created_at__lte=now - timedelta(minutes=1),
        ).values_list("pk", flat=True)
    )
    for link_id in ids:
        _enqueue(link_id)
    return len(ids)


def open_link_for(token: str) -> PasswordLink | None:
    """The sent, unused, unexpired link behind ``token``, or None. Anyone may call it."""
    if not token:
        return None
    link = (
        PasswordLink.objects.select_related("user")
        .filter(token_hash=_hash(token), used_at=None, revoked_at=None, sent_at__isnull=False)
        .first()
    )
    if link is None or link.expires_at is None or link.expires_at <= timezone.now():
        return None
    if not link.user.is_active:
        return None
    return link


def set_password_with_link(*, token: str, password: str) -> User:
    """Set the user's own password through their one-time link; the link is used up.

    Checks the password against the validators. Ends every session of the user (the password
    hash changes) and drops any unconfirmed authenticator, so enrolment starts afresh.
    Raises ServiceError if the link is not usable, ValidationError for a weak password.
    """
    with transaction.atomic():
        link = open_link_for(token)
        if link is not None:
            link = PasswordLink.objects.select_for_update().select_related("user").get(pk=link.pk)
        if link is not None and link.is_open:
            return _set_password(link, password)
    log_event("auth.password_link_refused", outcome="failure")
    raise ServiceError(_("This link does not work any more. Ask your administrator for a new one."))


def _set_password(link: PasswordLink, password: str) -> User:
    user = link.user
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    revoke_password_links(user=user)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    log_event("auth.password_set", obj=user, details={"link": link.pk, "purpose": link.purpose})
    return user


def change_own_password(*, user: User, current_password: str, new_password: str) -> None:
    """A signed-in user changes their own password, knowing the current one.

    The caller keeps only the current session (``update_session_auth_hash``) and so ends the
    user's other sessions. Raises ServiceError for a wrong current password, ValidationError
    for a weak new one.
    """
    if not user.check_password(current_password):
        log_event("auth.password_change_failed", obj=user, outcome="failure")
        raise ServiceError(_("Your current password is not correct."), field="current_password")
    validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        revoke_password_links(user=user)
        log_event("auth.password_changed", obj=user)
