"""Secure exchange: one message thread per referral, between the organisations involved (I6);
the thread about a child between the orphan's court and the Border Guard is in ``child`` and
shares this module's writer (``checked_message``, ``store_message``) and ``Thread``.

The two sides of a thread are the organisation that raised the suspicion (a Border Guard unit or
the Ombudsman's Office) and the organisation the referral went to (a service provider or the
State Police). Nobody else reads it: not another provider, not the police on a provider's track,
not the Ombudsman unless its office raised the suspicion (docs/decisions/0004-exchange-visibility.md).

Every message is a disclosure from one organisation to the other and is recorded as one, with the
referral's legal basis, in the same transaction. After an adult withdraws consent nothing more is
disclosed, and a track that ended (declined, expired, withdrawn, not recognised) is read-only.

Attachments are checked twice — by the extension *and* by their content — against the allow-list
in ``files.py`` (no HTML, SVG, scripts or executables), limited in size and number, stored
encrypted with their SHA-256, and served only as downloads (views_exchange).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.audit.models import AuditEvent
from atpazit.audit.services import log_event, record_disclosure
from atpazit.exchange.files import (
    ATTACHMENT_TYPES,
    AttachmentLimits,
    AttachmentType,
    CheckedFile,
    IncomingFile,
    allowed_content_types,
    allowed_types,
    allowed_types_label,
    attachment_limits,
    check_files,
    clean_filename,
    type_for_filename,
)
from atpazit.exchange.models import Attachment, Message
from atpazit.lib.errors import InvalidInput, NotAllowed, ServiceError
from atpazit.notifications.services import notify
from atpazit.referrals.models import Referral, Suspicion
from atpazit.referrals.services.common import (
    DisclosureRefused,
    current_consent,
    disclosure_refusal,
    disclosure_refusal_audited,
)
from atpazit.referrals.visibility import THREAD_READ, referrals_with_thread_visible_to

__all__ = [
    "ATTACHMENT_TYPES",
    "AttachmentCorrupted",
    "AttachmentLimits",
    "AttachmentType",
    "DisclosureRefused",
    "IncomingFile",
    "InvalidInput",
    "NotAllowed",
    "ServiceError",
    "Thread",
    "allowed_content_types",
    "allowed_types",
    "allowed_types_label",
    "attachment_limits",
    "check_files",
    "clean_filename",
    "get_attachment_for_user",
    "get_thread_referral_for_user",
    "participant_ids",
    "post_message",
    "posting_refusal",
    "read_attachment",
    "referrals_with_thread_visible_to",
    "thread_for",
    "thread_url",
    "type_for_filename",
]

READ = THREAD_READ  # "referrals.message:read", the permission of the thread scope
WRITE = "referrals.message:write"
PURPOSE = "secure exchange"
MAX_BODY_CHARS = 10_000

# Tracks on which the exchange goes on: open ones, and a recognised victim's (aftercare, the
# residence and SIVA steps). A negative end closes the thread for writing; it stays readable.
WRITABLE_STATUSES = frozenset(
    {
        Referral.Status.SENT,
        Referral.Status.ACCEPTED,
        Referral.Status.ASSESSING,
        Referral.Status.RECOGNISED,
    }
)


class AttachmentCorrupted(ServiceError):
    """The stored content no longer matches the SHA-256 recorded when it was uploaded (the
    download answers 409 and audits an integrity failure, so it has a class of its own)."""

    default_code = "integrity_failed"


# --- who takes part, who reads -------------------------------------------------------------


def participant_ids(referral: Referral) -> set[int]:
    """The two sides: who raised the suspicion, and who the referral went to."""
    return {referral.suspicion.raised_by_organisation_id, referral.to_organisation_id}


def get_thread_referral_for_user(actor: Actor, pk: int) -> Referral:
    """The referral with ``pk`` if the actor may read its thread; Http404 otherwise (never 403)."""
    queryset = referrals_with_thread_visible_to(actor).select_related(
        "suspicion__person", "suspicion__raised_by_organisation", "to_organisation"
    )
    try:
        return queryset.get(pk=pk)
    except Referral.DoesNotExist as exc:
        raise Http404 from exc


def get_attachment_for_user(actor: Actor, pk: int) -> Attachment:
    """An attachment in a thread the actor may read; Http404 otherwise."""
    return attachment_in(pk, message__referral__in=referrals_with_thread_visible_to(actor))


def attachment_in(pk: int, **scope: object) -> Attachment:
    """The attachment ``pk`` if its message is in ``scope`` (``message__referral__in=...`` or
    ``message__suspicion__in=...``, each kind of thread its own); Http404 otherwise."""
    try:
        return Attachment.objects.select_related("message").get(pk=pk, **scope)
    except Attachment.DoesNotExist as exc:
        raise Http404 from exc


def posting_refusal(referral: Referral) -> DisclosureRefused | None:
    """Why nothing more may be sent on this thread, or None while it is open.

    On consent (an adult, I5) the rule of the referral services applies: only while the newest
    consent is given, not withdrawn, and covers this track (services.disclosure_refusal). Always:
    only while the track is open or recognised and the case is not closed.
    """
    refusal = disclosure_refusal(referral)
    if refusal is not None:
        return DisclosureRefused(_consent_message(referral, refusal.code), code=refusal.code)
    if referral.status not in WRITABLE_STATUSES:
        return DisclosureRefused(
            _(
                "This track has ended (%(status)s): the thread is kept for the record, but "
                "nothing more can be sent on it."
            )
            % {"status": referral.get_status_display()},
            code="track_ended",
        )
    return closed_case_refusal(referral.suspicion)


def closed_case_refusal(suspicion: Suspicion) -> DisclosureRefused | None:
    """A closed case keeps its threads for the record and takes no more messages."""
    if suspicion.closed_at is not None:
        return DisclosureRefused(
            _(
                "The case is closed: the thread is kept for the record, but nothing more can be sent on it."
            ),
            code="suspicion_closed",
        )
    return None


def _consent_message(referral: Referral, code: str) -> str:
    consent = current_consent(referral.suspicion)
    if code == "consent_withdrawn" and consent is not None and consent.withdrawn_at is not None:
        return _(
            "The person withdrew their consent on %(date)s. No further personal data may be "
            "disclosed, so nothing more can be sent on this thread."
        ) % {"date": consent.withdrawn_at.date().isoformat()}
    return _(
        "The person's consent does not cover sharing data with this organisation, so nothing "
        "can be sent on this thread."
    )


@dataclass(frozen=True)
class Thread:
    """A thread as one actor sees it: a referral's, or a child's between the orphan's court and
    the Border Guard (``child_case``, see ``exchange.child``). Exactly one of the two is set."""

    messages: list[Message]
    participants: list[Organisation]
    recipients: list[Organisation]
    refusal: DisclosureRefused | None
    may_write: bool
    referral: Referral | None = None
    child_case: Suspicion | None = None

    @property
    def can_post(self) -> bool:
        return self.may_write and self.refusal is None

    @property
    def closed_reason(self) -> str:
        return str(self.refusal) if self.refusal is not None else ""

    @property
    def anchor(self) -> str:
        """The id of the thread's panel on a page (htmx swaps it)."""
        if self.referral is not None:
            return f"thread-{self.referral.pk}"
        return f"child-thread-{self._child().pk}"

    @property
    def url(self) -> str:
        if self.referral is not None:
            return thread_url(self.referral)
        return reverse("exchange:child_thread", kwargs={"pk": self._child().pk})

    @property
    def post_url(self) -> str:
        if self.referral is not None:
            return reverse("exchange:message_post", kwargs={"pk": self.referral.pk})
        return reverse("exchange:child_message_post", kwargs={"pk": self._child().pk})

    @property
    def download_url_name(self) -> str:
        return (
            "exchange:attachment_download"
            if self.referral
            else "exchange:child_attachment_download"
        )

    def _child(self) -> Suspicion:
        if self.child_case is None:
            raise ValueError("a thread has a referral or a child's case")
        return self.child_case


