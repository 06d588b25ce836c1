"""The statistics page per role: suppressed national figures for the coordinator, exact figures
of their own scope for case-level roles, with links to the lists behind them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from atpazit.accounts.models import Organisation, User
from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import AuditEvent
from atpazit.cases.tests.factories import PersonFactory
from atpazit.lib.errors import NotAllowed
from atpazit.stats import selectors
from atpazit.stats.selectors import Period
from atpazit.stats.tests.factories import in_year, screened

URL = reverse("stats:dashboard")


@pytest.fixture
def volume(riga: Organisation, daugavpils: Organisation) -> None:
    """This year: Riga screened 14 Uzbek men and 3 Latvian women; Daugavpils 12 Indian men."""
    now = timezone.now()
    screened(riga, 14, when=now, nationality="UZ", sex="male")
    screened(riga, 3, when=now, nationality="LV", sex="female")
    screened(daugavpils, 12, when=now, nationality="IN", sex="male")


def test_the_coordinator_sees_national_figures_with_small_cells_hidden(
    rihards: User, volume: None
) -> None:
    board = selectors.dashboard(actor_of(rihards), Period.calendar_year(timezone.now().year))
    persons = board.measure(selectors.PERSONS_SCREENED)
    assert board.suppressed
    assert persons.total.value == 29
    citizenship = persons.breakdown(selectors.CITIZENSHIP).series
    assert citizenship.cell("non_eu").value is None  # hidden to protect the three Latvians
    assert citizenship.cell("national").value is None
    sex = persons.breakdown(selectors.SEX).series
    assert sex.cell("male").value is None  # 26 men, hidden with the 3 women
    assert sex.cell("female").value is None
    # No country appears for a suppressed reader, only the three groups.
    assert not any(b.dimension == selectors.COUNTRY for b in persons.breakdowns)


def test_a_case_officer_sees_exact_figures_of_the_own_unit_only(ilze: User, volume: None) -> None:
    board = selectors.dashboard(actor_of(ilze), Period.calendar_year(timezone.now().year))
    persons = board.measure(selectors.PERSONS_SCREENED)
    assert not board.suppressed
    assert persons.total.value == 17
    nationality = persons.breakdown(selectors.COUNTRY).series
    assert nationality.cell("LV").value == 3
    assert nationality.cell("UZ").value == 14
    assert "IN" not in nationality.keys  # Daugavpils's persons are not Riga's


def test_the_head_of_monitoring_sees_every_unit_exactly(vija: User, volume: None) -> None:
    board = selectors.dashboard(actor_of(vija), Period.calendar_year(timezone.now().year))
    assert board.measure(selectors.PERSONS_SCREENED).total.value == 29
    assert not board.suppressed


def test_training_and_other_years_are_not_counted(rihards: User, riga: Organisation) -> None:
    screened(riga, 11, when=in_year(2024))
    board = selectors.dashboard(actor_of(rihards), Period.calendar_year(2025))
    assert board.measure(selectors.PERSONS_SCREENED).total.value == 0
    board = selectors.dashboard(actor_of(rihards), Period.calendar_year(2024))
    assert board.measure(selectors.PERSONS_SCREENED).total.value == 11


# --- differencing -------------------------------------------------------------------------------


def test_the_coordinator_cannot_ask_for_a_period_other_than_a_calendar_year(
    rihards: User, riga: Organisation
) -> None:
    """Period A and period A + 1 day would differ by one day's persons: refused."""
    import datetime

    actor = actor_of(rihards)
    with pytest.raises(NotAllowed):
        selectors.dashboard(actor, Period(datetime.date(2025, 1, 1), datetime.date(2025, 1, 2)))
    with pytest.raises(NotAllowed):
        selectors.dashboard(
            actor, Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), None)
        )


