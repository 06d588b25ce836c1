"""Writes for the core referral flow: suspicion, consent, referral tracks, outcomes, hold release.

Every function is keyword-only and typed, checks the actor's permission and organisation, writes
under ``transaction.atomic`` and appends an audit event with codes and ids only (I7). Every
disclosure of personal data to another organisation is recorded in the disclosure log in the same
transaction (I6), and only with a legal basis: the adult's recorded consent, or the law for a child
(I4, I5). A suspicion's removal hold is placed and released only through the cases services, and
its release is refused while any rule of ``hold_release_assessment`` says no (I1).

Who acts on what:
- the organisation that raised the suspicion (the first-contact institution: a Border Guard unit
  or the Ombudsman's Office) records consent and sends referrals and anonymous notifications;
- the person's Border Guard unit confirms the hold, documents the pre-return risk assessment,
  decides on releasing the hold and closes the suspicion;
- only the receiving organisation accepts, declines or assesses a referral; the sender withdraws.

Refusals are the common ones (``atpazit.lib.errors``, re-exported here): ``ServiceError``,
``NotAllowed``, ``InvalidInput``, ``InvalidTransition``, ``ConcurrentEdit``; ``DisclosureRefused``
(no legal basis to disclose) and ``ProposalStale`` (a four-eyes proposal the case outran) are
their subclasses.
"""

from atpazit.lib.errors import (
    ConcurrentEdit,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    ServiceError,
)
from atpazit.referrals.services.common import (
    ANONYMOUS_PAYLOAD_KEYS,
    EU_MEMBER_STATES,
    HTCDS_CASE_STATUS,
    RECIPIENT_PERMISSIONS,
    DisclosureRefused,
    age_band,
    age_from_evidence,
    band_of_age,
    check_open,
    check_receiver,
    check_sender,
    check_unit,
    checked_date,
    clean_text,
    consent_covers,
    current_consent,
    date_errors,
    disclosure_refusal,
    information_sheet_offered,
    is_eu_national,
    local_today,
    lock_suspicion,
    person_languages,
    raise_if_errors,
    referral_url,
    require_permission,
    suspicion_url,
)
from atpazit.referrals.services.four_eyes import (
    ProposalStale,
    approve_hold_release,
    decline_hold_release,
    is_stale,
    proposal_blockers,
    propose_hold_release,
    release_case_state,
)
from atpazit.referrals.services.guardian import (
    RECORD as GUARDIAN_RECORD,
)
from atpazit.referrals.services.guardian import (
    current_appointment,
    end_guardian_appointment,
    record_guardian_appointment,
)
from atpazit.referrals.services.referral import (
    PACKAGE_CATEGORIES,
    anonymous_payload,
    build_package,
    deidentified_payload,
    package_fields,
    package_of,
    send_anonymous_notification,
    send_referrals,
)
from atpazit.referrals.services.release import (
    FOUR_EYES,
    ReleaseAssessment,
    ReleaseBasis,
    close_suspicion,
    decide_hold_release,
    four_eyes_blockers_for,
    hold_release_assessment,
    record_return_risk_assessment,
    release_blockers_for,
    suspicion_hold_blockers,
)
from atpazit.referrals.services.suspicion import (
    CHILD_NOTICE_CATEGORIES,
    confirm_suspicion_hold,
    holding_suspicions,
    raise_suspicion,
    record_consent,
    withdraw_consent,
)
from atpazit.referrals.services.tracks import (
    IdentificationStatus,
    identification_status,
    police_track_status,
    record_commission_assessment,
    record_police_outcome,
    transition_referral,
)

__all__ = [
    "check_open",
    "check_receiver",
    "check_sender",
    "check_unit",
    "checked_date",
    "clean_text",
    "date_errors",
    "local_today",
    "lock_suspicion",
    "raise_if_errors",
    "require_permission",
    "FOUR_EYES",
    "ProposalStale",
    "approve_hold_release",
    "decline_hold_release",
    "four_eyes_blockers_for",
    "is_stale",
    "propose_hold_release",
    "proposal_blockers",
    "release_case_state",
    "ANONYMOUS_PAYLOAD_KEYS",
    "CHILD_NOTICE_CATEGORIES",
    "EU_MEMBER_STATES",
    "HTCDS_CASE_STATUS",
    "RECIPIENT_PERMISSIONS",
    "PACKAGE_CATEGORIES",
    "ConcurrentEdit",
    "DisclosureRefused",
    "IdentificationStatus",
    "InvalidInput",
    "InvalidTransition",
    "NotAllowed",
    "ServiceError",
    "ReleaseAssessment",
    "ReleaseBasis",
    "age_band",
    "age_from_evidence",
    "band_of_age",
    "anonymous_payload",
    "deidentified_payload",
    "build_package",
    "close_suspicion",
    "GUARDIAN_RECORD",
    "current_appointment",
    "end_guardian_appointment",
    "record_guardian_appointment",
    "confirm_suspicion_hold",
    "holding_suspicions",
    "consent_covers",
    "current_consent",
    "decide_hold_release",
    "disclosure_refusal",
    "hold_release_assessment",
    "identification_status",
    "information_sheet_offered",
    "is_eu_national",
    "package_fields",
    "package_of",
    "person_languages",
    "police_track_status",
    "raise_suspicion",
    "record_commission_assessment",
    "record_consent",
    "record_police_outcome",
    "record_return_risk_assessment",
    "referral_url",
    "release_blockers_for",
    "send_anonymous_notification",
    "send_referrals",
    "suspicion_hold_blockers",
    "suspicion_url",
    "transition_referral",
    "withdraw_consent",
]