def thread_messages(**subject: Referral | Suspicion) -> list[Message]:
    """The messages of one thread (``referral=`` or ``suspicion=``) with their attachments'
    metadata, never the content."""
    return list(
        Message.objects.filter(**subject)
        .select_related("author", "author_organisation")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.defer("content").order_by("pk"))
        )
    )


def thread_for(actor: Actor, referral: Referral, *, shown_on: str | None = None) -> Thread:
    """The messages of a referral the actor may read (from get_thread_referral_for_user), with
    their attachments' metadata (never the content), and whether the actor may post now.

    ``shown_on`` names the page that shows the thread (``thread``, ``post``, ``referral``); the
    read is then audited here as ``thread.viewed`` with the number of messages shown (I7). A
    caller that only builds a form or checks a post passes nothing."""
    messages = thread_messages(referral=referral)
    participants = [referral.suspicion.raised_by_organisation, referral.to_organisation]
    own = actor.organisation.pk if actor.organisation is not None else None
    if shown_on is not None:
        audit_thread_read(referral, messages, shown_on)
    return Thread(
        referral=referral,
        messages=messages,
        participants=participants,
        recipients=[organisation for organisation in participants if organisation.pk != own],
        refusal=posting_refusal(referral),
        may_write=actor.can(WRITE) and own in participant_ids(referral),
    )


