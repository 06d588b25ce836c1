"""An escalation says what happened in the reader's language, never its stored code."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.accounts.tests.factories import actor_of
from atpazit.deadlines.rules import Kind as DeadlineKind
from atpazit.escalations.labels import SUMMARIES
from atpazit.escalations.models import Escalation
from atpazit.referrals import services as referrals_services
from atpazit.removals.conflicts import sync_conflicts_for_person
from atpazit.removals.tests.factories import PlannedOperationFactory, held_person_on, person_on

pytestmark = pytest.mark.django_db

CODES_RAISED_BY_THE_SERVICES = {
    "removals.suspicion_on_manifest",
    "removals.hold_on_manifest",
    "removals.held_person_on_manifest",
    "hold.released",
    "hold.released_four_eyes",
    "identity.confirmed_different",
    *(f"deadline.{kind}.overdue" for kind in DeadlineKind.values),
}


def test_every_summary_code_the_services_raise_has_a_label():
    assert CODES_RAISED_BY_THE_SERVICES - set(SUMMARIES) == set()


def latvian(user):
    user.language = "lv"
    user.save(update_fields=["language"])
    return user


def _conflict(operation) -> Escalation:
    return Escalation.objects.get(
        kind=Escalation.Kind.REMOVAL_CONFLICT,
        subject=f"removals.removaloperation:{operation.pk}",
    )


class TestASuspicionForSomeoneAlreadyOnAnOperation:
    def test_the_escalation_says_a_suspicion_was_recorded_not_that_someone_was_put_on(
        self, riga, janis, dace, client_for
    ):
        operation = PlannedOperationFactory(organisation=riga)
        person = person_on(operation)
        referrals_services.raise_suspicion(
            actor=actor_of(janis), person=person, reason="Darba devējs paturējis pasi."
        )
        escalation = _conflict(operation)
        assert escalation.summary_code == "removals.suspicion_on_manifest"

        html = (
            client_for(latvian(dace)).get(reverse("escalations:escalation_list")).content.decode()
        )
        assert (
            "Personai, kas jau ir šajā izraidīšanas operācijā, reģistrētas aizdomas par cilvēku "
            "tirdzniecību" in html
        )
        assert "removals.suspicion_on_manifest" not in html
        assert "iekļauta izraidīšanas operācijā" not in html  # the old "was put on" wording

    def test_in_russian_too(self, riga, janis, dace, client_for):
        operation = PlannedOperationFactory(organisation=riga)
        person = person_on(operation)
        referrals_services.raise_suspicion(
            actor=actor_of(janis), person=person, reason="Работодатель забрал паспорт."
        )
        dace.language = "ru"
        dace.save()
        html = client_for(dace).get(reverse("escalations:escalation_list")).content.decode()
        assert "Выявлено подозрение в торговле людьми в отношении лица, которое уже" in html

    def test_another_hold_on_a_listed_person_says_a_hold_was_placed(self, riga, ilze):
        operation = PlannedOperationFactory(organisation=riga)
        person = held_person_on(operation)
        sync_conflicts_for_person(person=person, actor=actor_of(ilze))
        assert _conflict(operation).summary_code == "removals.hold_on_manifest"


def test_a_deadline_escalation_reads_as_a_sentence_in_latvian(riga, dace, client_for):
    Escalation.objects.create(
        kind=Escalation.Kind.DEADLINE_OVERDUE,
        subject=f"accounts.organisation:{riga.pk}",
        responsible_organisation=riga,
        summary_code="deadline.provider_response.overdue",
        case_number="AT-2026-000085",
    )
    html = client_for(latvian(dace)).get(reverse("escalations:escalation_list")).content.decode()
    assert "Pakalpojuma sniedzējs laikus nepieņēma un nenoraidīja nosūtījumu." in html
    assert "deadline.provider_response.overdue" not in html
    assert "<code>" not in html


def test_an_unknown_code_falls_back_to_the_kind_not_to_the_code(riga):
    escalation = Escalation(kind=Escalation.Kind.HOLD_OVERRIDE, summary_code="something.new")
    assert escalation.summary_text() == str(Escalation.Kind.HOLD_OVERRIDE.label)


def test_the_menu_and_the_page_use_the_latvian_term(dace, client_for):
    html = client_for(latvian(dace)).get(reverse("escalations:escalation_list")).content.decode()
    assert "Ziņojumi tiesībsargam" in html
    assert "Eskalētie jautājumi" not in html
