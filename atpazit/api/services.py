"""Every write of API tokens: made by a user for their organisation, revoked, used.

A token is ``atp_<prefix>_<secret>``: the prefix (8 random bytes, hex) finds the row, the secret
(32 random bytes) proves it. Only the SHA-256 of the secret is stored, and compared in constant
time. Not a password hash (argon2): a password is guessed from a small space, so its hash must be
slow; a 256-bit random secret cannot be guessed whatever the hash costs, and a slow hash would
cost every API request tens of milliseconds and make the API an easy way to load the server
(ADR 0026). Reading the database therefore gives nobody a usable token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.api.models import ApiToken
from atpazit.audit.services import log_event
from atpazit.lib.errors import InvalidInput, NotAllowed, ServiceError

__all__ = [
    "NewToken",
    "ServiceError",
    "TokenRefused",
    "authenticate",
    "create_demo_token",
    "create_token",
    "record_use",
    "revoke_token",
]

TOKEN_PREFIX = "atp_"  # noqa: S105 - the public start of every token, not a secret
MAX_LIFETIME_DAYS = 365
# A use is written to the audit trail and to ``last_used_at`` at most this often per token;
# every read of personal data through a token is audited anyway, as the user's, by its accessor.
USE_RECORDED_EVERY = dt.timedelta(minutes=15)
NAME_MAX_LENGTH = 80


@dataclass(frozen=True)
class NewToken:
    """A token just made: ``secret`` is the whole token, shown once and stored nowhere."""

    token: ApiToken
    secret: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    *, actor: Actor, name: str, scope: str, expires_on: dt.date | None, today: dt.date | None = None
) -> NewToken:
    """Make a token acting as ``actor`` in the active organisation. The expiry is required and
    at most MAX_LIFETIME_DAYS ahead. Raises NotAllowed, InvalidInput."""
    name = _checked(actor, name, scope, expires_on, today)
    assert expires_on is not None  # noqa: S101 - checked above
    return _store(actor, name, scope, expires_on, secrets.token_urlsafe(32))


def create_demo_token(
    *, actor: Actor, name: str, scope: str, expires_on: dt.date, secret_part: str
) -> NewToken:
    """A token of the demo data (``atpazit demo``) whose secret part the loader chose, so that
    running the loader again can print the same token (api/demo.py derives it from the
    development secret key). Never in production; otherwise the same checks and audit event as
    create_token. Raises NotAllowed, InvalidInput."""
    from django.conf import settings

    if settings.PRODUCTION:
        raise NotAllowed(_("You may not create API tokens."))
    if len(secret_part) < 43:
        raise ValueError("a demo token's secret part needs at least 256 bits")
    name = _checked(actor, name, scope, expires_on, None)
    return _store(actor, name, scope, expires_on, secret_part)


def _checked(
    actor: Actor, name: str, scope: str, expires_on: dt.date | None, today: dt.date | None
) -> str:
    """The token's name, stripped, if the actor may make it as asked; NotAllowed or
    InvalidInput naming the fields otherwise."""
    if actor.membership is None or not actor.can("api.token:manage"):
        raise NotAllowed(_("You may not create API tokens."))
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Name the system that will use the token.")]
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = [_("Use at most %(n)d characters.") % {"n": NAME_MAX_LENGTH}]
    if scope not in ApiToken.Scope.values:
        errors["scope"] = [_("Choose read only, or read and write.")]
    if expires_on is None:
        errors["expires_on"] = [_("Give the date the token expires.")]
    elif expires_on <= today:
        errors["expires_on"] = [_("The expiry date must be after today.")]
    elif expires_on > today + dt.timedelta(days=MAX_LIFETIME_DAYS):
        errors["expires_on"] = [
            _("A token lasts at most %(days)d days.") % {"days": MAX_LIFETIME_DAYS}
        ]
    if errors:
        raise InvalidInput(errors)
    return name


def _store(actor: Actor, name: str, scope: str, expires_on: dt.date, secret_part: str) -> NewToken:
    assert actor.membership is not None  # noqa: S101 - _checked refused an actor without one
    prefix = secrets.token_hex(8)
    secret = f"{TOKEN_PREFIX}{prefix}_{secret_part}"
    # The token stops working at the end of its last day, in the local time zone.
    end = dt.datetime.combine(expires_on + dt.timedelta(days=1), dt.time.min)
    with transaction.atomic():
        token = ApiToken.objects.create(
            membership=actor.membership,
            name=name,
            prefix=prefix,
            secret_hash=_digest(secret),
            scope=scope,
            expires_at=timezone.make_aware(end),
        )
        log_event(
            "api_token.created",
            obj=token,
            details={"scope": scope, "expires_on": expires_on.isoformat()},
        )
    return NewToken(token=token, secret=secret)


def revoke_token(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens; it stops working at once. Raises NotAllowed,
    ServiceError when it is already revoked."""
    if actor.membership is None or token.membership_id != actor.membership.pk:
        raise NotAllowed(_("You may revoke only your own tokens."))
    with transaction.atomic():
        current = ApiToken.objects.select_for_update().get(pk=token.pk)
        if current.revoked_at is not None:
            raise ServiceError(_("This token is already revoked."), code="already_revoked")
        current.revoked_at = timezone.now()
        current.revoked_by = actor.user
        current.save(update_fields=["revoked_at", "revoked_by"])
        log_event("api_token.revoked", obj=current)
    return current