def audit_thread_read(subject: Referral | Suspicion, messages: list[Message], page: str) -> None:
    log_event("thread.viewed", obj=subject, details={"messages": len(messages), "page": page})


def thread_url(referral: Referral) -> str:
    return reverse("exchange:thread", kwargs={"pk": referral.pk})


# --- writes ----------------------------------------------------------------------------------


def post_message(
    *, actor: Actor, referral: Referral, body: str, files: Sequence[IncomingFile] = ()
) -> Message:
    """Post a message (with attachments) to a referral's thread.

    Needs ``referrals.message:write`` and the actor's organisation on one side of the referral.
    Records a disclosure to the other side with the referral's legal basis, notifies it (no
    personal data in the e-mail) and audits the message, all in one transaction. Refused with
    DisclosureRefused — and the refusal audited — after an adult's consent is withdrawn or when the
    track has ended. Raises InvalidInput naming the body or each refused file, NotAllowed.
    """
    with disclosure_refusal_audited("message.refused", referral):
        message = _post_message(actor=actor, referral=referral, body=body, files=files)
    return message


@transaction.atomic
def _post_message(
    *, actor: Actor, referral: Referral, body: str, files: Sequence[IncomingFile]
) -> Message:
    organisation = writer(actor, WRITE)
    # Lock the suspicion, then the referral: a withdrawal of consent or of the track that is
    # being recorded at this moment is either seen here or waits until this message is stored.
    Suspicion.objects.select_for_update().filter(pk=referral.suspicion_id).first()
    current = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("suspicion__person", "suspicion__raised_by_organisation", "to_organisation")
        .get(pk=referral.pk)
    )
    if organisation.pk not in participant_ids(current):
        raise NotAllowed(
            _("Only the organisations involved in this referral take part in its thread.")
        )
    refusal = posting_refusal(current)
    if refusal is not None:
        raise refusal
    body, checked = checked_message(body, files)
    person = current.suspicion.person
    delivery = Delivery(
        recipients=[
            org
            for org in (current.suspicion.raised_by_organisation, current.to_organisation)
            if org.pk != organisation.pk
        ],
        legal_basis=current.legal_basis,
        purpose=PURPOSE,
        notification_kind="message.received",
        link=thread_url(current),
        read_permission=READ,
        case_number=person.case_number,
    )
    return store_message(actor, organisation, body, checked, delivery, referral=current)


