"""R4 made real: "refer to the State Labour Inspectorate" sends the inspectorate a de-identified
notice, logged in the disclosure log, which its labour inspectors read in their inbox."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from atpazit.accounts.roles import OrganisationType
from atpazit.accounts.tests.factories import OrganisationFactory, actor_of
from atpazit.audit.models import AuditEvent, Disclosure
from atpazit.cases.tests.factories import PersonFactory
from atpazit.notifications.models import Notification, OutgoingEmail
from atpazit.referrals.models import LabourNotice
from atpazit.referrals.services.common import ANONYMOUS_PAYLOAD_KEYS
from atpazit.referrals.tests.factories import LabourNoticeFactory
from atpazit.screening import services as screening_services
from atpazit.screening.tests.factories import OpenSessionFactory
from tests.clock import riga_time

DECISION = "labour_inspectorate"


@pytest.fixture
def worker(riga):
    return PersonFactory(
        organisation=riga,
        given_names="Rustam",
        family_name="Nazarovs",
        nationality="TJ",
        detention_centre="daugavpils",
    )


def decide(screener, person, decision=DECISION):
    session = OpenSessionFactory(person=person, screener=screener, indicators=("EX-02",))
    return screening_services.record_decision(
        actor=actor_of(screener),
        session=session,
        decision=decision,
        reason="Alga nav izmaksāta trīs mēnešus; citu pazīmju nav.",
        version=session.version,
    )


class TestTheDecisionSendsANotice:
    def test_each_active_inspectorate_gets_one(self, vdi, janis, worker):
        OrganisationFactory(type=OrganisationType.LABOUR_INSPECTORATE, is_active=False)

        session = decide(janis, worker)

        notice = LabourNotice.objects.get()
        assert notice.to_organisation == vdi
        assert notice.screening == session
        assert notice.from_organisation == session.organisation

    def test_it_carries_exactly_the_anonymous_keys_and_no_identifier(self, vdi, janis, worker):
        decide(janis, worker)

        payload = LabourNotice.objects.get().payload
        # PostgreSQL's jsonb keeps keys in its own order: compare the set, and that none repeats.
        assert sorted(payload) == sorted(ANONYMOUS_PAYLOAD_KEYS)
        assert payload["indicators"] == ["EX-02"]
        assert payload["nationality"] == "TJ"
        # The region and the ISO week, never the centre or the day (issue 11 §6).
        assert payload["place"] == "latgale"
        assert "-W" in payload["date"]
        text = str(payload)
        for identifier in (worker.case_number, "Rustam", "Nazarovs"):
            assert identifier not in text

    def test_it_is_in_the_disclosure_log_with_its_legal_basis(self, vdi, janis, worker):
        decide(janis, worker)

        disclosure = Disclosure.objects.get(to_organisation=vdi)
        assert disclosure.legal_basis == Disclosure.LegalBasis.NONE_ANONYMOUS
        assert disclosure.from_organisation == worker.organisation
        assert sorted(disclosure.data_categories) == sorted(ANONYMOUS_PAYLOAD_KEYS)
        assert "labour" in disclosure.purpose

    def test_the_inspector_is_notified_without_a_case_number(self, vdi, laura, janis, worker):
        decide(janis, worker)

        notification = Notification.objects.get(recipient=laura)
        assert notification.kind == "labour_notice.received"
        assert notification.case_number == ""
        email = OutgoingEmail.objects.get(to=laura.email)
        assert worker.case_number not in email.body

    @pytest.mark.parametrize("decision", ["no_action", "rescreen_next_stage"])
    def test_other_decisions_send_nothing(self, vdi, janis, worker, decision):
        decide(janis, worker, decision)

        assert not LabourNotice.objects.exists()
        assert not Disclosure.objects.filter(to_organisation=vdi).exists()

    def test_without_an_inspectorate_the_decision_stands_and_the_gap_is_audited(
        self, janis, worker
    ):
        session = decide(janis, worker)

        session.refresh_from_db()
        assert session.decision == DECISION
        assert not LabourNotice.objects.exists()
        event = AuditEvent.objects.get(action="labour_notice.no_recipient")
        assert event.outcome == AuditEvent.Outcome.FAILURE


class TestTheInspectorsInbox:
    def test_the_inspector_reads_the_notices_of_their_inspectorate(self, vdi, laura, client_for):
        notice = LabourNoticeFactory(to_organisation=vdi)
        client = client_for(laura)

        listing = client.get(reverse("referrals:labour_notice_list"))
        detail = client.get(reverse("referrals:labour_notice_detail", args=[notice.pk]))

        assert listing.status_code == 200
        assert reverse("referrals:labour_notice_detail", args=[notice.pk]) in listing.text
        assert detail.status_code == 200
        assert "EX-01" in detail.text
        assert AuditEvent.objects.filter(action="labour_notice.viewed").exists()

    def test_the_page_names_nobody(self, vdi, laura, janis, worker, client_for):
        decide(janis, worker)
        notice = LabourNotice.objects.get()

        page = client_for(laura).get(reverse("referrals:labour_notice_detail", args=[notice.pk]))

        for identifier in (worker.case_number, "Rustam", "Nazarovs"):
            assert identifier not in page.text

    def test_another_inspectorates_notice_is_not_found(self, laura, client_for):
        elsewhere = LabourNoticeFactory()

        response = client_for(laura).get(
            reverse("referrals:labour_notice_detail", args=[elsewhere.pk])
        )

        assert response.status_code == 404

    def test_the_border_guard_cannot_open_the_inbox(self, vdi, janis, client_for):
        notice = LabourNoticeFactory(to_organisation=vdi)

        client = client_for(janis)

        assert client.get(reverse("referrals:labour_notice_list")).status_code == 403
        detail = client.get(reverse("referrals:labour_notice_detail", args=[notice.pk]))
        assert detail.status_code in (403, 404)

    def test_the_dashboard_shows_the_newest_notices(self, vdi, laura, client_for):
        notice = LabourNoticeFactory(to_organisation=vdi)

        page = client_for(laura).get(reverse("web:dashboard"))

        assert reverse("referrals:labour_notice_detail", args=[notice.pk]) in page.text


class TestTheInspectorReadsTheWeekOnly:
    """The minute a notice arrived would match the screener's record of one detainee."""

    def test_the_inbox_the_page_and_the_dashboard_show_the_week(self, vdi, laura, client_for):
        with time_machine.travel(riga_time(2026, 12, 2, 14, 37), tick=False):
            notice = LabourNoticeFactory(to_organisation=vdi)
        client = client_for(laura)

        pages = [
            client.get(reverse("referrals:labour_notice_list")).text,
            client.get(reverse("referrals:labour_notice_detail", args=[notice.pk])).text,
            client.get(reverse("web:dashboard")).text,
        ]

        for page in pages:
            assert "week 49 of 2026" in page
            assert "14:37" not in page
            assert "02/12/2026" not in page
