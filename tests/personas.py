"""The personas of every test, one meaning each. Every name is invented.

Riga's Border Guard unit (officer Jānis, case officers Ilze and Kristaps), Daugavpils's (case
officer Gunārs), the Ombudsman's Office (monitor Dace, head of monitoring Vija), two providers
(Centrs MARTA: caseworker Līga, commission member Edgars; Drošā māja: caseworker Anna), the
State Police (investigator Māris), the Riga orphan's court (Gunta), SIVA (officer Sanita), the
State Labour Inspectorate (labour inspector Laura), the national coordinator (Rihards) and the
auditor (Olga).

A persona's name is always a ``User``, in every test. The same person acting in a service is
``<name>_actor`` (``actor_of(user)``); an organisation is named after the place or body (``riga``,
``marta``). Loaded for every test by the root conftest (``pytest_plugins``); their pages are in
English.
"""

from __future__ import annotations

import pytest

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation, User
from atpazit.accounts.roles import OrganisationType
from atpazit.accounts.tests.factories import OrganisationFactory, actor_of, member


def _org(name: str, kind: str) -> Organisation:
    return OrganisationFactory(name=f"{name} (tests)", type=kind)


def _persona(role: str, organisation: Organisation | None, first: str, last: str) -> User:
    return member(role, organisation, language="en", first_name=first, last_name=last)


@pytest.fixture
def riga(db) -> Organisation:
    return _org("VRS Rīgas pārvalde", OrganisationType.BORDER_GUARD)


@pytest.fixture
def daugavpils(db) -> Organisation:
    return _org("VRS Daugavpils pārvalde", OrganisationType.BORDER_GUARD)


@pytest.fixture
def ombudsman(db) -> Organisation:
    return _org("Tiesībsarga birojs", OrganisationType.OMBUDSMAN)


@pytest.fixture
def marta(db) -> Organisation:
    return _org("Centrs MARTA", OrganisationType.SERVICE_PROVIDER)


@pytest.fixture
def drosa_maja(db) -> Organisation:
    return _org("Drošā māja", OrganisationType.SERVICE_PROVIDER)


@pytest.fixture
def police(db) -> Organisation:
    return _org("Valsts policija", OrganisationType.POLICE)


@pytest.fixture
def orphans_court(db) -> Organisation:
    return _org("Rīgas bāriņtiesa", OrganisationType.ORPHANS_COURT)


@pytest.fixture
def siva(db) -> Organisation:
    return _org("SIVA", OrganisationType.SIVA)


@pytest.fixture
def vdi(db) -> Organisation:
    return _org("Valsts darba inspekcija", OrganisationType.LABOUR_INSPECTORATE)


@pytest.fixture
def janis(riga) -> User:
    """Border Guard officer in Riga: sees persons and operations, raises suspicions, places
    holds, sends referrals; does not release holds or plan operations."""
    return _persona("bg_officer", riga, "Jānis", "Kalniņš")


@pytest.fixture
def ilze(riga) -> User:
    """Case officer in Riga: registers persons, plans operations, confirms and releases holds."""
    return _persona("bg_case_officer", riga, "Ilze", "Ozoliņa")


@pytest.fixture
def kristaps(riga) -> User:
    """A second case officer in Riga: the other pair of eyes on a release nobody decided."""
    return _persona("bg_case_officer", riga, "Kristaps", "Liepiņš")


@pytest.fixture
def gunars(daugavpils) -> User:
    """Case officer in Daugavpils: another unit."""
    return _persona("bg_case_officer", daugavpils, "Gunārs", "Pētersons")


@pytest.fixture
def dace(ombudsman) -> User:
    """Forced-return monitor at the Ombudsman's Office: sees every unit, changes none of it."""
    return _persona("monitor", ombudsman, "Dace", "Bērziņa")


@pytest.fixture
def vija(ombudsman) -> User:
    """Head of monitoring at the Ombudsman's Office: plans missions, assigns monitors (Dace),
    announces them to the Border Guard."""
    return _persona("head_of_monitoring", ombudsman, "Vija", "Ābele")


@pytest.fixture
def liga(marta) -> User:
    """Caseworker at Centrs MARTA: sees persons only through referrals to MARTA."""
    return _persona("caseworker", marta, "Līga", "Krūmiņa")


@pytest.fixture
def edgars(marta) -> User:
    return _persona("commission_member", marta, "Edgars", "Vītols")


@pytest.fixture
def anna(drosa_maja) -> User:
    return _persona("caseworker", drosa_maja, "Anna", "Siliņa")


@pytest.fixture
def maris(police) -> User:
    return _persona("investigator", police, "Māris", "Eglītis")


@pytest.fixture
def gunta(orphans_court) -> User:
    return _persona("child_protection_officer", orphans_court, "Gunta", "Balode")


@pytest.fixture
def sanita(siva) -> User:
    """SIVA officer: decides on the social rehabilitation service a provider asks for."""
    return _persona("siva_officer", siva, "Sanita", "Zariņa")


@pytest.fixture
def laura(vdi) -> User:
    """Labour inspector: reads the de-identified notices of a screening (R4)."""
    return _persona("labour_inspector", vdi, "Laura", "Kalēja")


@pytest.fixture
def rihards(db) -> User:
    return _persona("national_coordinator", None, "Rihards", "Lapiņš")


@pytest.fixture
def olga(db) -> User:
    return _persona("auditor", None, "Olga", "Petrova")


# --- the same people acting in a service ------------------------------------------------------


@pytest.fixture
def janis_actor(janis: User) -> Actor:
    return actor_of(janis)


@pytest.fixture
def ilze_actor(ilze: User) -> Actor:
    return actor_of(ilze)


@pytest.fixture
def kristaps_actor(kristaps: User) -> Actor:
    return actor_of(kristaps)


@pytest.fixture
def gunars_actor(gunars: User) -> Actor:
    return actor_of(gunars)


@pytest.fixture
def dace_actor(dace: User) -> Actor:
    return actor_of(dace)


@pytest.fixture
def vija_actor(vija: User) -> Actor:
    return actor_of(vija)


@pytest.fixture
def liga_actor(liga: User) -> Actor:
    return actor_of(liga)
