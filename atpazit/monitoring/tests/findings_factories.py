"""Factories for findings, recommendations and reports, one per state a test needs.

A finding belongs to a completed mission (monitoring/tests/factories.py); a recommendation is
drafted by one of its monitors; a sent one is addressed to the Border Guard unit running the
operation, with its response due 30 days after sending.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from atpazit.monitoring.models import Finding, MonitoringReport, Observation, Recommendation, Stage
from atpazit.monitoring.tests.factories import CompletedMissionFactory, head_of_monitoring


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    mission = factory.SubFactory(CompletedMissionFactory)
    stage = Stage.BOARDING
    category = Observation.Category.FORCE
    text = "Roku dzelži netika noņemti visu lidojuma laiku bez pamatojuma."
    created_by = factory.LazyAttribute(lambda finding: finding.mission.monitors.first())


class DraftRecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    finding = factory.SubFactory(FindingFactory)
    text = "Noņemt roku dzelžus, tiklīdz tie vairs nav nepieciešami, un to pamatot rakstiski."
    status = Recommendation.Status.DRAFT
    drafted_by = factory.LazyAttribute(lambda r: r.finding.created_by)


class SentRecommendationFactory(DraftRecommendationFactory):
    status = Recommendation.Status.SENT
    sent_at = factory.LazyFunction(timezone.now)
    sent_by = factory.LazyAttribute(lambda r: head_of_monitoring(r.finding.mission.organisation))
    addressee = factory.LazyAttribute(lambda r: r.finding.mission.operation.organisation)
    response_due_at = factory.LazyAttribute(lambda r: r.sent_at + dt.timedelta(days=30))


class AnsweredRecommendationFactory(SentRecommendationFactory):
    status = Recommendation.Status.ANSWERED
    response = Recommendation.Response.PARTLY
    response_reasons = "Ierobežojošie līdzekļi tiek lietoti saskaņā ar instrukciju."
    response_actions = "Papildu apmācība eskorta darbiniekiem."
    responded_at = factory.LazyFunction(timezone.now)


class DraftReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringReport

    mission = factory.SubFactory(CompletedMissionFactory)
    language = MonitoringReport.Language.LV
    summary = "Uzraudzīta piespiedu izraidīšana ar čarterreisu."
    drafted_by = factory.LazyAttribute(lambda report: report.mission.monitors.first())
