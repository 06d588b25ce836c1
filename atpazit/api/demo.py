"""API tokens of the demo data, so an integrator can call the API right after ``make run``:
a read-write token of the demo shelter caseworker (``marta.socdarb``, Centrs MARTA: reads and
answers the referrals sent to MARTA) and a read-only one of the demo national coordinator
(``iem.koordinators``: the suppressed statistics and the official tables).

**Demo data only.** ``atpazit demo`` refuses to run in production, and so does
``services.create_demo_token``. A token's secret part is derived from the development secret
key (``var/``), so running the loader again prints the same token and changes nothing; a demo
token revoked on the tokens page, or expired, is replaced by a new one on the next run.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership
from atpazit.api import services
from atpazit.api.models import ApiToken

# (username, scope, token name): the token name says what it is on the user's tokens page.
DEMO_TOKENS = (
    ("marta.socdarb", ApiToken.Scope.READ_WRITE, "Demo: shelter case management (demo only)"),
    ("iem.koordinators", ApiToken.Scope.READ, "Demo: statistics reader (demo only)"),
)
LIFETIME_DAYS = 365


def secret_part(username: str) -> str:
    """The demo token's secret part for ``username``: 256 bits derived from the secret key."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"atpazit demo api token {username}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _live_demo_token(membership: Membership, name: str, secret: str) -> str | None:
    """The whole demo token of ``membership`` if a live one is stored, else None."""
    now = timezone.now()
    for token in ApiToken.objects.filter(
        membership=membership, name=name, revoked_at__isnull=True, expires_at__gt=now
    ):
        whole = f"{services.TOKEN_PREFIX}{token.prefix}_{secret}"
        if hmac.compare_digest(token.secret_hash, services._digest(whole)):
            return whole
    return None


@transaction.atomic
def load() -> list[str]:
    lines = ["API tokens (DEMO DATA ONLY: never use them anywhere else):"]
    for username, scope, name in DEMO_TOKENS:
        membership = (
            Membership.objects.select_related("user", "organisation")
            .filter(user__username=username, is_active=True)
            .first()
        )
        if membership is None:
            lines.append(f"{username:<22} no API token: the demo user is missing")
            continue
        secret = secret_part(username)
        whole = _live_demo_token(membership, name, secret)
        if whole is None:
            whole = services.create_demo_token(
                actor=Actor(user=membership.user, membership=membership),
                name=name,
                scope=scope,
                expires_on=timezone.localdate() + dt.timedelta(days=LIFETIME_DAYS),
                secret_part=secret,
            ).secret
        lines.append(f"{username:<22} {ApiToken.Scope(scope).label}: {whole}")
    return lines
