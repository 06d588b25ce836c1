"""An adult who refuses referral: an anonymous notification with no identifier, and support
still offered (I5). Checked in the stored payload, the page the recipient sees, and the e-mail a
real SMTP server receives."""

from __future__ import annotations

import datetime as dt
import html
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import AuditEvent, Disclosure
from atpazit.notifications.models import Notification
from atpazit.referrals import services
from atpazit.referrals.models import AnonymousNotification
from tests.clock import riga_time

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
        assert notification.payload["place"] == "latgale"
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


# --- issue 11 §6: coarse place and week, indicator texts, sent once, pre-filled --------------


def test_the_place_is_only_the_region_and_the_date_only_the_week(
    janis, refused, police, marta, maris, client_for
):
    raised_on = timezone.localtime(refused.raised_at).date()
    year, week, _day = raised_on.isocalendar()
    send(janis, refused, police, marta)

    notification = AnonymousNotification.objects.get(to_organisation=police)
    assert notification.payload["place"] == "latgale"
    assert notification.payload["date"] == f"{year}-W{week:02d}"
    page = (
        client_for(maris)
        .get(reverse("referrals:anonymous_detail", args=[notification.pk]))
        .content.decode()
    )
    assert "Latgale" in page
    assert f"week {week} of {year}" in page
    exact = [raised_on.isoformat(), "daugavpils", "Daugavpils"]
    stored = json.dumps(notification.payload, ensure_ascii=False)
    events = json.dumps(
        list(AuditEvent.objects.values_list("details", flat=True)), ensure_ascii=False
    )
    disclosures = json.dumps(
        list(Disclosure.objects.values("purpose", "data_categories", "legal_basis")),
        ensure_ascii=False,
    )
    for value in exact:
        assert value not in stored
        assert value not in page
        assert value not in events
        assert value not in disclosures


def test_the_police_read_the_indicator_texts_in_their_language(
    janis, refused, police, marta, maris, client_for
):
    from atpazit.screening.catalogue import latest_catalogue

    maris.language = "ru"
    maris.save(update_fields=["language"])
    send(janis, refused, police, marta)
    notification = AnonymousNotification.objects.get(to_organisation=police)

    page = (
        client_for(maris)
        .get(reverse("referrals:anonymous_detail", args=[notification.pk]))
        .content.decode()
    )

    for code in ("DR-01", "DR-02"):
        text = latest_catalogue().indicator(code).text.in_language("ru")
        assert f"{code}: {text}" in html.unescape(page)


def test_it_is_sent_once_and_the_page_then_says_sent(janis, refused, police, marta, client_for):
    send(janis, refused, police, marta)

    with pytest.raises(services.ServiceError, match="already been sent"):
        send(janis, refused, police, marta)

    assert AnonymousNotification.objects.count() == 2
    page = client_for(janis).get(reverse("referrals:suspicion_detail", args=[refused.pk]))
    text = page.content.decode()
    assert 'id="anonymous-sent"' in text
    assert reverse("referrals:anonymous_send", args=[refused.pk]) not in text


def test_a_second_post_of_the_form_is_refused_on_the_form(
    janis, refused, police, marta, client_for
):
    send(janis, refused, police, marta)

    response = client_for(janis).post(
        reverse("referrals:anonymous_send", args=[refused.pk]),
        {
            "police": police.pk,
            "provider": marta.pk,
            "indicator_codes": ["DR-01"],
            "support_offered_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 200
    assert "already been sent" in response.content.decode()
    assert AnonymousNotification.objects.count() == 2


def test_the_form_starts_with_the_indicators_of_the_screening(janis, refused, client_for):
    from atpazit.screening.tests.factories import DecidedSessionFactory

    behind = DecidedSessionFactory(person=refused.person, indicators=("DR-01", "DR-03"))
    DecidedSessionFactory(person=refused.person, indicators=("EX-01",))  # a later one
    refused.source_reference = f"screening:{behind.pk}"
    refused.save(update_fields=["source_reference"])

    form = (
        client_for(janis)
        .get(reverse("referrals:anonymous_send", args=[refused.pk]))
        .context["form"]
    )

    assert sorted(form.initial["indicator_codes"]) == ["DR-01", "DR-03"]


def test_without_a_screening_behind_it_the_latest_decided_one_is_used(janis, refused, client_for):
    from atpazit.screening.tests.factories import DecidedSessionFactory, OpenSessionFactory

    DecidedSessionFactory(person=refused.person, indicators=("DR-02",))
    OpenSessionFactory(person=refused.person, indicators=("EX-01",))  # not decided: ignored

    form = (
        client_for(janis)
        .get(reverse("referrals:anonymous_send", args=[refused.pk]))
        .context["form"]
    )

    assert form.initial["indicator_codes"] == ["DR-02"]


def test_notifications_sent_before_are_coarsened_by_the_migration():
    import importlib

    migration = importlib.import_module(
        "atpazit.referrals.migrations.0007_coarsen_anonymous_payloads"
    )
    old = {"place": "mucenieki", "date": "2026-12-31", "sex": "male", "indicators": ["DR-01"]}

    coarse = migration._coarse(old)

    assert coarse == {
        "place": "pieriga",
        "date": "2026-W53",
        "sex": "male",
        "indicators": ["DR-01"],
    }
    assert migration._coarse(coarse) == coarse
    assert migration._coarse({"place": "other", "date": "?"})["place"] == "unknown"


# --- the recipient reads the week it was sent, never the day or the minute ------------------


SENT_AT = (2026, 12, 2, 14, 37)  # a Wednesday in ISO week 49


def shows_only_the_week(page: str) -> bool:
    return "week 49 of 2026" in page and "14:37" not in page and "02/12/2026" not in page


def test_the_recipient_reads_the_week_it_was_sent_and_not_the_minute(
    janis, refused, police, marta, maris, client_for
):
    with time_machine.travel(riga_time(*SENT_AT), tick=False):
        send(janis, refused, police, marta)
    notification = AnonymousNotification.objects.get(to_organisation=police)
    client = client_for(maris)

    detail = client.get(reverse("referrals:anonymous_detail", args=[notification.pk])).text
    listing = client.get(reverse("referrals:anonymous_list")).text
    inbox = client.get(reverse("notifications:inbox")).text
    dashboard = client.get(reverse("web:dashboard")).text

    assert shows_only_the_week(detail)
    assert shows_only_the_week(listing)
    assert shows_only_the_week(inbox)
    assert "14:37" not in dashboard


def test_the_sender_still_reads_the_minute_it_was_sent(janis, refused, police, marta, client_for):
    with time_machine.travel(riga_time(*SENT_AT), tick=False):
        send(janis, refused, police, marta)

    page = client_for(janis).get(reverse("referrals:suspicion_detail", args=[refused.pk])).text

    assert "14:37" in page
