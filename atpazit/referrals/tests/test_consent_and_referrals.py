"""Consent (I5) and referrals with the minimum necessary data, logged as disclosures (I6)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.utils import timezone

from atpazit.accounts import permissions
from atpazit.accounts.tests.factories import actor_of, member
from atpazit.audit.models import AuditEvent, Disclosure
from atpazit.deadlines.models import Deadline
from atpazit.deadlines.rules import Kind
from atpazit.notifications.models import Notification
from atpazit.referrals import services
from atpazit.referrals.models import Consent, Referral

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def suspicion(janis, person):
    return services.raise_suspicion(
        actor=actor_of(janis), person=person, reason="Pase atņemta; parāds."
    )


def consent(user, suspicion, **overrides):
    values = {
        "decision": "given",
        "scope": "both",
        "language": "ru",
        "explained_on": timezone.localdate(),
    }
    return services.record_consent(
        actor=actor_of(user), suspicion=suspicion, **(values | overrides)
    )


class TestConsent:
    def test_it_records_an_informed_decision(self, janis, suspicion):
        record = consent(
            janis, suspicion, interpreter_used=True, interpreter_name="Gulnora T.", language="uz"
        )
        assert (record.decision, record.scope, record.language, record.explained_by) == (
            "given",
            "both",
            "uz",
            janis,
        )
        assert record.interpreter_name == "Gulnora T."
        event = AuditEvent.objects.get(action="consent.recorded")
        assert "Gulnora" not in json.dumps(event.details)

    def test_it_needs_a_scope_when_given(self, janis, suspicion):
        with pytest.raises(services.InvalidInput) as refused:
            consent(janis, suspicion, scope="")
        assert "scope" in refused.value.errors
        assert not Consent.objects.exists()

    def test_the_explanation_must_be_in_a_language_the_person_speaks(self, janis, suspicion):
        with pytest.raises(services.InvalidInput) as refused:
            consent(janis, suspicion, language="lv")  # speaks Uzbek and Russian
        assert "language" in refused.value.errors
        assert consent(
            janis, suspicion, language="lv", interpreter_used=True, interpreter_name="T."
        ).pk

    def test_an_interpreter_is_named(self, janis, suspicion):
        with pytest.raises(services.InvalidInput) as refused:
            consent(janis, suspicion, interpreter_used=True)
        assert "interpreter_name" in refused.value.errors

    def test_the_date_cannot_be_in_the_future(self, janis, suspicion):
        with pytest.raises(services.InvalidInput) as refused:
            consent(janis, suspicion, explained_on=timezone.localdate() + dt.timedelta(days=1))
        assert "explained_on" in refused.value.errors

    def test_a_child_needs_no_consent(self, janis, child, orphans_court):
        suspicion = services.raise_suspicion(
            actor=actor_of(janis), person=child, reason="Bērns bez pavadības."
        )
        with pytest.raises(services.ServiceError):
            consent(janis, suspicion)

    def test_only_the_raising_organisation_records_consent(self, dace, suspicion):
        with pytest.raises(services.NotAllowed):
            consent(dace, suspicion)


class TestSendingReferrals:
    def test_consent_given_sends_both_tracks_with_disclosures_deadlines_and_notifications(
        self, janis, suspicion, marta, police, liga, edgars, maris
    ):
        consent(janis, suspicion)
        sent = services.send_referrals(
            actor=actor_of(janis), suspicion=suspicion, provider=marta, police=police
        )
        assert {r.track for r in sent} == {"provider", "police"}
        for referral in sent:
            assert referral.legal_basis == "consent"
            disclosure = Disclosure.objects.get(subject=f"referrals.referral:{referral.pk}")
            assert (disclosure.to_organisation, disclosure.legal_basis) == (
                referral.to_organisation,
                "consent",
            )
            assert disclosure.case_number == suspicion.person.case_number
        assert set(Deadline.objects.values_list("kind", flat=True)) >= {
            Kind.PROVIDER_RESPONSE,
            Kind.POLICE_RESPONSE,
        }
        received = set(
            Notification.objects.filter(kind="referral.received").values_list(
                "recipient", flat=True
            )
        )
        assert received == {liga.pk, edgars.pk, maris.pk}

    def test_a_new_referral_is_told_to_the_roles_that_record_the_tracks_outcome(
        self, janis, suspicion, marta, police, liga, edgars, maris, monkeypatch
    ):
        """Whom a referral is announced to follows the permission table: grant a role the
        track's outcome (here the provider's administrator) and its members hear of it too;
        a role without it (the police's administrator) does not."""
        provider_admin = member("org_admin", organisation=marta)
        police_admin = member("org_admin", organisation=police)
        table = dict(permissions.ROLE_PERMISSIONS)
        table["org_admin"] = table["org_admin"] | {services.RECIPIENT_PERMISSIONS["provider"]}
        monkeypatch.setattr(permissions, "ROLE_PERMISSIONS", table)
        consent(janis, suspicion)
        services.send_referrals(
            actor=actor_of(janis), suspicion=suspicion, provider=marta, police=police
        )
        received = set(
            Notification.objects.filter(kind="referral.received").values_list(
                "recipient", flat=True
            )
        )
        assert received == {liga.pk, edgars.pk, maris.pk, provider_admin.pk}
        assert police_admin.pk not in received

    def test_the_package_holds_exactly_the_fields_of_its_track(
        self, janis, suspicion, marta, police
    ):
        consent(janis, suspicion)
        provider, police_track = services.send_referrals(
            actor=actor_of(janis), suspicion=suspicion, provider=marta, police=police
        )
        provider_package = services.package_of(provider)
        assert tuple(provider_package) == services.package_fields("provider")
        assert provider_package["family_name"] == "Karimov"
        assert "aliases" not in provider_package
        assert "contact_details" not in provider_package
        assert "aliases" in services.package_of(police_track)
        assert "return_decision_reference" not in services.package_of(police_track)

    def test_the_package_is_stored_encrypted(self, janis, suspicion, marta):
        consent(janis, suspicion, scope="provider")
        referral = services.send_referrals(
            actor=actor_of(janis), suspicion=suspicion, provider=marta
        )[0]
        with connection.cursor() as cursor:
            cursor.execute("SELECT package FROM referrals_referral WHERE id = %s", [referral.pk])
            raw = cursor.fetchone()[0]
        assert "Karimov" not in raw
        assert "case_number" not in raw

    def test_an_adult_without_consent_is_not_referred_and_the_refusal_is_logged(
        self, janis, suspicion, marta
    ):
        with pytest.raises(services.DisclosureRefused):
            services.send_referrals(actor=actor_of(janis), suspicion=suspicion, provider=marta)
        assert not Referral.objects.exists()
        assert not Disclosure.objects.exists()
        assert AuditEvent.objects.filter(action="referral.refused", outcome="denied").exists()

    def test_consent_covers_only_its_scope(self, janis, suspicion, marta, police):
        consent(janis, suspicion, scope="provider")
        with pytest.raises(services.DisclosureRefused):
            services.send_referrals(
                actor=actor_of(janis), suspicion=suspicion, provider=marta, police=police
            )
        assert not Referral.objects.exists()  # nothing half-sent

    def test_a_refusal_means_no_referral(self, janis, suspicion, marta):
        consent(janis, suspicion, decision="refused", scope="")
        with pytest.raises(services.DisclosureRefused):
            services.send_referrals(actor=actor_of(janis), suspicion=suspicion, provider=marta)

    def test_a_child_is_referred_by_law(self, janis, child, orphans_court, marta, police):
        suspicion = services.raise_suspicion(
            actor=actor_of(janis), person=child, reason="Bērns bez pavadības."
        )
        sent = services.send_referrals(
            actor=actor_of(janis), suspicion=suspicion, provider=marta, police=police
        )
        assert {r.legal_basis for r in sent} == {"law"}
        assert services.package_of(sent[0])["child_path"] is True
        assert set(
            Disclosure.objects.filter(to_organisation__in=[marta, police]).values_list(
                "legal_basis", flat=True
            )
        ) == {"law"}

    def test_recipients_must_be_of_the_right_kind(self, janis, suspicion, marta, police):
        consent(janis, suspicion)
        with pytest.raises(services.InvalidInput) as refused:
            services.send_referrals(
                actor=actor_of(janis), suspicion=suspicion, provider=police, police=marta
            )
        assert set(refused.value.errors) == {"provider", "police"}

    def test_a_track_already_open_is_not_sent_twice(self, janis, suspicion, marta, drosa_maja):
        consent(janis, suspicion)
        services.send_referrals(actor=actor_of(janis), suspicion=suspicion, provider=marta)
        with pytest.raises(services.InvalidInput) as refused:
            services.send_referrals(actor=actor_of(janis), suspicion=suspicion, provider=drosa_maja)
        assert "provider" in refused.value.errors


class TestWithdrawingConsent:
    def test_after_a_withdrawal_nothing_more_is_disclosed_and_the_refusals_are_logged(
        self, janis, liga, suspicion, marta, police
    ):
        from atpazit.exchange import services as exchange

        consent(janis, suspicion, scope="provider")
        referral = services.send_referrals(
            actor=actor_of(janis), suspicion=suspicion, provider=marta
        )[0]
        disclosures = Disclosure.objects.count()
        services.withdraw_consent(actor=actor_of(janis), suspicion=suspicion, note="Pārdomāja.")
        assert AuditEvent.objects.filter(action="consent.withdrawn").exists()
        with pytest.raises(services.DisclosureRefused):
            services.send_referrals(actor=actor_of(janis), suspicion=suspicion, police=police)
        assert AuditEvent.objects.filter(
            action="referral.refused", details__reason="consent_withdrawn"
        ).exists()
        with pytest.raises(exchange.DisclosureRefused):
            exchange.post_message(
                actor=actor_of(janis), referral=referral, body="Vēl dati par personu."
            )
        assert Disclosure.objects.count() == disclosures
        assert services.disclosure_refusal(referral).code == "consent_withdrawn"

    def test_the_open_track_is_noted_and_its_recipient_told(self, janis, liga, suspicion, marta):
        consent(janis, suspicion, scope="provider")
        referral = services.send_referrals(
            actor=actor_of(janis), suspicion=suspicion, provider=marta
        )[0]
        services.withdraw_consent(actor=actor_of(janis), suspicion=suspicion)
        assert AuditEvent.objects.filter(
            action="referral.consent_withdrawn", object_id=str(referral.pk)
        ).exists()
        assert Notification.objects.filter(kind="consent.withdrawn", recipient=liga).exists()
        referral.refresh_from_db()
        assert referral.status == "sent"  # noted, not ended

    def test_there_must_be_a_consent_to_withdraw(self, janis, suspicion):
        with pytest.raises(services.ServiceError):
            services.withdraw_consent(actor=actor_of(janis), suspicion=suspicion)


@pytest.mark.django_db(transaction=True)
def test_the_recipients_e_mails_carry_only_a_link(
    janis, person, marta, police, liga, maris, smtp_server, settings
):
    settings.ATPAZIT_BASE_URL = "https://atpazit.example.invalid"
    suspicion = services.raise_suspicion(
        actor=actor_of(janis), person=person, reason="Pase atņemta; parāds."
    )
    consent(janis, suspicion)
    services.send_referrals(
        actor=actor_of(janis), suspicion=suspicion, provider=marta, police=police
    )
    received = [
        m
        for m in smtp_server.messages
        if liga.email in m["X-Envelope-To"] or maris.email in m["X-Envelope-To"]
    ]
    assert len(received) == 2
    for message in smtp_server.messages:
        body = message.get_payload(decode=True).decode()
        for secret in (person.case_number, person.family_name, person.given_names, "Pase atņemta"):
            assert secret not in body
    assert any(
        "https://atpazit.example.invalid/referrals/" in m.get_payload(decode=True).decode()
        for m in received
    )
