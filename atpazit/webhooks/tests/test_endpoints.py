"""Registering and managing endpoints: only the organisation's administrator, the secret shown
once and stored encrypted, every write audited, and no address that leads inside (SSRF)."""

from __future__ import annotations

import socket

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from atpazit.accounts.tests.factories import actor_of, member
from atpazit.audit.models import AuditEvent
from atpazit.lib.errors import InvalidInput, InvalidTransition, NotAllowed
from atpazit.referrals.tests.factories import referral_to
from atpazit.webhooks import services, transport
from atpazit.webhooks.models import Delivery, Endpoint
from atpazit.webhooks.selectors import endpoints_visible_to
from atpazit.webhooks.tests.factories import EndpointFactory


def services_visible(user):
    return endpoints_visible_to(actor_of(user))


pytestmark = pytest.mark.django_db

PUBLIC_URL = "https://receiver.example.org/atpazit"
EVENTS = ["referral.received", "referral.changed"]


@pytest.fixture
def public_dns(monkeypatch):
    """receiver.example.org resolves to a public address (no network in the tests)."""
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host == "receiver.example.org":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.fixture
def admin(marta):
    """A caseworker at MARTA: a member whose role sees cases manages the webhooks."""
    return member("caseworker", organisation=marta)


class TestRegistering:
    def test_the_secret_is_shown_once_and_stored_encrypted(self, admin, public_dns):
        made = services.create_endpoint(
            actor=actor_of(admin), url=PUBLIC_URL, description="CRM", event_types=EVENTS
        )
        assert made.secret.startswith("whsec_")
        with connection.cursor() as cursor:
            cursor.execute("SELECT secret FROM webhooks_endpoint")
            (stored,) = cursor.fetchone()
        assert made.secret not in stored
        assert Endpoint.objects.get().secret == made.secret
        event = AuditEvent.objects.get(action="webhook_endpoint.created")
        assert event.details == {"event_types": sorted(EVENTS), "host": "receiver.example.org"}
        assert made.secret not in str(event.details)

    def test_the_organisations_administrator_who_sees_no_case_cannot_register(
        self, marta, public_dns
    ):
        # An endpoint tells what its registrant may see: an administrator registering one would
        # widen their own access to every case the organisation's members see (_refuse_own).
        administrator = member("org_admin", organisation=marta)
        with pytest.raises(NotAllowed):
            services.create_endpoint(
                actor=actor_of(administrator), url=PUBLIC_URL, description="", event_types=EVENTS
            )
        assert not Endpoint.objects.exists()

    def test_bad_input_names_the_field(self, admin, public_dns):
        with pytest.raises(InvalidInput) as refused:
            services.create_endpoint(
                actor=actor_of(admin), url="", description="", event_types=["person.deleted"]
            )
        assert set(refused.value.errors) == {"url", "event_types"}
        assert not Endpoint.objects.exists()

    @override_settings(ATPAZIT_WEBHOOKS_ALLOW_PRIVATE=False)
    @pytest.mark.parametrize(
        "url",
        [
            "http://receiver.example.org/atpazit",  # not https
            "https://127.0.0.1/hook",  # loopback
            "https://10.1.2.3/hook",  # private
            "https://192.168.0.10/hook",
            "https://169.254.169.254/latest/meta-data",  # the cloud metadata address
            "https://[::1]/hook",
            "https://[::ffff:127.0.0.1]/hook",  # IPv4 loopback mapped into IPv6
            "https://[fd00:ec2::254]/hook",
            "https://100.64.0.1/hook",  # shared address space
            "https://0.0.0.0/hook",
            "https://user:pw@receiver.example.org/hook",
            "ftp://receiver.example.org/hook",
            "https://receiver.example.org/a b",
            "https://receiver.example.org/x\r\nX-Injected: 1",
        ],
    )
    def test_an_address_that_leads_inside_or_is_not_https_is_refused(self, admin, public_dns, url):
        with pytest.raises(InvalidInput) as refused:
            services.create_endpoint(
                actor=actor_of(admin), url=url, description="", event_types=EVENTS
            )
        assert set(refused.value.errors) == {"url"}

    @override_settings(ATPAZIT_WEBHOOKS_ALLOW_PRIVATE=False)
    def test_a_name_that_resolves_inside_is_refused(self, admin, monkeypatch):
        monkeypatch.setattr(
            socket,
            "getaddrinfo",
            lambda host, port, *a, **k: [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port)),
            ],
        )
        with pytest.raises(InvalidInput):
            services.create_endpoint(
                actor=actor_of(admin), url=PUBLIC_URL, description="", event_types=EVENTS
            )


@override_settings(ATPAZIT_WEBHOOKS_ALLOW_PRIVATE=False)
def test_a_name_rebound_to_a_private_address_after_registration_is_not_called(monkeypatch):
    """DNS rebinding: the address is checked again at delivery, and the connection goes to the
    address checked."""
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port))
        ],
    )
    connected = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connected.append(a))

    outcome = transport.post(PUBLIC_URL, b"{}", {})

    assert (outcome.status_code, outcome.error) == (None, "private_address")
    assert connected == []


