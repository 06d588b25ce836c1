"""Every kind of record that belongs to a return case, and what the purge does to each (the
``return_case`` and ``case_messages`` rows of the schedule, in detail).

- ERASE: the row stays (statistics count it); every encrypted field is emptied (names,
  documents, date of birth, contacts, notes, reasons, packages, files), and so are the clear
  fields listed in ``clear`` (references to files outside that carry names: criminal
  proceedings numbers, protocol and decision references, the place of detention).
- DELETE: the rows go (nothing counts them; blind indexes of names and documents, drafts,
  messages and their files).
- KEEP: nothing personal left to erase (codes, dates and ids only); listed so that
  ``tests/test_parts`` can tell a new model with personal data from one that was forgotten.

``person`` names the lookups from the model to the person's id (OR-ed); ``case_number`` says the
model refers to the case by its number instead. Every date and time field of every part counts
as activity of the case (``liveness.last_activity``), plus the ``activity`` lookups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q

from atpazit.aftercare.models import (
    Rehabilitation,
    ResidencePermit,
    ReturnDecision,
    ServiceDecision,
    ServiceRequest,
)
from atpazit.cases.models import (
    AgeChange,
    Hold,
    IdentityDecision,
    IdentityKey,
    Person,
    PersonNameToken,
    PersonRevision,
    PersonStatusChange,
)
from atpazit.deadlines.models import Deadline
from atpazit.escalations.models import Escalation
from atpazit.exchange.models import Attachment, Message
from atpazit.lib.fields import EncryptedTextField
from atpazit.monitoring.models import Observation, ObservationRevision, RemovalRequest
from atpazit.notifications.models import Notification
from atpazit.referrals.models import (
    AnonymousNotification,
    CommissionAssessment,
    Consent,
    GuardianAppointment,
    HoldReleaseProposal,
    LabourNotice,
    PoliceOutcome,
    Referral,
    ReferralTransition,
    ReturnRiskAssessment,
    Suspicion,
)
from atpazit.reflection.models import InformationSheet, ReflectionPeriod
from atpazit.removals.models import ManifestEntry
from atpazit.screening.models import InterviewDraft, ScreeningObservation, ScreeningSession

ERASE = "erase"
DELETE = "delete"
KEEP = "keep"

_SUSPICION = ("suspicion__person",)
_REFERRAL = ("referral__suspicion__person",)


@dataclass(frozen=True)
class Part:
    model: type[models.Model]
    action: str
    person: tuple[str, ...] = ()
    case_number: bool = False
    # Clear (unencrypted) fields to overwrite, with the value they get.
    clear: dict[str, Any] = field(default_factory=dict)
    # Encrypted fields that hold JSON read back by the app: they get an empty object.
    json: tuple[str, ...] = ()
    # More lookups whose dates count as activity of the case (e.g. the operation's departure).
    activity: tuple[str, ...] = ()
    # Which schedule row decides when: the case, or its messages (deleted earlier if shorter).
    record_type: str = "return_case"

    def of(self, person_ids: set[int], case_numbers: set[str]) -> models.QuerySet[Any]:
        """The rows of this part belonging to these persons."""
        if self.case_number:
            return self.model._default_manager.filter(case_number__in=case_numbers)
        condition = Q()
        for lookup in self.person:
            condition |= Q(**{f"{lookup}__in": person_ids})
        return self.model._default_manager.filter(condition)

    def erased_values(self) -> dict[str, Any]:
        """What ERASE writes: every encrypted field emptied, JSON ones to ``{}``, plus ``clear``."""
        values: dict[str, Any] = {}
        for model_field in self.model._meta.concrete_fields:
            if isinstance(model_field, EncryptedTextField):
                values[model_field.name] = "{}" if model_field.name in self.json else ""
        values.update(self.clear)
        return values


PARTS: tuple[Part, ...] = (
    # --- cases ---
    Part(
        Person,
        ERASE,
        person=("pk",),
        clear={
            "detention_place_other": "",
            "return_decision_reference": "",
            "languages": [],
            "preferred_language": "",
        },
    ),
    Part(PersonStatusChange, ERASE, person=("person",)),
    Part(Hold, ERASE, person=("person",), clear={"release_decision_reference": ""}),
    Part(AgeChange, ERASE, person=("person",), json=("proposed", "before")),
    # The reason names both records; erased once both are purged (services._erase_decisions).
    Part(IdentityDecision, KEEP, person=("person", "other")),
    Part(PersonRevision, KEEP, person=("person",)),
    Part(PersonNameToken, DELETE, person=("person",)),
    Part(IdentityKey, DELETE, person=("person",)),
    # --- screening ---
    Part(ScreeningSession, ERASE, person=("person",)),
    Part(ScreeningObservation, ERASE, person=("session__person",)),
    Part(InterviewDraft, DELETE, person=("session__person",)),
    # --- referrals ---
    Part(Suspicion, ERASE, person=("person",)),
    Part(Consent, ERASE, person=_SUSPICION),
    Part(AnonymousNotification, KEEP, person=_SUSPICION),
    Part(LabourNotice, KEEP, person=("screening__person",)),
    Part(Referral, ERASE, person=_SUSPICION, json=("package",)),
    Part(ReferralTransition, ERASE, person=_REFERRAL),
    Part(CommissionAssessment, ERASE, person=_REFERRAL, clear={"protocol_reference": ""}),
    Part(PoliceOutcome, ERASE, person=_REFERRAL, clear={"proceedings_reference": ""}),
    Part(ReturnRiskAssessment, ERASE, person=_SUSPICION),
    Part(HoldReleaseProposal, ERASE, person=_SUSPICION, clear={"decision_reference": ""}),
    Part(GuardianAppointment, ERASE, person=_SUSPICION),
    # --- reflection, aftercare ---
    Part(InformationSheet, ERASE, person=_SUSPICION),
    Part(ReflectionPeriod, ERASE, person=_SUSPICION, clear={"decision_reference": ""}),
    Part(ServiceRequest, KEEP, person=_SUSPICION),
    Part(ServiceDecision, ERASE, person=_SUSPICION, clear={"reference": ""}),
    Part(Rehabilitation, KEEP, person=_SUSPICION),
    Part(ResidencePermit, ERASE, person=_SUSPICION, clear={"reference": ""}),
    Part(ReturnDecision, ERASE, person=_SUSPICION, clear={"reference": ""}),
    # --- the secure exchange: deleted (attachments first, they protect their message) ---
    Part(
        Attachment,
        DELETE,
        person=("message__referral__suspicion__person", "message__suspicion__person"),
        record_type="case_messages",
    ),
    Part(
        Message,
        DELETE,
        person=("referral__suspicion__person", "suspicion__person"),
        record_type="case_messages",
    ),
    # --- removals and monitoring: what concerns the person ---
    Part(
        ManifestEntry,
        KEEP,
        person=("person",),
        activity=("operation__departure_at", "operation__updated_at"),
    ),
    Part(Observation, ERASE, person=("person",)),
    Part(ObservationRevision, ERASE, person=("observation__person",)),
    Part(RemovalRequest, ERASE, person=("person",)),
    # --- by case number ---
    Part(Deadline, KEEP, case_number=True),
    Part(Escalation, ERASE, case_number=True),
    Part(Notification, DELETE, case_number=True),
)
