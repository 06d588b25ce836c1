"""Statistics through the API: the same figures, suppression, period rule, permission and audit
as the statistics page and the official tables (issue 14 items 1-3 and 5)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from atpazit.accounts.models import Organisation, User
from atpazit.accounts.tests.factories import actor_of, member
from atpazit.api.tests.factories import api_client, token_for
from atpazit.audit.models import AuditEvent
from atpazit.cases.tests.factories import PersonFactory
from atpazit.referrals.tests.factories import RecognisedReferralFactory, SuspicionFactory
from atpazit.stats import official, selectors
from atpazit.stats.selectors import Period
from atpazit.stats.tests.factories import screened

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def volume(riga: Organisation, daugavpils: Organisation) -> None:
    """This year: Riga screened 14 Uzbek men and 3 Latvian women; Daugavpils 12 Indian men."""
    now = timezone.now()
    screened(riga, 14, when=now, nationality="UZ", sex="male")
    screened(riga, 3, when=now, nationality="LV", sex="female")
    screened(daugavpils, 12, when=now, nationality="IN", sex="male")


def _get(user: User, path: str, **params: object):
    return api_client(token_for(user)).get(path, params)


def _measure(body: dict, code: str) -> dict:
    return next(m for m in body["measures"] if m["code"] == code)


def _categories(measure: dict, dimension: str) -> dict[str, dict]:
    breakdown = next(b for b in measure["breakdowns"] if b["dimension"] == dimension)
    return {c["key"]: c["figure"] for c in breakdown["categories"]}


def test_the_coordinator_gets_the_suppressed_national_figures_of_the_page(
    rihards: User, volume: None
) -> None:
    response = _get(rihards, "/api/v1/statistics", year=YEAR)
    assert response.status_code == 200
    body = response.json()
    assert (body["suppressed"], body["k"], body["period"]["year"]) == (True, 10, YEAR)
    persons = _measure(body, selectors.PERSONS_SCREENED)
    assert persons["total"] == {"value": 29, "suppressed": False}
    sex = _categories(persons, selectors.SEX)
    # 26 men and 3 women: the 3 is hidden, the 26 with it; hidden is null, never a 0.
    assert sex["female"] == {"value": None, "suppressed": True}
    assert sex["male"] == {"value": None, "suppressed": True}
    assert not any(b["dimension"] == selectors.COUNTRY for b in persons["breakdowns"])
    # The same figures as the page's selector, cell for cell.
    board = selectors.dashboard(actor_of(rihards), Period.calendar_year(YEAR))
    assert body["hidden"] == board.hidden() > 0


def test_a_zero_is_shown_as_a_figure_not_as_suppressed(rihards: User, volume: None) -> None:
    body = _get(rihards, "/api/v1/statistics", year=YEAR).json()
    zeros = [
        figure
        for measure in body["measures"]
        for breakdown in measure["breakdowns"]
        for figure in _categories(measure, breakdown["dimension"]).values()
        if figure["value"] == 0
    ]
    assert zeros
    assert all(not figure["suppressed"] for figure in zeros)
    every = [
        f
        for m in body["measures"]
        for b in m["breakdowns"]
        for f in [*_categories(m, b["dimension"]).values(), b["total"]]
    ]
    assert all((f["value"] is None) == f["suppressed"] for f in every)
    assert all(f["value"] is None or f["value"] == 0 or f["value"] >= 10 for f in every)


def test_the_read_is_audited_like_the_page_with_counts_only(rihards: User, volume: None) -> None:
    _get(rihards, "/api/v1/statistics", year=YEAR)
    event = AuditEvent.objects.get(action="stats.dashboard_viewed")
    assert event.actor_id == rihards.pk
    assert event.details["page"] == "api:v1:statistics"
    assert event.details["suppressed"] is True
    assert event.details["start"] == f"{YEAR}-01-01"


def test_the_coordinator_may_not_ask_for_free_dates(rihards: User, volume: None) -> None:
    """Two overlapping periods could be subtracted: whole calendar years only, as on the page."""
    response = _get(rihards, "/api/v1/statistics", start=f"{YEAR}-03-01", end=f"{YEAR}-03-31")
    assert (response.status_code, response.json()["code"]) == (403, "not_allowed")
    assert not AuditEvent.objects.filter(action="stats.dashboard_viewed").exists()


def test_a_case_officer_gets_exact_figures_of_the_own_unit_for_any_dates(
    ilze: User, volume: None
) -> None:
    today = timezone.localdate()
    body = _get(ilze, "/api/v1/statistics", start=today.isoformat(), end=today.isoformat()).json()
    assert body["suppressed"] is False
    assert body["period"] == {"start": today.isoformat(), "end": today.isoformat(), "year": None}
    persons = _measure(body, selectors.PERSONS_SCREENED)
    assert persons["total"]["value"] == 17
    countries = _categories(persons, selectors.COUNTRY)
    assert countries["LV"] == {"value": 3, "suppressed": False}
    assert "IN" not in countries  # Daugavpils's persons are not Riga's


def test_a_bad_period_is_a_422_naming_the_field(ilze: User) -> None:
    response = _get(ilze, "/api/v1/statistics", start=f"{YEAR}-05-01", end=f"{YEAR}-04-01")
    assert (response.status_code, response.json()["code"]) == (422, "invalid")
    assert "end" in response.json()["fields"]
    only_start = _get(ilze, "/api/v1/statistics", start=f"{YEAR}-05-01")
    assert only_start.status_code == 422
    too_early = _get(ilze, "/api/v1/statistics", start="1990-01-01", end="1990-02-01")
    assert "start" in too_early.json()["fields"]


def test_roles_without_the_page_are_refused_by_the_gate() -> None:
    for role in ("caseworker", "investigator", "bg_officer"):
        response = _get(member(role), "/api/v1/statistics")
        assert (response.status_code, response.json()["code"]) == (403, "forbidden"), role


# --- the official tables --------------------------------------------------------------------------


def _registered(unit: Organisation, count: int, *, recognised: bool = False, **person: object):
    for _ in range(count):
        suspicion = SuspicionFactory(person=PersonFactory(organisation=unit, **person))
        if recognised:
            RecognisedReferralFactory(suspicion=suspicion)


def test_the_coordinator_downloads_the_official_tables_suppressed(
    rihards: User, riga: Organisation
) -> None:
    _registered(riga, 15, sex="male", recognised=True)
    _registered(riga, 12, sex="male")
    _registered(riga, 3, sex="female")
    response = _get(rihards, f"/api/v1/statistics/official/{YEAR}")
    assert response.status_code == 200
    body = response.json()
    page = official.official_tables(actor_of(rihards), YEAR)
    assert [t["code"] for t in body["tables"]] == list(page.tables)
    sex = next(t for t in body["tables"] if t["code"] == "sex")
    rows = {row["key"]: row for row in sex["rows"]}
    assert sex["total"] == {"value": 30, "suppressed": False}
    female = [c["key"] for c in sex["columns"]].index("female")
    # Three presumed women: hidden (null), and not recoverable from the totals.
    assert rows["presumed"]["cells"][female] == {"value": None, "suppressed": True}
    assert rows["identified"]["total"] == {"value": 15, "suppressed": False}
    for name, table in page.tables.items():
        out = next(t for t in body["tables"] if t["code"] == name)
        assert [[c["value"] for c in row["cells"]] for row in out["rows"]] == [
            [cell.value for cell in line] for line in table.cells
        ]
    assert body["hidden"] == page.hidden() > 0
    event = AuditEvent.objects.get(action="stats.official_viewed")
    assert event.details == {
        "page": "api:v1:statistics_official",
        "year": YEAR,
        "k": 10,
        "hidden": page.hidden(),
    }


def test_only_those_who_may_download_the_official_tables_get_them(vija: User, ilze: User) -> None:
    for user in (vija, ilze, member("caseworker")):
        response = _get(user, f"/api/v1/statistics/official/{YEAR}")
        assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_a_year_outside_the_pages_years_is_not_found(rihards: User) -> None:
    for year in (2010, YEAR + 1):
        response = _get(rihards, f"/api/v1/statistics/official/{year}")
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
