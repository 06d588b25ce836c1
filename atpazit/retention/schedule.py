"""The retention schedule (DESIGN §7): how long each type of record is kept, what happens to it
then, and why. One table, read by the purge (``services.purge``), the report page and
docs/data-retention.md.

Periods are days, counted from the END of the last activity of the record (for a return case:
the latest date or time anywhere on any record of the human, see ``liveness``), never from its
creation. Each period is a setting with a default; no default here is set by a law that
domain.md cites, so every one is marked for confirmation by the controller's data protection
officer (``confirm``). A record type with no period is kept: the purge never touches it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# What happens when the period has passed.
ANONYMISE = "anonymise"
DELETE = "delete"
KEEP = "keep"

ACTIONS: dict[str, Promise] = {
    ANONYMISE: pgettext_lazy("retention action", "anonymise"),
    DELETE: pgettext_lazy("retention action", "delete"),
    KEEP: pgettext_lazy("retention action", "keep (not purged)"),
}

# Record type codes (audit details and the report use the codes).
RETURN_CASE = "return_case"
CASE_MESSAGES = "case_messages"
NOTIFICATION = "notification"
OUTGOING_EMAIL = "outgoing_email"
WEBHOOK_DELIVERY = "webhook_delivery"
AUDIT_TRAIL = "audit_trail"
MONITORING = "monitoring"
TRAINING = "training"


@dataclass(frozen=True)
class RecordType:
    code: str
    name: Promise
    # What the record type covers, in words.
    covers: Promise
    action: str
    # The setting that holds the period in days (None: kept, no period).
    setting: str | None
    default_days: int | None
    # Why the record is kept that long and why this action (legal basis or purpose).
    reason: Promise
    # True: the default is a placeholder the controller's DPO must confirm or change.
    confirm: bool = True

    @property
    def action_label(self) -> Promise:
        return ACTIONS[self.action]

    @property
    def days(self) -> int | None:
        """The period in force: the setting, else the default (None: kept)."""
        if self.setting is None:
            return None
        value = getattr(settings, self.setting, None)
        return self.default_days if value is None else int(value)


SCHEDULE: tuple[RecordType, ...] = (
    RecordType(
        code=RETURN_CASE,
        name=_("Return case"),
        covers=_(
            "The person's record and everything about them: screenings, suspicions, consents, "
            "referrals and their outcomes, holds, reflection period, SIVA decision, "
            "rehabilitation, residence permit, guardian, monitoring observations and requests "
            "about the person, identity links. Every record of the same human counts as one case."
        ),
        action=ANONYMISE,
        setting="ATPAZIT_RETENTION_CASE_DAYS",
        default_days=5 * 365 + 1,
        reason=_(
            "Kept while the case may still be needed: the identification, services (up to 180 "
            "days of rehabilitation and consultations within 2 years after it, Cabinet "
            "Regulation No. 344 para 4), a return of the same person, a complaint. Then the "
            "names, documents, date of birth, contacts, free text, files and references are "
            "erased; the de-identified rest (sex, citizenship, year of birth, indicator codes, "
            "dates, statuses, organisations) stays, so the statistics keep their counts."
        ),
    ),
    RecordType(
        code=CASE_MESSAGES,
        name=_("Messages and attachments of a case"),
        covers=_(
            "The secure exchange about a referral or a child: message texts and attached files."
        ),
        action=DELETE,
        setting="ATPAZIT_RETENTION_MESSAGES_DAYS",
        default_days=5 * 365 + 1,
        reason=_(
            "Working correspondence between institutions; no statistic counts it. Deleted with "
            "the case (never before the case is no longer live), or earlier if a shorter "
            "period is set."
        ),
    ),
    RecordType(
        code=NOTIFICATION,
        name=_("Notifications"),
        covers=_("In-app notifications: a kind, a case number and a link, never a name."),
        action=DELETE,
        setting="ATPAZIT_RETENTION_NOTIFICATION_DAYS",
        default_days=365,
        reason=_("They only point at work; the work itself is kept in the case."),
    ),
    RecordType(
        code=OUTGOING_EMAIL,
        name=_("Sent e-mails"),
        covers=_(
            "Copies of e-mails sent or given up (the user's address, a subject and a link; no "
            "personal data of the persons concerned)."
        ),
        action=DELETE,
        setting="ATPAZIT_RETENTION_EMAIL_DAYS",
        default_days=90,
        reason=_("Kept long enough to answer a question about a delivery."),
    ),
    RecordType(
        code=WEBHOOK_DELIVERY,
        name=_("Webhook deliveries"),
        covers=_(
            "Events sent to a partner's system that have ended (delivered, given up or "
            "cancelled): a case number, a state and ids, exactly as sent."
        ),
        action=DELETE,
        setting="ATPAZIT_RETENTION_WEBHOOK_DAYS",
        default_days=90,
        reason=_("Kept long enough to answer a question about a delivery."),
    ),
    RecordType(
        code=AUDIT_TRAIL,
        name=_("Audit trail and disclosure log"),
        covers=_(
            "Who did what and when, and every disclosure between organisations (codes, ids and "
            "case numbers only, never names or free text)."
        ),
        action=KEEP,
        setting=None,
        default_days=None,
        reason=_(
            "The evidence that personal data was handled lawfully (invariant I7). A hash chain: "
            "deleting an event would break its verification. Once a case is anonymised its "
            "case number points to no one in the system."
        ),
    ),
    RecordType(
        code=MONITORING,
        name=_("Monitoring of removal operations"),
        covers=_(
            "Missions, checklists, findings, recommendations and reports about an operation "
            "(observations and requests about a person are part of the person's case)."
        ),
        action=KEEP,
        setting=None,
        default_days=None,
        reason=_(
            "The Ombudsman's monitoring file about an operation, not about a person. Its period "
            "is for the Ombudsman's Office to set; until then it is kept."
        ),
    ),
    RecordType(
        code=TRAINING,
        name=_("Training records"),
        covers=_("Practice attempts and certificates of staff on synthetic scenarios."),
        action=KEEP,
        setting=None,
        default_days=None,
        reason=_(
            "Staff training history; no data about persons in return procedures. Its period is "
            "for the employer to set; until then it is kept."
        ),
    ),
)

BY_CODE: dict[str, RecordType] = {record.code: record for record in SCHEDULE}


def period_days(code: str) -> int | None:
    """The period of a record type in force, in days (None: not purged)."""
    return BY_CODE[code].days
