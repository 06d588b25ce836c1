"""Behind the reverse proxy the audit trail records the person's address, not the proxy's; and
nobody can choose the address recorded for them by sending a header (issue 8)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from atpazit.audit.middleware import client_ip
from atpazit.audit.models import AuditEvent

PROXY = "10.0.0.5"


def request_from(peer: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.fixture
def behind_proxy(settings):
    settings.ATPAZIT_TRUSTED_PROXIES = ["10.0.0.0/29", "::1"]


def test_behind_a_trusted_proxy_the_client_address_is_recorded(behind_proxy):
    assert client_ip(request_from(PROXY, "192.0.2.44")) == "192.0.2.44"


def test_an_address_the_client_wrote_into_the_header_is_not_believed(behind_proxy):
    # The client sent "X-Forwarded-For: 203.0.113.9"; our proxy appended the real address.
    assert client_ip(request_from(PROXY, "203.0.113.9, 192.0.2.44")) == "192.0.2.44"


def test_a_chain_of_our_own_proxies_is_skipped(behind_proxy):
    assert client_ip(request_from("::1", "192.0.2.44, 10.0.0.3")) == "192.0.2.44"


def test_from_an_untrusted_peer_the_header_is_ignored(behind_proxy):
    assert client_ip(request_from("198.51.100.7", "192.0.2.44")) == "198.51.100.7"


def test_without_trusted_proxies_the_header_is_always_ignored(settings):
    settings.ATPAZIT_TRUSTED_PROXIES = []
    assert client_ip(request_from(PROXY, "192.0.2.44")) == PROXY


def test_a_malformed_hop_stops_at_the_last_trusted_address(behind_proxy):
    assert client_ip(request_from(PROXY, "192.0.2.44, not-an-address")) == PROXY
    assert client_ip(request_from(PROXY, "")) == PROXY


@pytest.mark.django_db
def test_the_audit_event_of_a_request_through_the_proxy_has_the_client_address(
    behind_proxy, client_for, make_member
):
    auditor = make_member("auditor")
    client_for(auditor).get(
        reverse("audit:event_list"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.44"
    )
    event = AuditEvent.objects.get(action="audit.viewed", actor_id=auditor.pk)
    assert event.ip_address == "192.0.2.44"


def test_a_wrong_proxy_setting_stops_the_start(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("ATPAZIT_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "atpazit.settings",
            "ATPAZIT_VAR_DIR": str(tmp_path),
            "ATPAZIT_TRUSTED_PROXIES": "10.0.0.0/33",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "ATPAZIT_TRUSTED_PROXIES" in result.stderr
