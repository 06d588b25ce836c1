"""What each kind of notification says. Texts carry no personal data: not a name, not even the
case number — only that something awaits the reader, and a link (DESIGN.md §7)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

NOTIFICATION_TEXTS: dict[str, Promise] = {
    "referral.received": _("A referral is waiting for you."),
    "referral.accepted": _("A referral you sent was accepted."),
    "referral.declined": _("A referral you sent was declined."),
    "referral.withdrawn": _("A referral to you was withdrawn."),
    "notification.anonymous": _(
        "An anonymous notification of a possible trafficking victim is waiting for you."
    ),
    "hold.placed": _("A removal hold was placed and waits for your confirmation."),
    "hold.released": _("A removal hold was released."),
    "identification.decided": _("An identification decision was recorded."),
    "siva.decision_requested": _("A service decision is waiting for you."),
    "child.guardian_notice": _("A possible child victim needs a guardian's attention."),
    "child.guardian_changed": _(
        "The orphan's court recorded a change of a child's guardian or legal representative."
    ),
    "message.received": _("A new message is waiting for you in a referral thread."),
    "child_message.received": _(
        "A new message about a child is waiting for you in the thread between the orphan's court "
        "and the Border Guard."
    ),
    "deadline.reminder": _("A deadline is approaching."),
    "deadline.overdue": _("A deadline has passed and was escalated."),
    "escalation.raised": _("A new escalation is waiting for you."),
    "removal.conflict": _("A removal operation has a blocking conflict."),
    "referral.expired": _("A referral to you was closed because it was not answered in time."),
    "consent.withdrawn": _(
        "A person withdrew their consent: disclose nothing more on that referral."
    ),
    "hold.rescreen_required": _(
        "A removal hold was released: screen the person again before any rescheduled removal."
    ),
    "hold.release_proposed": _(
        "A release of a removal hold was proposed and waits for a second case officer."
    ),
    "hold.released_four_eyes": _(
        "A removal hold was released by two case officers without a decision on identification."
    ),
    "reflection.granted": _("A reflection period was granted: no removal while it runs."),
    "reflection.ended_early": _("A reflection period was ended early."),
    "siva.decided": _("SIVA recorded a service decision."),
    # Forced-return monitoring: findings and recommendations (monitoring/findings.py).
    "monitoring.recommendation_sent": _(
        "The Ombudsman's Office sent a monitoring recommendation to your unit: answer it."
    ),
    "monitoring.recommendation_answered": _(
        "The Border Guard answered a monitoring recommendation."
    ),
    "followup.decision_recorded": _("A residence-permit or return decision was recorded."),
    "removal.interview_before_departure": _(
        "A person on a removal operation needs a closer interview before departure: consider "
        "deferring them until it is done."
    ),
    "labour_notice.received": _("A notice of possible labour exploitation is waiting for you."),
    "monitoring.mission_assigned": _("You were assigned to a forced-return monitoring mission."),
    "monitoring.mission_announced": _(
        "The Ombudsman's Office announced that it will monitor one of your removal operations."
    ),
    "monitoring.removal_requested": _(
        "A monitor asks for a person to be taken off a removal operation's manifest: answer "
        "the request."
    ),
    "monitoring.trafficking_signs": _(
        "A monitor recorded signs of trafficking about a person on a removal operation: the "
        "screening rules advise an interview before departure or a referral. Act before the "
        "person is handed over."
    ),
    "monitoring.notice_late": _(
        "The Border Guard informed the office of a monitored removal operation too late: the "
        "late notice was escalated."
    ),
    "monitoring.removal_request_answered": _(
        "The Border Guard answered a request to take a person off a manifest."
    ),
    "webhook.endpoint_disabled": _(
        "A webhook endpoint of your organisation was disabled because its deliveries kept "
        "failing: check the receiving system, then resume it."
    ),
    "account.sign_in_reset": _(
        "An administrator reset your two-factor sign-in and password. If you did not ask for "
        "this, tell your organisation's data protection officer at once."
    ),
}


def text_for(kind: str) -> str:
    """The translated text of a kind, in the active language; unknown kinds get a neutral line."""
    text = NOTIFICATION_TEXTS.get(kind)
    return str(text) if text is not None else str(_("Something in Atpazīt is waiting for you."))


# Kinds that announce a de-identified notice: their recipients see the week, not the minute.
DEIDENTIFIED_KINDS = frozenset({"notification.anonymous", "labour_notice.received"})
