"""The purge of return cases: anonymised after their period counted from the end of their last
activity, not one day before; what is erased and what stays; idempotent, resumable, audited;
a dry run changes nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone

from atpazit.accounts.models import Organisation
from atpazit.audit.models import AuditEvent
from atpazit.cases.models import IdentityKey, Person, PersonNameToken
from atpazit.exchange.models import Attachment, Message
from atpazit.notifications.models import Notification
from atpazit.referrals.models import CommissionAssessment, Consent, Referral, Suspicion
from atpazit.reflection.models import ReflectionPeriod
from atpazit.retention import services
from atpazit.retention.models import PurgedCase, PurgeRun
from atpazit.retention.tests.factories import end_of_today, finished_case
from atpazit.screening.models import ScreeningObservation, ScreeningSession
from atpazit.screening.tests.factories import DecidedSessionFactory, OpenSessionFactory
from atpazit.webhooks.models import Delivery, EventType
from atpazit.webhooks.tests.factories import EndpointFactory

pytestmark = pytest.mark.django_db

DAYS = 100


@pytest.fixture(autouse=True)
def periods(settings):
    settings.ATPAZIT_RETENTION_CASE_DAYS = DAYS
    settings.ATPAZIT_RETENTION_MESSAGES_DAYS = DAYS
    settings.ATPAZIT_RETENTION_NOTIFICATION_DAYS = 1000
    settings.ATPAZIT_RETENTION_EMAIL_DAYS = 1000


def purge_at(moment: dt.datetime, *, apply: bool = True, batch_size: int = 200) -> PurgeRun:
    with time_machine.travel(moment, tick=False):
        return services.purge(apply=apply, batch_size=batch_size)


def due() -> dt.datetime:
    """A minute after the period has passed for a case whose last activity ended today."""
    return end_of_today() + dt.timedelta(days=DAYS, minutes=1)


def test_a_finished_case_is_anonymised_once_its_period_has_passed(
    riga: Organisation, marta: Organisation
) -> None:
    case = finished_case(riga, marta)
    run = purge_at(due())
    person = Person.objects.get(pk=case.person.pk)
    erased = ("given_names", "family_name", "aliases", "document_numbers", "date_of_birth")
    assert {name: getattr(person, name) for name in erased} == dict.fromkeys(erased, "")
    assert person.contact_details == ""
    assert person.detention_place_other == ""
    assert person.return_decision_reference == ""
    assert person.languages == []
    # What the statistics count stays.
    assert (person.sex, person.nationality) == ("male", "UZ")
    assert person.birth_year == case.person.birth_year
    assert person.status == Person.Status.DEPARTED
    assert person.case_number == case.person.case_number
    assert not PersonNameToken.objects.filter(person=person).exists()
    assert not IdentityKey.objects.filter(person=person).exists()
    assert run.counts["return_case"] == 1
    assert PurgedCase.objects.get(person=person).run == run


def test_free_text_references_and_files_are_erased_codes_and_dates_stay(
    riga: Organisation, marta: Organisation
) -> None:
    case = finished_case(riga, marta)
    purge_at(due())
    screening = ScreeningSession.objects.get(pk=case.screening.pk)
    assert (screening.interpreter_name, screening.decision_reason) == ("", "")
    assert (screening.exploitation_form, screening.person_age) == (
        case.screening.exploitation_form,
        case.screening.person_age,
    )
    observation = ScreeningObservation.objects.get(session=screening)
    assert (observation.indicator, observation.note) == ("DR-01", "")
    suspicion = Suspicion.objects.get(pk=case.suspicion.pk)
    assert suspicion.reason == ""
    assert suspicion.closure_reason == Suspicion.ClosureReason.REHABILITATION_COMPLETED
    referral = Referral.objects.get(pk=case.referral.pk)
    assert (referral.package, referral.status) == ("{}", Referral.Status.RECOGNISED)
    commission = CommissionAssessment.objects.get(referral=referral)
    assert (commission.members_present, commission.notes, commission.protocol_reference) == (
        "",
        "",
        "",
    )
    assert commission.result == CommissionAssessment.Result.CRITERIA_MET
    assert ReflectionPeriod.objects.get(suspicion=suspicion).decision_reference == ""
    assert all(
        consent.interpreter_name == "" for consent in Consent.objects.filter(suspicion=suspicion)
    )
    assert not Message.objects.filter(referral=referral).exists()
    assert not Attachment.objects.exists()
    assert not Notification.objects.filter(case_number=case.person.case_number).exists()


def test_not_one_day_before_the_period_has_passed(riga: Organisation, marta: Organisation) -> None:
    case = finished_case(riga, marta)
    run = purge_at(due() - dt.timedelta(days=1))
    assert Person.objects.get(pk=case.person.pk).family_name == case.person.family_name
    assert Message.objects.filter(pk=case.message.pk).exists()
    assert run.counts == {}


def test_the_period_counts_from_the_last_activity_not_from_registration(
    riga: Organisation, marta: Organisation
) -> None:
    case = finished_case(riga, marta)
    # A year later the person was screened again at a new contact.
    later = end_of_today() + dt.timedelta(days=365)
    with time_machine.travel(later, tick=False):
        ScreeningSession.objects.filter(pk=case.screening.pk).update(completed_at=timezone.now())
    run = purge_at(due())
    assert Person.objects.get(pk=case.person.pk).family_name == case.person.family_name
    assert run.kept == {"within_period": 1}
    purge_at(later + dt.timedelta(days=DAYS, minutes=1))
    assert Person.objects.get(pk=case.person.pk).family_name == ""


def test_a_second_run_changes_nothing_and_counts_nothing(
    riga: Organisation, marta: Organisation
) -> None:
    finished_case(riga, marta)
    purge_at(due())
    events = AuditEvent.objects.count()
    again = purge_at(due() + dt.timedelta(days=1))
    assert again.counts == {}
    assert PurgedCase.objects.count() == 1
    # Only the second run's start and end were audited: no batch.
    assert AuditEvent.objects.count() == events + 2


def test_a_dry_run_changes_nothing_and_counts_what_would_go(
    riga: Organisation, marta: Organisation
) -> None:
    case = finished_case(riga, marta)
    dry = purge_at(due(), apply=False)
    assert Person.objects.get(pk=case.person.pk).family_name == case.person.family_name
    assert Message.objects.filter(pk=case.message.pk).exists()
    assert not PurgedCase.objects.exists()
    assert not AuditEvent.objects.filter(action="retention.batch_purged").exists()
    applied = purge_at(due())
    assert dry.mode == PurgeRun.Mode.DRY_RUN
    assert dry.counts == applied.counts


def test_each_batch_is_audited_with_counts_and_no_names(
    riga: Organisation, marta: Organisation
) -> None:
    cases = [finished_case(riga, marta) for _ in range(3)]
    run = purge_at(due(), batch_size=1)
    batches = AuditEvent.objects.filter(action="retention.batch_purged").order_by("sequence")
    assert [event.details["counts"]["return_case"] for event in batches] == [1, 1, 1]
    assert run.batches == 3
    text = json.dumps([event.details for event in AuditEvent.objects.all()], ensure_ascii=False)
    for case in cases:
        assert case.person.family_name not in text
        assert case.person.case_number not in text
    assert (
        AuditEvent.objects.filter(action="retention.purge_finished")
        .get()
        .details["counts"]["return_case"]
        == 3
    )


def test_a_failed_batch_rolls_back_alone_and_the_next_run_resumes(
    riga: Organisation, marta: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = finished_case(riga, marta), finished_case(riga, marta)
    real = services._record_purged
    calls = []

    def fail_on_second(run, anonymise, latest):  # type: ignore[no-untyped-def]
        calls.append(anonymise)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real(run, anonymise, latest)

    monkeypatch.setattr(services, "_record_purged", fail_on_second)
    with pytest.raises(RuntimeError):
        purge_at(due(), batch_size=1)
    assert Person.objects.get(pk=first.person.pk).family_name == ""
    assert Person.objects.get(pk=second.person.pk).family_name == second.person.family_name
    assert PurgeRun.objects.get().status == PurgeRun.Status.FAILED
    monkeypatch.setattr(services, "_record_purged", real)
    resumed = purge_at(due())
    assert Person.objects.get(pk=second.person.pk).family_name == ""
    assert resumed.counts["return_case"] == 1


def test_notifications_and_sent_emails_go_after_their_own_periods(
    riga: Organisation,
    janis,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.ATPAZIT_RETENTION_NOTIFICATION_DAYS = 30
    Notification.objects.create(
        recipient=janis, organisation=riga, kind="hold.confirm", link="/cases/", case_number=""
    )
    run = purge_at(timezone.now() + dt.timedelta(days=29))
    assert Notification.objects.count() == 1
    assert run.counts == {}
    run = purge_at(timezone.now() + dt.timedelta(days=30, minutes=1))
    assert not Notification.objects.exists()
    assert run.counts == {"notification": 1}


def test_a_clock_that_went_back_purges_nothing(riga: Organisation, marta: Organisation) -> None:
    """Events recorded "in the future" mean the server's clock is wrong: a clock that is wrong
    the other way would purge early, so the purge refuses and says so."""
    case = finished_case(riga, marta)
    # A dry run three days after the case is due writes its audit events then ...
    purge_at(due() + dt.timedelta(days=3), apply=False)
    # ... and then the clock goes back: the case is due, but the clock cannot be trusted.
    with pytest.raises(services.ClockSkew):
        purge_at(due())
    assert PurgeRun.objects.order_by("-pk").first().status == PurgeRun.Status.FAILED  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action="retention.purge_failed").exists()
    assert Person.objects.get(pk=case.person.pk).family_name == case.person.family_name


def test_new_personal_data_on_an_anonymised_record_is_anonymised_after_its_own_period(
    riga: Organisation, marta: Organisation
) -> None:
    """Someone opens an old case number after its purge and screens the person again: that new
    personal data has its period too, counted from the new activity, under the same guards."""
    case = finished_case(riga, marta)
    purge_at(due())
    reopened = due() + dt.timedelta(days=1)
    with time_machine.travel(reopened, tick=False):
        screening = DecidedSessionFactory(
            person=Person.objects.get(pk=case.person.pk),
            interpreter_name="Tulks Rustam",
            decision_reason="Stāsta par parādu otrreiz.",
        )
    # Within the new activity's period: kept.
    purge_at(reopened + dt.timedelta(days=DAYS - 1))
    assert ScreeningSession.objects.get(pk=screening.pk).interpreter_name == "Tulks Rustam"
    run = purge_at(reopened + dt.timedelta(days=DAYS + 2))
    again = ScreeningSession.objects.get(pk=screening.pk)
    assert (again.interpreter_name, again.decision_reason) == ("", "")
    assert run.counts["return_case"] == 1
    purged = PurgedCase.objects.get(person=case.person)
    assert purged.run == run
    assert purged.last_activity_at >= reopened
    # And then it is passed over again.
    assert purge_at(reopened + dt.timedelta(days=DAYS + 3)).counts == {}


def test_a_screening_opened_on_an_anonymised_record_keeps_it_live(
    riga: Organisation, marta: Organisation
) -> None:
    case = finished_case(riga, marta)
    purge_at(due())
    reopened = due() + dt.timedelta(days=1)
    with time_machine.travel(reopened, tick=False):
        screening = OpenSessionFactory(
            person=Person.objects.get(pk=case.person.pk), interpreter_name="Tulks Rustam"
        )
    run = purge_at(reopened + dt.timedelta(days=3 * DAYS))
    assert ScreeningSession.objects.get(pk=screening.pk).interpreter_name == "Tulks Rustam"
    assert run.kept == {"screening_open": 1}


def test_ended_webhook_deliveries_go_after_their_own_period_pending_ones_stay(
    settings,  # type: ignore[no-untyped-def]
) -> None:
    """A delivery's payload carries a case number and a state: it has a period too."""
    settings.ATPAZIT_RETENTION_WEBHOOK_DAYS = 30
    endpoint = EndpointFactory()
    sent = {"case_number": "AT-2026-000123", "state": "hold.placed"}
    for status in (Delivery.Status.DELIVERED, Delivery.Status.FAILED, Delivery.Status.PENDING):
        Delivery.objects.create(
            endpoint=endpoint,
            event_type=EventType.values[0],
            object_type="hold",
            object_id=1,
            payload=sent,
            status=status,
        )
    run = purge_at(timezone.now() + dt.timedelta(days=29))
    assert Delivery.objects.count() == 3
    run = purge_at(timezone.now() + dt.timedelta(days=30, minutes=1))
    assert list(Delivery.objects.values_list("status", flat=True)) == [Delivery.Status.PENDING]
    assert run.counts == {"webhook_delivery": 2}
