"""Labels, in the reader's language, for the codes the audit trail and the disclosure log store.

The trail and the log keep stable codes (``cases.person``, ``case_number``, the purpose as the
service wrote it); the auditor's pages show these labels beside the ids. A code without a label
is shown as it is, so nothing is hidden; ``audit/tests/test_labels.py`` checks that every code
the services write has one.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# What an audit event is about: ``AuditEvent.object_type`` (an ``app.model`` label).
OBJECT_TYPES: dict[str, Promise] = {
    "accounts.organisation": _("organisation"),
    "accounts.user": _("user"),
    "accounts.membership": _("membership"),
    "accounts.passwordlink": _("link to set a password"),
    "audit.auditevent": _("audit event"),
    "audit.chain": _("audit chain"),
    "audit.disclosure": _("disclosure"),
    "screening.screeningsession": _("screening"),
    "screening.screeningobservation": _("observed indicator"),
    "screening.interviewdraft": _("interview draft"),
    "cases.person": _("person (return case)"),
    "cases.identitydecision": _("decision on two records"),
    "cases.hold": _("removal hold"),
    "removals.removaloperation": _("removal operation"),
    "removals.manifestentry": _("manifest entry"),
    "escalations.escalation": pgettext_lazy("audit object", "escalation"),
    "notifications.notification": _("notification"),
    "deadlines.deadline": _("deadline"),
    "referrals.suspicion": _("suspicion of trafficking"),
    "referrals.consent": _("consent"),
    "referrals.anonymousnotification": _("anonymous notification"),
    "referrals.labournotice": _("labour inspectorate notice"),
    "referrals.referral": _("referral"),
    "referrals.commissionassessment": _("commission assessment"),
    "referrals.policeoutcome": _("police outcome"),
    "referrals.returnriskassessment": _("pre-return risk assessment"),
    "referrals.holdreleaseproposal": _("proposal to release a hold (four eyes)"),
    "referrals.guardianappointment": _("appointment of a guardian or legal representative"),
    "reflection.informationsheet": _("information sheet"),
    "reflection.reflectionperiod": _("reflection period"),
    "aftercare.servicerequest": _("request to SIVA"),
    "aftercare.servicedecision": _("SIVA service decision"),
    "aftercare.rehabilitation": _("social rehabilitation"),
    "aftercare.residencepermit": _("residence permit"),
    "aftercare.returndecision": _("return decision"),
    "exchange.message": _("message"),
    "exchange.attachment": _("attachment"),
    "monitoring.mission": _("monitoring mission"),
    "monitoring.missionstage": _("mission stage"),
    "monitoring.missionstatuschange": _("change of a mission's status"),
    "monitoring.checklistanswer": _("checklist answer"),
    "monitoring.observation": _("monitoring observation"),
    "monitoring.removalrequest": _("request to take a person off the manifest"),
}
# Before issue 10 these lived in referrals; old events keep the old labels.
OBJECT_TYPES.update(
    {
        "referrals.informationsheet": OBJECT_TYPES["reflection.informationsheet"],
        "referrals.reflectionperiod": OBJECT_TYPES["reflection.reflectionperiod"],
        "referrals.servicerequest": OBJECT_TYPES["aftercare.servicerequest"],
        "referrals.servicedecision": OBJECT_TYPES["aftercare.servicedecision"],
        "referrals.rehabilitation": OBJECT_TYPES["aftercare.rehabilitation"],
        "referrals.residencepermit": OBJECT_TYPES["aftercare.residencepermit"],
        "referrals.returndecision": OBJECT_TYPES["aftercare.returndecision"],
        "referrals.message": OBJECT_TYPES["exchange.message"],
        "referrals.attachment": OBJECT_TYPES["exchange.attachment"],
    }
)

# What kinds of data left an organisation: ``Disclosure.data_categories``.
DATA_CATEGORIES: dict[str, Promise] = {
    "reference": _("case reference (case number, sender, date, legal basis, consent)"),
    "identity": _("names"),
    "age": _("age"),
    "age_band": _("age band"),
    "sex": _("sex"),
    "nationality": _("nationality"),
    "languages": _("languages"),
    "location": _("place of detention"),
    "place": _("region"),
    "date": pgettext_lazy("data category", "date"),
    "removal_date": _("planned removal date"),
    "suspicion": pgettext_lazy("data category", "suspicion and its reasons"),
    "indicators": _("indicators found"),
    "hold": pgettext_lazy("data category", "removal hold"),
    "referral_status": _("state of the referral"),
    "identification_outcome": _("outcome of identification"),
    "identification_route": _("route of identification"),
    "identification_date": _("date of identification"),
    "case_number": pgettext_lazy("data category", "case number"),
    "child_path": _("child path"),
    "provider": _("service provider"),
    "service_decision": _("SIVA service decision"),
    "residence_or_return_decision": _("residence permit or return decision"),
    "reflection_period": _("reflection period"),
    "rehabilitation_dates": _("dates of social rehabilitation"),
    "message": _("message text"),
    "attachments": _("attached files"),
    "guardian": _("guardian or legal representative (name, contact, decision)"),
}

# Why: ``Disclosure.purpose`` as the services write it (English, fixed texts).
PURPOSES: dict[str, Promise] = {
    "removal hold on a suspicion of trafficking": _("removal hold on a suspicion of trafficking"),
    "identification outcome for the removal hold": _("identification outcome for the removal hold"),
    "child protection: guardian and best interests": _(
        "child protection: guardian and best interests"
    ),
    "referral for identification (provider track)": _(
        "referral for identification (provider track)"
    ),
    "referral for identification (police track)": _("referral for identification (police track)"),
    "anonymous notification of a possible victim": _("anonymous notification of a possible victim"),
    "de-identified notice of possible labour exploitation (R4)": _(
        "de-identified notice of possible labour exploitation (R4)"
    ),
    "secure exchange": _("message in the secure exchange"),
    "child protection: guardian appointment": _("child protection: guardian appointment"),
    "secure exchange about a child": _("message about a child (orphan's court and Border Guard)"),
    "reflection period granted: no removal while it runs": _(
        "reflection period granted: no removal while it runs"
    ),
    "reflection period ended early": _("reflection period ended early"),
    "state-funded social rehabilitation: start": _("state-funded social rehabilitation: start"),
    "state-funded social rehabilitation: end": _("state-funded social rehabilitation: end"),
    "residence permit track": _("residence permit track"),
    "return decision after identification": _("return decision after identification"),
    "decision on state-funded social rehabilitation (Cabinet Regulation No. 344)": _(
        "decision on state-funded social rehabilitation (Cabinet Regulation No. 344)"
    ),
    "SIVA's service decision, to the provider that asked": _(
        "SIVA's service decision, to the provider that asked"
    ),
}


def object_label(object_type: str) -> str:
    """The object type in the active language; the stored code if it has no label."""
    label = OBJECT_TYPES.get(object_type)
    return str(label) if label is not None else object_type


def category_labels(codes: list[str]) -> list[str]:
    return [str(DATA_CATEGORIES.get(code, code)) for code in codes]


def purpose_label(purpose: str) -> str:
    label = PURPOSES.get(purpose)
    return str(label) if label is not None else purpose
