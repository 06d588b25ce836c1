"""An adult who refuses referral: an anonymous notification with no identifier, and support
still offered (I5). Checked in the stored payload, the page the recipient sees, and the e-mail a
real SMTP server receives."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import Disclosure
from atpazit.notifications.models import Notification
from atpazit.referrals import services
from atpazit.referrals.models import AnonymousNotification

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused(janis, riga):
    from atpazit.cases.tests.factories import PersonFactory

    person = PersonFactory(
        organisation=riga,
        given_names="Rustam",
        family_name="Nazarov",
        aliases="Rustamjon",
        date_of_birth="1991-04-17",
        birth_year=1991,
        detention_centre="daugavpils",
        contact_details="+371 20000000",
    )
    suspicion = services.raise_suspicion(
        actor=actor_of(janis), person=person, reason="Parāds vervētājam."
    )
    services.record_consent(
        actor=actor_of(janis),
        suspicion=suspicion,
        decision="refused",
        language="ru",
        explained_on=timezone.localdate(),
    )
    return suspicion


def send(user, suspicion, police, provider, **overrides):
    values = {"indicator_codes": ["DR-01", "DR-02"], "support_offered_on": timezone.localdate()}
    return services.send_anonymous_notification(
        actor=actor_of(user),
        suspicion=suspicion,
        police=police,
        provider=provider,
        **(values | overrides),
    )


def identifiers(suspicion) -> list[str]:
    person = suspicion.person
    return [
        person.case_number,
        person.given_names,
        person.family_name,
        "Rustamjon",
        person.date_of_birth,
        "1991",
        "+371",
        suspicion.reason,
        f"/suspicions/{suspicion.pk}/",
    ]


def test_the_payload_is_exactly_sex_age_band_nationality_indicators_place_and_date(
    janis, refused, police, marta
):
    sent = send(janis, refused, police, marta)
    assert {n.to_organisation for n in sent} == {police, marta}
    for notification in AnonymousNotification.objects.all():
        assert sorted(notification.payload) == sorted(services.ANONYMOUS_PAYLOAD_KEYS)
        assert notification.payload["indicators"] == ["DR-01", "DR-02"]
        assert notification.payload["place"] == "daugavpils"
        assert notification.payload["age_band"] in ("30-38", "27-29")
        stored = json.dumps(notification.payload, ensure_ascii=False)
        for identifier in identifiers(refused):
            assert identifier not in stored


def test_the_disclosure_is_logged_as_anonymous_and_support_is_still_offered(
    janis, refused, police, marta
):
    send(janis, refused, police, marta)
    assert set(
        Disclosure.objects.filter(to_organisation__in=[police, marta]).values_list(
            "legal_basis", flat=True
        )
    ) == {"anonymous"}
    refused.refresh_from_db()
    assert (refused.support_offered_on, refused.support_offered_by) == (timezone.localdate(), janis)


def test_the_recipients_notification_carries_no_case_number(
    janis, refused, police, marta, maris, liga
):
    send(janis, refused, police, marta)
    notices = Notification.objects.filter(kind="notification.anonymous")
    assert {n.recipient_id for n in notices} == {maris.pk, liga.pk}
    assert all(n.case_number == "" for n in notices)


def test_the_recipient_s_page_shows_the_payload_and_no_identifier(
    janis, refused, police, marta, maris, client_for
):
    send(janis, refused, police, marta)
    notification = AnonymousNotification.objects.get(to_organisation=police)
    page = (
        client_for(maris)
        .get(reverse("referrals:anonymous_detail", args=[notification.pk]))
        .content.decode()
    )
    assert "DR-01" in page
    for identifier in identifiers(refused):
        assert identifier not in page
    other = AnonymousNotification.objects.get(to_organisation=marta)
    assert (
        client_for(maris).get(reverse("referrals:anonymous_detail", args=[other.pk])).status_code
        == 404
    )


def test_it_is_only_for_an_adult_who_refused(janis, person, police, marta):
    suspicion = services.raise_suspicion(
        actor=actor_of(janis), person=person, reason="Pase atņemta."
    )
    with pytest.raises(services.ServiceError):
        send(janis, suspicion, police, marta)
    assert not AnonymousNotification.objects.exists()


def test_both_the_police_and_a_provider_are_told_and_bad_input_is_named(
    janis, refused, police, marta
):
    with pytest.raises(services.InvalidInput) as refused_input:
        send(janis, refused, None, police, indicator_codes=["XX-99"], support_offered_on=None)
    assert set(refused_input.value.errors) == {
        "police",
        "provider",
        "indicator_codes",
        "support_offered_on",
    }
    assert not AnonymousNotification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_e_mail_has_no_identifier_and_no_case_number(
    janis, refused, police, marta, maris, smtp_server, settings
):
    settings.ATPAZIT_BASE_URL = "https://atpazit.example.invalid"
    send(
        janis,
        refused,
        police,
        marta,
        support_offered_on=timezone.localdate() - dt.timedelta(days=1),
    )
    to_police = [m for m in smtp_server.messages if maris.email in m["X-Envelope-To"]]
    assert to_police
    for message in smtp_server.messages:
        text = str(message["Subject"]) + message.get_payload(decode=True).decode()
        for identifier in identifiers(refused):
            assert identifier not in text
        assert "/referrals/anonymous/" in text
