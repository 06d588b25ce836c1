"""The purge as people run it: ``atpazit purge`` (a dry run unless --apply, counts only), the
daily run on the worker (off until switched on, at most once a day), the report page for the
data protection officer, and legal holds placed and lifted there."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from atpazit.accounts.models import Organisation, User
from atpazit.accounts.tests.factories import actor_of, member
from atpazit.audit.models import AuditEvent
from atpazit.cases.models import Person
from atpazit.lib.errors import InvalidInput, NotAllowed
from atpazit.retention import services
from atpazit.retention.models import LegalHold, PurgeRun
from atpazit.retention.tests.factories import end_of_today, finished_case

pytestmark = pytest.mark.django_db

DAYS = 100


@pytest.fixture(autouse=True)
def periods(settings):
    settings.ATPAZIT_RETENTION_CASE_DAYS = DAYS
    settings.ATPAZIT_RETENTION_MESSAGES_DAYS = DAYS


def due() -> dt.datetime:
    return end_of_today() + dt.timedelta(days=DAYS, minutes=1)


def purge_command(*args: str) -> str:
    out = io.StringIO()
    with time_machine.travel(due(), tick=False):
        call_command("purge", *args, stdout=out)
    return out.getvalue()


def test_the_command_is_a_dry_run_by_default_and_prints_counts_not_names(
    riga: Organisation, marta: Organisation
) -> None:
    case = finished_case(riga, marta)
    output = purge_command()
    assert output.startswith("dry run, nothing changed")
    assert "return_case (100 days, anonymise): 1" in output
    assert case.person.family_name not in output
    assert case.person.case_number not in output
    assert Person.objects.get(pk=case.person.pk).family_name == case.person.family_name


def test_the_command_purges_with_apply(riga: Organisation, marta: Organisation) -> None:
    case = finished_case(riga, marta)
    output = purge_command("--apply")
    assert output.startswith("applied:")
    assert Person.objects.get(pk=case.person.pk).family_name == ""


def test_the_worker_purges_only_when_switched_on_and_once_a_day(
    riga: Organisation, marta: Organisation, settings
) -> None:
    case = finished_case(riga, marta)
    with time_machine.travel(due(), tick=False):
        call_command("tick", stdout=io.StringIO())
    assert not PurgeRun.objects.exists()
    settings.ATPAZIT_RETENTION_AUTO_PURGE = True
    with time_machine.travel(due(), tick=False):
        call_command("tick", stdout=io.StringIO())
        call_command("tick", stdout=io.StringIO())
    run = PurgeRun.objects.get()
    assert (run.trigger, run.mode, run.status) == ("schedule", "apply", "finished")
    assert Person.objects.get(pk=case.person.pk).family_name == ""
    with time_machine.travel(due() + dt.timedelta(days=1, minutes=1), tick=False):
        call_command("tick", stdout=io.StringIO())
    assert PurgeRun.objects.count() == 2


@pytest.mark.parametrize("role", ["auditor", "system_admin"])
def test_the_report_shows_the_schedule_and_the_runs(
    role: str, riga: Organisation, marta: Organisation, client_for
) -> None:
    case = finished_case(riga, marta)
    with time_machine.travel(due(), tick=False):
        services.purge(apply=True)
    page = client_for(member(role, language="en")).get(reverse("retention:report")).content.decode()
    assert "Return case" in page
    assert "100 days" in page
    assert "to be confirmed by the data protection officer" in page
    assert "Return case: 1" in page
    assert case.person.family_name not in page


def test_a_case_officer_cannot_open_the_report(ilze: User, client_for) -> None:
    assert client_for(ilze).get(reverse("retention:report")).status_code == 403


def test_the_dpo_places_and_lifts_a_legal_hold(
    riga: Organisation, marta: Organisation, client_for
) -> None:
    case = finished_case(riga, marta)
    dpo = member("auditor", language="en")
    client = client_for(dpo)
    response = client.post(
        reverse("retention:legal_hold_place"),
        {"case_number": case.person.case_number.lower(), "reason": "complaint"},
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get(person=case.person)
    assert (hold.reason, hold.placed_by) == ("complaint", dpo)
    with time_machine.travel(due(), tick=False):
        run = services.purge(apply=True)
    assert run.kept == {"legal_hold": 1}
    client.post(
        reverse("retention:legal_hold_lift", args=[hold.pk]),
        {"reason": "Sūdzība izskatīta, lēmums stājies spēkā."},
    )
    hold.refresh_from_db()
    assert hold.lifted_by == dpo
    assert hold.lift_reason == "Sūdzība izskatīta, lēmums stājies spēkā."
    lifted = AuditEvent.objects.get(action="retention.legal_hold_lifted")
    assert lifted.details == {
        "person": case.person.pk,
        "reason": "complaint",
        "lift_reason_given": True,
    }
    with time_machine.travel(due(), tick=False):
        services.purge(apply=True)
    assert Person.objects.get(pk=case.person.pk).family_name == ""


def test_a_legal_hold_on_an_unknown_case_names_the_field(client_for) -> None:
    response = client_for(member("auditor", language="en")).post(
        reverse("retention:legal_hold_place"), {"case_number": "AT-2026-999999", "reason": "court"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["case_number"] == ["No case has this number."]
    assert not LegalHold.objects.exists()


def test_only_those_who_manage_legal_holds_may_place_one(
    ilze: User, riga: Organisation, marta: Organisation
) -> None:
    case = finished_case(riga, marta)
    with pytest.raises(NotAllowed):
        services.place_legal_hold(
            actor=actor_of(ilze), case_number=case.person.case_number, reason="court"
        )


def test_an_anonymised_case_cannot_be_held(riga: Organisation, marta: Organisation) -> None:
    case = finished_case(riga, marta)
    with time_machine.travel(due(), tick=False):
        services.purge(apply=True)
    with pytest.raises(InvalidInput) as refused:
        services.place_legal_hold(
            actor=actor_of(member("auditor")), case_number=case.person.case_number, reason="court"
        )
    assert "case_number" in refused.value.errors


def test_a_legal_hold_is_not_lifted_without_a_written_reason(
    riga: Organisation, marta: Organisation, client_for
) -> None:
    case = finished_case(riga, marta)
    hold = LegalHold.objects.create(person=case.person, reason=LegalHold.Reason.COURT)
    response = client_for(member("auditor", language="en")).post(
        reverse("retention:legal_hold_lift", args=[hold.pk]), {"reason": "   "}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    with pytest.raises(InvalidInput) as refused:
        services.lift_legal_hold(actor=actor_of(member("auditor")), hold=hold, reason=" ")
    assert "reason" in refused.value.errors
    hold.refresh_from_db()
    assert hold.lifted_at is None
    assert not AuditEvent.objects.filter(action="retention.legal_hold_lifted").exists()


def test_the_system_administrator_may_place_a_legal_hold_but_not_lift_one(
    riga: Organisation, marta: Organisation, client_for
) -> None:
    """Placing one keeps data (deny when unsure); lifting one lets the purge erase a case: that
    is the data protection officer's decision alone."""
    case = finished_case(riga, marta)
    admin = member("system_admin", language="en")
    hold = services.place_legal_hold(
        actor=actor_of(admin), case_number=case.person.case_number, reason="court"
    )
    with pytest.raises(NotAllowed):
        services.lift_legal_hold(actor=actor_of(admin), hold=hold, reason="Tiesa beigusies.")
    response = client_for(admin).post(
        reverse("retention:legal_hold_lift", args=[hold.pk]), {"reason": "Tiesa beigusies."}
    )
    assert response.status_code in (403, 404)
    hold.refresh_from_db()
    assert hold.lifted_at is None
