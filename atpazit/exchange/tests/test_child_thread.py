"""The thread about a child between the orphan's court and the Border Guard (issue 11 §6).

Two sides only: the orphan's court named on the child's suspicion and the Border Guard unit that
raised it. Everyone else gets nothing — another court or unit 404, roles without the thread
permission 403 — and a court the case moved away from loses the thread. Messages and attachments
are the exchange's: checked, encrypted, downloaded only, disclosed by law, notified with the case
number only, audited with ids.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.roles import OrganisationType, Role
from atpazit.accounts.tests.factories import OrganisationFactory, actor_of, member
from atpazit.audit.models import AuditEvent, Disclosure
from atpazit.cases.tests.factories import ChildPersonFactory
from atpazit.exchange import child
from atpazit.exchange import services as exchange
from atpazit.exchange.models import Attachment, Message
from atpazit.notifications.models import Notification
from atpazit.referrals.tests.factories import ChildSuspicionFactory, child_suspicion_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def child_case(riga, orphans_court, janis):
    """Jānis (Riga) raised a suspicion about a 15-year-old; Gunta's court was given notice."""
    return child_suspicion_in(riga, raised_by=janis, orphans_court=orphans_court)


def post(user, suspicion, body="Bērnam iecelts pagaidu aizbildnis; lūdzu, sazinieties.", files=()):
    return child.post_child_message(
        actor=actor_of(user), suspicion=suspicion, body=body, files=list(files)
    )


def thread_page(client_for, user, suspicion):
    return client_for(user).get(reverse("exchange:child_thread", args=[suspicion.pk]))


class TestWhoReadsTheThread:
    @pytest.mark.parametrize("persona", ["gunta", "janis", "ilze"])
    def test_the_court_and_the_raising_unit_read_it(self, request, client_for, persona, child_case):
        post(request.getfixturevalue("gunta"), child_case, body="Ziņa no bāriņtiesas.")

        response = thread_page(client_for, request.getfixturevalue(persona), child_case)

        assert response.status_code == 200
        assert "Ziņa no bāriņtiesas." in response.content.decode()

    def test_another_court_and_another_unit_get_404(self, client_for, gunars, child_case):
        other_court = member(Role.CHILD_PROTECTION_OFFICER)
        for user in (other_court, gunars):
            assert thread_page(client_for, user, child_case).status_code == 404

    @pytest.mark.parametrize("persona", ["dace", "liga", "maris", "sanita", "olga", "rihards"])
    def test_the_ombudsman_providers_police_and_others_are_refused(
        self, request, client_for, persona, child_case
    ):
        user = request.getfixturevalue(persona)
        assert thread_page(client_for, user, child_case).status_code in (403, 404)
        with pytest.raises(exchange.NotAllowed):
            post(user, child_case)

    def test_a_court_the_case_moved_away_from_loses_the_thread(self, client_for, gunta, child_case):
        message = post(gunta, child_case, files=[SimpleUploadedFile("lemums.pdf", PDF)])
        child_case.orphans_court = OrganisationFactory(type=OrganisationType.ORPHANS_COURT)
        child_case.save()

        assert thread_page(client_for, gunta, child_case).status_code == 404
        download = reverse(
            "exchange:child_attachment_download", args=[message.attachments.get().pk]
        )
        assert client_for(gunta).get(download).status_code == 404
        with pytest.raises(exchange.NotAllowed):
            post(gunta, child_case)

    def test_when_the_ombudsman_raised_it_the_child_s_unit_is_the_border_guard_side(
        self, client_for, riga, ombudsman, dace, gunta, ilze, orphans_court
    ):
        suspicion = ChildSuspicionFactory(
            person=ChildPersonFactory(organisation=riga),
            raised_by=dace,
            raised_by_organisation=ombudsman,
            orphans_court=orphans_court,
        )
        post(gunta, suspicion)

        assert thread_page(client_for, ilze, suspicion).status_code == 200
        assert Disclosure.objects.get().to_organisation == riga
        assert thread_page(client_for, dace, suspicion).status_code == 403

    def test_an_adult_s_case_has_no_child_thread(self, client_for, janis, riga):
        from atpazit.referrals.tests.factories import SuspicionFactory

        adult = SuspicionFactory(raised_by=janis)
        assert thread_page(client_for, janis, adult).status_code == 404
        with pytest.raises(exchange.NotAllowed):
            post(janis, adult)


