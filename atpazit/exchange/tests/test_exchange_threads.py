"""Who reads and writes a referral's thread (I6), what each message discloses, and when posting
stops: after an adult withdraws consent, or once a track has ended."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of, member
from atpazit.audit.models import AuditEvent, Disclosure
from atpazit.exchange import services as exchange
from atpazit.exchange.models import Message
from atpazit.exchange.tests.factories import exchange_case
from atpazit.notifications.models import Notification
from atpazit.referrals.models import Referral
from atpazit.referrals.tests.factories import (
    ConsentGivenFactory,
    ReferralFactory,
    SuspicionFactory,
    WithdrawnConsentFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def thread_url(referral: Referral) -> str:
    return reverse("exchange:thread", kwargs={"pk": referral.pk})


def post_url(referral: Referral) -> str:
    return reverse("exchange:message_post", kwargs={"pk": referral.pk})


def say(user, referral: Referral, body: str = "Vai varam tikties rīt?", files=()) -> Message:
    return exchange.post_message(actor=actor_of(user), referral=referral, body=body, files=files)


# --- who reads a thread ---------------------------------------------------------------------


def test_the_border_guard_reads_the_thread_of_its_own_referral(case, client_for):
    say(case.liga, case.provider_referral, "Pieņemts; intervija rīt.")
    page = client_for(case.janis).get(thread_url(case.provider_referral))
    assert page.status_code == 200
    assert "Pieņemts; intervija rīt." in page.content.decode()
    event = AuditEvent.objects.filter(action="thread.viewed").latest("sequence")
    assert event.object_id == str(case.provider_referral.pk)
    assert event.details == {"messages": 1, "page": "thread"}


def test_the_receiving_provider_reads_and_writes_its_thread(case, client_for):
    page = client_for(case.liga).get(thread_url(case.provider_referral))
    assert page.status_code == 200
    assert page.context["thread"].can_post


def test_provider_b_cannot_read_provider_a_thread(case, client_for, anna):
    message = say(case.janis, case.provider_referral, files=[SimpleUploadedFile("a.pdf", PDF)])
    client = client_for(anna)
    attachment = message.attachments.get()
    download = reverse("exchange:attachment_download", kwargs={"pk": attachment.pk})
    assert client.get(thread_url(case.provider_referral)).status_code == 404
    assert client.get(download).status_code == 404
    assert client.post(post_url(case.provider_referral), {"body": "x"}).status_code == 404
    assert Message.objects.count() == 1


def test_the_police_see_only_their_own_track_thread(case, client_for):
    client = client_for(case.maris)
    assert client.get(thread_url(case.police_referral)).status_code == 200
    assert client.get(thread_url(case.provider_referral)).status_code == 404
    visible = exchange.referrals_with_thread_visible_to(actor_of(case.maris))
    assert list(visible) == [case.police_referral]


def test_the_provider_does_not_see_the_police_track_thread(case, client_for):
    assert client_for(case.liga).get(thread_url(case.police_referral)).status_code == 404


def test_another_border_guard_unit_cannot_read_the_thread(case, client_for, gunars):
    assert client_for(gunars).get(thread_url(case.provider_referral)).status_code == 404


def test_the_ombudsman_reads_only_threads_of_referrals_its_office_made(case, client_for, dace):
    assert client_for(dace).get(thread_url(case.provider_referral)).status_code == 404
    own = ReferralFactory(
        suspicion=SuspicionFactory(
            raised_by=dace, raised_by_organisation=dace.memberships.get().organisation
        )
    )
    assert client_for(dace).get(thread_url(own)).status_code == 200


@pytest.mark.parametrize(
    "role", ["siva_officer", "child_protection_officer", "national_coordinator", "auditor"]
)
def test_roles_without_the_exchange_permission_are_refused(case, client_for, role):
    assert client_for(member(role)).get(thread_url(case.provider_referral)).status_code == 403


# --- what a message discloses -----------------------------------------------------------------


def test_each_message_is_a_disclosure_with_the_referral_legal_basis(case):
    message = say(case.janis, case.provider_referral, files=[SimpleUploadedFile("a.pdf", PDF)])
    disclosure = Disclosure.objects.get()
    assert disclosure.from_organisation == case.janis.memberships.get().organisation
    assert disclosure.to_organisation == case.provider_referral.to_organisation
    assert disclosure.subject == f"exchange.message:{message.pk}"
    assert disclosure.legal_basis == "consent"
    assert disclosure.purpose == "secure exchange"
    assert disclosure.data_categories == ["attachments", "message"]
    assert disclosure.case_number == case.provider_referral.suspicion.person.case_number
    assert disclosure.recorded_by == case.janis


def test_a_child_thread_discloses_on_the_law_without_consent(janis, liga, maris):
    child_case = exchange_case(janis=janis, liga=liga, maris=maris, child=True)
    assert not child_case.provider_referral.suspicion.consents.exists()
    say(child_case.liga, child_case.provider_referral)
    assert Disclosure.objects.get().legal_basis == "law"


def test_the_other_side_is_notified_in_app_and_the_author_side_is_not(case):
    say(case.liga, case.provider_referral)
    notification = Notification.objects.get()
    assert notification.recipient == case.janis
    assert notification.kind == "message.received"
    assert notification.link == thread_url(case.provider_referral)


def test_posting_is_audited_with_ids_only(case):
    message = say(case.janis, case.provider_referral, "Dilshod Rahimov stāsta par parādu.")
    event = AuditEvent.objects.get(action="message.posted")
    assert event.object_id == str(message.pk)
    assert event.details == {"referral": case.provider_referral.pk, "attachments": []}
    assert "Rahimov" not in str(event.details)


def test_an_empty_message_is_refused_by_name(case):
    with pytest.raises(exchange.InvalidInput) as refused:
        say(case.janis, case.provider_referral, "   ")
    assert refused.value.errors == {"body": ["Write a message."]}


# --- when posting stops -----------------------------------------------------------------------


def test_withdrawing_consent_stops_every_further_message(case, client_for):
    suspicion = case.provider_referral.suspicion
    suspicion.consents.all().delete()
    WithdrawnConsentFactory(suspicion=suspicion)
    for user, referral in (
        (case.janis, case.provider_referral),
        (case.liga, case.provider_referral),
    ):
        with pytest.raises(exchange.DisclosureRefused, match="withdrew their consent") as refused:
            say(user, referral)
        assert refused.value.code == "consent_withdrawn"
    assert Message.objects.count() == 0
    assert Disclosure.objects.count() == 0
    refusals = AuditEvent.objects.filter(action="message.refused", outcome="denied")
    assert [event.details for event in refusals] == [{"reason": "consent_withdrawn"}] * 2


def test_after_withdrawal_the_thread_stays_readable_without_a_form(case, client_for):
    say(case.liga, case.provider_referral, "Pirms atsaukuma.")
    case.provider_referral.suspicion.consents.update(withdrawn_at=timezone.now())
    page = client_for(case.liga).get(thread_url(case.provider_referral))
    html = page.content.decode()
    assert "Pirms atsaukuma." in html
    assert "withdrew their consent" in html
    assert not page.context["thread"].can_post
    refused = client_for(case.liga).post(post_url(case.provider_referral), {"body": "Vēl kas."})
    assert "withdrew their consent" in refused.content.decode()
    assert Message.objects.count() == 1


def test_new_consent_after_a_withdrawal_opens_the_thread_again(case):
    suspicion = case.provider_referral.suspicion
    suspicion.consents.update(withdrawn_at=timezone.now())
    ConsentGivenFactory(suspicion=suspicion)
    assert say(case.janis, case.provider_referral).pk


def test_consent_for_the_provider_only_does_not_open_the_police_thread(case):
    suspicion = case.police_referral.suspicion
    suspicion.consents.all().delete()
    ConsentGivenFactory(suspicion=suspicion, scope="provider")
    assert say(case.janis, case.provider_referral).pk
    with pytest.raises(exchange.DisclosureRefused) as refused:
        say(case.maris, case.police_referral)
    assert refused.value.code == "no_consent"


@pytest.mark.parametrize("status", ["declined", "expired", "withdrawn", "not_recognised"])
def test_a_track_that_ended_is_read_only(case, status):
    Referral.objects.filter(pk=case.provider_referral.pk).update(status=status)
    with pytest.raises(exchange.DisclosureRefused, match="This track has ended") as refused:
        say(case.liga, case.provider_referral)
    assert refused.value.code == "track_ended"


@pytest.mark.parametrize("status", ["sent", "accepted", "assessing", "recognised"])
def test_an_open_or_recognised_track_takes_messages(case, status):
    Referral.objects.filter(pk=case.provider_referral.pk).update(status=status)
    assert say(case.liga, case.provider_referral).pk


def test_a_closed_case_is_read_only(case):
    case.provider_referral.suspicion.__class__.objects.filter(
        pk=case.provider_referral.suspicion_id
    ).update(closed_at=timezone.now(), closure_reason="not_a_victim")
    with pytest.raises(exchange.DisclosureRefused) as refused:
        say(case.janis, case.provider_referral)
    assert refused.value.code == "suspicion_closed"


def test_an_organisation_outside_the_referral_cannot_post_even_through_the_service(case, anna):
    with pytest.raises(exchange.NotAllowed):
        say(anna, case.provider_referral)


# --- the page: with and without JavaScript ----------------------------------------------------


def test_without_javascript_a_post_redirects_back_to_the_page_it_came_from(case, client_for):
    response = client_for(case.janis).post(
        post_url(case.provider_referral), {"body": "Labdien!", "next": "/cases/"}
    )
    assert response.status_code == 302
    assert response.url == "/cases/"


def test_a_foreign_next_address_is_ignored(case, client_for):
    response = client_for(case.janis).post(
        post_url(case.provider_referral), {"body": "Labdien!", "next": "https://evil.example/"}
    )
    assert response.url == thread_url(case.provider_referral)


def test_with_htmx_only_the_panel_comes_back(case, client_for):
    response = client_for(case.janis).post(
        post_url(case.provider_referral), {"body": "Labdien!"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="thread-{case.provider_referral.pk}"' in html
    assert "The message is sent." in html
    assert "Labdien!" in html


def test_with_htmx_a_refusal_comes_back_in_the_panel(case, client_for):
    response = client_for(case.janis).post(
        post_url(case.provider_referral), {"body": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert "Write a message." in response.content.decode()


def test_the_panel_tells_who_reads_the_thread(case, client_for):
    html = client_for(case.liga).get(thread_url(case.provider_referral)).content.decode()
    assert "Read by: VRS Rīgas pārvalde (tests), Centrs MARTA (tests)." in html
    assert "counselling and commission notes do not belong here" in html


def test_the_child_path_is_marked_on_the_thread_page(client_for, janis, liga, maris):
    child_case = exchange_case(janis=janis, liga=liga, maris=maris, child=True)
    html = (
        client_for(child_case.liga).get(thread_url(child_case.provider_referral)).content.decode()
    )
    assert "Child-protection path" in html


# --- e-mails carry no personal data -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_email_for_a_new_message_carries_no_personal_data(smtp_server, settings, case):
    settings.ATPAZIT_BASE_URL = "https://atpazit.example.invalid"
    for user in (case.janis, case.liga):  # the e-mail in Latvian, as people read it
        user.language = "lv"
        user.save(update_fields=["language"])
    person = case.provider_referral.suspicion.person
    say(
        case.janis,
        case.provider_referral,
        "Dilshod Rahimov stāsta par parādu darba devējam.",
        files=[SimpleUploadedFile("Rahimov-izzina.pdf", PDF)],
    )
    assert smtp_server.messages, "the provider was not told by e-mail"
    recipients = {message["X-Envelope-To"] for message in smtp_server.messages}
    assert case.liga.email in recipients
    assert case.janis.email not in recipients  # the author's side is not told of its own message
    for email in smtp_server.messages:
        text = str(email["Subject"]) + email.get_payload(decode=True).decode()
        assert f"https://atpazit.example.invalid{thread_url(case.provider_referral)}" in text
        for secret in ("Dilshod", "Rahimov", "parādu", person.case_number, "izzina", "Jānis"):
            assert secret not in text


def test_the_referral_page_embeds_the_thread_for_both_sides(case, client_for):
    say(case.janis, case.provider_referral, "Intervija Muceniekos rīt plkst. 10.")
    url = reverse("referrals:referral_detail", kwargs={"pk": case.provider_referral.pk})
    for user in (case.liga, case.janis):
        page = client_for(user).get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert f'id="thread-{case.provider_referral.pk}"' in html
        assert "Intervija Muceniekos rīt plkst. 10." in html
        assert f'name="next" value="{url}"' in html  # without JavaScript, back to this page


def test_the_demo_conversation_loads_once_through_the_service():
    from django.core.management import call_command

    from atpazit.exchange import demo

    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123 - quiet loaders
    messages = Message.objects.filter(referral__isnull=False)
    assert messages.count() == 2
    assert messages.last().attachments.get().content_type == "application/pdf"
    assert Disclosure.objects.filter(purpose="secure exchange").count() == 2
    about_the_child = Message.objects.get(suspicion__isnull=False)
    assert about_the_child.author_organisation.type == "orphans_court"
    assert demo.load() == [
        "exchange: the demo thread is already there",
        "exchange: the demo child's thread is already there",
    ]
    assert Message.objects.count() == 3
