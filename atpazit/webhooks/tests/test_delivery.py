"""Webhooks end to end: a referral or a hold changes, the organisations that may see it get a
signed event without personal data on a real receiver, failures are retried with backoff and
disable the endpoint, and nothing about a webhook can fail or undo the change (ADR 0030)."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from django.db import transaction
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of, member
from atpazit.audit.models import AuditEvent
from atpazit.cases import services as cases_services
from atpazit.cases.tests.factories import PersonFactory
from atpazit.notifications.models import Notification
from atpazit.referrals import services as referral_services
from atpazit.referrals.tests.factories import ConsentedSuspicionFactory, referral_to
from atpazit.webhooks import signing, tasks
from atpazit.webhooks.events import WebhookEvent
from atpazit.webhooks.models import Delivery, Endpoint
from atpazit.webhooks.tests.factories import SECRET, accept, endpoint_for

pytestmark = pytest.mark.django_db


class TestReferralEvents:
    def test_the_receiving_organisation_gets_a_signed_event_it_can_verify(
        self, marta, liga, receiver, commits
    ):
        endpoint = endpoint_for(marta, receiver)
        referral = referral_to(marta)

        commits(lambda: accept(liga, referral))

        (request,) = receiver.requests
        header = request.headers[signing.HEADER]
        assert signing.verify(SECRET, header, request.body, now=int(time.time()))
        assert not signing.verify("whsec_wrong", header, request.body, now=int(time.time()))
        event = WebhookEvent.model_validate_json(request.body)
        assert (event.type, event.object.type, event.object.id, event.object.state) == (
            "referral.changed",
            "referral",
            referral.pk,
            "accepted",
        )
        assert event.object.case_number == referral.suspicion.person.case_number
        assert event.object.url.endswith(f"/api/v1/referrals/{referral.pk}")
        assert request.headers["Atpazit-Event-Id"] == str(event.id)
        delivery = Delivery.objects.get()
        assert (delivery.endpoint, delivery.status, delivery.attempts) == (
            endpoint,
            "delivered",
            1,
        )
        assert delivery.last_status_code == 200

    def test_a_referral_sent_is_received_by_its_receiver_only(
        self, janis, marta, liga, riga, receiver, commits
    ):
        endpoint_for(marta, receiver)
        endpoint_for(riga, receiver)  # the sender's unit may see it, but did not receive it
        suspicion = ConsentedSuspicionFactory(
            person=PersonFactory(organisation=riga), raised_by_organisation=riga
        )

        commits(
            lambda: referral_services.send_referrals(
                actor=actor_of(janis), suspicion=suspicion, provider=marta
            )
        )

        received = [json.loads(r.body) for r in receiver.requests]
        assert [(e["type"], e["object"]["state"]) for e in received] == [
            ("referral.received", "sent")
        ]
        assert Delivery.objects.get().endpoint.organisation == marta

    def test_no_event_for_an_organisation_that_may_not_see_the_referral(
        self, marta, drosa_maja, liga, anna, receiver, commits
    ):
        endpoint_for(drosa_maja, receiver)  # another provider: MARTA's referral is not its
        referral = referral_to(marta)

        commits(lambda: accept(liga, referral))

        assert receiver.requests == []
        assert not Delivery.objects.exists()

    def test_only_the_subscribed_events_are_sent(self, marta, liga, receiver, commits):
        endpoint_for(marta, receiver, event_types=["referral.received"])

        commits(lambda: accept(liga, referral_to(marta)))

        assert receiver.requests == []

    def test_the_payload_carries_no_personal_data(self, marta, liga, riga, receiver, commits):
        endpoint_for(marta, receiver)
        person = PersonFactory(
            organisation=riga,
            given_names="Zarina",
            family_name="Abdullayeva",
            date_of_birth="1993-04-17",
            birth_year=1993,
        )
        referral = referral_to(marta, suspicion=ConsentedSuspicionFactory(person=person))

        commits(lambda: accept(liga, referral))

        (request,) = receiver.requests
        body = request.body.decode()
        for personal in ("Zarina", "Abdullayeva", "1993", "04-17", "UZ", "Karimov"):
            assert personal not in body
        stored = json.dumps(Delivery.objects.get().payload)
        assert "Abdullayeva" not in stored
        assert "1993" not in stored
        assert person.case_number in body

    def test_a_rolled_back_referral_change_sends_nothing(self, marta, liga, receiver, commits):
        endpoint_for(marta, receiver)
        referral = referral_to(marta)

        class Abandoned(Exception):
            pass

        def change_then_fail():
            with transaction.atomic():
                accept(liga, referral)
                raise Abandoned

        with pytest.raises(Abandoned):
            commits(change_then_fail)

        referral.refresh_from_db()
        assert referral.status == "sent"
        assert receiver.requests == []
        assert not Delivery.objects.exists()


class TestHoldEvents:
    def test_a_hold_placed_and_released_is_told_to_the_unit_and_the_ombudsman(
        self, ilze, riga, ombudsman, dace, marta, liga, receiver, commits
    ):
        for organisation in (riga, ombudsman, marta):
            endpoint_for(organisation, receiver, event_types=["hold.started", "hold.released"])
        person = PersonFactory(organisation=riga)

        hold = commits(
            lambda: cases_services.place_hold(
                actor=actor_of(ilze), person=person, reason="Pazīmes intervijā."
            )
        )
        commits(
            lambda: cases_services.release_hold(
                actor=actor_of(ilze),
                hold=hold,
                reason="Pārbaudīts, pazīmju nav.",
                decision_reference="RS-1/2026",
            )
        )

        events = [json.loads(r.body) for r in receiver.requests]
        told = {
            (d.endpoint.organisation.name, d.event_type)
            for d in Delivery.objects.select_related("endpoint__organisation")
        }
        assert told == {
            (riga.name, "hold.started"),
            (ombudsman.name, "hold.started"),
            (riga.name, "hold.released"),
            (ombudsman.name, "hold.released"),
        }  # MARTA was sent no referral about the person: it may not see the hold
        assert {(e["type"], e["object"]["state"]) for e in events} == {
            ("hold.started", "active"),
            ("hold.released", "released"),
        }
        assert all(e["object"]["url"].endswith(f"/api/v1/holds/{hold.pk}") for e in events)
        assert all("Pazīmes" not in r.body.decode() for r in receiver.requests)

    def test_a_paused_endpoint_gets_nothing(self, ilze, riga, receiver, commits):
        endpoint_for(riga, receiver, status=Endpoint.Status.PAUSED)

        commits(
            lambda: cases_services.place_hold(
                actor=actor_of(ilze), person=PersonFactory(organisation=riga), reason="Pazīmes."
            )
        )

        assert receiver.requests == []


class TestRetries:
    def test_a_failed_delivery_is_retried_with_growing_waits_and_then_delivered(
        self, marta, liga, receiver, commits
    ):
        endpoint = endpoint_for(marta, receiver)
        receiver.answers = [500, 503, 200]
        commits(lambda: accept(liga, referral_to(marta)))
        delivery = Delivery.objects.get()
        first_try = delivery.last_attempt_at
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
            "pending",
            1,
            500,
        )
        assert delivery.next_attempt_at == first_try + tasks.BACKOFF[0]

        assert tasks.deliver_due(now=first_try + dt.timedelta(seconds=30)) == 0  # not yet due
        tasks.attempt(delivery.pk, now=first_try + tasks.BACKOFF[0])
        delivery.refresh_from_db()
        assert (delivery.attempts, delivery.last_status_code) == (2, 503)
        assert delivery.next_attempt_at == delivery.last_attempt_at + tasks.BACKOFF[1]
        assert tasks.BACKOFF[1] > tasks.BACKOFF[0]

        tasks.attempt(delivery.pk, now=delivery.next_attempt_at)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
            "delivered",
            3,
            200,
        )
        # Every attempt carried the same event: the receiver processes its id once.
        assert len({r.headers["Atpazit-Event-Id"] for r in receiver.requests}) == 1
        endpoint.refresh_from_db()
        assert endpoint.consecutive_failures == 0

    def test_the_backoff_spreads_six_attempts_over_about_a_day(self):
        assert tasks.MAX_ATTEMPTS == 6
        assert list(tasks.BACKOFF) == sorted(tasks.BACKOFF)
        assert dt.timedelta(hours=18) <= sum(tasks.BACKOFF, dt.timedelta()) <= dt.timedelta(days=1)

    def test_a_redirect_is_not_followed_and_counts_as_a_failure(
        self, marta, liga, receiver, commits
    ):
        endpoint_for(marta, receiver)
        receiver.answers = [302]

        commits(lambda: accept(liga, referral_to(marta)))

        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.last_status_code) == ("pending", 302)
        assert len(receiver.requests) == 1

    def test_after_every_attempt_failed_the_endpoint_is_disabled_and_the_admin_told(
        self, marta, liga, receiver, commits
    ):
        administrator = member("org_admin", organisation=marta)
        endpoint = endpoint_for(marta, receiver)
        receiver.answers = [500]
        referral = referral_to(marta)

        commits(lambda: accept(liga, referral))
        delivery = Delivery.objects.get()
        while delivery.status == "pending":
            tasks.attempt(delivery.pk, now=delivery.next_attempt_at)
            delivery.refresh_from_db()

        assert (delivery.status, delivery.attempts) == ("failed", tasks.MAX_ATTEMPTS)
        assert len(receiver.requests) == tasks.MAX_ATTEMPTS
        endpoint.refresh_from_db()
        assert endpoint.status == "disabled"
        assert Notification.objects.filter(
            recipient=endpoint.created_by, kind="webhook.endpoint_disabled"
        ).exists()
        assert not Notification.objects.filter(
            recipient=administrator, kind="webhook.endpoint_disabled"
        ).exists()
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {"webhook_delivery.given_up", "webhook_endpoint.disabled"} <= actions
        # The referral was never touched by any of it.
        referral.refresh_from_db()
        assert referral.status == "accepted"

        # A disabled endpoint gets nothing more until it is resumed.
        commits(
            lambda: referral_services.transition_referral(
                actor=actor_of(liga), referral=referral, to_status="assessing"
            )
        )
        assert len(receiver.requests) == tasks.MAX_ATTEMPTS

    def test_a_short_outage_with_a_burst_of_events_does_not_disable_the_endpoint(
        self, marta, liga, receiver, commits
    ):
        endpoint = endpoint_for(marta, receiver)
        receiver.answers = [503] * (tasks.DISABLE_AFTER + 2) + [200]
        for _ in range(tasks.DISABLE_AFTER + 2):
            commits(lambda: accept(liga, referral_to(marta)))

        endpoint.refresh_from_db()
        assert endpoint.consecutive_failures == tasks.DISABLE_AFTER + 2
        assert endpoint.status == "active"
        delivery = Delivery.objects.filter(status="pending").first()
        tasks.attempt(delivery.pk, now=delivery.next_attempt_at)
        endpoint.refresh_from_db()
        assert (endpoint.status, endpoint.consecutive_failures) == ("active", 0)

    def test_an_unreachable_receiver_never_fails_the_change(self, marta, liga, commits):
        EndpointUnreachable = endpoint_for  # noqa: N806 - a port nothing listens on
        EndpointUnreachable(marta, type("R", (), {"url": "http://127.0.0.1:9/x"})())
        referral = referral_to(marta)

        commits(lambda: accept(liga, referral))

        referral.refresh_from_db()
        assert referral.status == "accepted"
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.last_error) == ("pending", "connection_failed")

    def test_a_pending_delivery_of_a_paused_endpoint_is_cancelled(
        self, marta, liga, receiver, commits
    ):
        endpoint = endpoint_for(marta, receiver)
        receiver.answers = [500]
        commits(lambda: accept(liga, referral_to(marta)))
        Endpoint.objects.filter(pk=endpoint.pk).update(status=Endpoint.Status.PAUSED)
        delivery = Delivery.objects.get()

        tasks.attempt(delivery.pk, now=delivery.next_attempt_at)

        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("cancelled", 1)
        assert len(receiver.requests) == 1


def test_the_old_secret_signs_too_for_a_day_after_a_rotation(marta, liga, receiver, commits):
    from atpazit.webhooks import services

    endpoint = endpoint_for(marta, receiver)
    new = services.rotate_secret(actor=actor_of(endpoint.created_by), endpoint=endpoint)

    commits(lambda: accept(liga, referral_to(marta)))

    (request,) = receiver.requests
    now = int(time.time())
    header = request.headers[signing.HEADER]
    assert signing.verify(new.secret, header, request.body, now=now)
    assert signing.verify(SECRET, header, request.body, now=now)
    endpoint.refresh_from_db()
    endpoint.previous_secret_until = timezone.now() - dt.timedelta(seconds=1)
    endpoint.save()
    later = tasks._headers(endpoint, Delivery.objects.get(), request.body, timezone.now())
    assert signing.verify(new.secret, later[signing.HEADER], request.body, now=now)
    assert not signing.verify(SECRET, later[signing.HEADER], request.body, now=now)


def test_the_tick_hands_the_worker_a_delivery_a_stopped_worker_left_behind(marta, receiver):
    from io import StringIO

    from django.core.management import call_command

    endpoint = endpoint_for(marta, receiver)
    left = Delivery.objects.create(
        endpoint=endpoint,
        event_type="referral.changed",
        object_type="referral",
        object_id=referral_to(marta).pk,
        payload={"id": "left-behind"},
        attempts=1,
        next_attempt_at=timezone.now() - dt.timedelta(minutes=1),  # its lease ran out
    )

    call_command("tick", stdout=StringIO())

    left.refresh_from_db()
    assert (left.status, left.attempts) == ("delivered", 2)
    assert len(receiver.requests) == 1