def revoke_tokens_ended_by(*, tokens: QuerySet[ApiToken], reason: str) -> int:
    """Revoke for good every live token among ``tokens`` because what it acted as changed
    (``reason``: the membership's role or state, the user or the organisation switched off).
    A token checked only at each request would act again when an administrator switched the
    membership back on or gave back the role: the organisation believes it dead (ADR 0026)."""
    revoked = 0
    with transaction.atomic():
        now = timezone.now()
        for token in tokens.filter(revoked_at__isnull=True).select_for_update():
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            log_event("api_token.revoked", obj=token, details={"reason": reason})
            revoked += 1
    return revoked


class TokenRefused(Exception):
    """The presented token does not authenticate; ``code`` says why (for the audit trail and
    the 401 answer). Codes: ``malformed``, ``unknown``, ``expired``, ``revoked``,
    ``user_inactive``, ``no_membership``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse(presented: str) -> tuple[str, str] | None:
    """(prefix, whole token) of ``atp_<prefix>_<secret>``, or None when malformed."""
    if not presented.startswith(TOKEN_PREFIX):
        return None
    prefix, _sep, rest = presented[len(TOKEN_PREFIX) :].partition("_")
    if len(prefix) != 16 or not rest or len(presented) > 200:
        return None
    return prefix, presented


def authenticate(presented: str, *, now: dt.datetime | None = None) -> ApiToken:
    """The token for the presented secret, if it may act now; TokenRefused otherwise.

    A refusal of a known token (right prefix) is audited with its code; a wrong secret answers
    exactly like an unknown token. A deactivated user, an ended membership or an organisation
    switched off stops every token of theirs."""
    parsed = parse(presented)
    if parsed is None:
        raise TokenRefused("malformed")
    prefix, whole = parsed
    token = (
        ApiToken.objects.select_related("membership__user", "membership__organisation")
        .filter(prefix=prefix)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, _digest(whole)):
        raise TokenRefused("unknown")
    now = now or timezone.now()
    code = _refusal(token, now)
    if code:
        log_event("api_token.refused", obj=token, outcome="denied", details={"code": code})
        raise TokenRefused(code)
    return token


def record_use(token: ApiToken, *, now: dt.datetime | None = None) -> None:
    """Note that the token acted (run in the token's audit context): ``last_used_at`` and an
    ``api_token.used`` event, at most every USE_RECORDED_EVERY per token."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < USE_RECORDED_EVERY:
        return
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        log_event("api_token.used", obj=token)


def _refusal(token: ApiToken, now: dt.datetime) -> str:
    membership = token.membership
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= now:
        return "expired"
    if not membership.user.is_active:
        return "user_inactive"
    if not membership.is_active or not membership.organisation.is_active:
        return "no_membership"
    return ""
