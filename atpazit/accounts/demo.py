"""Synthetic demo organisations and one demo user per role. Every person here is invented."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from atpazit.accounts.models import Membership, Organisation, User
from atpazit.accounts.roles import OrganisationType, Role

DEMO_PASSWORD = "Atpazit-demo-2026"  # noqa: S105 - documented demo password, development only


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    organisation: str
    role: str
    language: str = "lv"


DEMO_ORGANISATIONS = [
    (
        "Valsts robežsardzes Rīgas pārvalde",
        OrganisationType.BORDER_GUARD,
        "rp@demo.robezsardze.invalid",
    ),
    (
        "Valsts robežsardzes Daugavpils pārvalde",
        OrganisationType.BORDER_GUARD,
        "dp@demo.robezsardze.invalid",
    ),
    ("Tiesībsarga birojs", OrganisationType.OMBUDSMAN, "monitorings@demo.tiesibsargs.invalid"),
    ("Centrs MARTA", OrganisationType.SERVICE_PROVIDER, "nosutijumi@demo.marta.invalid"),
    (
        'Patvērums "Drošā māja"',
        OrganisationType.SERVICE_PROVIDER,
        "nosutijumi@demo.drosamaja.invalid",
    ),
    ("Valsts policija", OrganisationType.POLICE, "ctn@demo.vp.invalid"),
    ("Sociālās integrācijas valsts aģentūra", OrganisationType.SIVA, "ctu@demo.siva.invalid"),
    ("Rīgas bāriņtiesa", OrganisationType.ORPHANS_COURT, "barintiesa@demo.riga.invalid"),
    ("Iekšlietu ministrija", OrganisationType.MINISTRY, "koordinators@demo.iem.invalid"),
    (
        "Valsts darba inspekcija",
        OrganisationType.LABOUR_INSPECTORATE,
        "pazinojumi@demo.vdi.invalid",
    ),
    ("Valsts robežsardzes koledža", OrganisationType.COLLEGE, "koledza@demo.rs.invalid"),
    ("Atpazīt sistēmas administrācija", OrganisationType.SYSTEM, "admin@demo.atpazit.invalid"),
]

_RIGA_BG = "Valsts robežsardzes Rīgas pārvalde"
DEMO_USERS = [
    DemoUser("rs.inspektors", "Jānis", "Kalniņš", _RIGA_BG, Role.BG_OFFICER),
    DemoUser("rs.lietvedis", "Ilze", "Ozoliņa", _RIGA_BG, Role.BG_CASE_OFFICER),
    DemoUser("rs.admins", "Andris", "Liepiņš", _RIGA_BG, Role.ORG_ADMIN),
    DemoUser("tb.monitors", "Dace", "Bērziņa", "Tiesībsarga birojs", Role.MONITOR),
    DemoUser("tb.vaditaja", "Sarmīte", "Zariņa", "Tiesībsarga birojs", Role.HEAD_OF_MONITORING),
    DemoUser("marta.socdarb", "Līga", "Krūmiņa", "Centrs MARTA", Role.CASEWORKER),
    DemoUser("marta.komisija", "Edgars", "Vītols", "Centrs MARTA", Role.COMMISSION_MEMBER),
    DemoUser("dm.socdarb", "Anna", "Siliņa", 'Patvērums "Drošā māja"', Role.CASEWORKER),
    DemoUser("vp.izmekletajs", "Māris", "Eglītis", "Valsts policija", Role.INVESTIGATOR),
    DemoUser(
        "siva.specialists",
        "Inese",
        "Jansone",
        "Sociālās integrācijas valsts aģentūra",
        Role.SIVA_OFFICER,
    ),
    DemoUser("barintiesa", "Gunta", "Balode", "Rīgas bāriņtiesa", Role.CHILD_PROTECTION_OFFICER),
    DemoUser(
        "iem.koordinators", "Rihards", "Lapiņš", "Iekšlietu ministrija", Role.NATIONAL_COORDINATOR
    ),
    DemoUser("vdi.inspektors", "Laura", "Kalēja", "Valsts darba inspekcija", Role.LABOUR_INSPECTOR),
    DemoUser("auditors", "Olga", "Petrova", "Atpazīt sistēmas administrācija", Role.AUDITOR, "ru"),
    DemoUser(
        "koledza.pasniedzejs", "Kārlis", "Grīnbergs", "Valsts robežsardzes koledža", Role.TRAINER
    ),
    DemoUser("koledza.kursants", "Roberts", "Sproģis", "Valsts robežsardzes koledža", Role.TRAINEE),
    DemoUser(
        "sistema.admins",
        "Toms",
        "Kļaviņš",
        "Atpazīt sistēmas administrācija",
        Role.SYSTEM_ADMIN,
        "en",
    ),
]


@transaction.atomic
def load() -> list[str]:
    """Create the demo organisations and users if missing; running it again changes nothing."""
    organisations = {}
    for name, org_type, email in DEMO_ORGANISATIONS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"type": org_type, "email": email}
        )
    lines = []
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "language": demo.language,
                "email": f"{demo.username}@demo.atpazit.invalid",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            TOTPDevice.objects.create(user=user, name="demo authenticator", confirmed=True)
        Membership.objects.get_or_create(
            user=user, organisation=organisations[demo.organisation], defaults={"role": demo.role}
        )
        lines.append(f"{demo.username:<22} {Role(demo.role).label}")
    return lines