def writer(actor: Actor, permission: str) -> Organisation:
    """The organisation the actor posts for, if their role may post on this kind of thread."""
    if actor.organisation is None or not actor.can(permission):
        raise NotAllowed(_("Your role does not allow this."))
    return actor.organisation


def checked_message(body: str, files: Sequence[IncomingFile]) -> tuple[str, list[CheckedFile]]:
    """The message text, stripped, and the files that passed the allow-list; InvalidInput naming
    the body and each refused file otherwise (every thread kind checks the same)."""
    body = (body or "").strip()
    checked, file_errors = check_files(files)
    errors: dict[str, list[str]] = {}
    if not body:
        errors["body"] = [_("Write a message.")]
    elif len(body) > MAX_BODY_CHARS:
        errors["body"] = [
            _("A message may be at most %(limit)d characters; this one has %(count)d.")
            % {"limit": MAX_BODY_CHARS, "count": len(body)}
        ]
    if file_errors:
        errors["files"] = file_errors
    if errors:
        raise InvalidInput(errors)
    return body, list(checked)


@dataclass(frozen=True)
class Delivery:
    """Where a posted message goes: the other side(s), on which legal basis, told how."""

    recipients: list[Organisation]
    legal_basis: str
    purpose: str
    notification_kind: str
    link: str
    read_permission: str
    case_number: str


def store_message(
    actor: Actor,
    organisation: Organisation,
    body: str,
    checked: Sequence[CheckedFile],
    delivery: Delivery,
    **subject: Referral | Suspicion,
) -> Message:
    """Store a checked message in its thread (``referral=`` or ``suspicion=``) with its
    attachments, record a disclosure to each recipient, notify them (the case number only) and
    audit ``message.posted`` with ids. Runs inside the caller's transaction and locks."""
    message = Message.objects.create(
        author=actor.user, author_organisation=organisation, body=body, **subject
    )
    attachments = [_store_attachment(message, upload) for upload in checked]
    categories = ["message", "attachments"] if attachments else ["message"]
    for recipient in dict.fromkeys(delivery.recipients):
        record_disclosure(
            from_organisation=organisation,
            to_organisation=recipient,
            subject=message,
            legal_basis=delivery.legal_basis,
            purpose=delivery.purpose,
            data_categories=categories,
            case_number=delivery.case_number,
            recorded_by=actor.user,
        )
        notify(
            organisation=recipient,
            kind=delivery.notification_kind,
            link=delivery.link,
            case_number=delivery.case_number,
            permission=delivery.read_permission,
        )
    details: dict[str, object] = {key: value.pk for key, value in subject.items()}
    log_event(
        "message.posted",
        obj=message,
        details=details | {"attachments": [a.pk for a in attachments]},
    )
    return message


def _store_attachment(message: Message, upload: CheckedFile) -> Attachment:
    return Attachment.objects.create(
        message=message,
        filename=upload.name,
        content_type=upload.kind.content_type,
        size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
        content=base64.b64encode(upload.data).decode("ascii"),
    )


def read_attachment(attachment: Attachment) -> bytes:
    """The decrypted bytes of an attachment (from get_attachment_for_user), checked against
    the SHA-256 stored at upload, to hand to the reader. The read is audited here as
    ``attachment.downloaded`` (I7).

    Raises AttachmentCorrupted if they differ, after recording ``attachment.integrity_failed``."""
    message = attachment.message
    details: dict[str, object] = {"message": message.pk}
    if message.referral_id is not None:
        details["referral"] = message.referral_id
    else:
        details["suspicion"] = message.suspicion_id
    try:
        data: bytes | None = base64.b64decode(attachment.content.encode("ascii"), validate=True)
    except ValueError:
        data = None
    if data is None or hashlib.sha256(data).hexdigest() != attachment.sha256:
        log_event(
            "attachment.integrity_failed",
            obj=attachment,
            outcome=AuditEvent.Outcome.FAILURE,
            details=details,
        )
        raise AttachmentCorrupted(_("This file failed its integrity check."))
    log_event("attachment.downloaded", obj=attachment, details=details)
    return data
