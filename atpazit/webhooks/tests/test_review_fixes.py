"""The webhook rules a review asked for (ADR 0030): an endpoint acts for the member who
registered it and ends with their access; a delivery always ends; only public IPv6 addresses are
called; and where every event went is kept, in the audit trail and in a log that outlives the
endpoint."""

from __future__ import annotations

import socket

import pytest
from django.db.models import ProtectedError
from django.test import override_settings
from django.urls import reverse

from atpazit.accounts.models import Membership
from atpazit.accounts.tests.factories import actor_of, member
from atpazit.audit.models import AuditEvent
from atpazit.lib.errors import InvalidInput, InvalidTransition
from atpazit.referrals.tests.factories import referral_to
from atpazit.webhooks import services, tasks, transport
from atpazit.webhooks.models import Delivery, Endpoint
from atpazit.webhooks.tests.factories import EndpointFactory, accept, endpoint_for

pytestmark = pytest.mark.django_db


class TestAnEndpointActsForItsRegistrant:
    def test_an_endpoint_of_an_administrator_who_sees_no_case_is_told_nothing(
        self, marta, liga, receiver, commits
    ):
        # Liga, a caseworker of MARTA, may see the referral; the administrator may not. An
        # endpoint the administrator registered (before the permission moved) tells nothing.
        administrator = member("org_admin", organisation=marta)
        endpoint_for(marta, receiver, created_by=administrator)
        referral = referral_to(marta)

        commits(lambda: accept(liga, referral))

        assert receiver.requests == []
        assert not Delivery.objects.exists()

    @pytest.mark.parametrize(
        "change",
        ["membership_off", "role_changed", "user_off", "organisation_off"],
    )
    def test_it_ends_for_good_with_its_registrants_access(
        self, change, marta, liga, receiver, commits
    ):
        endpoint = endpoint_for(marta, receiver)
        registrant = endpoint.created_by
        membership = registrant.memberships.get()
        if change == "membership_off":
            membership.is_active = False
            membership.save()
        elif change == "role_changed":
            membership.role = "commission_member"
            membership.save()
        elif change == "user_off":
            registrant.is_active = False
            registrant.save()
        else:
            marta.is_active = False
            marta.save()

        endpoint.refresh_from_db()
        assert endpoint.status == "ended"
        assert AuditEvent.objects.filter(action="webhook_endpoint.ended").exists()
        # Giving the access back does not bring the endpoint back.
        membership.refresh_from_db()
        membership.is_active, membership.role = True, "caseworker"
        membership.save()
        registrant.is_active = True
        registrant.save()
        marta.is_active = True
        marta.save()
        endpoint.refresh_from_db()
        assert endpoint.status == "ended"
        with pytest.raises(InvalidTransition):
            services.resume_endpoint(actor=actor_of(registrant), endpoint=endpoint)

        commits(lambda: accept(liga, referral_to(marta)))
        assert receiver.requests == []

    def test_a_queued_delivery_is_not_sent_once_the_registrant_lost_access(
        self, marta, liga, receiver, commits
    ):
        endpoint = endpoint_for(marta, receiver)
        receiver.answers = [500]
        commits(lambda: accept(liga, referral_to(marta)))
        delivery = Delivery.objects.get()
        assert delivery.status == "pending"
        # Access removed without the signals (a bulk update): the delivery-time check stops it.
        Membership.objects.filter(user=endpoint.created_by).update(is_active=False)

        assert tasks.attempt(delivery.pk, now=delivery.next_attempt_at) == "cancelled"

        assert len(receiver.requests) == 1
        delivery.refresh_from_db()
        assert (delivery.status, delivery.last_error) == ("cancelled", "not_entitled")


