"""Findings and recommendations to the Border Guard (issue 12 item 5).

A monitor records a finding and drafts a recommendation; only the head of monitoring sends it;
sending addresses the Border Guard unit running the operation and opens a response deadline
(30 days by default, configurable); an unanswered one escalates once overdue; the Border Guard
answers with a structured response that meets the deadline; the Office follows it up.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.tests.factories import actor_of, member
from atpazit.audit.models import AuditEvent
from atpazit.deadlines.models import Deadline
from atpazit.deadlines.rules import Kind
from atpazit.deadlines.services import tick
from atpazit.escalations.models import Escalation
from atpazit.lib.errors import ConcurrentEdit, InvalidInput, InvalidTransition, NotAllowed
from atpazit.monitoring import findings
from atpazit.monitoring.findings_selectors import overdue
from atpazit.monitoring.models import Recommendation
from atpazit.monitoring.tests.factories import (
    CompletedMissionFactory,
    ObservationFactory,
    PlannedMissionFactory,
    head_of_monitoring,
)
from atpazit.monitoring.tests.findings_factories import (
    AnsweredRecommendationFactory,
    DraftRecommendationFactory,
    FindingFactory,
    SentRecommendationFactory,
)

pytestmark = pytest.mark.django_db


def _sent(recommendation: Recommendation) -> Recommendation:
    head = head_of_monitoring(recommendation.finding.mission.organisation)
    return findings.send_recommendation(
        actor=actor_of(head), recommendation=recommendation, version=recommendation.version
    )


def _case_officer_of(recommendation: Recommendation):
    return member("bg_case_officer", recommendation.finding.mission.operation.organisation)


class TestDraftingAndSending:
    def test_a_monitor_records_a_finding_and_drafts_a_recommendation(self):
        mission = CompletedMissionFactory()
        monitor = mission.monitors.first()
        finding = findings.record_finding(
            actor=actor_of(monitor),
            mission=mission,
            stage="boarding",
            category="force",
            text="Roku dzelži visu lidojumu.",
        )
        draft = findings.draft_recommendation(
            actor=actor_of(monitor), finding=finding, text="Noņemt roku dzelžus."
        )
        assert draft.status == Recommendation.Status.DRAFT
        assert not Deadline.objects.exists()
        assert AuditEvent.objects.filter(action="recommendation.drafted").count() == 1

    def test_a_finding_names_its_missing_fields(self):
        mission = CompletedMissionFactory()
        with pytest.raises(InvalidInput) as error:
            findings.record_finding(
                actor=actor_of(mission.monitors.first()),
                mission=mission,
                stage="nowhere",
                category="",
                text="  ",
            )
        assert set(error.value.errors) == {"stage", "category", "text"}

    def test_no_finding_on_a_mission_not_yet_carried_out(self):
        mission = PlannedMissionFactory()
        with pytest.raises(InvalidInput):
            findings.record_finding(
                actor=actor_of(mission.monitors.first()),
                mission=mission,
                stage="boarding",
                category="force",
                text="x",
            )

    def test_a_monitor_cannot_send_a_recommendation(self):
        draft = DraftRecommendationFactory()
        with pytest.raises(NotAllowed):
            findings.send_recommendation(
                actor=actor_of(draft.drafted_by), recommendation=draft, version=draft.version
            )
        draft.refresh_from_db()
        assert draft.status == Recommendation.Status.DRAFT

    def test_another_offices_head_cannot_send_it(self):
        draft = DraftRecommendationFactory()
        with pytest.raises(NotAllowed):
            findings.send_recommendation(
                actor=actor_of(head_of_monitoring()), recommendation=draft, version=draft.version
            )

    def test_sending_addresses_the_operations_unit_and_opens_a_30_day_deadline(self):
        draft = DraftRecommendationFactory()
        before = timezone.now()
        sent = _sent(draft)
        assert sent.status == Recommendation.Status.SENT
        assert sent.addressee == draft.finding.mission.operation.organisation
        deadline = Deadline.objects.get(kind=Kind.RECOMMENDATION_RESPONSE)
        assert deadline.responsible_organisation == sent.addressee
        assert deadline.subject == f"monitoring.recommendation:{sent.pk}"
        assert before + dt.timedelta(days=30) <= deadline.due_at
        assert deadline.due_at <= timezone.now() + dt.timedelta(days=30)
        assert sent.response_due_at == deadline.due_at

    def test_the_response_period_is_configurable(self, settings):
        settings.ATPAZIT_DEADLINES = {"recommendation_response": {"calendar_days": 14}}
        sent = _sent(DraftRecommendationFactory())
        assert sent.response_due_at - sent.sent_at == dt.timedelta(days=14)

    def test_a_stale_page_sends_nothing(self):
        draft = DraftRecommendationFactory()
        head = head_of_monitoring(draft.finding.mission.organisation)
        with pytest.raises(ConcurrentEdit):
            findings.send_recommendation(
                actor=actor_of(head), recommendation=draft, version=draft.version + 1
            )
        assert not Deadline.objects.exists()

    def test_a_second_send_is_refused(self):
        sent = _sent(DraftRecommendationFactory())
        with pytest.raises(InvalidTransition):
            _sent(sent)
        assert Deadline.objects.count() == 1


class TestOverdue:
    def test_an_unanswered_recommendation_escalates_once_when_overdue(self):
        sent = _sent(DraftRecommendationFactory())
        assert tick(now=sent.response_due_at - dt.timedelta(minutes=1))["escalated"] == 0
        assert tick(now=sent.response_due_at + dt.timedelta(minutes=1))["escalated"] == 1
        assert tick(now=sent.response_due_at + dt.timedelta(days=2))["escalated"] == 0
        escalation = Escalation.objects.get()
        assert escalation.kind == Escalation.Kind.DEADLINE_OVERDUE
        assert escalation.summary_code == "deadline.recommendation_response.overdue"
        assert escalation.responsible_organisation == sent.addressee
        assert overdue(sent, now=sent.response_due_at + dt.timedelta(seconds=1))

    def test_an_answered_recommendation_does_not_escalate(self):
        sent = _sent(DraftRecommendationFactory())
        findings.respond_to_recommendation(
            actor=actor_of(_case_officer_of(sent)),
            recommendation=sent,
            version=sent.version,
            response="accepted",
            reasons="Piekrītam.",
            actions="Instrukcija tiks grozīta.",
        )
        assert tick(now=sent.response_due_at + dt.timedelta(days=1))["escalated"] == 0
        assert not Escalation.objects.exists()
        assert Deadline.objects.get().met_at is not None

    def test_a_withdrawn_recommendation_does_not_escalate(self):
        sent = _sent(DraftRecommendationFactory())
        head = head_of_monitoring(sent.finding.mission.organisation)
        findings.withdraw_recommendation(
            actor=actor_of(head), recommendation=sent, version=sent.version
        )
        assert tick(now=sent.response_due_at + dt.timedelta(days=1))["escalated"] == 0

    def test_the_escalation_links_the_recommendation_not_a_case_search(self, client_for):
        # "R-<n>" is no person's case number: a link to the case search would find nothing.
        sent = _sent(DraftRecommendationFactory())
        tick(now=sent.response_due_at + dt.timedelta(minutes=1))
        escalation = Escalation.objects.get()
        page_of_recommendation = reverse(
            "monitoring_findings:recommendation_detail", kwargs={"pk": sent.pk}
        )
        assert escalation.case_number == f"R-{sent.pk}"
        assert escalation.link == page_of_recommendation
        page = client_for(member("monitor")).get(reverse("escalations:escalation_list"))
        html = page.content.decode()
        assert f'href="{page_of_recommendation}"' in html
        assert "?case=R-" not in html


class TestResponse:
    def test_the_unit_addressed_answers_with_reasons_and_actions(self):
        sent = _sent(DraftRecommendationFactory())
        answered = findings.respond_to_recommendation(
            actor=actor_of(_case_officer_of(sent)),
            recommendation=sent,
            version=sent.version,
            response="partly",
            reasons="Daļēji.",
            actions="Apmācība.",
            actions_due=timezone.localdate() + dt.timedelta(days=60),
        )
        assert answered.status == Recommendation.Status.ANSWERED
        assert answered.response == Recommendation.Response.PARTLY
        event = AuditEvent.objects.get(action="recommendation.answered")
        assert event.details == {"response": "partly", "late": False}

    def test_acceptance_without_actions_is_refused_naming_the_field(self):
        sent = _sent(DraftRecommendationFactory())
        with pytest.raises(InvalidInput) as error:
            findings.respond_to_recommendation(
                actor=actor_of(_case_officer_of(sent)),
                recommendation=sent,
                version=sent.version,
                response="accepted",
                reasons="Jā.",
                actions="",
            )
        assert "actions" in error.value.errors
        sent.refresh_from_db()
        assert sent.status == Recommendation.Status.SENT

    def test_a_rejection_needs_reasons_but_no_actions(self):
        sent = _sent(DraftRecommendationFactory())
        answered = findings.respond_to_recommendation(
            actor=actor_of(_case_officer_of(sent)),
            recommendation=sent,
            version=sent.version,
            response="rejected",
            reasons="Nav pamata.",
            actions="",
        )
        assert answered.response == Recommendation.Response.REJECTED

    def test_another_unit_cannot_answer(self):
        sent = _sent(DraftRecommendationFactory())
        with pytest.raises(NotAllowed):
            findings.respond_to_recommendation(
                actor=actor_of(member("bg_case_officer")),
                recommendation=sent,
                version=sent.version,
                response="accepted",
                reasons="x",
                actions="y",
            )

    def test_a_draft_cannot_be_answered(self):
        draft = DraftRecommendationFactory()
        officer = member("bg_case_officer", draft.finding.mission.operation.organisation)
        with pytest.raises(NotAllowed):
            findings.respond_to_recommendation(
                actor=actor_of(officer),
                recommendation=draft,
                version=draft.version,
                response="accepted",
                reasons="x",
                actions="y",
            )

    def test_the_head_of_monitoring_follows_up_and_closes(self):
        answered = AnsweredRecommendationFactory()
        head = head_of_monitoring(answered.finding.mission.organisation)
        closed = findings.follow_up_recommendation(
            actor=actor_of(head),
            recommendation=answered,
            version=answered.version,
            status="implemented",
            note="Pārbaudīts nākamajā misijā.",
        )
        assert closed.status == Recommendation.Status.IMPLEMENTED
        with pytest.raises(InvalidTransition):
            findings.follow_up_recommendation(
                actor=actor_of(head),
                recommendation=closed,
                version=closed.version,
                status="follow_up",
                note="x",
            )


class TestWhatTheBorderGuardSees:
    def test_the_unit_sees_the_sent_recommendation_and_its_finding_not_the_office_material(
        self, client_for
    ):
        mission = CompletedMissionFactory(internal_notes="IEKŠĒJĀ PIEZĪME")
        ObservationFactory(mission=mission, text="NOVĒROJUMS PAR EKSORTU")
        finding = FindingFactory(mission=mission, text="KONSTATĒJUMS PAR ROKUDZELŽIEM")
        draft = DraftRecommendationFactory(finding=finding, text="IETEIKUMA MELNRAKSTS")
        sent = SentRecommendationFactory(finding=finding, text="NOSŪTĪTS IETEIKUMS")
        AnsweredRecommendationFactory(finding=finding, follow_up_note="BIROJA PĀRBAUDES PIEZĪME")
        officer = member("bg_case_officer", mission.operation.organisation)
        client = client_for(officer)

        listing = client.get(reverse("monitoring_findings:recommendation_list")).content.decode()
        assert f"R-{sent.pk}" in listing
        assert f"R-{draft.pk}" not in listing

        page = client.get(
            reverse("monitoring_findings:recommendation_detail", kwargs={"pk": sent.pk})
        )
        text = page.content.decode()
        assert page.status_code == 200
        assert "KONSTATĒJUMS PAR ROKUDZELŽIEM" in text
        assert "NOSŪTĪTS IETEIKUMS" in text
        for hidden in ("IEKŠĒJĀ PIEZĪME", "NOVĒROJUMS PAR EKSORTU", "IETEIKUMA MELNRAKSTS"):
            assert hidden not in text

        answered_page = client.get(
            reverse(
                "monitoring_findings:recommendation_detail",
                kwargs={"pk": finding.recommendations.get(status="answered").pk},
            )
        ).content.decode()
        assert "BIROJA PĀRBAUDES PIEZĪME" not in answered_page

        for url in (
            reverse("monitoring_findings:recommendation_detail", kwargs={"pk": draft.pk}),
            reverse("monitoring_findings:mission_findings", kwargs={"pk": mission.pk}),
        ):
            assert client.get(url).status_code in (403, 404)

    def test_another_unit_sees_nothing(self, client_for):
        sent = SentRecommendationFactory()
        client = client_for(member("bg_case_officer"))
        url = reverse("monitoring_findings:recommendation_detail", kwargs={"pk": sent.pk})
        assert client.get(url).status_code == 404

    def test_the_unit_answers_through_the_page(self, client_for):
        sent = _sent(DraftRecommendationFactory())
        client = client_for(_case_officer_of(sent))
        url = reverse("monitoring_findings:recommendation_respond", kwargs={"pk": sent.pk})
        response = client.post(
            url,
            {
                "version": sent.version,
                "response": "accepted",
                "reasons": "Piekrītam.",
                "actions": "",
            },
        )
        assert response.status_code == 200  # the form again, naming the missing actions
        sent.refresh_from_db()
        assert sent.status == Recommendation.Status.SENT
        response = client.post(
            url,
            {
                "version": sent.version,
                "response": "accepted",
                "reasons": "Piekrītam.",
                "actions": "Grozīsim instrukciju.",
            },
        )
        assert response.status_code == 302
        sent.refresh_from_db()
        assert sent.status == Recommendation.Status.ANSWERED


class TestThroughThePages:
    def test_a_monitor_records_a_finding_and_the_head_sends_the_draft(self, client_for):
        mission = CompletedMissionFactory()
        monitor = mission.monitors.first()
        client = client_for(monitor)
        url = reverse("monitoring_findings:mission_findings", kwargs={"pk": mission.pk})
        response = client.post(
            url, {"stage": "handover", "category": "handover", "text": "Mantas netika atdotas."}
        )
        assert response.status_code == 302
        finding = mission.findings.get()
        client.post(
            reverse("monitoring_findings:recommendation_draft", kwargs={"pk": finding.pk}),
            {"text": "Atdot mantas pirms nodošanas."},
        )
        draft = finding.recommendations.get()
        # The monitor's send is refused by the permission table.
        send = reverse("monitoring_findings:recommendation_send", kwargs={"pk": draft.pk})
        assert client.post(send, {"version": draft.version}).status_code == 403
        head = head_of_monitoring(mission.organisation)
        client_for(head).post(send, {"version": draft.version})
        draft.refresh_from_db()
        assert draft.status == Recommendation.Status.SENT

    def test_the_office_reaches_the_findings_from_the_mission_and_the_border_guard_does_not(
        self, client_for, announced, dace, ilze
    ):
        findings_url = reverse("monitoring_findings:mission_findings", kwargs={"pk": announced.pk})
        mission_url = reverse("monitoring:mission_detail", kwargs={"pk": announced.pk})

        office_page = client_for(dace).get(mission_url).content.decode()
        border_guard_page = client_for(ilze).get(mission_url).content.decode()

        assert findings_url in office_page
        assert findings_url not in border_guard_page

    def test_the_menu_leads_the_border_guard_to_its_recommendations_and_the_head_to_the_table(
        self, client_for, ilze, vija
    ):
        recommendations = reverse("monitoring_findings:recommendation_list")
        annual = reverse("monitoring_findings:annual_table")

        border_guard_menu = client_for(ilze).get(reverse("web:dashboard")).content.decode()
        head_menu = client_for(vija).get(reverse("web:dashboard")).content.decode()

        assert f'href="{recommendations}"' in border_guard_menu
        assert f'href="{annual}"' not in border_guard_menu
        assert f'href="{annual}"' in head_menu
