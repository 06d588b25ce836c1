"""The written information on the reflection period as a service and as pages: produced for a
non-EU national in their language and the officer's, kept exactly as handed over, downloaded as
an attachment (audited), and its receipt recorded with the date and who handed it over."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io

import pypdf
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import AuditEvent
from atpazit.referrals import services as core
from atpazit.reflection import services as reflection
from atpazit.reflection.models import InformationSheet
from atpazit.reflection.tests.factories import InformationSheetFactory

pytestmark = pytest.mark.django_db


def produce(user, suspicion, person_language="ru", officer_language="lv"):
    return reflection.generate_information_sheet(
        actor=actor_of(user),
        suspicion=suspicion,
        person_language=person_language,
        officer_language=officer_language,
    )


def test_the_officer_produces_a_sheet_in_the_persons_and_own_language(cast):
    case = cast(recognised=False)
    sheet, document = produce(case.janis, case.suspicion)
    assert sheet.document_sha256 == hashlib.sha256(document).hexdigest()
    assert base64.b64decode(sheet.document) == document
    assert (sheet.person_language, sheet.officer_language, sheet.generated_by) == (
        "ru",
        "lv",
        case.janis,
    )
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(document)).pages)
    assert case.suspicion.person.case_number in text
    assert "Karimov" not in text
    assert "Dilshod" not in text
    assert case.riga.name in text
    event = AuditEvent.objects.get(action="information_sheet.generated")
    assert event.details["sha256"] == sheet.document_sha256
    assert "Karimov" not in str(event.details)


def test_the_document_is_stored_encrypted(cast):
    from django.db import connection

    case = cast(recognised=False)
    sheet, document = produce(case.janis, case.suspicion)
    with connection.cursor() as cursor:
        cursor.execute("SELECT document FROM referrals_informationsheet WHERE id = %s", [sheet.pk])
        stored = cursor.fetchone()[0]
    assert base64.b64encode(document).decode()[:40] not in stored


def test_it_is_only_for_non_eu_nationals(cast):
    case = cast(recognised=False)
    case.suspicion.person.nationality = "PL"
    case.suspicion.person.save()
    with pytest.raises(core.ServiceError, match="does not apply to citizens of the European Union"):
        produce(case.janis, case.suspicion)
    assert not InformationSheet.objects.exists()


def test_it_refuses_unknown_languages_naming_the_field(cast):
    case = cast(recognised=False)
    with pytest.raises(core.InvalidInput) as person:
        produce(case.janis, case.suspicion, person_language="xx")
    with pytest.raises(core.InvalidInput) as officer:
        produce(case.janis, case.suspicion, officer_language="uk")
    assert "person_language" in person.value.errors
    assert "officer_language" in officer.value.errors


def test_a_provider_with_the_case_may_give_it_but_not_another_provider(cast, make_member):
    case = cast(recognised=False)
    sheet, _document = produce(
        case.liga, case.suspicion, person_language="uk", officer_language="lv"
    )
    assert sheet.generated_by == case.liga
    with pytest.raises(core.NotAllowed):
        produce(make_member("caseworker"), case.suspicion)


def test_the_monitor_cannot_produce_one(cast):
    case = cast(recognised=False)
    with pytest.raises(core.NotAllowed):
        produce(case.dace, case.suspicion)


# --- receipt -----------------------------------------------------------------------------------


def test_the_receipt_records_the_date_and_who_handed_it_over(cast):
    case = cast(recognised=False)
    sheet, _document = produce(case.janis, case.suspicion)
    recorded = reflection.record_receipt(
        actor=actor_of(case.janis), sheet=sheet, handed_over_on=timezone.localdate()
    )
    assert (recorded.handed_over_on, recorded.handed_over_by) == (timezone.localdate(), case.janis)
    assert recorded.receipt_recorded_at is not None
    assert AuditEvent.objects.filter(
        action="information_sheet.receipt_recorded", object_id=str(sheet.pk)
    ).exists()
    with pytest.raises(core.ServiceError, match="already recorded"):
        reflection.record_receipt(
            actor=actor_of(case.janis), sheet=sheet, handed_over_on=timezone.localdate()
        )


def test_the_receipt_date_must_be_real(cast):
    with time_machine.travel(dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC), tick=False):
        case = cast(recognised=False)
        sheet, _document = produce(case.janis, case.suspicion)
        for day in (dt.date(2026, 11, 11), dt.date(2026, 11, 9), None):
            with pytest.raises(core.InvalidInput) as bad:
                reflection.record_receipt(
                    actor=actor_of(case.janis), sheet=sheet, handed_over_on=day
                )
            assert "handed_over_on" in bad.value.errors


# --- pages -------------------------------------------------------------------------------------


def test_the_form_produces_the_sheet_and_the_page_offers_the_download(cast, client_for):
    case = cast(recognised=False)
    client = client_for(case.janis)
    url = reverse("reflection:information_sheet_create", kwargs={"pk": case.suspicion.pk})
    form = client.get(url).content.decode()
    assert 'value="ru"' in form
    assert "русский язык" in form
    response = client.post(url, {"person_language": "ru", "officer_language": "lv"}, follow=True)
    sheet = InformationSheet.objects.get()
    page = response.content.decode()
    assert reverse("reflection:information_sheet_download", kwargs={"pk": sheet.pk}) in page
    assert "Record the receipt" in page


def test_the_download_is_an_audited_attachment(cast, client_for):
    case = cast(recognised=False)
    sheet, document = produce(case.janis, case.suspicion)
    response = client_for(case.ilze).get(
        reverse("reflection:information_sheet_download", kwargs={"pk": sheet.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert case.suspicion.person.case_number in response["Content-Disposition"]
    assert response.content == document
    assert AuditEvent.objects.filter(
        action="information_sheet.downloaded", object_id=str(sheet.pk)
    ).exists()


def test_a_tampered_document_is_refused(cast, client_for):
    case = cast(recognised=False)
    sheet = InformationSheetFactory(suspicion=case.suspicion, generated_by=case.janis)
    InformationSheet.objects.filter(pk=sheet.pk).update(document_sha256="0" * 64)
    response = client_for(case.janis).get(
        reverse("reflection:information_sheet_download", kwargs={"pk": sheet.pk})
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="information_sheet.downloaded").exists()


def test_another_unit_cannot_download_it(cast, client_for, make_member):
    case = cast(recognised=False)
    sheet = InformationSheetFactory(suspicion=case.suspicion, generated_by=case.janis)
    url = reverse("reflection:information_sheet_download", kwargs={"pk": sheet.pk})
    assert client_for(make_member("bg_officer")).get(url).status_code == 404
    assert client_for(case.dace).get(url).status_code == 403


def test_the_receipt_form_records_it(cast, client_for):
    case = cast(recognised=False)
    sheet = InformationSheetFactory(suspicion=case.suspicion, generated_by=case.janis)
    url = reverse("reflection:information_sheet_receipt", kwargs={"pk": sheet.pk})
    response = client_for(case.janis).post(
        url, {"handed_over_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.handed_over_by == case.janis


def test_an_uzbek_speaker_is_offered_the_sheet_in_uzbek_marked_as_a_draft(cast, client_for):
    case = cast(recognised=False)  # speaks Uzbek and Russian
    url = reverse("reflection:information_sheet_create", kwargs={"pk": case.suspicion.pk})

    response = client_for(case.janis).get(url)

    assert response.context["form"].initial["person_language"] == "uz"
    assert "Draft translations, not yet reviewed by a native speaker:" in response.content.decode()
    assert "oʻzbek tili" in response.context["draft_languages"]


def test_the_sheet_is_produced_and_kept_in_arabic(cast):
    case = cast(recognised=False)

    sheet, document = produce(case.janis, case.suspicion, person_language="ar")

    assert sheet.person_language == "ar"
    assert sheet.document_sha256 == hashlib.sha256(document).hexdigest()
    assert b"NotoNaskhArabic" in document