def test_the_coordinators_page_ignores_free_dates_and_filters(
    client_for, rihards: User, riga: Organisation
) -> None:
    """Free dates in the address are no field of the coordinator's form: the page shows a
    whole year, so two overlapping queries cannot be subtracted."""
    screened(riga, 12, when=in_year(2025, 3, 1))
    screened(riga, 1, when=in_year(2025, 3, 2))
    client = client_for(rihards)
    whole = client.get(URL, {"year": 2025})
    narrow = client.get(URL, {"year": 2025, "start": "2025-03-01", "end": "2025-03-01"})
    filtered = client.get(URL, {"year": 2025, "nationality": "UZ"})
    assert whole.status_code == narrow.status_code == filtered.status_code == 200
    assert whole.context["period"] == narrow.context["period"] == Period.calendar_year(2025)
    assert filtered.context["period"] == Period.calendar_year(2025)
    total = whole.context["board"].measure(selectors.PERSONS_SCREENED).total.value
    assert total == 13
    assert narrow.context["board"].measure(selectors.PERSONS_SCREENED).total.value == total


def test_a_case_officer_may_choose_any_dates(client_for, ilze: User, riga: Organisation) -> None:
    screened(riga, 2, when=in_year(2025, 3, 1))
    screened(riga, 1, when=in_year(2025, 3, 2))
    response = client_for(ilze).get(URL, {"start": "2025-03-01", "end": "2025-03-01"})
    assert response.context["board"].measure(selectors.PERSONS_SCREENED).total.value == 2


# --- the page -----------------------------------------------------------------------------------


def test_the_coordinators_page_shows_numbers_without_links_and_is_audited(
    client_for, rihards: User, volume: None
) -> None:
    response = client_for(rihards).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<td>hidden</td>" in html
    assert "29" in html
    assert reverse("cases:person_list") not in html
    assert reverse("screening:session_list") not in html
    event = AuditEvent.objects.filter(action="stats.dashboard_viewed").get()
    assert event.details["suppressed"] is True
    assert event.details["hidden"] > 0
    assert set(event.details) == {"page", "start", "end", "suppressed", "k", "figures", "hidden"}


def test_a_case_officers_figures_link_to_the_lists_behind_them(
    client_for, ilze: User, volume: None
) -> None:
    html = client_for(ilze).get(URL).content.decode()
    assert reverse("cases:person_list") + "?nationality=UZ" in html
    assert reverse("screening:session_list") in html
    assert "<td>hidden</td>" not in html


def test_every_chart_has_a_data_table(client_for, ilze: User, volume: None) -> None:
    html = client_for(ilze).get(URL).content.decode()
    charts = re.findall(r'<svg role="img" aria-labelledby="(caption-[^"]+)"', html)
    assert charts
    for caption in charts:
        figure = html[html.index(f'id="{caption}"') :]
        figure = figure[: figure.index("</figure>")]
        assert "<table>" in figure


def test_roles_without_the_permission_are_refused(db, client_for, make_member) -> None:
    caseworker = make_member("caseworker")
    assert client_for(caseworker).get(URL).status_code == 403


def test_suspicions_are_broken_down_by_the_form_of_exploitation_screened(
    ilze: User, riga: Organisation
) -> None:
    from atpazit.referrals.tests.factories import SuspicionFactory
    from atpazit.screening.tests.factories import DecidedSessionFactory

    sexual = PersonFactory(organisation=riga)
    DecidedSessionFactory(person=sexual, exploitation_form="sexual")
    SuspicionFactory(person=sexual)
    SuspicionFactory(person=PersonFactory(organisation=riga))  # never screened
    board = selectors.dashboard(actor_of(ilze), Period.calendar_year(timezone.now().year))
    forms = board.measure(selectors.SUSPICIONS).breakdown(selectors.FORM).series
    assert forms.cell("sexual").value == 1
    assert forms.cell("unknown").value == 1
    assert forms.total.value == 2


def test_a_day_beyond_the_calendar_is_refused_naming_the_field(client_for, ilze: User) -> None:
    # A year 9999 overflowed the period's moments: a server error instead of a message.
    response = client_for(ilze).get(URL, {"start": "9999-12-01", "end": "9999-12-31"})
    assert response.status_code == 200
    assert response.context["form"].errors["start"]
    assert response.context["form"].errors["end"]