@override_settings(ATPAZIT_WEBHOOKS_ALLOW_PRIVATE=False)
def test_a_delivery_to_a_rebound_name_fails_without_a_request(marta, liga, monkeypatch):
    from atpazit.webhooks import tasks

    endpoint = EndpointFactory(organisation=marta, url=PUBLIC_URL)
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        event_type="referral.changed",
        object_type="referral",
        object_id=referral_to(marta).pk,
        payload={"id": "x"},
    )
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))
        ],
    )

    tasks.attempt(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error, delivery.last_status_code) == (
        "pending",
        "private_address",
        None,
    )


class TestManaging:
    def test_rotate_pause_resume_delete_are_audited(self, admin, marta):
        endpoint = EndpointFactory(organisation=marta)
        actor = actor_of(admin)
        old = endpoint.secret

        rotated = services.rotate_secret(actor=actor, endpoint=endpoint)
        assert rotated.secret != old
        endpoint.refresh_from_db()
        assert (endpoint.secret, endpoint.previous_secret) == (rotated.secret, old)
        services.pause_endpoint(actor=actor, endpoint=endpoint)
        with pytest.raises(InvalidTransition):
            services.pause_endpoint(actor=actor, endpoint=endpoint)
        services.resume_endpoint(actor=actor, endpoint=endpoint)
        services.delete_endpoint(actor=actor, endpoint=endpoint)

        assert not services_visible(admin).exists()
        assert Endpoint.objects.get().status == "deleted"
        assert list(
            AuditEvent.objects.filter(action__startswith="webhook_endpoint.")
            .order_by("pk")
            .values_list("action", flat=True)
        ) == [
            "webhook_endpoint.secret_rotated",
            "webhook_endpoint.paused",
            "webhook_endpoint.resumed",
            "webhook_endpoint.deleted",
        ]
        assert rotated.secret not in str(list(AuditEvent.objects.values_list("details")))

    def test_another_organisations_administrator_cannot_touch_it(self, marta, drosa_maja):
        endpoint = EndpointFactory(organisation=marta)
        stranger = member("caseworker", organisation=drosa_maja)
        for call in (services.rotate_secret, services.pause_endpoint, services.delete_endpoint):
            with pytest.raises(NotAllowed):
                call(actor=actor_of(stranger), endpoint=endpoint)
        assert Endpoint.objects.get().status == "active"


class TestPages:
    def test_the_administrator_registers_and_sees_the_secret_once(
        self, admin, client_for, public_dns
    ):
        client = client_for(admin)
        response = client.post(
            reverse("webhooks:endpoint_create"),
            {"url": PUBLIC_URL, "description": "CRM", "event_types": EVENTS},
        )
        assert response.status_code == 200
        endpoint = Endpoint.objects.get()
        assert endpoint.secret in response.content.decode()
        detail = client.get(reverse("webhooks:endpoint_detail", kwargs={"pk": endpoint.pk}))
        assert detail.status_code == 200
        assert endpoint.secret not in detail.content.decode()
        assert "no-store" in response["Cache-Control"]

    def test_a_refused_address_is_shown_on_its_field(self, admin, client_for):
        response = client_for(admin).post(
            reverse("webhooks:endpoint_create"),
            {"url": "ftp://x.example.org/", "event_types": EVENTS},
        )
        assert response.status_code == 200
        assert "https://" in response.content.decode()
        assert not Endpoint.objects.exists()

    def test_the_delivery_log_shows_outcomes_never_bodies(self, admin, marta, client_for):
        endpoint = EndpointFactory(organisation=marta)
        Delivery.objects.create(
            endpoint=endpoint,
            event_type="hold.started",
            object_type="hold",
            object_id=7,
            payload={"object": {"case_number": "AT-2026-123456"}},
            attempts=2,
            last_status_code=503,
            last_error="http_status",
        )
        page = client_for(admin).get(
            reverse("webhooks:endpoint_detail", kwargs={"pk": endpoint.pk})
        )
        body = page.content.decode()
        assert "HTTP 503" in body
        assert "AT-2026-123456" not in body

    def test_another_organisations_endpoint_is_not_found(self, drosa_maja, marta, client_for):
        endpoint = EndpointFactory(organisation=marta)
        stranger = member("caseworker", organisation=drosa_maja)
        response = client_for(stranger).get(
            reverse("webhooks:endpoint_detail", kwargs={"pk": endpoint.pk})
        )
        assert response.status_code == 404

    def test_pause_and_resume_from_the_page(self, admin, marta, client_for):
        endpoint = EndpointFactory(organisation=marta)
        client = client_for(admin)
        client.post(reverse("webhooks:endpoint_pause", kwargs={"pk": endpoint.pk}))
        endpoint.refresh_from_db()
        assert endpoint.status == "paused"
        client.post(reverse("webhooks:endpoint_resume", kwargs={"pk": endpoint.pk}))
        endpoint.refresh_from_db()
        assert endpoint.status == "active"
