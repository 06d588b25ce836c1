"""The State Labour Inspectorate's de-identified notices (DESIGN.md §5 R4, issue 9 item 6).

When a screener records the decision "refer to the State Labour Inspectorate", every active
labour-inspectorate organisation receives a notice with exactly the keys of an anonymous
notification (sex, age band, nationality, indicator codes, kind of place, date): no name, case
number, date of birth or free text (I5, I6). Each notice is a disclosure with the legal basis
"anonymous" in the disclosure log, an in-app notification to whoever may read the notices (the
permission table decides) and the usual e-mail without personal data.

The screening app does not import this module: ``ReferralsConfig.ready`` registers
``on_screening_decided`` with ``screening.hooks``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.accounts.roles import OrganisationType
from atpazit.audit.models import AuditEvent
from atpazit.audit.services import log_event, record_disclosure
from atpazit.notifications.services import notify
from atpazit.referrals.models import LabourNotice
from atpazit.referrals.services.common import ANONYMOUS_PAYLOAD_KEYS
from atpazit.referrals.services.referral import deidentified_payload
from atpazit.screening.models import Decision

READ = "referrals.labour_notice:read"
LABOUR_INSPECTORATE_DECISION = Decision.LABOUR_INSPECTORATE.value
NOTIFICATION_KIND = "labour_notice.received"
PURPOSE = "de-identified notice of possible labour exploitation (R4)"


def on_screening_decided(session: Any, actor: Actor | None) -> None:
    """Listener for ``screening.hooks.screening_decided``: a decision to refer to the labour
    inspectorate sends the notices, in the decision's transaction."""
    if session.decision == LABOUR_INSPECTORATE_DECISION and actor is not None:
        send_labour_notices(actor=actor, session=session)


def send_labour_notices(*, actor: Actor, session: Any) -> list[LabourNotice]:
    """Send one de-identified notice per active labour inspectorate about ``session``.

    Called only from the screening decision (inside its transaction). Idempotent per
    inspectorate. If no inspectorate is registered, nothing is sent and the gap is audited
    (``labour_notice.no_recipient``, outcome failure) so an administrator can see it.
    """
    recipients = list(
        Organisation.objects.filter(
            type=OrganisationType.LABOUR_INSPECTORATE, is_active=True
        ).order_by("pk")
    )
    if not recipients:
        log_event(
            "labour_notice.no_recipient",
            obj=session,
            outcome=AuditEvent.Outcome.FAILURE,
            details={"screening": session.pk},
        )
        return []
    codes = sorted(session.observations.values_list("indicator", flat=True))
    on = timezone.localtime(session.completed_at or timezone.now()).date()
    payload = deidentified_payload(session.person, on, codes)
    sent = []
    for recipient in recipients:
        notice, created = LabourNotice.objects.get_or_create(
            screening=session,
            to_organisation=recipient,
            defaults={
                "from_organisation": session.organisation,
                "payload": payload,
                "sent_by": actor.user,
            },
        )
        if created:
            _announce(actor, session, notice)
            sent.append(notice)
    return sent


def _announce(actor: Actor, session: Any, notice: LabourNotice) -> None:
    record_disclosure(
        from_organisation=session.organisation,
        to_organisation=notice.to_organisation,
        subject=notice,
        legal_basis="anonymous",
        purpose=PURPOSE,
        data_categories=list(ANONYMOUS_PAYLOAD_KEYS),
        # The log is the sender's and the auditor's: the case number stays there, never with
        # the recipient (the notification below carries none).
        case_number=session.person.case_number,
        recorded_by=actor.user,
    )
    notify(
        organisation=notice.to_organisation,
        kind=NOTIFICATION_KIND,
        link=reverse("referrals:labour_notice_detail", kwargs={"pk": notice.pk}),
        permission=READ,
    )
    log_event(
        "labour_notice.sent",
        obj=notice,
        details={"to": notice.to_organisation_id, "screening": session.pk},
    )


# --- reads (the inspectorate) ------------------------------------------------------------------


def labour_notices_visible_to(actor: Actor) -> QuerySet[LabourNotice]:
    """Notices sent to the actor's organisation, for holders of ``referrals.labour_notice:read``;
    none for anyone else (deny when unsure)."""
    organisation = actor.organisation
    if organisation is None or not actor.can(READ):
        return LabourNotice.objects.none()
    return LabourNotice.objects.filter(to_organisation=organisation)


def get_labour_notice_for_user(actor: Actor, pk: int, *, shown: bool = False) -> LabourNotice:
    """One notice of the actor's organisation; 404 for anything else (I6). With ``shown`` the
    read is audited here as ``labour_notice.viewed`` (I7)."""
    try:
        notice = labour_notices_visible_to(actor).get(pk=pk)
    except LabourNotice.DoesNotExist:
        raise Http404(_("No such notice.")) from None
    if shown:
        log_event("labour_notice.viewed", obj=notice)
    return notice


def labour_notices_panel(actor: Actor) -> Any:
    """Dashboard: the newest notices for the inspectorate."""
    from atpazit.lib.registry import Panel

    if not actor.can(READ):
        return None
    notices = list(labour_notices_visible_to(actor).only("pk", "sent_at", "payload")[:10])
    return Panel(
        title=_("Notices of possible labour exploitation"),
        template="referrals/panel_labour_notices.html",
        context={"notices": notices},
    )
