"""After identification (DESIGN.md §3 step 7): SIVA's service decision, social rehabilitation,
the residence permit and the return decision that follows.

- The provider asks SIVA for a service decision once the person is identified on a track
  (``request_service_decision``); SIVA assigns the service, queues the person or refuses within 3
  working days (Cabinet Regulation No. 344 practice; the SIVA_DECISION deadline escalates to the
  Ombudsman when missed).
- SIVA sees only the persons a provider asked it about, and only the case number, the child-path
  marker, how and when the person was identified, and the provider (``siva_suspicions_visible_to``).
- Rehabilitation runs up to 180 days from its start (the REHABILITATION_END rule).
- A recognised person's hold ends only after a residence permit is granted or a return decision
  is recorded (``residence_or_return_decided``, called by the hold-release rule); assisted
  voluntary return is one such decision, and a way to close the case.

Services are keyword-only, check the permission and scope, write under ``transaction.atomic``,
audit every write, and record every disclosure to another organisation (I6, I7).
"""

from atpazit.aftercare.common import (
    RESIDENCE_TRANSITIONS,
    SIVA_CATEGORIES,
    followup_url,
    get_aftercare_case,
)
from atpazit.aftercare.rehabilitation import (
    RehabilitationCounter,
    end_rehabilitation,
    rehabilitation_blockers,
    rehabilitation_counter,
    rehabilitation_days,
    start_rehabilitation,
)
from atpazit.aftercare.residence import (
    allowed_permit_statuses,
    latest_permit,
    permit_in_force,
    record_residence_permit,
    record_return_decision,
    residence_blockers,
    residence_or_return_decided,
    return_blockers,
)
from atpazit.aftercare.siva import (
    FINAL_DECISIONS,
    SivaCase,
    SivaInbox,
    decided_requests,
    decision_due,
    get_service_request_for_user,
    latest_service_decision,
    pending_request,
    queued_requests,
    record_service_decision,
    request_blockers,
    request_service_decision,
    service_requests_for,
    siva_case,
    siva_inbox,
    siva_organisations,
    siva_panel,
    siva_suspicions_visible_to,
    waiting_requests,
)

__all__ = [
    "FINAL_DECISIONS",
    "RESIDENCE_TRANSITIONS",
    "SIVA_CATEGORIES",
    "RehabilitationCounter",
    "SivaCase",
    "SivaInbox",
    "allowed_permit_statuses",
    "decided_requests",
    "decision_due",
    "end_rehabilitation",
    "followup_url",
    "get_aftercare_case",
    "get_service_request_for_user",
    "latest_permit",
    "latest_service_decision",
    "pending_request",
    "permit_in_force",
    "queued_requests",
    "record_residence_permit",
    "record_return_decision",
    "record_service_decision",
    "rehabilitation_blockers",
    "rehabilitation_counter",
    "rehabilitation_days",
    "request_blockers",
    "request_service_decision",
    "residence_blockers",
    "residence_or_return_decided",
    "return_blockers",
    "service_requests_for",
    "siva_case",
    "siva_inbox",
    "siva_organisations",
    "siva_panel",
    "siva_suspicions_visible_to",
    "start_rehabilitation",
    "waiting_requests",
]
