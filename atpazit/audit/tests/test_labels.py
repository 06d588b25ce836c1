"""The auditor reads the disclosure log and the audit trail in words, in their language: who
disclosed to whom (never "Date from / Date to"), why, what kinds of data, about what object."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.accounts.tests.factories import OrganisationFactory, system_wide_auditor
from atpazit.audit.labels import DATA_CATEGORIES, OBJECT_TYPES, PURPOSES
from atpazit.audit.services import log_event, record_disclosure

pytestmark = pytest.mark.django_db

# The purposes the services record (referrals, reflection, aftercare, exchange, labour notices):
# `grep -rn "purpose=" atpazit` and the calls of reflection's _tell_involved, aftercare's _tell_*.
PURPOSES_WRITTEN = {
    "removal hold on a suspicion of trafficking",
    "identification outcome for the removal hold",
    "child protection: guardian and best interests",
    "referral for identification (provider track)",
    "referral for identification (police track)",
    "anonymous notification of a possible victim",
    "de-identified notice of possible labour exploitation (R4)",
    "secure exchange",
    "residence permit track",
    "return decision after identification",
    "decision on state-funded social rehabilitation (Cabinet Regulation No. 344)",
    "SIVA's service decision, to the provider that asked",
    "reflection period granted: no removal while it runs",
    "reflection period ended early",
    "state-funded social rehabilitation: start",
    "state-funded social rehabilitation: end",
    "de-identified case-level statistics (HTCDS export)",
}


def test_every_purpose_and_category_the_services_write_has_a_label():
    from atpazit.aftercare.common import SIVA_CATEGORIES
    from atpazit.referrals.labour import PURPOSE as LABOUR_PURPOSE
    from atpazit.referrals.services import PACKAGE_CATEGORIES
    from atpazit.referrals.services.common import ANONYMOUS_PAYLOAD_KEYS
    from atpazit.referrals.services.suspicion import CHILD_NOTICE_CATEGORIES
    from atpazit.stats.htcds import DISCLOSED_CATEGORIES

    categories = {
        *(key for track in PACKAGE_CATEGORIES.values() for key in track),
        *ANONYMOUS_PAYLOAD_KEYS,
        *CHILD_NOTICE_CATEGORIES,
        *SIVA_CATEGORIES,
        "identification_outcome",
        "residence_or_return_decision",
        "service_decision",
        "message",
        "attachments",
        "reflection_period",
        "rehabilitation_dates",
        *DISCLOSED_CATEGORIES,
    }
    assert categories - set(DATA_CATEGORIES) == set()
    assert (PURPOSES_WRITTEN | {LABOUR_PURPOSE}) - set(PURPOSES) == set()


def test_every_model_has_an_object_label():
    from django.apps import apps

    ours = {
        model._meta.label_lower
        for model in apps.get_models()
        if model.__module__.startswith("atpazit.")
        and model._meta.model_name
        not in {
            "chainhead",
            "casenumbercounter",
            "personrevision",
            "personnametoken",
            "identitykey",
            "personstatuschange",
            "operationstatuschange",
            "outgoingemail",
            "referraltransition",
        }
    }
    assert ours - set(OBJECT_TYPES) == set()


@pytest.fixture
def auditor():
    return system_wide_auditor(language="lv")


@pytest.fixture
def a_disclosure():
    border_guard = OrganisationFactory(type="border_guard", name="VRS Rīgas pārvalde")
    provider = OrganisationFactory(type="service_provider", name="Centrs MARTA")
    return record_disclosure(
        from_organisation=border_guard,
        to_organisation=provider,
        subject=provider,
        legal_basis="consent",
        purpose="referral for identification (provider track)",
        data_categories=["reference", "identity", "removal_date"],
        case_number="AT-2026-000085",
    )


def _page(client, url: str) -> str:
    return client.get(url).content.decode()


class TestTheDisclosureLog:
    def test_in_latvian_the_columns_say_who_disclosed_to_whom_why_and_what(
        self, auditor, a_disclosure, client_for
    ):
        html = _page(client_for(auditor), reverse("audit:disclosure_list"))
        assert "Izpauda" in html
        assert "Saņēma" in html
        assert "Datums no" not in html
        assert "Datums līdz" not in html
        assert "nosūtījums identificēšanai (pakalpojuma sniedzēja ceļš)" in html
        assert "referral for identification" not in html
        assert "plānotais izraidīšanas datums" in html
        assert "removal_date" not in html

    def test_in_russian_too(self, auditor, a_disclosure, client_for):
        auditor.language = "ru"
        auditor.save()
        html = _page(client_for(auditor), reverse("audit:disclosure_list"))
        assert "Кто раскрыл" in html
        assert "Кому раскрыто" in html
        assert "Дата с" not in html
        assert "Дата по" not in html
        assert "направление на идентификацию (путь поставщика услуг)" in html

    def test_an_old_free_text_purpose_is_still_shown_as_written(self, auditor, client_for):
        a, b = OrganisationFactory(type="border_guard"), OrganisationFactory(type="police")
        record_disclosure(
            from_organisation=a,
            to_organisation=b,
            subject=a,
            legal_basis="law",
            purpose="a purpose written before the labels",
            data_categories=["status"],
        )
        html = _page(client_for(auditor), reverse("audit:disclosure_list"))
        assert "a purpose written before the labels" in html


def test_the_audit_trail_names_the_object_in_words(auditor, client_for):
    log_event("person.viewed", object_type="cases.person", object_id=17)
    html = _page(client_for(auditor), reverse("audit:event_list"))
    assert "persona (atgriešanas lieta), nr. 17" in html
    assert "cases.person 17" not in html
    # The date filter keeps its own words.
    assert "Datums no" in html
