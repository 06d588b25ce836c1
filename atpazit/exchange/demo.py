"""Demo messages in the secure exchange: a short, invented conversation between the Riga Border
Guard unit and Centrs MARTA about one demo referral, with a small invented PDF attached; and one
message of the Riga orphan's court to the Border Guard about the demo child.

Written through ``post_message`` and ``post_child_message``, so the disclosure log, notifications and audit trail show it as
they would in use. Running ``atpazit demo`` again adds nothing: a thread with messages is left
alone. Needs the accounts, cases and referrals demos.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership
from atpazit.exchange.child import post_child_message
from atpazit.exchange.services import post_message
from atpazit.referrals.models import Referral, Suspicion

RIGA = "Valsts robežsardzes Rīgas pārvalde"
MARTA = "Centrs MARTA"
COURT = "Rīgas bāriņtiesa"
# A one-page PDF with invented text, small enough to keep in the source.
INVITATION = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 60>>stream\nBT /F1 14 Tf 72 770 Td (Uzaicinajums uz sarunu - demo) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _actor(username: str) -> Actor | None:
    membership = (
        Membership.objects.filter(user__username=username, is_active=True)
        .select_related("user", "organisation")
        .first()
    )
    return Actor(user=membership.user, membership=membership) if membership else None


@transaction.atomic
def load() -> list[str]:
    """Add the demo conversation and the message about the demo child where their threads are
    still empty; idempotent."""
    return [_referral_conversation(), _child_message()]


def _referral_conversation() -> str:
    officer, caseworker = _actor("rs.inspektors"), _actor("marta.socdarb")
    referral = (
        Referral.objects.filter(
            to_organisation__name=MARTA,
            suspicion__raised_by_organisation__name=RIGA,
            status__in=[Referral.Status.ACCEPTED, Referral.Status.ASSESSING],
            legal_basis=Referral.LegalBasis.CONSENT,
        )
        .order_by("pk")
        .first()
    )
    if officer is None or caseworker is None or referral is None:
        return "exchange: no demo referral to MARTA yet; load the referrals demo first"
    if referral.messages.exists():
        return "exchange: the demo thread is already there"
    post_message(
        actor=officer,
        referral=referral,
        body=(
            "Persona atrodas Muceniekos. Tulks uzbeku valodā ir pieejams otrdienās un "
            "ceturtdienās. Plānotā izraidīšana ir apturēta, kamēr nosūtījums tiek izskatīts."
        ),
    )
    post_message(
        actor=caseworker,
        referral=referral,
        body=(
            "Paldies. Ieradīsimies ceturtdien plkst. 10:00. Lūdzu, sagatavojiet telpu sarunai "
            "bez apsardzes klātbūtnes. Pielikumā uzaicinājums personai."
        ),
        files=[SimpleUploadedFile("uzaicinajums-uz-sarunu.pdf", INVITATION)],
    )
    return f"exchange: a demo conversation on referral {referral.pk} ({MARTA})"


def _child_message() -> str:
    court = _actor("barintiesa")
    suspicion = (
        Suspicion.objects.filter(child_path=True, orphans_court__name=COURT)
        .filter(person__return_decision_reference__startswith="RS/DEMO-THB-")
        .order_by("pk")
        .first()
    )
    if court is None or suspicion is None:
        return "exchange: no demo child yet; load the referrals demo first"
    if suspicion.child_messages.exists():
        return "exchange: the demo child's thread is already there"
    post_child_message(
        actor=court,
        suspicion=suspicion,
        body=(
            "Bāriņtiesa iecēla bērnam pagaidu aizbildni (lēmums pievienots lietā). Lūdzam "
            "paziņot, kad plānota bērna nākamā saruna, lai aizbildne varētu piedalīties."
        ),
    )
    return f"exchange: a demo message about the child of suspicion {suspicion.pk}"
