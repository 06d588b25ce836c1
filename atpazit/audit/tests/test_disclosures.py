"""Every disclosure between organisations is logged with its legal basis; the auditor reads it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.accounts.tests.factories import OrganisationFactory, member
from atpazit.audit.models import AuditEvent, Disclosure
from atpazit.audit.services import record_disclosure

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
