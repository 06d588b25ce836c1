"""A hold the system places says why in the reader's language; an officer's own words stay theirs."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from atpazit.accounts.tests.factories import actor_of
from atpazit.cases import services
from atpazit.cases.models import Hold
from atpazit.cases.tests.factories import PersonFactory
from atpazit.lib.errors import InvalidInput
from atpazit.referrals import services as referrals_services

pytestmark = pytest.mark.django_db

migration = importlib.import_module("atpazit.cases.migrations.0006_hold_reason_code")


def _person_page(client_for, user, person, language: str) -> str:
    user.language = language
    user.save(update_fields=["language"])
    return client_for(user).get(reverse("cases:person_detail", args=[person.pk])).content.decode()


def test_a_suspicions_hold_is_stored_as_a_code_and_read_in_each_language(
    riga, janis, ilze, client_for
):
    person = PersonFactory(organisation=riga)
    referrals_services.raise_suspicion(
        actor=actor_of(janis), person=person, reason="Darba devējs paturējis pasi."
    )
    hold = Hold.objects.get(person=person)
    assert (hold.reason_code, hold.reason) == ("suspicion_raised", "")

    latvian = _person_page(client_for, ilze, person, "lv")
    russian = _person_page(client_for, ilze, person, "ru")
    english = _person_page(client_for, ilze, person, "en")
    assert "Izteiktas aizdomas par cilvēku tirdzniecību: notiek identificēšana." in latvian
    assert "Заявлено подозрение в торговле людьми: идёт идентификация." in russian
    assert "Suspicion of trafficking raised: identification pending." in english


def test_a_manual_hold_keeps_the_officers_own_words(riga, ilze):
    person = PersonFactory(organisation=riga)
    hold = services.place_hold(actor=actor_of(ilze), person=person, reason="Parāds starpniekam.")
    assert (hold.reason_code, hold.reason_text()) == ("", "Parāds starpniekam.")


def test_a_manual_hold_cannot_borrow_a_system_code(riga, ilze):
    person = PersonFactory(organisation=riga)
    with pytest.raises(InvalidInput):
        services.place_hold(actor=actor_of(ilze), person=person, reason_code="suspicion_raised")
    assert not Hold.objects.filter(person=person).exists()


class TestTheDataMigration:
    def _legacy(self, person, text: str, cause: str = "suspicion") -> Hold:
        return Hold.objects.create(person=person, cause=cause, reason=text)

    def test_known_system_texts_in_any_language_become_the_code(self, riga):
        person = PersonFactory(organisation=riga)
        latvian = self._legacy(
            person, "Izteiktas aizdomas par cilvēku tirdzniecību: notiek identificēšana."
        )
        english = self._legacy(person, "Suspicion of trafficking raised: identification pending.")
        reflection = self._legacy(
            person,
            "Период размышления: пока он действует, выдворение не производится.",
            cause="reflection_period",
        )
        migration.reasons_to_codes(apps, None)
        for hold, code in (
            (latvian, "suspicion_raised"),
            (english, "suspicion_raised"),
            (reflection, "reflection_period"),
        ):
            hold.refresh_from_db()
            assert (hold.reason_code, hold.reason) == (code, "")

    def test_any_other_text_stays_readable_as_written(self, riga):
        person = PersonFactory(organisation=riga)
        own = self._legacy(person, "Izteiktas aizdomas; sk. pārrunu protokolu Nr. 4.")
        migration.reasons_to_codes(apps, None)
        own.refresh_from_db()
        assert own.reason_code == ""
        assert own.reason_text() == "Izteiktas aizdomas; sk. pārrunu protokolu Nr. 4."

    def test_it_reverses_to_the_english_text(self, riga):
        person = PersonFactory(organisation=riga)
        hold = Hold.objects.create(person=person, cause="suspicion", reason_code="suspicion_raised")
        migration.codes_to_reasons(apps, None)
        hold.refresh_from_db()
        assert hold.reason == "Suspicion of trafficking raised: identification pending."
