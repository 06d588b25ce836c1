"""Every disclosure between organisations is logged with its legal basis; the auditor reads it."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from atpazit.accounts.tests.factories import OrganisationFactory, member
from atpazit.audit.models import AuditEvent, Disclosure
from atpazit.audit.services import record_disclosure
from tests.clock import riga_time

pytestmark = pytest.mark.django_db


def test_a_disclosure_is_logged_and_audited():
    border_guard = OrganisationFactory(type="border_guard")
    provider = OrganisationFactory(type="service_provider")
    disclosure = record_disclosure(
        from_organisation=border_guard,
        to_organisation=provider,
        subject=provider,
        legal_basis="consent",
        purpose="referral for identification",
        data_categories=["identity", "indicators"],
        case_number="AT-2026-000001",
    )
    assert disclosure.subject == f"accounts.organisation:{provider.pk}"
    event = AuditEvent.objects.get(action="disclosure.recorded")
    assert event.details["legal_basis"] == "consent"


def test_the_system_wide_auditor_reads_the_disclosure_log_filtered_by_case(client_for):
    from atpazit.accounts.tests.factories import system_wide_auditor

    auditor = system_wide_auditor()
    a, b = OrganisationFactory(type="border_guard"), OrganisationFactory(type="police")
    for number in ("AT-2026-000001", "AT-2026-000002"):
        record_disclosure(
            from_organisation=a,
            to_organisation=b,
            subject=a,
            legal_basis="law",
            purpose="p",
            data_categories=["status"],
            case_number=number,
        )
    page = client_for(auditor).get(
        reverse("audit:disclosure_list"), {"case_number": "AT-2026-000002"}
    )
    assert [d.case_number for d in page.context["page"]] == ["AT-2026-000002"]
    assert AuditEvent.objects.filter(action="disclosures.viewed").exists()


@pytest.mark.parametrize(
    "role", ["bg_case_officer", "caseworker", "monitor", "national_coordinator"]
)
def test_no_one_but_the_auditor_reads_the_disclosure_log(role, client_for):
    assert client_for(member(role)).get(reverse("audit:disclosure_list")).status_code == 403
    assert Disclosure.objects.count() == 0


class TestTheRecipientsAuditorOfAnAnonymousDisclosure:
    """The police's auditor reads that the police received an anonymous notification, never
    whose case it came from: not the case number, not the screener, not the minute."""

    @pytest.fixture
    def received(self):
        border_guard = OrganisationFactory(type="border_guard")
        police = OrganisationFactory(type="police")
        with time_machine.travel(riga_time(2026, 12, 2, 14, 37), tick=False):
            record_disclosure(
                from_organisation=border_guard,
                to_organisation=police,
                subject=police,
                legal_basis="anonymous",
                purpose="anonymous notification of a possible victim",
                data_categories=["sex", "age_band"],
                case_number="AT-2026-000085",
                recorded_by=member("bg_case_officer", border_guard, username="screener-jb"),
            )
        return border_guard, police

    def test_the_recipient_s_auditor_reads_no_case_number(self, received, client_for):
        _sender, police = received

        page = (
            client_for(member("auditor", police, language="en"))
            .get(reverse("audit:disclosure_list"))
            .text
        )

        assert "week 49 of 2026" in page
        for secret in ("AT-2026-000085", "screener-jb", "14:37"):
            assert secret not in page

    def test_the_case_number_does_not_find_it_for_the_recipient(self, received, client_for):
        _sender, police = received

        page = client_for(member("auditor", police, language="en")).get(
            reverse("audit:disclosure_list"), {"case_number": "AT-2026-000085"}
        )

        assert list(page.context["page"]) == []

    def test_the_sender_s_auditor_reads_the_case_number(self, received, client_for):
        border_guard, _police = received

        page = client_for(member("auditor", border_guard, language="en")).get(
            reverse("audit:disclosure_list"), {"case_number": "AT-2026-000085"}
        )

        assert "AT-2026-000085" in page.text
        assert "screener-jb" in page.text
