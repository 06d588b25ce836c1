"""The de-identified case-level export (HTCDS-aligned JSON): what leaves, what never leaves,
how small groups are generalised, that it streams, who may download it, and that every
download is audited and logged as a disclosure (docs/htcds-export.md, ADR 0023)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from atpazit.accounts.tests.factories import OrganisationFactory, actor_of, member
from atpazit.aftercare.models import Rehabilitation, ServiceDecision
from atpazit.audit.models import AuditEvent, Disclosure
from atpazit.cases.tests.factories import PersonFactory
from atpazit.referrals.models import Referral, Suspicion
from atpazit.referrals.tests.factories import (
    ChildSuspicionFactory,
    ConsentGivenFactory,
    RecognisedReferralFactory,
    SuspicionFactory,
)
from atpazit.screening.tests.factories import SuspicionRaisedSessionFactory
from atpazit.stats import htcds
from atpazit.stats.htcds import WITHHELD, Key, plan_levels

pytestmark = pytest.mark.django_db

YEAR = 2025
URL = reverse("stats:htcds_export")


def raised(suspicion: Suspicion, on: dt.date) -> Suspicion:
    """Move the suspicion (and its hold) to a day of the past."""
    moment = dt.datetime.combine(on, dt.time(11, 30), tzinfo=timezone.get_current_timezone())
    Suspicion.objects.filter(pk=suspicion.pk).update(raised_at=moment)
    suspicion.hold.__class__.objects.filter(pk=suspicion.hold_id).update(started_at=moment)
    suspicion.refresh_from_db()
    return suspicion


def suspicions(count: int, on: dt.date = dt.date(YEAR, 3, 14), **person: Any) -> list[Suspicion]:
    return [raised(SuspicionFactory(person=PersonFactory(**person)), on) for _ in range(count)]


def download(client: Any, year: int = YEAR) -> tuple[StreamingHttpResponse, bytes]:
    response = client.post(URL, {"year": year})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return response, b"".join(response.streaming_content)


def records_of(body: bytes) -> list[dict[str, Any]]:
    return json.loads(body)["records"]


@pytest.fixture
def coordinator():
    return member("national_coordinator")


@pytest.fixture
def k1(settings):
    """No class is small: every record is shown at full detail."""
    settings.ATPAZIT_STATS_MIN_CELL = 1


class TestWhatNeverLeaves:
    def test_no_name_document_number_birth_date_case_number_or_free_text_is_in_the_bytes(
        self, coordinator, client_for, k1
    ):
        person = PersonFactory(
            given_names="Zarina",
            family_name="Tursunbekova",
            aliases="Zara Tursun",
            document_numbers="FA7731942",
            date_of_birth="1999-04-17",
            birth_year=None,
            contact_details="+371 29 555 123",
            nationality="KG",
            sex="female",
        )
        suspicion = raised(
            SuspicionFactory(person=person, reason="Pasi paturēja darba devējs Jūrmalā."),
            dt.date(YEAR, 6, 3),
        )
        _response, body = download(client_for(coordinator))
        text = body.decode()

        for identifier in (
            "Zarina",
            "Tursunbekova",
            "Zara",
            "FA7731942",
            "1999-04-17",
            "1999-04",
            "1999",
            "29 555",
            person.case_number,
            "Jūrmal",
            "Pasi",
            f"{YEAR}-06-03",
        ):
            assert identifier not in text, identifier
        (record,) = records_of(body)
        assert record["recordId"] not in {str(suspicion.pk), str(person.pk)}
        assert set(record) == set(htcds.HtcdsRecord.model_fields)

    def test_the_record_id_is_new_in_every_export(self, coordinator, client_for, k1):
        suspicions(1)
        client = client_for(coordinator)
        first = records_of(download(client)[1])[0]["recordId"]
        second = records_of(download(client)[1])[0]["recordId"]
        assert first != second


class TestWhatLeavesCoarsened:
    def test_age_band_at_the_time_dates_as_year_and_month_nationality_as_alpha_3(
        self, coordinator, client_for, k1
    ):
        # 17 when the suspicion was raised in March 2025 (18 by the time of the export).
        person = PersonFactory(date_of_birth="2007-05-01", birth_year=None, nationality="UZ")
        suspicion = raised(
            ChildSuspicionFactory(person=person, raised_by_organisation=person.organisation),
            dt.date(YEAR, 3, 14),
        )
        session = SuspicionRaisedSessionFactory(person=person)
        session.__class__.objects.filter(pk=session.pk).update(started_at=suspicion.raised_at)
        referral = RecognisedReferralFactory(suspicion=suspicion)
        Referral.objects.filter(pk=referral.pk).update(sent_at=suspicion.raised_at)

        (record,) = records_of(download(client_for(coordinator))[1])

        assert record["ageBroad"] == "9-17"
        assert record["majorityStatus"] == "Minor"
        assert record["cas_IncomingReferralDate"] == f"{YEAR}-03"
        assert record["cas_OutgoingReferralDate"] == f"{YEAR}-03"
        assert record["yearOfRegistration"] == YEAR
        assert record["prs_Nationality"] == "UZB"
        assert record["citizenship"] == "non_eu"
        assert record["prs_Gender"] == "Male"
        assert record["cas_ReferringOrganisation"] == "ImmigrationService"
        assert record["vic_TypeOfExploitation"] == ["ForcedLabour"]
        assert record["isForcedLabour"] is True
        assert record["eurostatForm"] == ["labour"]
        assert record["atp_IndicatorsObserved"] == ["DR-01"]
        assert record["vic_MethodsOfControl"] == ["FalsePromises"]
        assert record["atp_IdentificationStatus"] == "identified"
        assert record["atp_IdentificationRoutes"] == ["provider"]
        assert record["atp_Referrals"] == [{"track": "provider", "outcome": "recognised"}]
        assert record["atp_ConsentToReferral"] == "not_required"
        assert record["atp_HoldActive"] is True
        assert record["atp_Generalisation"] == 0

    def test_assistance_and_a_closed_case(self, coordinator, client_for, k1):
        (suspicion,) = suspicions(1)
        ConsentGivenFactory(suspicion=suspicion)
        ServiceDecision.objects.create(
            suspicion=suspicion,
            decision="assigned",
            decided_on=dt.date(YEAR, 4, 1),
            decided_by=suspicion.raised_by,
        )
        Rehabilitation.objects.create(
            suspicion=suspicion,
            provider=OrganisationFactory(type="service_provider"),
            started_on=dt.date(YEAR, 4, 2),
        )
        released = suspicion.raised_at + dt.timedelta(days=40)
        suspicion.hold.__class__.objects.filter(pk=suspicion.hold_id).update(released_at=released)
        Suspicion.objects.filter(pk=suspicion.pk).update(
            closed_at=released, closure_reason="referred_elsewhere"
        )

        (record,) = records_of(download(client_for(coordinator))[1])

        assert record["atp_Assistance"] == {
            "supportOffered": False,
            "reflectionPeriod": False,
            "serviceDecision": "assigned",
            "rehabilitation": True,
            "residencePermit": None,
        }
        assert record["atp_ConsentToReferral"] == "given"
        assert record["atp_IdentificationStatus"] == "presumed"
        assert record["cas_Status"] == "ClosedReferred"
        assert record["cas_ReasonForCaseClosure"] == "referred_elsewhere"
        assert record["atp_HoldActive"] is False
        assert record["atp_HoldDurationDays"] == 40

    def test_only_the_year_asked_for(self, coordinator, client_for, k1):
        suspicions(2, on=dt.date(YEAR, 12, 31))
        suspicions(3, on=dt.date(YEAR + 1, 1, 1))
        assert len(records_of(download(client_for(coordinator))[1])) == 2


def class_of(key: Key, level: int) -> tuple[Any, ...]:
    return (level, htcds._level_key(key, level))


def released_classes(counts: dict[Key, int], levels: dict[Key, int]) -> Counter[tuple[Any, ...]]:
    classes: Counter[tuple[Any, ...]] = Counter()
    for key, count in counts.items():
        if levels[key] != WITHHELD:
            classes[class_of(key, levels[key])] += count
    return classes


class TestSmallGroupsAreGeneralised:
    def test_a_nationality_under_k_is_shown_only_as_its_citizenship_group(self):
        uzbeks = (3, "UZ", "30-38", "male", False)
        kyrgyz = (3, "KG", "30-38", "male", False)
        tajik = (3, "TJ", "30-38", "male", False)
        levels = plan_levels({uzbeks: 10, kyrgyz: 6, tajik: 4}, 10)
        assert levels == {uzbeks: 0, kyrgyz: 1, tajik: 1}

    def test_the_few_left_over_are_never_a_class_of_their_own(self):
        # 50 Belarusians shown by nationality; the 3 Ukrainians of the same group, band and sex
        # must not be released as "non-EU" alone: everybody would know they are Ukrainians.
        belarusians = (3, "BY", "21-23", "male", False)
        ukrainians = (3, "UA", "21-23", "male", False)
        levels = plan_levels({belarusians: 50, ukrainians: 3}, 10)
        assert levels[belarusians] == 0
        assert levels[ukrainians] == WITHHELD

    def test_then_age_band_becomes_child_or_adult_then_the_month_the_year(self):
        keys = {
            (1, "UZ", "18-20", "female", False): 4,
            (1, "UZ", "21-23", "female", False): 4,
            (1, "KG", "24-26", "female", False): 3,  # level 2: 11 non-EU adult women in January
            (5, "VN", "30-38", "male", False): 6,
            (9, "CN", "39-47", "male", False): 5,  # level 3: 11 non-EU adult men in the year
        }
        levels = plan_levels(keys, 10)
        assert [levels[key] for key in keys] == [2, 2, 2, 3, 3]

    def test_k_of_one_shows_everything(self):
        keys = {(1, "UZ", "18-20", "female", False): 1, (2, "LV", "9-17", "male", True): 1}
        assert set(plan_levels(keys, 1).values()) == {0}

    @settings(max_examples=60, deadline=None)
    @given(
        st.dictionaries(
            st.tuples(
                st.integers(1, 12),
                st.sampled_from(["LV", "LT", "UZ", "KG", "VN", "ZZ", "XX"]),
                st.sampled_from(["9-17", "18-20", "30-38", "unknown"]),
                st.sampled_from(["male", "female", "other"]),
                st.booleans(),
            ),
            st.integers(1, 15),
            max_size=40,
        ),
        st.integers(1, 12),
    )
    def test_every_released_class_holds_at_least_k_records(self, counts, k):
        levels = plan_levels(counts, k)
        assert set(levels) == set(counts)
        assert all(size >= k for size in released_classes(counts, levels).values())

    def test_in_the_download(self, coordinator, client_for, settings):
        settings.ATPAZIT_STATS_MIN_CELL = 3
        suspicions(3, nationality="UZ", sex="male", birth_year=1990)
        suspicions(2, nationality="KG", sex="male", birth_year=1990)
        suspicions(1, nationality="TJ", sex="male", birth_year=1990)
        suspicions(1, nationality="LV", sex="female", birth_year=1990)  # alone in the year

        document = json.loads(download(client_for(coordinator))[1])

        shown = Counter(
            (r["prs_Nationality"], r["citizenship"], r["atp_Generalisation"])
            for r in document["records"]
        )
        assert shown == {("UZB", "non_eu", 0): 3, (None, "non_eu", 1): 3}
        assert document["recordCount"] == 6
        assert document["withheldRecords"] == 1
        assert document["minimumClassSize"] == 3


class TestSchema:
    def record(self, **changes: Any) -> dict[str, Any]:
        record = {
            "recordId": "0123456789abcdef",
            "yearOfRegistration": YEAR,
            "cas_IncomingReferralDate": f"{YEAR}-03",
            "cas_OutgoingReferralDate": None,
            "cas_ReferringOrganisation": "ImmigrationService",
            "cas_Status": "Active",
            "cas_ReasonForCaseClosure": None,
            "prs_Gender": "Female",
            "prs_Nationality": "UZB",
            "citizenship": "non_eu",
            "ageBroad": "21-23",
            "majorityStatus": "Adult",
            "vic_TypeOfExploitation": [],
            "vic_TypeOfLabourExploitation": [],
            "eurostatForm": [],
            "isForcedLabour": False,
            "isSexualExploit": False,
            "isOtherExploit": False,
            "isForcedMarriage": False,
            "vic_MethodsOfControl": [],
            "atp_IndicatorsObserved": [],
            "atp_Referrals": [],
            "atp_ConsentToReferral": "not_asked",
            "atp_IdentificationStatus": "presumed",
            "atp_IdentificationRoutes": [],
            "atp_Assistance": {
                "supportOffered": False,
                "reflectionPeriod": False,
                "serviceDecision": None,
                "rehabilitation": False,
                "residencePermit": None,
            },
            "atp_HoldActive": True,
            "atp_HoldDurationDays": 3,
            "atp_Generalisation": 0,
        }
        record.update(changes)
        return record

    def test_a_valid_record_passes(self):
        assert htcds.validated(self.record(), 1)["prs_Nationality"] == "UZB"

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("prs_Nationality", "Uzbekistan"),
            ("cas_IncomingReferralDate", f"{YEAR}-03-14"),
            ("prs_Gender", "F"),
            ("ageBroad", "17"),
            ("atp_HoldDurationDays", -1),
        ],
    )
    def test_an_invalid_record_fails_naming_the_field(self, field, value):
        with pytest.raises(htcds.RecordInvalid) as failure:
            htcds.validated(self.record(**{field: value}), 7)
        assert failure.value.field == field
        assert field in failure.value.message
        assert "7" in failure.value.message

    def test_a_field_outside_the_schema_fails(self):
        with pytest.raises(htcds.RecordInvalid) as failure:
            htcds.validated(self.record(given_names="Zarina"), 1)
        assert failure.value.field == "given_names"

    def test_an_invalid_record_stops_the_download_before_it_is_valid_json_and_is_audited(
        self, coordinator, client_for, k1, monkeypatch
    ):
        suspicions(2)
        monkeypatch.setattr(htcds, "alpha_3", lambda code: "Uzbekistan")
        response = client_for(coordinator).post(URL, {"year": YEAR})
        stream = iter(response.streaming_content)
        received = next(stream)  # the header went out before the first record was built
        with pytest.raises(htcds.RecordInvalid, match="prs_Nationality"):
            next(stream)
        with pytest.raises(json.JSONDecodeError):
            json.loads(received)
        failed = AuditEvent.objects.get(action="stats.htcds_export_failed")
        assert failed.details == {
            "year": YEAR,
            "reason": "htcds_record_invalid",
            "field": "prs_Nationality",
        }


class TestStreaming:
    def test_the_response_streams_a_record_at_a_time(self, coordinator, client_for, k1):
        suspicions(5)
        response, body = download(client_for(coordinator))
        document = json.loads(body)
        assert len(document["records"]) == 5

    def test_the_generator_yields_the_header_before_reading_any_record(self, k1, coordinator):
        suspicions(3)
        export = htcds.start_htcds_export(actor=actor_of(coordinator), year=YEAR)
        chunks = export.chunks()
        first = next(chunks)
        assert first.startswith(b'{"format": "atpazit-htcds-export"')
        assert first.endswith(b'"records": [')
        rest = list(chunks)
        # One chunk per record, then the closing brackets.
        assert len(rest) == 3 + 1
        assert all(b"recordId" in chunk for chunk in rest[:3])

    def test_related_rows_are_read_per_chunk_not_per_record(
        self, k1, coordinator, django_assert_max_num_queries, monkeypatch
    ):
        monkeypatch.setattr(htcds, "CHUNK_SIZE", 4)
        suspicions(10)
        export = htcds.start_htcds_export(actor=actor_of(coordinator), year=YEAR)
        # Main query, then three chunks of (4, 4, 2) x 8 related queries.
        with django_assert_max_num_queries(1 + 3 * 8):
            records = list(htcds.records(export.plan))
        assert len(records) == 10

    def test_a_change_between_the_two_passes_stops_the_export(self, k1, coordinator):
        suspicions(2, nationality="UZ")
        export = htcds.start_htcds_export(actor=actor_of(coordinator), year=YEAR)
        Suspicion.objects.first().person.__class__.objects.update(nationality="KG")
        with pytest.raises(htcds.DataChanged):
            list(export.chunks())


class TestWhoMayDownload:
    def test_the_national_coordinator_gets_the_form(self, coordinator, client_for):
        response = client_for(coordinator).get(URL)
        assert response.status_code == 200
        assert b'name="year"' in response.content

    @pytest.mark.parametrize(
        "role", ["system_admin", "auditor", "head_of_monitoring", "bg_case_officer", "caseworker"]
    )
    def test_no_other_role(self, role, client_for):
        client = client_for(member(role))
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"year": YEAR}).status_code == 403
        assert not AuditEvent.objects.filter(action="stats.htcds_exported").exists()

    def test_a_future_year_is_refused_on_the_field(self, coordinator, client_for):
        response = client_for(coordinator).post(URL, {"year": timezone.localdate().year + 1})
        assert response.status_code == 400
        assert response.context["form"].errors["year"]
        assert not AuditEvent.objects.filter(action="stats.htcds_exported").exists()

    def test_a_get_with_the_year_only_shows_the_form_and_writes_nothing(
        self, coordinator, client_for, k1
    ):
        """A link or an image on another site, or a prefetch, cannot start a download: the
        download is a POST with the form's CSRF token (tests/test_csrf_downloads.py)."""
        suspicions(2)
        response = client_for(coordinator).get(URL, {"year": YEAR})
        assert response.status_code == 200
        assert not isinstance(response, StreamingHttpResponse)
        assert b'<form method="post"' in response.content
        assert not AuditEvent.objects.filter(action="stats.htcds_exported").exists()
        assert not Disclosure.objects.exists()


