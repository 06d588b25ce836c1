"""The return-case pages, through the test client: scope, audit, forms, conflicts, holds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.accounts.tests.factories import actor_of, member
from atpazit.audit.models import AuditEvent
from atpazit.cases import services, views
from atpazit.cases.models import Hold, Person
from atpazit.cases.tests.factories import (
    AgeDisputedPersonFactory,
    ManualHoldFactory,
    PersonFactory,
    RemovalPlannedPersonFactory,
    SuspicionHoldFactory,
)
from atpazit.escalations.models import Escalation

pytestmark = pytest.mark.django_db

FORM = {
    "given_names": "Gurpreet",
    "family_name": "Kaur",
    "aliases": "Гурприт Каур",
    "date_of_birth": "1998-07-01",
    "sex": "female",
    "nationality": "IN",
    "languages": ["pa", "hi"],
    "preferred_language": "pa",
    "interpreter_needed": "on",
    "detention_centre": "mucenieki",
    "detained_since": "2026-01-10",
    "detention_court_order_on": "2026-01-12",
    "return_decision_type": "forced_removal",
    "return_decision_reference": "RS-2026/55",
    "return_decision_date": "2026-01-09",
    "appeal_status": "none",
}


class TestList:
    def test_the_list_shows_case_numbers_not_names_and_is_audited_without_them(
        self, ilze, riga, client_for
    ):
        person = PersonFactory(organisation=riga, family_name="Bērziņa")
        ManualHoldFactory(person=person)
        AgeDisputedPersonFactory(organisation=riga)

        response = client_for(ilze).post(
            reverse("cases:person_list"), {"q": "berzina", "status": "registered"}, follow=True
        )

        html = response.content.decode()
        assert person.case_number in html
        assert "Bērziņa" not in html
        assert "held" in html
        event = AuditEvent.objects.get(action="persons.listed")
        assert event.details["filters"] == {"status": "registered", "search": "name"}
        assert "berzina" not in str(event.details)

    def test_the_list_marks_children_and_disputed_ages(self, ilze, riga, client_for):
        AgeDisputedPersonFactory(organisation=riga)

        html = client_for(ilze).get(reverse("cases:person_list")).content.decode()

        assert "age disputed" in html

    def test_an_htmx_request_gets_only_the_results(self, ilze, riga, client_for):
        PersonFactory(organisation=riga)

        response = client_for(ilze).get(reverse("cases:person_list"), HTTP_HX_REQUEST="true")

        assert b"<html" not in response.content
        assert b"<table>" in response.content

    def test_bad_filter_input_is_shown_not_crashed_on(self, ilze, client_for):
        response = client_for(ilze).get(reverse("cases:person_list"), {"removal_from": "31.02"})

        assert response.status_code == 200
        assert response.context["form"].errors["removal_from"]

    @pytest.mark.parametrize("role", ["caseworker", "investigator", "national_coordinator"])
    def test_roles_without_case_access_are_refused(self, role, client_for):
        assert client_for(member(role)).get(reverse("cases:person_list")).status_code == 403


class TestPersonPage:
    def test_it_shows_the_names_and_audits_the_read(self, ilze, riga, client_for):
        person = PersonFactory(organisation=riga, family_name="Ivanova", aliases="Иванова")

        response = client_for(ilze).get(reverse("cases:person_detail", args=[person.pk]))

        assert response.status_code == 200
        assert "Ivanova" in response.content.decode()
        assert "Иванова" in response.content.decode()
        event = AuditEvent.objects.get(action="person.viewed")
        assert event.object_id == str(person.pk)

    def test_another_unit_gets_404(self, gunars, riga, client_for):
        person = PersonFactory(organisation=riga)

        response = client_for(gunars).get(reverse("cases:person_detail", args=[person.pk]))

        assert response.status_code == 404
        assert not AuditEvent.objects.filter(action="person.viewed").exists()

    def test_the_ombudsman_sees_any_unit_but_cannot_edit(self, dace, riga, client_for):
        person = PersonFactory(organisation=riga)
        client = client_for(dace)

        assert client.get(reverse("cases:person_detail", args=[person.pk])).status_code == 200
        assert client.get(reverse("cases:person_edit", args=[person.pk])).status_code == 403

    def test_a_child_banner_and_a_detention_alert_show(self, ilze, riga, client_for):
        from datetime import timedelta

        from django.utils import timezone

        person = AgeDisputedPersonFactory(
            organisation=riga,
            detained_since=timezone.localdate() - timedelta(days=9),
            detention_court_order_on=None,
        )

        html = client_for(ilze).get(reverse("cases:person_detail", args=[person.pk])).content
        text = html.decode()

        assert "presumed to be a child" in text
        assert "10-day limit of detention without a court order ends" in text

    def test_a_missing_person_is_404(self, ilze, client_for):
        assert (
            client_for(ilze).get(reverse("cases:person_detail", args=[999999])).status_code == 404
        )


class TestRegisterAndEdit:
    def test_a_case_officer_registers_a_person(self, ilze, client_for):
        response = client_for(ilze).post(reverse("cases:person_create"), FORM)

        person = Person.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("cases:person_detail", args=[person.pk])
        assert (person.family_name, person.languages, person.interpreter_needed) == (
            "Kaur",
            ["pa", "hi"],
            True,
        )

    def test_bad_input_names_the_field_and_saves_nothing(self, ilze, client_for):
        response = client_for(ilze).post(
            reverse("cases:person_create"),
            FORM | {"nationality": "", "detained_since": "", "family_name": ""},
        )

        assert response.status_code == 200
        errors = response.context["form"].errors
        assert set(errors) >= {"nationality", "family_name"}
        assert not Person.objects.exists()

    def test_service_rules_show_next_to_their_field(self, ilze, client_for):
        response = client_for(ilze).post(
            reverse("cases:person_create"), FORM | {"detained_since": ""}
        )

        assert response.context["form"].errors["detained_since"] == [
            "Give the date detention started."
        ]
        assert not Person.objects.exists()

    def test_an_officer_cannot_open_the_register_form(self, janis, client_for):
        assert client_for(janis).get(reverse("cases:person_create")).status_code == 403

    def test_editing_over_someone_elses_change_shows_what_changed_and_keeps_the_input(
        self, ilze, riga, client_for
    ):
        ance = member("bg_case_officer", riga, first_name="Ance", last_name="Vītola")
        person = PersonFactory(organisation=riga, family_name="Kaur")
        client = client_for(ilze)
        form = client.get(reverse("cases:person_edit", args=[person.pk])).context["form"]
        assert form.initial["version"] == 1
        services.update_person(
            actor=actor_of(ance), person=person, version=1, data={"family_name": "Kaura"}
        )

        response = client.post(
            reverse("cases:person_edit", args=[person.pk]),
            FORM | {"family_name": "Kaur-Singh", "version": "1"},
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert "Ance Vītola changed this meanwhile: family name." in html
        assert "Family name: Kaura" in html
        assert 'value="Kaur-Singh"' in html
        assert response.context["form"]["version"].value() == "2"
        assert Person.objects.get(pk=person.pk).family_name == "Kaura"

        saved = client.post(
            reverse("cases:person_edit", args=[person.pk]),
            FORM | {"family_name": "Kaur-Singh", "version": "2"},
        )
        assert saved.status_code == 302
        assert Person.objects.get(pk=person.pk).family_name == "Kaur-Singh"

    def test_another_unit_cannot_open_the_edit_form(self, gunars, riga, client_for):
        person = PersonFactory(organisation=riga)

        assert (
            client_for(gunars).get(reverse("cases:person_edit", args=[person.pk])).status_code
            == 404
        )


class TestStatusPage:
    def test_departure_of_a_held_person_is_refused_with_the_reason(self, ilze, riga, client_for):
        person = RemovalPlannedPersonFactory(organisation=riga)
        ManualHoldFactory(person=person)

        response = client_for(ilze).post(
            reverse("cases:person_status", args=[person.pk]), {"to_status": "departed"}
        )

        assert response.status_code == 200
        assert "is under a removal hold" in response.content.decode()
        assert Person.objects.get(pk=person.pk).status == "removal_planned"

    def test_a_status_change_goes_through(self, ilze, riga, client_for):
        person = RemovalPlannedPersonFactory(organisation=riga)

        response = client_for(ilze).post(
            reverse("cases:person_status", args=[person.pk]),
            {"to_status": "departed", "reason": "Reiss BT 301"},
        )

        assert response.status_code == 302
        assert Person.objects.get(pk=person.pk).status == "departed"

    def test_only_the_moves_in_the_table_are_offered(self, ilze, riga, client_for):
        person = PersonFactory(organisation=riga)

        form = (
            client_for(ilze).get(reverse("cases:person_status", args=[person.pk])).context["form"]
        )

        assert [value for value, _ in form.fields["to_status"].choices] == [
            "removal_planned",
            "released",
            "closed",
        ]


class TestHoldPages:
    def test_an_officer_places_a_hold(self, janis, riga, client_for):
        person = PersonFactory(organisation=riga)

        response = client_for(janis).post(
            reverse("cases:hold_create", args=[person.pk]), {"reason": "Baidās atgriezties."}
        )

        assert response.status_code == 302
        assert Hold.objects.get().reason == "Baidās atgriezties."

    def test_a_hold_without_a_reason_is_refused(self, janis, riga, client_for):
        person = PersonFactory(organisation=riga)

        response = client_for(janis).post(
            reverse("cases:hold_create", args=[person.pk]), {"reason": ""}
        )

        assert response.context["form"].errors["reason"]
        assert not Hold.objects.exists()

    def test_an_officer_confirms_a_workflow_hold(self, janis, riga, client_for):
        hold = SuspicionHoldFactory(person=PersonFactory(organisation=riga))

        response = client_for(janis).post(reverse("cases:hold_confirm", args=[hold.pk]))

        assert response.status_code == 302
        assert Hold.objects.get(pk=hold.pk).confirmed_by == janis

    def test_a_case_officer_releases_a_hold_and_an_escalation_is_raised(
        self, ilze, riga, client_for
    ):
        hold = ManualHoldFactory(person=PersonFactory(organisation=riga))
        client = client_for(ilze)
        assert client.get(reverse("cases:hold_release", args=[hold.pk])).status_code == 200

        response = client.post(
            reverse("cases:hold_release", args=[hold.pk]),
            {"reason": "Pazīmes neapstiprinājās.", "decision_reference": "RS-2026/9"},
        )

        assert response.status_code == 302
        assert not Hold.objects.get(pk=hold.pk).is_active
        assert Escalation.objects.filter(kind="hold_released").count() == 1

    def test_release_without_a_decision_reference_names_the_field(self, ilze, riga, client_for):
        hold = ManualHoldFactory(person=PersonFactory(organisation=riga))

        response = client_for(ilze).post(
            reverse("cases:hold_release", args=[hold.pk]), {"reason": "x", "decision_reference": ""}
        )

        assert response.context["form"].errors["decision_reference"]
        assert Hold.objects.get(pk=hold.pk).is_active

    def test_the_release_page_explains_why_a_hold_cannot_be_released(self, ilze, riga, client_for):
        hold = SuspicionHoldFactory(person=PersonFactory(organisation=riga))

        response = client_for(ilze).get(reverse("cases:hold_release", args=[hold.pk]))

        assert "cannot be released now" in response.content.decode()
        assert "decision_reference" not in response.content.decode()

    def test_an_officer_may_not_release(self, janis, riga, client_for):
        hold = ManualHoldFactory(person=PersonFactory(organisation=riga))

        assert (
            client_for(janis).get(reverse("cases:hold_release", args=[hold.pk])).status_code == 403
        )

    def test_another_unit_gets_404_on_our_holds(self, gunars, riga, client_for):
        hold = ManualHoldFactory(person=PersonFactory(organisation=riga))
        client = client_for(gunars)

        assert client.get(reverse("cases:hold_release", args=[hold.pk])).status_code == 404
        assert client.post(reverse("cases:hold_confirm", args=[hold.pk])).status_code == 404
        assert client.get(reverse("cases:hold_create", args=[hold.person_id])).status_code == 404


class TestDashboard:
    def test_the_unit_sees_holds_to_confirm_and_detention_alerts(self, janis, riga, client_for):
        from datetime import timedelta

        from django.utils import timezone

        hold = SuspicionHoldFactory(person=PersonFactory(organisation=riga))
        late = PersonFactory(
            organisation=riga,
            detained_since=timezone.localdate() - timedelta(days=12),
            detention_court_order_on=None,
        )

        html = client_for(janis).get(reverse("web:dashboard")).content.decode()

        assert "Holds to confirm today" in html
        assert hold.person.case_number in html
        assert late.case_number in html
        assert "limit passed" in html

    def test_a_held_person_with_a_planned_removal_shows_as_a_blocking_conflict(
        self, ilze, riga, client_for
    ):
        person = RemovalPlannedPersonFactory(organisation=riga)
        ManualHoldFactory(person=person)
        RemovalPlannedPersonFactory(organisation=riga, case_number="AT-2026-000555")

        response = client_for(ilze).get(reverse("web:dashboard"))

        assert "Blocking conflict" in response.content.decode()
        (panel,) = [
            p for p in response.context["panels"] if p.template == "cases/panels/border_guard.html"
        ]
        assert panel.context["conflicts"] == [person]

    def test_a_hold_on_another_record_of_the_same_human_is_a_blocking_conflict_too(
        self, ilze, riga, gunars, client_for
    ):
        daugavpils = gunars.memberships.get().organisation
        held_elsewhere = PersonFactory(organisation=daugavpils)
        ManualHoldFactory(person=held_elsewhere)
        person = RemovalPlannedPersonFactory(organisation=riga)
        unrelated = RemovalPlannedPersonFactory(organisation=riga)
        # The two records were confirmed as the same human (cases.services links them so).
        root = min(held_elsewhere.pk, person.pk)
        Person.objects.filter(pk__in=[held_elsewhere.pk, person.pk]).update(identity_root_id=root)

        response = client_for(ilze).get(reverse("web:dashboard"))

        (panel,) = [
            p for p in response.context["panels"] if p.template == "cases/panels/border_guard.html"
        ]
        assert panel.context["conflicts"] == [person]  # not the unrelated planned removal
        assert unrelated not in panel.context["conflicts"]


class TestCappedCount:
    """Past COUNT_CAP cases the list says "more than …" instead of counting every row (§9)."""

    def test_a_large_result_is_shown_as_more_than_the_cap_and_stays_pageable(
        self, ilze, riga, client_for, monkeypatch
    ):
        monkeypatch.setattr(views, "PAGE_SIZE", 2)
        monkeypatch.setattr(views, "COUNT_CAP", 4)
        for _ in range(9):
            PersonFactory(organisation=riga)
        client = client_for(ilze)

        first = client.get(reverse("cases:person_list")).content.decode()
        assert "more than 4 cases" in first
        assert "Page 1 of more than 2" in first

        # Further pages count a cap's worth past themselves, so "Next" never runs out early.
        fifth = client.get(reverse("cases:person_list"), {"page": "5"})
        assert fifth.context["page"].number == 5
        assert "9 cases" in fifth.content.decode()
        assert "more than" not in fifth.content.decode()
        assert not fifth.context["page"].has_next()

    def test_a_small_result_is_counted_exactly(self, ilze, riga, client_for):
        for _ in range(3):
            PersonFactory(organisation=riga)

        html = client_for(ilze).get(reverse("cases:person_list")).content.decode()

        assert "3 cases" in html
        assert "more than" not in html
