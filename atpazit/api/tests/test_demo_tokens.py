"""``atpazit demo`` gives an integrator working API tokens to try right after ``make run``: a
read-write one of the demo shelter caseworker and a read-only one of the demo national
coordinator, printed with the demo logins; running it again prints the same tokens and changes
nothing; never in production."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from atpazit.accounts import demo as accounts_demo
from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership
from atpazit.api import demo, services
from atpazit.api.models import ApiToken
from atpazit.api.tests.factories import api_client
from atpazit.audit.models import AuditEvent
from atpazit.lib.errors import NotAllowed

pytestmark = pytest.mark.django_db


def _tokens(lines: list[str]) -> dict[str, str]:
    """username -> the whole token, from the printed lines."""
    return {
        line.split()[0]: line.rsplit(" ", 1)[1]
        for line in lines
        if line.rsplit(" ", 1)[1][:4] == "atp_"
    }


@pytest.fixture
def printed() -> list[str]:
    accounts_demo.load()
    return demo.load()


def test_the_demo_prints_a_working_read_write_token_of_the_shelter_caseworker(printed) -> None:
    assert any("DEMO DATA ONLY" in line for line in printed)
    client = api_client(_tokens(printed)["marta.socdarb"])
    response = client.get("/api/v1/referrals")
    assert response.status_code == 200
    # A write passes the gate (read-write token, the caseworker's permission): the referral
    # does not exist, so the answer is the scope's 404, not a 403.
    answer = client.post(
        "/api/v1/referrals/999999/respond",
        {"action": "accept", "version": 1},
        content_type="application/json",
    )
    assert answer.status_code == 404
    token = ApiToken.objects.get(membership__user__username="marta.socdarb")
    assert token.scope == ApiToken.Scope.READ_WRITE
    assert "demo only" in token.name


def test_the_coordinators_demo_token_reads_statistics_only(printed) -> None:
    client = api_client(_tokens(printed)["iem.koordinators"])
    assert client.get("/api/v1/statistics").json()["suppressed"] is True
    token = ApiToken.objects.get(membership__user__username="iem.koordinators")
    assert token.scope == ApiToken.Scope.READ


def test_running_the_demo_again_prints_the_same_tokens_and_changes_nothing(printed) -> None:
    created = AuditEvent.objects.filter(action="api_token.created").count()
    assert created == 2
    again = demo.load()
    assert _tokens(again) == _tokens(printed)
    assert ApiToken.objects.count() == 2
    assert AuditEvent.objects.filter(action="api_token.created").count() == created


def test_a_revoked_demo_token_is_replaced_on_the_next_run(printed) -> None:
    old = _tokens(printed)["marta.socdarb"]
    token = ApiToken.objects.get(membership__user__username="marta.socdarb")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    new = _tokens(demo.load())["marta.socdarb"]
    assert new != old
    assert api_client(new).get("/api/v1/referrals").status_code == 200
    assert api_client(old).get("/api/v1/referrals").status_code == 401


def test_no_demo_token_in_production() -> None:
    accounts_demo.load()
    membership = Membership.objects.select_related("user", "organisation").get(
        user__username="marta.socdarb"
    )
    with override_settings(PRODUCTION=True), pytest.raises(NotAllowed):
        services.create_demo_token(
            actor=Actor(user=membership.user, membership=membership),
            name="Demo",
            scope=ApiToken.Scope.READ,
            expires_on=timezone.localdate() + dt.timedelta(days=30),
            secret_part=demo.secret_part("marta.socdarb"),
        )
    assert not ApiToken.objects.exists()
