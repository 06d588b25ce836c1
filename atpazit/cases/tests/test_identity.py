"""Identity keys and scores (cases.identity), names cleaned at input, and the pages that show
a likely duplicate and record the decision about it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import AuditEvent
from atpazit.cases import identity, services
from atpazit.cases.models import IdentityDecision, Person
from atpazit.cases.selectors import PersonFilters, person_list
from atpazit.cases.tests.factories import ManualHoldFactory, PersonFactory


def facts(
    given: str, family: str, *, year: int | None = 1990, dob: str = "", documents: str = ""
) -> identity.Facts:
    keys = identity.identity_keys(
        given_names=given, family_name=family, date_of_birth=dob, document_numbers_text=documents
    )
    return identity.Facts(
        keys=frozenset(keys),
        birth_year=year,
        sex="male",
        nationality="UZ",
        has_full_birth_date=bool(dob),
    )


class TestCleaningNames:
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("Bēr\u200bziņa", "Bērziņa"),
            ("\u202eAnna\u202c", "Anna"),
            ("Ka\u00adrimov", "Karimov"),
            ("  Anna \t Marija ", "Anna Marija"),
            ("Be\u0304rzin\u0327a", "Bērziņa"),  # decomposed marks composed (NFC)
        ],
    )
    def test_invisible_characters_are_removed_and_text_composed(self, typed, stored):
        assert identity.clean_name(typed) == stored

    @pytest.mark.django_db
    def test_a_name_with_a_zero_width_space_is_found_by_search(self, ilze):
        person = services.register_person(
            actor=actor_of(ilze),
            data={"family_name": "Bēr\u200bziņa", "given_names": "Anna", "nationality": "LV"},
        )

        found = person_list(actor_of(ilze), PersonFilters(query="Bērziņa"))

        assert list(found) == [person]
        assert Person.objects.get(pk=person.pk).family_name == "Bērziņa"


class TestKeys:
    @pytest.mark.parametrize(
        "spellings",
        [
            ("Bakhtiyor", "Baxtiyor", "Bakhtier", "Бахтиёр"),
            ("Mohammed", "Muhammad", "Мухаммед", "محمد"),
            ("Šarifovs", "Шарифов", "Sharifov"),
            ("Yusuf", "Jusuf", "Iusuf"),
            ("Tsoy", "Coj", "Zoj", "Цой"),
        ],
    )
    def test_transliterations_share_a_sound_key(self, spellings):
        keys = [identity.skeletons(identity.romanise(word)) for word in spellings]

        assert set.intersection(*keys)

    def test_words_with_digits_get_no_typo_forms(self):
        assert identity.fuzzy_forms("krmv12") == {"krmv12"}

    def test_keys_are_keyed_tokens_not_names(self):
        keys = identity.identity_keys(given_names="Anna", family_name="Bērziņa")

        assert all(len(key.token) == 16 for key in keys)
        assert not any("anna" in key.token or "brzn" in key.token for key in keys)


class TestScore:
    def test_same_names_other_case_same_year_is_likely(self):
        assert identity.score(facts("Anna", "Bērziņa"), facts("ANNA", "BĒRZIŅA")).likely

    def test_names_swapped_and_transliterated_is_likely(self):
        assert identity.score(facts("Bakhtiyor", "Karimov"), facts("Каримов", "Бахтиёр")).likely

    def test_a_sibling_is_not_likely(self):
        assert not identity.score(
            facts("Bakhtiyor", "Karimov"), facts("Jasur", "Karimov", year=1992)
        ).likely

    def test_different_full_dates_of_birth_rule_a_match_out(self):
        a = facts("Anna", "Bērziņa", dob="1990-01-02")
        b = facts("Anna", "Bērziņa", dob="1990-05-06")

        assert not identity.score(a, b).likely

    def test_a_shared_document_number_is_likely_whatever_else(self):
        a = facts("Anna", "Bērziņa", documents="LV 1234567")
        b = facts("Olena", "Koval", year=1970, documents="lv1234567")

        assert identity.score(a, b).likely


@pytest.mark.django_db
class TestThePersonPage:
    def test_an_own_unit_duplicate_is_shown_with_its_case_number(self, ilze, riga, client_for):
        first = PersonFactory(organisation=riga, given_names="Anna", family_name="Bērziņa")
        second = PersonFactory(organisation=riga, given_names="ANNA", family_name="Berzina")

        page = client_for(ilze).get(reverse("cases:person_detail", args=[second.pk]))

        assert first.case_number in page.content.decode()
        assert reverse("cases:identity_decide", args=[second.pk, first.pk]) in page.content.decode()
        event = AuditEvent.objects.get(action="identity.matches_shown")
        assert event.details["duplicates"] == [first.pk]

    def test_another_units_held_duplicate_shows_only_the_unit_and_contact(
        self, ilze, daugavpils, riga, client_for
    ):
        daugavpils.email = "lietas@daugavpils.example"
        daugavpils.save()
        theirs = PersonFactory(organisation=daugavpils, given_names="Anna", family_name="Bērziņa")
        ManualHoldFactory(person=theirs)
        mine = PersonFactory(organisation=riga, given_names="ANNA", family_name="BERZINA")

        html = client_for(ilze).get(reverse("cases:person_detail", args=[mine.pk])).content.decode()

        assert daugavpils.name in html
        assert "lietas@daugavpils.example" in html
        assert theirs.case_number not in html
        assert "likely duplicate of this person is under an active removal hold" in html

    def test_another_units_duplicate_without_a_hold_is_not_shown(
        self, ilze, daugavpils, riga, client_for
    ):
        theirs = PersonFactory(organisation=daugavpils, given_names="Anna", family_name="Bērziņa")
        mine = PersonFactory(organisation=riga, given_names="ANNA", family_name="BERZINA")

        html = client_for(ilze).get(reverse("cases:person_detail", args=[mine.pk])).content.decode()

        assert daugavpils.name not in html
        assert theirs.case_number not in html

    def test_registering_a_duplicate_warns_at_once(self, ilze, riga, client_for):
        PersonFactory(organisation=riga, given_names="Anna", family_name="Bērziņa")

        response = client_for(ilze).post(
            reverse("cases:person_create"),
            {
                "family_name": "BĒRZIŅA",
                "given_names": "anna",
                "birth_year": "1994",
                "sex": "male",
                "nationality": "UZ",
                "appeal_status": "none",
            },
            follow=True,
        )

        assert "may be the same person as another record" in response.content.decode()


@pytest.mark.django_db
class TestTheDecisionPage:
    def test_linking_records_through_the_page(self, ilze, riga, client_for):
        first = PersonFactory(organisation=riga, given_names="Anna", family_name="Bērziņa")
        second = PersonFactory(organisation=riga, given_names="ANNA", family_name="Berzina")
        url = reverse("cases:identity_decide", args=[second.pk, first.pk])

        response = client_for(ilze).post(url, {"decision": "same", "reason": "Pases sakrīt."})

        assert response.status_code == 302
        decision = IdentityDecision.objects.get()
        assert decision.decision == "same"
        assert decision.reason == "Pases sakrīt."
        assert set(Person.objects.values_list("identity_root_id", flat=True)) == {first.pk}

    def test_a_record_that_is_no_likely_match_is_404(self, ilze, riga, client_for):
        first = PersonFactory(organisation=riga, given_names="Olena", family_name="Koval")
        second = PersonFactory(organisation=riga, given_names="Anna", family_name="Bērziņa")

        url = reverse("cases:identity_decide", args=[second.pk, first.pk])

        assert client_for(ilze).get(url).status_code == 404

    def test_another_unit_cannot_open_it(self, gunars, riga, client_for):
        first = PersonFactory(organisation=riga, given_names="Anna", family_name="Bērziņa")
        second = PersonFactory(organisation=riga, given_names="ANNA", family_name="Berzina")

        url = reverse("cases:identity_decide", args=[second.pk, first.pk])

        assert client_for(gunars).get(url).status_code == 404
