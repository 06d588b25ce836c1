"""Return cases in the states the purge tells apart. Every name is invented.

``finished_case`` is a case whose every track has ended today: the person departed, the hold
was released, the suspicion closed after rehabilitation, the provider recognised the person,
SIVA assigned the service, the reflection period is over, a permit was granted until today.
Its last activity therefore ends at the end of today (``end_of_today``).
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
from dataclasses import dataclass

from django.utils import timezone

from atpazit.accounts.models import Organisation
from atpazit.aftercare.tests.factories import (
    AssignedServiceDecisionFactory,
    GrantedResidencePermitFactory,
    RehabilitationFactory,
)
from atpazit.cases.models import Hold, Person
from atpazit.cases.tests.factories import PersonFactory
from atpazit.exchange.models import Attachment, Message
from atpazit.notifications.models import Notification
from atpazit.referrals.models import Referral, Suspicion
from atpazit.referrals.tests.factories import (
    ConsentedSuspicionFactory,
    RecognisedReferralFactory,
)
from atpazit.reflection.tests.factories import EndedReflectionPeriodFactory
from atpazit.screening.models import ScreeningSession
from atpazit.screening.tests.factories import DecidedSessionFactory


def end_of_today() -> dt.datetime:
    """When a case whose last dates are today stops being active: midnight in Riga."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time()))


@dataclass
class FinishedCase:
    person: Person
    screening: ScreeningSession
    suspicion: Suspicion
    referral: Referral
    message: Message


GIVEN_NAMES = ("Dilshod", "Farrukh", "Nodira", "Sardor", "Malika", "Jasur", "Zarina", "Bekzod")
_serial = itertools.count()


def finished_case(unit: Organisation, provider: Organisation, **person: object) -> FinishedCase:
    """A whole case, every track ended today (see the module docstring). Each one is another
    human: names, date of birth and document differ, so no two are likely duplicates."""
    n = next(_serial)
    fields: dict[str, object] = {
        "status": Person.Status.DEPARTED,
        "given_names": GIVEN_NAMES[n % len(GIVEN_NAMES)],
        "family_name": f"Rahimov{n}",
        "date_of_birth": f"{1970 + n % 30}-{1 + n % 12:02d}-{1 + n % 28:02d}",
        "birth_year": 1970 + n % 30,
        "document_numbers": f"FA{1000000 + n}",
        "contact_details": "+371 20000000",
        "aliases": "Dilshod K.",
        "detention_place_other": "Rīgas iecirknis",
        **person,
    }
    record: Person = PersonFactory(organisation=unit, **fields)
    screening = DecidedSessionFactory(
        person=record,
        interpreter_name="Tulks Aziz",
        decision_reason="Stāsta par parādu.",
        indicators=("DR-01",),
        notes={"DR-01": "Pase pie darba devēja."},
    )
    suspicion = ConsentedSuspicionFactory(person=record)
    referral = RecognisedReferralFactory(suspicion=suspicion, to_organisation=provider)
    EndedReflectionPeriodFactory(suspicion=suspicion)
    AssignedServiceDecisionFactory(request__suspicion=suspicion)
    RehabilitationFactory(suspicion=suspicion, ended_on=timezone.localdate())
    GrantedResidencePermitFactory(suspicion=suspicion, valid_until=timezone.localdate())
    message = Message.objects.create(
        referral=referral,
        author=referral.sent_by,
        author_organisation=provider,
        body="Dilshod ieradīsies pirmdien.",
    )
    Attachment.objects.create(
        message=message,
        filename="pase.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        content=base64.b64encode(b"%PDF-1.7").decode(),
    )
    Notification.objects.create(
        recipient=referral.sent_by,
        organisation=unit,
        kind="referral.received",
        link="/referrals/",
        case_number=record.case_number,
    )
    now = timezone.now()
    Hold.objects.filter(person=record).update(
        released_at=now,
        release_reason="Atzīts; rehabilitācija beigusies.",
        release_decision_reference="RS-1",
    )
    Suspicion.objects.filter(pk=suspicion.pk).update(
        closed_at=now, closure_reason=Suspicion.ClosureReason.REHABILITATION_COMPLETED
    )
    return FinishedCase(record, screening, suspicion, referral, message)