class TestAudit:
    def test_every_download_is_audited_with_counts_and_the_period_only(
        self, coordinator, client_for, settings
    ):
        settings.ATPAZIT_STATS_MIN_CELL = 2
        unit = OrganisationFactory(type="border_guard")
        suspicions(3, organisation=unit, nationality="UZ")
        suspicions(1, organisation=unit, nationality="LV", sex="female")
        download(client_for(coordinator))

        event = AuditEvent.objects.get(action="stats.htcds_exported")
        assert event.actor_id == coordinator.pk
        assert event.details == {
            "year": YEAR,
            "k": 2,
            "records": 3,
            "withheld": 1,
            "generalised": {"1": 0, "2": 0, "3": 0},
        }

    def test_the_disclosure_log_says_which_unit_disclosed_to_the_coordinator(
        self, coordinator, client_for, k1
    ):
        first, second = (
            OrganisationFactory(type="border_guard"),
            OrganisationFactory(type="border_guard"),
        )
        suspicions(1, organisation=first)
        suspicions(2, organisation=second)
        download(client_for(coordinator))

        event = AuditEvent.objects.get(action="stats.htcds_exported")
        logged = Disclosure.objects.order_by("from_organisation_id")
        assert [d.from_organisation for d in logged] == [first, second]
        assert {d.to_organisation for d in logged} == {coordinator.memberships.get().organisation}
        assert {d.subject for d in logged} == {f"audit.auditevent:{event.pk}"}
        assert {d.legal_basis for d in logged} == {"law"}
        assert {d.case_number for d in logged} == {""}