class TestPosting:
    def test_a_message_is_disclosed_by_law_and_notified_with_the_case_number_only(
        self, gunta, ilze, child_case, riga, orphans_court
    ):
        message = post(gunta, child_case)

        assert (message.suspicion, message.referral) == (child_case, None)
        disclosure = Disclosure.objects.get()
        assert (disclosure.from_organisation, disclosure.to_organisation) == (orphans_court, riga)
        assert (disclosure.legal_basis, disclosure.data_categories) == ("law", ["message"])
        notice = Notification.objects.get(recipient=ilze)
        assert notice.kind == "child_message.received"
        assert notice.case_number == child_case.person.case_number
        assert notice.link == reverse("exchange:child_thread", args=[child_case.pk])
        event = AuditEvent.objects.get(action="message.posted")
        assert event.details == {"suspicion": child_case.pk, "attachments": []}

    def test_the_border_guard_answers_and_the_court_is_told(self, janis, gunta, child_case):
        post(janis, child_case, body="Saņemts. Bērns atrodas Muceniekos.")

        assert Notification.objects.filter(recipient=gunta, kind="child_message.received").exists()

    def test_an_empty_message_and_a_dangerous_file_are_refused_and_nothing_is_saved(
        self, gunta, child_case
    ):
        with pytest.raises(exchange.InvalidInput) as refused:
            post(gunta, child_case, body=" ", files=[SimpleUploadedFile("x.html", HTML)])

        assert set(refused.value.errors) == {"body", "files"}
        assert not Message.objects.exists()

    def test_a_closed_case_keeps_its_thread_but_takes_no_more_messages(
        self, client_for, gunta, child_case
    ):
        post(gunta, child_case)
        child_case.closed_at = timezone.now()
        child_case.save()

        with pytest.raises(exchange.DisclosureRefused):
            post(gunta, child_case)
        assert AuditEvent.objects.get(action="message.refused").details == {
            "reason": "suspicion_closed"
        }
        page = thread_page(client_for, gunta, child_case).content.decode()
        assert "nothing more can be sent" in page
        assert Message.objects.count() == 1

    def test_the_court_posts_through_the_page(self, client_for, gunta, child_case):
        url = reverse("exchange:child_message_post", args=[child_case.pk])
        data = {"body": "Lēmums pielikumā.", "attachments": [SimpleUploadedFile("l.pdf", PDF)]}

        response = client_for(gunta).post(url, data)

        assert response.status_code == 302
        assert response.url == reverse("exchange:child_thread", args=[child_case.pk])
        assert Attachment.objects.get().message.suspicion == child_case

    def test_a_post_without_the_csrf_token_is_refused(self, client_for, gunta, child_case):
        client = client_for(gunta)
        client.handler.enforce_csrf_checks = True
        url = reverse("exchange:child_message_post", args=[child_case.pk])

        assert client.post(url, {"body": "Bez žetona."}).status_code == 403
        assert not Message.objects.exists()


class TestAttachments:
    def test_a_download_is_a_download_only_and_audited(self, client_for, gunta, janis, child_case):
        message = post(gunta, child_case, files=[SimpleUploadedFile("lemums.pdf", PDF)])
        attachment = message.attachments.get()

        response = client_for(janis).get(
            reverse("exchange:child_attachment_download", args=[attachment.pk])
        )

        assert response.status_code == 200
        assert response.content == PDF
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        event = AuditEvent.objects.get(action="attachment.downloaded")
        assert event.details == {"message": message.pk, "suspicion": child_case.pk}

    def test_the_two_kinds_of_thread_never_serve_each_other_s_attachments(
        self, client_for, gunta, janis, liga, maris, child_case
    ):
        from atpazit.exchange.tests.factories import exchange_case

        referral_case = exchange_case(janis=janis, liga=liga, maris=maris)
        on_referral = exchange.post_message(
            actor=actor_of(janis),
            referral=referral_case.provider_referral,
            body="Izziņa.",
            files=[SimpleUploadedFile("izzina.pdf", PDF)],
        ).attachments.get()
        on_child = post(
            gunta, child_case, files=[SimpleUploadedFile("l.pdf", PDF)]
        ).attachments.get()

        client = client_for(janis)  # a side of both threads
        assert (
            client.get(
                reverse("exchange:child_attachment_download", args=[on_referral.pk])
            ).status_code
            == 404
        )
        assert (
            client.get(reverse("exchange:attachment_download", args=[on_child.pk])).status_code
            == 404
        )


class TestWhereTheThreadIsReached:
    def test_the_child_page_and_the_suspicion_page_link_to_it_for_the_two_sides(
        self, client_for, gunta, janis, dace, child_case
    ):
        link = reverse("exchange:child_thread", args=[child_case.pk])
        court_page = client_for(gunta).get(reverse("referrals:child_detail", args=[child_case.pk]))
        unit_page = client_for(janis).get(
            reverse("referrals:suspicion_detail", args=[child_case.pk])
        )
        monitor_page = client_for(dace).get(
            reverse("referrals:suspicion_detail", args=[child_case.pk])
        )

        assert link in court_page.content.decode()
        assert link in unit_page.content.decode()
        assert monitor_page.status_code == 200
        assert link not in monitor_page.content.decode()

    def test_the_page_read_is_audited_with_counts_only(self, client_for, gunta, child_case):
        post(gunta, child_case)
        thread_page(client_for, gunta, child_case)

        event = AuditEvent.objects.get(action="thread.viewed")
        assert (event.object_type, event.object_id) == ("referrals.suspicion", str(child_case.pk))
        assert event.details == {"messages": 1, "page": "thread"}
