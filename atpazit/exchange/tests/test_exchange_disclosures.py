"""The disclosure log, walked end to end: every time data about a person leaves one organisation
for another, exactly one row says so, with the right legal basis and purpose (I6) — consent for
an adult who consented, the law for a child, "anonymous" for an anonymous notification — and the
auditor reads them at /audit/disclosures/."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation, User
from atpazit.accounts.tests.factories import actor_of, system_wide_auditor
from atpazit.aftercare import services as aftercare
from atpazit.audit.models import Disclosure
from atpazit.cases.models import Person
from atpazit.cases.tests.factories import ChildPersonFactory, PersonFactory
from atpazit.exchange import services as exchange
from atpazit.referrals import services
from atpazit.referrals.models import Suspicion

pytestmark = pytest.mark.django_db


@dataclass
class World:
    """The organisations and people of one working day in Riga (tests/personas.py)."""

    riga: Organisation
    ombudsman: Organisation
    marta: Organisation
    police: Organisation
    siva: Organisation
    court: Organisation
    janis: User
    dace: User
    liga: User
    maris: User
    sanita: User


@pytest.fixture
def world(
    riga, ombudsman, marta, police, siva, orphans_court, janis, dace, liga, maris, sanita
) -> World:
    return World(
        riga, ombudsman, marta, police, siva, orphans_court, janis, dace, liga, maris, sanita
    )


# The organisations by the short names people use for them.
SHORT = {
    "VRS Rīgas pārvalde (tests)": "VRS Rīga",
    "Tiesībsarga birojs (tests)": "Tiesībsargs",
    "Centrs MARTA (tests)": "MARTA",
    "Valsts policija (tests)": "VP",
    "SIVA (tests)": "SIVA",
    "Rīgas bāriņtiesa (tests)": "Bāriņtiesa",
}


def row(disclosure: Disclosure) -> tuple[str, str, str, str]:
    return (
        SHORT[disclosure.from_organisation.name],
        SHORT[disclosure.to_organisation.name],
        disclosure.legal_basis,
        disclosure.purpose,
    )


def rows_for(case_number: str) -> list[tuple[str, str, str, str]]:
    queryset = Disclosure.objects.filter(case_number=case_number).select_related(
        "from_organisation", "to_organisation"
    )
    return sorted(row(d) for d in queryset)


def asked(
    janis: Actor,
    person: Person,
    reason: str,
    decision: str = "given",
    scope: str = "both",
    explained_on: dt.date | None = None,
) -> Suspicion:
    """Jānis raised a suspicion about ``person`` and recorded the answer on consent (in Russian,
    today unless ``explained_on``)."""
    suspicion = services.raise_suspicion(actor=janis, person=person, reason=reason)
    services.record_consent(
        actor=janis,
        suspicion=suspicion,
        decision=decision,
        scope="" if decision == "refused" else scope,
        language="ru",
        explained_on=explained_on or timezone.localdate(),
    )
    return suspicion


def test_an_adult_who_consented_is_disclosed_on_consent_and_each_step_is_logged(world):
    janis, liga, sanita = actor_of(world.janis), actor_of(world.liga), actor_of(world.sanita)
    person = PersonFactory(organisation=world.riga, languages=["uz", "ru"])
    suspicion = asked(janis, person, "Pase atņemta.")
    provider_track, police_track = sorted(
        services.send_referrals(
            actor=janis, suspicion=suspicion, provider=world.marta, police=world.police
        ),
        key=lambda referral: referral.track != "provider",
    )
    exchange.post_message(actor=liga, referral=provider_track, body="Tiksimies rīt.")
    exchange.post_message(actor=janis, referral=police_track, body="Tulks būs krievu valodā.")
    services.transition_referral(actor=liga, referral=provider_track, to_status="accepted")
    services.record_commission_assessment(
        actor=liga,
        referral=provider_track,
        assessed_on=timezone.localdate(),
        members_present="Sociālā darbiniece, psiholoģe, juriste, policists",
        result="criteria_met",
        protocol_reference="MARTA-2026/14",
    )
    request = aftercare.request_service_decision(actor=liga, suspicion=suspicion, siva=world.siva)
    aftercare.record_service_decision(
        actor=sanita,
        request=request,
        decision="assigned",
        decided_on=timezone.localdate(),
        reference="SIVA-2026/3",
    )

    assert rows_for(person.case_number) == sorted(
        [
            ("VRS Rīga", "MARTA", "consent", "referral for identification (provider track)"),
            ("VRS Rīga", "VP", "consent", "referral for identification (police track)"),
            ("MARTA", "VRS Rīga", "consent", "secure exchange"),
            ("VRS Rīga", "VP", "consent", "secure exchange"),
            ("MARTA", "VRS Rīga", "law", "identification outcome for the removal hold"),
            (
                "MARTA",
                "SIVA",
                "consent",
                "decision on state-funded social rehabilitation (Cabinet Regulation No. 344)",
            ),
            ("SIVA", "MARTA", "law", "SIVA's service decision, to the provider that asked"),
        ]
    )


def test_a_child_is_disclosed_by_law_and_the_orphans_court_is_told(world):
    janis = actor_of(world.janis)
    child = ChildPersonFactory(organisation=world.riga)
    suspicion = services.raise_suspicion(
        actor=janis, person=child, reason="Ceļo ar svešu pieaugušo.", orphans_court=world.court
    )
    services.send_referrals(actor=janis, suspicion=suspicion, provider=world.marta)
    (referral,) = suspicion.referrals.all()
    exchange.post_message(actor=actor_of(world.liga), referral=referral, body="Pieņemam.")

    assert rows_for(child.case_number) == sorted(
        [
            ("VRS Rīga", "Bāriņtiesa", "law", "child protection: guardian and best interests"),
            ("VRS Rīga", "MARTA", "law", "referral for identification (provider track)"),
            ("MARTA", "VRS Rīga", "law", "secure exchange"),
        ]
    )


def test_an_adult_who_refused_is_notified_anonymously_and_nothing_else_leaves(world):
    janis = actor_of(world.janis)
    person = PersonFactory(organisation=world.riga, languages=["uz", "ru"])
    suspicion = asked(janis, person, "Parāds vervētājam.", decision="refused")
    with pytest.raises(services.DisclosureRefused):
        services.send_referrals(actor=janis, suspicion=suspicion, provider=world.marta)
    services.send_anonymous_notification(
        actor=janis,
        suspicion=suspicion,
        police=world.police,
        provider=world.marta,
        indicator_codes=["DR-01", "DR-07"],
        support_offered_on=timezone.localdate(),
    )

    assert rows_for(person.case_number) == sorted(
        [
            ("VRS Rīga", "MARTA", "anonymous", "anonymous notification of a possible victim"),
            ("VRS Rīga", "VP", "anonymous", "anonymous notification of a possible victim"),
        ]
    )


def test_a_suspicion_raised_by_the_ombudsman_reaches_the_unit_by_law(world):
    person = PersonFactory(organisation=world.riga)
    services.raise_suspicion(
        actor=actor_of(world.dace), person=person, reason="Monitorē: baidās no atgriešanas."
    )
    assert rows_for(person.case_number) == [
        ("Tiesībsargs", "VRS Rīga", "law", "removal hold on a suspicion of trafficking")
    ]


def test_nothing_is_disclosed_once_consent_is_withdrawn(world):
    janis = actor_of(world.janis)
    person = PersonFactory(organisation=world.riga, languages=["ru"])
    suspicion = asked(
        janis,
        person,
        "Draudi ģimenei.",
        scope="provider",
        explained_on=timezone.localdate() - dt.timedelta(days=1),
    )
    (referral,) = services.send_referrals(actor=janis, suspicion=suspicion, provider=world.marta)
    services.withdraw_consent(actor=janis, suspicion=suspicion, note="Nevēlas turpināt.")
    referral.refresh_from_db()
    before = Disclosure.objects.count()
    with pytest.raises(exchange.DisclosureRefused):
        exchange.post_message(actor=actor_of(world.liga), referral=referral, body="Vai vēl?")
    assert Disclosure.objects.count() == before


def test_the_system_wide_auditor_reads_every_row_and_no_one_else_does(world, client_for):
    janis = actor_of(world.janis)
    person = PersonFactory(organisation=world.riga, languages=["uz", "ru"])
    suspicion = asked(janis, person, "Pase atņemta.")
    services.send_referrals(
        actor=janis, suspicion=suspicion, provider=world.marta, police=world.police
    )
    auditor = system_wide_auditor(language="en")
    url = reverse("audit:disclosure_list")
    page = client_for(auditor).get(url, {"case_number": person.case_number})
    assert page.status_code == 200
    shown = [(SHORT[d.to_organisation.name], d.legal_basis) for d in page.context["page"]]
    assert sorted(shown) == [("MARTA", "consent"), ("VP", "consent")]
    html = page.content.decode()
    assert "referral for identification (provider track)" in html
    assert "consent of the person" in html
    for user in (world.janis, world.liga, world.dace):
        assert client_for(user).get(url).status_code == 403
