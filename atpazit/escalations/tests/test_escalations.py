"""Escalations: raised with an audit event, seen by the Ombudsman and the responsible unit only,
resolved with a note by the Ombudsman."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from atpazit.accounts.tests.factories import actor_of, member
from atpazit.audit.models import AuditEvent
from atpazit.escalations.models import Escalation
from atpazit.escalations.selectors import escalations_visible_to
from atpazit.escalations.services import (
    close_cleared_escalation,
    raise_escalation,
    resolve_escalation,
)
from atpazit.lib.errors import InvalidInput, InvalidTransition, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def escalation(riga):
    return raise_escalation(
        kind=Escalation.Kind.HOLD_RELEASED,
        subject=riga,
        responsible_organisation=riga,
        summary_code="hold.released",
        case_number="AT-2026-000042",
    )


def test_raising_one_is_audited_with_codes_only(escalation, riga):
    event = AuditEvent.objects.get(action="escalation.raised")
    assert event.details == {
        "kind": "hold_released",
        "subject": f"accounts.organisation:{riga.pk}",
        "summary": "hold.released",
    }


def test_the_ombudsman_sees_all_and_a_unit_only_its_own(escalation, dace, janis, gunars):
    daugavpils = gunars.memberships.get().organisation
    other = raise_escalation(
        kind=Escalation.Kind.DEADLINE_OVERDUE,
        subject=daugavpils,
        responsible_organisation=daugavpils,
        summary_code="referral.accept_overdue",
    )

    assert set(escalations_visible_to(actor_of(dace))) == {escalation, other}
    assert list(escalations_visible_to(actor_of(janis))) == [escalation]
    assert list(escalations_visible_to(actor_of(gunars))) == [other]


@pytest.mark.parametrize("role", ["caseworker", "investigator", "auditor", "national_coordinator"])
def test_roles_without_the_permission_see_none(escalation, role):
    assert not escalations_visible_to(actor_of(member(role))).exists()


def test_the_ombudsman_resolves_with_a_note(escalation, dace):
    resolve_escalation(actor=actor_of(dace), escalation=escalation, note="Pārbaudīts lēmums.")

    escalation.refresh_from_db()
    assert escalation.resolved_by == dace
    assert escalation.resolution_note == "Pārbaudīts lēmums."
    assert AuditEvent.objects.filter(action="escalation.resolved").exists()
    with pytest.raises(InvalidTransition, match="already resolved"):
        resolve_escalation(actor=actor_of(dace), escalation=escalation, note="Vēlreiz.")


def test_a_note_is_required(escalation, dace):
    with pytest.raises(InvalidInput, match="Write what was done"):
        resolve_escalation(actor=actor_of(dace), escalation=escalation, note="  ")
    escalation.refresh_from_db()
    assert escalation.resolved_at is None


def test_the_border_guard_cannot_resolve_its_own_escalations(escalation, ilze_actor):
    with pytest.raises(NotAllowed):
        resolve_escalation(actor=ilze_actor, escalation=escalation, note="x")


def test_the_list_page_shows_open_escalations_and_is_audited(escalation, dace, client_for):
    response = client_for(dace).get(reverse("escalations:escalation_list"))

    assert response.status_code == 200
    assert "AT-2026-000042" in response.content.decode()
    assert AuditEvent.objects.filter(action="escalations.listed").exists()


def test_a_person_case_number_links_to_the_case_search(escalation, dace, client_for):
    html = client_for(dace).get(reverse("escalations:escalation_list")).content.decode()
    assert "?case=AT-2026-000042" in html


def test_resolved_ones_leave_the_open_list(escalation, dace, client_for):
    resolve_escalation(actor=actor_of(dace), escalation=escalation, note="Labi.")
    client = client_for(dace)

    assert (
        "AT-2026-000042" not in client.get(reverse("escalations:escalation_list")).content.decode()
    )
    resolved = client.get(reverse("escalations:escalation_list"), {"state": "resolved"})
    assert "AT-2026-000042" in resolved.content.decode()


def test_resolving_through_the_page(escalation, dace, client_for):
    url = reverse("escalations:escalation_resolve", args=[escalation.pk])
    client = client_for(dace)
    assert client.post(url, {"note": ""}).context["form"].errors["note"]

    response = client.post(url, {"note": "Tiesībsargs informēts."})

    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.resolved_at is not None


def test_a_border_guard_case_officer_gets_403_before_any_lookup(escalation, gunars, client_for):
    # Resolving is the Ombudsman's: the permission check refuses before the escalation is looked
    # up, so the answer says nothing about whether it exists.
    url = reverse("escalations:escalation_resolve", args=[escalation.pk])
    assert client_for(gunars).get(url).status_code == 403


def test_the_dashboard_panel_counts_open_escalations(escalation, dace, client_for):
    html = client_for(dace).get(reverse("web:dashboard")).content.decode()

    assert "Open escalations" in html
    assert "1 open escalation." in html


class TestASystemResolutionReadsInTheReadersLanguage:
    def close(self, escalation):
        close_cleared_escalation(
            escalation=escalation, code="removed_from_manifest", closed_by=None, details={}
        )

    def test_it_is_stored_as_a_code(self, escalation):
        self.close(escalation)

        escalation.refresh_from_db()
        assert (escalation.resolution_code, escalation.resolution_note) == (
            "removed_from_manifest",
            "",
        )

    @pytest.mark.parametrize(
        ("language", "text"),
        [
            ("lv", "Atrisināts automātiski: persona izņemta no izraidāmo saraksta."),
            ("en", "Resolved automatically: the person was taken off the manifest."),
        ],
    )
    def test_each_reader_reads_it_in_their_language(
        self, escalation, dace, client_for, language, text
    ):
        self.close(escalation)
        dace.language = language
        dace.save(update_fields=["language"])

        page = client_for(dace).get(reverse("escalations:escalation_list"), {"state": "resolved"})

        assert text in page.content.decode()

    def test_an_unknown_code_is_refused(self, escalation):
        with pytest.raises(ValueError, match="unknown resolution code"):
            close_cleared_escalation(
                escalation=escalation, code="free text", closed_by=None, details={}
            )

    def test_a_note_stored_as_text_before_becomes_its_code(self, escalation, dace):
        migration = importlib.import_module("atpazit.escalations.migrations.0004_resolution_code")
        system = raise_escalation(
            kind=Escalation.Kind.REMOVAL_CONFLICT,
            subject=dace,
            responsible_organisation=None,
            summary_code="removals.held_person_on_manifest",
        )
        Escalation.objects.filter(pk=system.pk).update(resolved_at=timezone.now())
        system.refresh_from_db()
        system.resolution_note = "Atrisināts automātiski: operācija atcelta vai pabeigta."
        system.save(update_fields=["resolution_note"])
        resolve_escalation(actor=actor_of(dace), escalation=escalation, note="Pārbaudīts.")

        migration.notes_to_codes(apps, None)

        system.refresh_from_db()
        escalation.refresh_from_db()
        assert (system.resolution_code, system.resolution_note) == ("operation_closed", "")
        assert (escalation.resolution_code, escalation.resolution_note) == ("", "Pārbaudīts.")
