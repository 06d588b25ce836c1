"""The secure thread about a child: the orphan's court and the Border Guard (issue 11 §6).

A child-path suspicion with an orphan's court has one thread between two sides: that court, and
the Border Guard unit that raised the suspicion (or, when the Ombudsman's Office raised it, the
unit that registered the child: ``visibility.border_guard_side_id``). Nobody else reads it — not
another court or unit, the Ombudsman, a provider or the police — and a court the case moved away
from no longer reads or writes it (``visibility.child_threads_visible_to``, 404 otherwise).

Messages and attachments are the exchange's own (``Message.suspicion``): the same checks of the
body and of each file, the same encrypted storage and downloads, and each message is a disclosure
by law to the other side, notified with the case number only and audited with ids. A closed case
keeps its thread readable and takes no more messages.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.exchange.files import IncomingFile
from atpazit.exchange.models import Attachment, Message
from atpazit.exchange.services import (
    Delivery,
    DisclosureRefused,
    NotAllowed,
    Thread,
    attachment_in,
    audit_thread_read,
    checked_message,
    closed_case_refusal,
    store_message,
    thread_messages,
    writer,
)
from atpazit.referrals.models import Referral, Suspicion
from atpazit.referrals.services.common import disclosure_refusal_audited
from atpazit.referrals.visibility import (
    CHILD_THREAD_READ,
    border_guard_side_id,
    child_threads_visible_to,
)

READ = CHILD_THREAD_READ  # "referrals.child_message:read"
WRITE = "referrals.child_message:write"
PURPOSE = "secure exchange about a child"
RELATED = ("person__organisation", "raised_by_organisation", "orphans_court")


def participants(suspicion: Suspicion) -> list[Organisation]:
    """The orphan's court, then the Border Guard side."""
    side = border_guard_side_id(suspicion)
    unit = (
        suspicion.raised_by_organisation
        if suspicion.raised_by_organisation_id == side
        else suspicion.person.organisation
    )
    return [organisation for organisation in (suspicion.orphans_court, unit) if organisation]


def get_child_thread_for_user(actor: Actor, pk: int) -> Suspicion:
    """The child's suspicion with ``pk`` if the actor may read its thread; Http404 otherwise."""
    try:
        return child_threads_visible_to(actor).select_related(*RELATED).get(pk=pk)
    except Suspicion.DoesNotExist as exc:
        raise Http404 from exc


def get_child_attachment_for_user(actor: Actor, pk: int) -> Attachment:
    """An attachment in a child's thread the actor may read; Http404 otherwise (an attachment of
    a referral's thread is never reached here, nor the other way round)."""
    return attachment_in(pk, message__suspicion__in=child_threads_visible_to(actor))


def posting_refusal(suspicion: Suspicion) -> DisclosureRefused | None:
    """Why nothing more may be sent on the child's thread (the case is closed), or None."""
    return closed_case_refusal(suspicion)


def child_thread_for(actor: Actor, suspicion: Suspicion, *, shown_on: str | None = None) -> Thread:
    """The child's thread as the actor sees it (the suspicion from get_child_thread_for_user).
    With ``shown_on`` the read is audited here as ``thread.viewed`` about the suspicion (I7)."""
    messages = thread_messages(suspicion=suspicion)
    sides = participants(suspicion)
    own = actor.organisation.pk if actor.organisation is not None else None
    if shown_on is not None:
        audit_thread_read(suspicion, messages, shown_on)
    return Thread(
        child_case=suspicion,
        messages=messages,
        participants=sides,
        recipients=[organisation for organisation in sides if organisation.pk != own],
        refusal=posting_refusal(suspicion),
        may_write=actor.can(WRITE) and own in {organisation.pk for organisation in sides},
    )


def child_thread_url(suspicion: Suspicion) -> str:
    return reverse("exchange:child_thread", kwargs={"pk": suspicion.pk})


def post_child_message(
    *, actor: Actor, suspicion: Suspicion, body: str, files: Sequence[IncomingFile] = ()
) -> Message:
    """Post a message (with attachments) to a child's thread.

    Needs ``referrals.child_message:write`` and the actor's organisation on one side of the
    thread *now* (re-read under the suspicion's row lock, so a court the case just moved away
    from is refused). A disclosure by law to the other side, a notification with the case number
    only, and the audit event, in one transaction. Raises InvalidInput naming the body or each
    refused file, NotAllowed, DisclosureRefused (audited) on a closed case."""
    with disclosure_refusal_audited("message.refused", suspicion):
        message = _post(actor=actor, suspicion=suspicion, body=body, files=files)
    return message


@transaction.atomic
def _post(
    *, actor: Actor, suspicion: Suspicion, body: str, files: Sequence[IncomingFile]
) -> Message:
    organisation = writer(actor, WRITE)
    current = (
        Suspicion.objects.select_for_update(of=("self",))
        .select_related(*RELATED)
        .get(pk=suspicion.pk)
    )
    sides = participants(current) if current.child_path else []
    if organisation.pk not in {side.pk for side in sides}:
        raise NotAllowed(
            _(
                "Only the orphan's court and the Border Guard unit of this child's case take part in its thread."
            )
        )
    refusal = posting_refusal(current)
    if refusal is not None:
        raise refusal
    body, checked = checked_message(body, files)
    delivery = Delivery(
        recipients=[side for side in sides if side.pk != organisation.pk],
        legal_basis=Referral.LegalBasis.LAW,
        purpose=PURPOSE,
        notification_kind="child_message.received",
        link=child_thread_url(current),
        read_permission=READ,
        case_number=current.person.case_number,
    )
    return store_message(actor, organisation, body, checked, delivery, suspicion=current)