class TestEveryDeliveryEnds:
    def test_a_non_ascii_address_is_refused_at_registration(self, marta, monkeypatch):
        monkeypatch.setattr(
            socket,
            "getaddrinfo",
            lambda host, port, *a, **k: [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))
            ],
        )
        with pytest.raises(InvalidInput) as refused:
            services.create_endpoint(
                actor=actor_of(member("caseworker", organisation=marta)),
                url="https://receiver.example.org/ä",
                description="",
                event_types=["referral.changed"],
            )
        assert set(refused.value.errors) == {"url"}

    def test_a_non_ascii_address_already_stored_fails_and_is_given_up(
        self, marta, liga, receiver, commits
    ):
        EndpointFactory(organisation=marta, url=receiver.url + "/ä")
        commits(lambda: accept(liga, referral_to(marta)))
        delivery = Delivery.objects.get()
        for _ in range(tasks.MAX_ATTEMPTS + 2):
            if delivery.status != "pending":
                break
            tasks.attempt(delivery.pk, now=delivery.next_attempt_at)
            delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.last_error) == (
            "failed",
            tasks.MAX_ATTEMPTS,
            "bad_url",
        )

    def test_an_unforeseen_error_while_sending_is_an_outcome_not_an_exception(self, monkeypatch):
        def broken(*args, **kwargs):
            raise UnicodeEncodeError("ascii", "ä", 0, 1, "ordinal not in range(128)")

        monkeypatch.setattr(transport, "_post", broken)
        outcome = transport.post("https://receiver.example.org/x", b"{}", {})
        assert (outcome.ok, outcome.error) == (False, "unexpected_error")

    def test_an_attempt_that_never_recorded_its_outcome_still_counts(
        self, marta, liga, receiver, commits
    ):
        endpoint_for(marta, receiver)
        receiver.answers = [500]
        commits(lambda: accept(liga, referral_to(marta)))
        delivery = Delivery.objects.get()
        # Every attempt was made, but a worker stopped before recording the last one.
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=tasks.MAX_ATTEMPTS, status="pending"
        )
        delivery.refresh_from_db()
        sent = len(receiver.requests)

        assert tasks.attempt(delivery.pk, now=delivery.next_attempt_at) == "failed"

        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("failed", tasks.MAX_ATTEMPTS)
        assert len(receiver.requests) == sent
        assert AuditEvent.objects.filter(action="webhook_delivery.given_up").exists()


@override_settings(ATPAZIT_WEBHOOKS_ALLOW_PRIVATE=False)
@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::a9fe:a9fe",  # NAT64 of the cloud metadata address
        "64:ff9b::7f00:1",  # NAT64 of loopback
        "2002:7f00:1::",  # 6to4 of loopback
        "2002:a9fe:a9fe::1",  # 6to4 of the metadata address
        "::7f00:1",  # IPv4-compatible loopback
        "fec0::1",  # site-local
        "fe80::1",  # link-local
        "fd00::1",  # unique local
        "2001:db8::1",  # documentation
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo with a documentation client
        "ff02::1",  # multicast
        "::",
    ],
)
def test_an_ipv6_address_outside_the_public_internet_is_refused(address):
    assert not transport.is_public(address)


@pytest.mark.parametrize(
    "address",
    ["2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "2002:5db8:d70e::1", "93.184.215.14"],
)
def test_a_public_address_is_allowed(address):
    assert transport.is_public(address)


class TestWhereEventsWent:
    def test_every_delivered_event_is_audited_with_ids_and_codes(
        self, marta, liga, receiver, commits
    ):
        endpoint = endpoint_for(marta, receiver)
        referral = referral_to(marta)

        commits(lambda: accept(liga, referral))

        delivery = Delivery.objects.get()
        event = AuditEvent.objects.get(action="webhook_delivery.delivered")
        assert event.details == {
            "delivery": delivery.pk,
            "event_id": str(delivery.event_id),
            "event_type": "referral.changed",
            "object_type": "referral",
            "object_id": referral.pk,
        }
        assert (event.object_type, event.object_id) == ("webhooks.endpoint", str(endpoint.pk))
        assert referral.suspicion.person.case_number not in str(event.details)

    def test_a_deleted_endpoint_keeps_its_delivery_log(
        self, marta, liga, receiver, commits, client_for
    ):
        endpoint = endpoint_for(marta, receiver)
        commits(lambda: accept(liga, referral_to(marta)))
        registrant = endpoint.created_by

        services.delete_endpoint(actor=actor_of(registrant), endpoint=endpoint)

        endpoint.refresh_from_db()
        assert endpoint.status == "deleted"
        assert Delivery.objects.filter(endpoint=endpoint, status="delivered").count() == 1
        client = client_for(registrant)
        detail = reverse("webhooks:endpoint_detail", kwargs={"pk": endpoint.pk})
        assert client.get(detail).status_code == 404
        listing = client.get(reverse("webhooks:endpoint_list")).content.decode()
        assert detail not in listing
        with pytest.raises(ProtectedError):  # the log is not dropped with the endpoint
            Endpoint.objects.filter(pk=endpoint.pk).delete()
