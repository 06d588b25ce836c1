"""The pages: who sees which operation, planning and editing, import, export, audit of reads."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.tests.factories import member
from atpazit.audit.models import AuditEvent
from atpazit.cases.tests.factories import PersonFactory
from atpazit.removals.models import ManifestEntry, RemovalOperation
from atpazit.removals.selectors import operations_visible_to
from atpazit.removals.tests.factories import (
    CancelledOperationFactory,
    ConfirmedOperationFactory,
    PlannedOperationFactory,
    actor_of,
    held_person_on,
    person_on,
)

pytestmark = pytest.mark.django_db

READ_PAGES = ["removals:operation_detail", "removals:pre_departure"]
WRITE_PAGES = ["removals:operation_edit", "removals:manifest_import"]


def url(name: str, operation: RemovalOperation) -> str:
    return reverse(name, args=[operation.pk])


class TestWhoSeesWhat:
    @pytest.mark.parametrize("name", READ_PAGES + WRITE_PAGES)
    def test_another_units_operation_does_not_exist_for_them(
        self, client_for, gunars, operation, name
    ):
        assert client_for(gunars).get(url(name, operation)).status_code == 404

    def test_another_unit_cannot_post_to_it_either(self, client_for, gunars, operation):
        person_on(operation)
        client = client_for(gunars)

        for name in ("removals:operation_confirm", "removals:operation_cancel"):
            assert client.post(url(name, operation)).status_code == 404
        operation.refresh_from_db()
        assert operation.status == RemovalOperation.Status.PLANNED

    @pytest.mark.parametrize("name", READ_PAGES)
    def test_the_monitor_reads_every_units_operations(self, client_for, dace, operation, name):
        assert client_for(dace).get(url(name, operation)).status_code == 200

    def test_the_monitor_changes_nothing(self, client_for, dace, operation):
        person_on(operation)
        client = client_for(dace)

        assert client.post(url("removals:operation_confirm", operation)).status_code == 403
        assert client.get(url("removals:operation_edit", operation)).status_code == 403
        page = client.get(url("removals:operation_detail", operation)).content.decode()
        assert "Confirm the operation" not in page

    @pytest.mark.parametrize(
        "role", ["caseworker", "investigator", "national_coordinator", "auditor", "siva_officer"]
    )
    def test_other_organisations_see_no_operation(self, client_for, operation, role):
        user = member(role, language="en")

        assert not operations_visible_to(actor_of(user)).exists()
        client = client_for(user)
        assert client.get(reverse("removals:operation_list")).status_code == 403
        assert client.get(url("removals:operation_detail", operation)).status_code == 403

    def test_the_list_shows_only_the_units_own_operations(
        self, client_for, ilze, operation, daugavpils
    ):
        PlannedOperationFactory(organisation=daugavpils, reference="DP-2026/1")

        page = client_for(ilze).get(reverse("removals:operation_list")).content.decode()

        assert operation.reference in page
        assert "DP-2026/1" not in page


class TestTheList:
    def test_it_filters_by_status_departure_window_and_country(self, client_for, ilze, riga):
        soon = timezone.now() + datetime.timedelta(days=3)
        later = timezone.now() + datetime.timedelta(days=40)
        PlannedOperationFactory(organisation=riga, reference="A-SOON-UZ", departure_at=soon)
        PlannedOperationFactory(
            organisation=riga, reference="B-SOON-VN", departure_at=soon, country_of_return="VN"
        )
        PlannedOperationFactory(organisation=riga, reference="C-LATER-UZ", departure_at=later)
        CancelledOperationFactory(organisation=riga, reference="D-CANCELLED", departure_at=soon)
        client = client_for(ilze)
        until = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()

        page = client.get(
            reverse("removals:operation_list"),
            {"status": "planned", "departs_until": until, "country": "UZ"},
        ).content.decode()

        assert "A-SOON-UZ" in page
        for other in ("B-SOON-VN", "C-LATER-UZ", "D-CANCELLED"):
            assert other not in page
        assert AuditEvent.objects.filter(action="operations.listed").exists()

    def test_it_pages_through_many_operations(self, client_for, ilze, riga):
        for _ in range(30):
            PlannedOperationFactory(organisation=riga)

        page = client_for(ilze).get(reverse("removals:operation_list"), {"page": 2})

        assert "Page 2 of 2" in page.content.decode()


class TestPlanningPages:
    def test_a_case_officer_plans_an_operation(self, client_for, ilze, janis):
        departure = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")

        response = client_for(ilze).post(
            reverse("removals:operation_create"),
            {
                "type": "scheduled_flight",
                "reference": "RP-2026/31",
                "departure_at": departure,
                "route": "Rīga – Frankfurte – Hanoja",
                "country_of_return": "VN",
                "escort_leader": janis.pk,
                "escort_team": [janis.pk, ilze.pk],
            },
        )

        operation = RemovalOperation.objects.get()
        assert response.url == url("removals:operation_detail", operation)
        assert operation.escort_leader == janis
        assert operation.escort_team.count() == 2

    def test_the_form_names_the_wrong_field(self, client_for, ilze):
        response = client_for(ilze).post(
            reverse("removals:operation_create"),
            {
                "type": "charter",
                "departure_at": "2001-01-01T10:00",
                "route": "X",
                "country_of_return": "UZ",
            },
        )

        assert response.status_code == 200
        assert "The departure must be in the future." in response.content.decode()
        assert not RemovalOperation.objects.exists()

    def test_an_edit_over_someone_elses_change_shows_the_differences(
        self, client_for, ilze, riga, operation
    ):
        colleague = member("bg_case_officer", riga, language="en")
        client_for(colleague).post(
            url("removals:operation_edit", operation),
            self._form(operation, route="Rīga – Minska", version=1),
        )

        response = client_for(ilze).post(
            url("removals:operation_edit", operation),
            self._form(operation, route="Rīga – Varšava", version=1),
        )

        html = response.content.decode()
        assert "Someone else changed this operation" in html
        assert "Rīga – Minska" in html
        assert "Rīga – Varšava" in html
        operation.refresh_from_db()
        assert (operation.route, operation.version) == ("Rīga – Minska", 2)
        assert 'name="version" value="2"' in html

    @staticmethod
    def _form(operation: RemovalOperation, **values: object) -> dict[str, object]:
        departure = timezone.localtime(operation.departure_at).strftime("%Y-%m-%dT%H:%M")
        return {
            "type": operation.type,
            "reference": operation.reference,
            "departure_at": departure,
            "route": operation.route,
            "country_of_return": operation.country_of_return,
            **values,
        }


class TestManifestPages:
    def test_a_case_officer_adds_a_person_by_case_number(self, client_for, ilze, operation):
        person = PersonFactory(organisation=operation.organisation)

        response = client_for(ilze).post(
            url("removals:manifest_add", operation), {"case_number": person.case_number}
        )

        assert response.status_code == 302
        assert ManifestEntry.objects.get().person == person

    def test_an_unknown_case_number_is_named_in_the_form(self, client_for, ilze, operation):
        response = client_for(ilze).post(
            url("removals:manifest_add", operation), {"case_number": "AT-2026-000404"}
        )

        assert response.status_code == 400
        assert "No person with case number AT-2026-000404" in response.content.decode()

    def test_the_import_page_lists_every_problem_with_row_and_column(
        self, client_for, ilze, operation
    ):
        data = b"case_number,date_of_birth\nAT-2026-000404,1990-01-01\n,xx\n"

        response = client_for(ilze).post(
            url("removals:manifest_import", operation),
            {"file": _upload(data, "saraksts.csv")},
        )

        html = response.content.decode()
        assert response.status_code == 400
        assert "Nothing was imported" in html
        assert "<td>2</td><td>case_number</td>" in html
        assert "<td>3</td><td>date_of_birth</td>" in html
        assert not ManifestEntry.objects.exists()

    def test_a_valid_import_returns_to_the_operation(self, client_for, ilze, operation):
        person = PersonFactory(organisation=operation.organisation)

        response = client_for(ilze).post(
            url("removals:manifest_import", operation),
            {"file": _upload(f"case_number\n{person.case_number}\n".encode(), "m.csv")},
            follow=True,
        )

        assert "1 person was added to the manifest." in response.content.decode()

    def test_taking_a_person_off(self, client_for, ilze, operation):
        person_on(operation)
        entry = ManifestEntry.objects.get()

        client_for(ilze).post(reverse("removals:manifest_remove", args=[operation.pk, entry.pk]))

        assert not ManifestEntry.objects.exists()

    def test_an_entry_of_another_operation_is_not_found(self, client_for, ilze, riga):
        first, second = (
            PlannedOperationFactory(organisation=riga),
            PlannedOperationFactory(organisation=riga),
        )
        person_on(second)

        response = client_for(ilze).post(
            reverse("removals:manifest_remove", args=[first.pk, ManifestEntry.objects.get().pk])
        )

        assert response.status_code == 404
        assert ManifestEntry.objects.count() == 1

    def test_the_whole_flow_through_the_pages(self, client_for, ilze, operation):
        person = person_on(operation)
        client = client_for(ilze)

        client.post(url("removals:operation_confirm", operation))
        early = client.post(url("removals:operation_complete", operation), follow=True)
        assert "It can be recorded as completed only on or after that day" in early.content.decode()
        # The day comes (moving the clock a week on would end the session instead).
        RemovalOperation.objects.filter(pk=operation.pk).update(departure_at=timezone.now())
        client.post(url("removals:operation_complete", operation))

        operation.refresh_from_db()
        person.refresh_from_db()
        assert (operation.status, person.status) == ("completed", "departed")


class TestExport:
    def test_another_unit_cannot_export_it_and_the_monitor_can(
        self, client_for, gunars, dace, operation
    ):
        export = url("removals:manifest_export", operation)
        assert client_for(gunars).post(export, {"format": "csv"}).status_code == 404
        assert client_for(dace).post(export, {"format": "csv"}).status_code == 200
        assert AuditEvent.objects.filter(action="manifest.exported").count() == 1

    def test_a_get_exports_nothing(self, client_for, janis, operation):
        """A link or an image on another site, or a prefetch, cannot make an export in the
        officer's name: it is a POST with the page's CSRF token (tests/test_csrf_downloads.py)."""
        person_on(operation)
        response = client_for(janis).get(url("removals:manifest_export", operation))
        assert response.status_code == 405
        assert not AuditEvent.objects.filter(action="manifest.exported").exists()

    def test_the_csv_has_case_numbers_no_names_and_no_live_formulas(
        self, client_for, janis, operation
    ):
        person = person_on(operation, family_name="Karimova", preferred_language="=2+3")

        response = client_for(janis).post(
            url("removals:manifest_export", operation), {"format": "csv"}
        )

        text = response.content.decode("utf-8-sig")
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        assert person.case_number in text
        assert "Karimova" not in text
        assert person.given_names not in text
        assert "'=2+3" in text
        event = AuditEvent.objects.get(action="manifest.exported")
        assert event.details == {"format": "csv", "persons": 1}

    def test_the_xlsx_export_opens_in_excel(self, client_for, janis, operation):
        held = held_person_on(operation)

        response = client_for(janis).post(
            url("removals:manifest_export", operation), {"format": "xlsx"}
        )

        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "case number"
        assert rows[1][0] == held.case_number
        assert rows[1][7] == "yes"  # active removal hold


class TestReadsAreAudited:
    def test_the_operation_page_and_the_pre_departure_check(self, client_for, janis, operation):
        person_on(operation)
        client = client_for(janis)

        client.get(url("removals:operation_detail", operation))
        client.get(url("removals:pre_departure", operation))

        viewed = AuditEvent.objects.get(action="operation.viewed")
        checked = AuditEvent.objects.get(action="operation.pre_departure_viewed")
        assert viewed.object_id == checked.object_id == str(operation.pk)
        assert checked.details == {"persons": 1}
        assert viewed.actor_id == janis.pk


class TestThePreDepartureCheck:
    def test_it_shows_holds_children_screening_and_flags(self, client_for, janis, riga):
        operation = ConfirmedOperationFactory(organisation=riga, country_of_return="UZ")
        held = held_person_on(operation)
        child = person_on(operation, birth_year=timezone.localdate().year - 15, nationality="TJ")
        person_on(operation, age_disputed=True, appeal_status="pending", interpreter_needed=True)

        html = client_for(janis).get(url("removals:pre_departure", operation)).content.decode()

        assert "BLOCKING CONFLICT" in html
        assert held.case_number in html
        assert child.case_number in html
        assert html.count("not screened") >= 3
        for text in ("age disputed", "child", "appeal pending", "(interpreter)"):
            assert text in html
        assert "returned to a country other than nationality" in html


def _upload(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")
