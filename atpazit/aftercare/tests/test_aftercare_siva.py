"""SIVA's service decision: the provider asks once the person is identified, SIVA decides within 3
Latvian working days or the Ombudsman hears of it, and SIVA sees only the persons it was asked
about and only what the decision needs (I6)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of
from atpazit.aftercare import services as aftercare
from atpazit.aftercare.models import ServiceDecision, ServiceRequest
from atpazit.aftercare.tests.factories import ServiceRequestFactory
from atpazit.audit.models import AuditEvent, Disclosure
from atpazit.deadlines.models import Deadline
from atpazit.deadlines.rules import Kind
from atpazit.escalations.models import Escalation
from atpazit.notifications.models import Notification
from atpazit.referrals import services as core
from atpazit.referrals.models import Consent
from atpazit.referrals.visibility import followup_suspicions_visible_to
from tests.clock import riga_time

pytestmark = pytest.mark.django_db


def ask(case, user=None) -> ServiceRequest:
    return aftercare.request_service_decision(
        actor=actor_of(user or case.liga), suspicion=case.suspicion
    )


def decide(
    user, request, decision="assigned", decided_on=None, reference="SIVA-2026/55"
) -> ServiceDecision:
    return aftercare.record_service_decision(
        actor=actor_of(user),
        request=request,
        decision=decision,
        decided_on=decided_on or timezone.localdate(),
        reference=reference,
    )


# --- asking -------------------------------------------------------------------------------------


def test_the_provider_asks_siva_which_gets_a_deadline_a_notification_and_only_the_minimum(cast):
    with time_machine.travel(riga_time(2026, 11, 26, 10), tick=False):
        case = cast()
        request = ask(case)
    deadline = Deadline.objects.get(kind=Kind.SIVA_DECISION)
    assert (deadline.responsible_organisation, deadline.due_at) == (
        case.siva,
        riga_time(2026, 12, 1, 17),
    )
    assert deadline.link == reverse("aftercare:siva_decision", kwargs={"pk": request.pk})
    assert Notification.objects.filter(
        kind="siva.decision_requested", recipient=case.sanita
    ).exists()
    disclosure = Disclosure.objects.get(to_organisation=case.siva)
    assert (disclosure.from_organisation, disclosure.legal_basis) == (case.provider, "consent")
    assert disclosure.data_categories == sorted(aftercare.SIVA_CATEGORIES)
    assert AuditEvent.objects.filter(action="siva.requested").exists()


def test_siva_is_asked_only_after_identification(cast):
    case = cast(recognised=False)
    with pytest.raises(core.ServiceError, match="after identification"):
        ask(case)
    assert not ServiceRequest.objects.exists()


def test_it_is_asked_once_until_siva_decides(cast):
    case = cast()
    ask(case)
    with pytest.raises(core.ServiceError, match="asked already"):
        ask(case)


def test_only_a_provider_working_on_the_case_asks(cast, make_member):
    case = cast()
    with pytest.raises(core.NotAllowed):
        ask(case, make_member("caseworker"))
    with pytest.raises(core.NotAllowed):
        ask(case, case.ilze)


def test_a_withdrawn_consent_stops_the_disclosure_to_siva(cast):
    case = cast()
    Consent.objects.filter(suspicion=case.suspicion).update(withdrawn_at=timezone.now())
    with pytest.raises(core.DisclosureRefused):
        ask(case)
    assert not Disclosure.objects.filter(to_organisation=case.siva).exists()


def test_a_childs_request_rests_on_the_law(cast):
    case = cast(child=True)
    ask(case)
    assert Disclosure.objects.get(to_organisation=case.siva).legal_basis == "law"


# --- the deadline -------------------------------------------------------------------------------


def test_a_missed_decision_escalates_to_the_ombudsman_after_three_working_days_over_easter(cast):
    with time_machine.travel(riga_time(2026, 4, 2, 12), tick=False):  # Thursday before Good Friday
        case = cast()
        ask(case)
    with time_machine.travel(riga_time(2026, 4, 9, 16, 55), tick=False):
        call_command("tick")
        assert not Escalation.objects.exists()
    with time_machine.travel(riga_time(2026, 4, 9, 17, 1), tick=False):
        call_command("tick")
    escalation = Escalation.objects.get()
    assert (escalation.kind, escalation.summary_code) == (
        "deadline_overdue",
        "deadline.siva_decision.overdue",
    )
    assert escalation.responsible_organisation == case.siva
    assert escalation.case_number == case.suspicion.person.case_number
    assert Notification.objects.filter(kind="escalation.raised", recipient=case.dace).exists()


def test_a_decision_in_time_meets_the_deadline_and_nothing_escalates(cast):
    with time_machine.travel(riga_time(2026, 4, 2, 12), tick=False):
        case = cast()
        request = ask(case)
    with time_machine.travel(riga_time(2026, 4, 8, 10), tick=False):
        decide(case.sanita, request)
    with time_machine.travel(riga_time(2026, 4, 20, 10), tick=False):
        call_command("tick")
    assert not Escalation.objects.exists()
    assert Deadline.objects.get(kind=Kind.SIVA_DECISION).met_at is not None


# --- deciding -----------------------------------------------------------------------------------


def test_a_queued_person_gets_the_decision_that_follows_and_the_provider_is_told(cast):
    case = cast()
    request = ask(case)
    decide(case.sanita, request, decision="queued")
    assert aftercare.pending_request(case.suspicion) == request
    with pytest.raises(core.InvalidInput) as again:
        decide(case.sanita, request, decision="queued")
    assert "decision" in again.value.errors
    decide(case.sanita, request, decision="assigned", reference="SIVA-2026/56")
    assert aftercare.latest_service_decision(case.suspicion).decision == "assigned"
    assert Notification.objects.filter(kind="siva.decided", recipient=case.liga).count() == 2
    with pytest.raises(core.ServiceError, match="already decided"):
        decide(case.sanita, request, decision="refused")


def test_a_refusal_lets_the_provider_ask_again(cast):
    case = cast()
    decide(case.sanita, ask(case), decision="refused")
    assert ask(case).pk is not None


def test_the_border_guard_cannot_record_a_siva_decision(cast, client_for):
    case = cast()
    request = ask(case)
    with pytest.raises(core.NotAllowed):
        decide(case.ilze, request)
    url = reverse("aftercare:siva_decision", kwargs={"pk": request.pk})
    assert (
        client_for(case.ilze)
        .post(url, {"decision": "assigned", "decided_on": "2026-11-27", "reference": "x"})
        .status_code
        == 403
    )
    assert not ServiceDecision.objects.exists()


def test_another_siva_office_cannot_decide(cast, make_member):
    case = cast()
    request = ask(case)
    with pytest.raises(core.NotAllowed):
        decide(make_member("siva_officer"), request)


def test_the_decision_form_names_the_bad_field(cast, client_for):
    case = cast()
    request = ask(case)
    url = reverse("aftercare:siva_decision", kwargs={"pk": request.pk})
    response = client_for(case.sanita).post(
        url, {"decision": "assigned", "decided_on": "2001-01-01", "reference": "SIVA-1"}
    )
    assert response.status_code == 200
    assert "The date cannot be before" in response.content.decode()
    response = client_for(case.sanita).post(
        url,
        {
            "decision": "assigned",
            "decided_on": timezone.localdate().isoformat(),
            "reference": "SIVA-1",
        },
    )
    assert response.status_code == 302


# --- what SIVA sees (I6) --------------------------------------------------------------------------


def test_siva_sees_only_the_persons_it_was_asked_about(cast, client_for):
    case = cast()
    request = ask(case)
    elsewhere = ServiceRequestFactory()  # another SIVA office's request
    mine = cast()
    mine_url = reverse("aftercare:siva_decision", kwargs={"pk": request.pk})
    other_url = reverse("aftercare:siva_decision", kwargs={"pk": elsewhere.pk})
    client = client_for(case.sanita)
    assert client.get(mine_url).status_code == 200
    assert client.get(other_url).status_code == 404
    inbox = client.get(reverse("aftercare:siva_inbox")).content.decode()
    assert case.suspicion.person.case_number in inbox
    assert mine.suspicion.person.case_number not in inbox  # never asked
    assert elsewhere.suspicion.person.case_number not in inbox
    assert list(aftercare.siva_suspicions_visible_to(actor_of(case.sanita))) == [case.suspicion]


def test_siva_sees_the_case_number_route_date_and_provider_but_no_name_or_grounds(cast, client_for):
    case = cast(recognised_on=timezone.localdate() - dt.timedelta(days=2))
    request = ask(case)
    page = (
        client_for(case.sanita)
        .get(reverse("aftercare:siva_decision", kwargs={"pk": request.pk}))
        .content.decode()
    )
    assert case.suspicion.person.case_number in page
    assert "commission of a service provider" in page
    assert case.provider.name in page
    for secret in ("Karimov", "Dilshod", "pasi", "Uzbekistan", "MARTA-2026/14"):
        assert secret not in page
    assert AuditEvent.objects.filter(
        action="siva.request_viewed", object_id=str(request.pk)
    ).exists()


def test_siva_cannot_open_the_follow_up_or_reflection_pages(cast, client_for):
    case = cast()
    ask(case)
    for name in ("aftercare:aftercare_detail", "reflection:reflection_detail"):
        assert (
            client_for(case.sanita).get(reverse(name, kwargs={"pk": case.suspicion.pk})).status_code
            == 403
        )


def test_the_siva_dashboard_lists_waiting_requests_soonest_due_first(cast, client_for):
    with time_machine.travel(riga_time(2026, 11, 23, 10), tick=False):
        first = cast()
        ask(first)
    with time_machine.travel(riga_time(2026, 11, 24, 10), tick=False):
        second = cast()
        ServiceRequestFactory(suspicion=second.suspicion, to_organisation=first.siva)
    with time_machine.travel(riga_time(2026, 11, 27, 10), tick=False):
        page = client_for(first.sanita).get(reverse("web:dashboard")).content.decode()
    assert "Service decisions waiting for you" in page
    assert page.index(first.suspicion.person.case_number) < page.index(
        second.suspicion.person.case_number
    )
    assert "overdue" in page


def test_siva_inbox_and_follow_up_pages_read_one_scope(cast):
    """SIVA's rule is defined once (aftercare.siva_followup_scope, registered in
    referrals.visibility): the cases its inbox lists are exactly those its follow-up pages open."""
    case = cast()
    ask(case)
    ServiceRequestFactory()  # another SIVA office's request
    cast()  # a case SIVA was never asked about
    sanita = actor_of(case.sanita)
    inbox = set(aftercare.siva_suspicions_visible_to(sanita))
    assert inbox == {case.suspicion}
    assert set(followup_suspicions_visible_to(sanita)) == inbox