class TestCommandLine:
    def test_the_command_writes_the_same_records_as_the_download(
        self, coordinator, client_for, settings, tmp_path
    ):
        settings.ATPAZIT_STATS_MIN_CELL = 2
        suspicions(3, nationality="UZ")
        suspicions(2, nationality="KG", sex="female")
        suspicions(1, nationality="TJ")
        downloaded = json.loads(download(client_for(coordinator))[1])
        output = tmp_path / "htcds.json"

        export_command(output, coordinator)

        written = json.loads(output.read_text(encoding="utf-8"))
        assert without_ids(written["records"]) == without_ids(downloaded["records"])
        assert {k: v for k, v in written.items() if k != "records"} == {
            k: v for k, v in downloaded.items() if k != "records"
        }
        assert AuditEvent.objects.filter(action="stats.htcds_exported").count() == 2

    def test_a_user_without_the_permission_is_refused_and_nothing_is_written(self, tmp_path: Path):
        officer = member("bg_case_officer")
        output = tmp_path / "htcds.json"
        with pytest.raises(CommandError, match="may not export"):
            export_command(output, officer)
        assert not output.exists()

    def test_an_invalid_record_leaves_no_file(self, coordinator, k1, tmp_path, monkeypatch):
        suspicions(1)
        monkeypatch.setattr(htcds, "alpha_3", lambda code: "??")
        output = tmp_path / "htcds.json"
        with pytest.raises(CommandError, match="prs_Nationality"):
            export_command(output, coordinator)
        assert list(tmp_path.iterdir()) == []


def export_command(output: Path, user: Any) -> None:
    call_command(
        "export-htcds", "--year", str(YEAR), "--output", str(output), "--user", user.username
    )


def without_ids(records: Iterable[dict[str, Any]]) -> list[str]:
    return sorted(
        json.dumps({k: v for k, v in r.items() if k != "recordId"}, sort_keys=True) for r in records
    )
