"""Pages of the secure exchange: a referral's thread, posting to it, downloading an attachment;
the same for the thread about a child between the orphan's court and the Border Guard
(``exchange.child``; ``ThreadKind`` is all that differs).

The thread is shown on its own page and, through ``thread_panel_context``, inside the referral
page (templates/exchange/thread_panel.html). Posting works as a plain form and, with htmx, swaps
only the panel. A download is always ``Content-Disposition: attachment`` with the type from the
allow-list and ``nosniff``, so a browser never renders an uploaded file. Every read is audited.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from atpazit.accounts.access import Actor, actor_for, requires
from atpazit.exchange import child
from atpazit.exchange import services as exchange
from atpazit.exchange.models import Attachment
from atpazit.lib.errors import ServiceError
from atpazit.lib.forms import add_service_error
from atpazit.referrals.models import Referral


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each one (type, content, size)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]


# The service's error keys, and the form fields that show them.
FORM_FIELDS = {"body": "body", "files": "attachments"}


class MessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,  # the service says "Write a message." with the other errors at once
    )
    attachments = MultipleFileField(label=gettext_lazy("Attach files"), required=False)

    def __init__(self, *args: Any, thread: exchange.Thread, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        readers = ", ".join(organisation.name for organisation in thread.participants)
        if thread.referral is not None:
            self.fields["body"].help_text = _(
                "Read by: %(readers)s. Write only what they need for this referral; counselling "
                "and commission notes do not belong here."
            ) % {"readers": readers}
        else:
            self.fields["body"].help_text = _(
                "Read by: %(readers)s. Write only what they need to protect this child."
            ) % {"readers": readers}
        limits = exchange.attachment_limits()
        self.fields["attachments"].help_text = _(
            "Up to %(count)d files, at most %(file)s each and %(total)s together. Allowed: "
            "%(types)s. Files are stored encrypted and can only be downloaded, never opened in "
            "the browser."
        ) % {
            "count": limits.max_files,
            "file": filesizeformat(limits.max_file_bytes),
            "total": filesizeformat(limits.max_message_bytes),
            "types": exchange.allowed_types_label(),
        }
        self.fields["attachments"].widget.attrs["accept"] = ",".join(
            extension for kind in exchange.allowed_types() for extension in kind.extensions
        )

    def field_for_error(self, key: str) -> str | None:
        """The field that shows a service error key ("files" are the attachments)."""
        return FORM_FIELDS.get(key)


class BoundedMemoryUploadHandler(FileUploadHandler):
    """Keep a thread's uploads in memory only: a plaintext temporary file on the server's disk
    would defeat the encryption of attachments (DESIGN.md §7).

    Bytes past the per-file, per-message or file-count limit are counted but not kept, so the
    refusal can name the file and its real size while memory stays bounded.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limits = exchange.attachment_limits()
        self.files_seen = 0
        self.kept_total = 0
        self.buffer = BytesIO()
        self.size = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.files_seen += 1
        self.buffer = BytesIO()
        self.size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.size += len(raw_data)
        keep = (
            self.files_seen <= self.limits.max_files
            and self.size <= self.limits.max_file_bytes
            and self.kept_total + len(raw_data) <= self.limits.max_message_bytes
        )
        if keep:
            self.buffer.write(raw_data)
            self.kept_total += len(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def thread_panel_context(request: HttpRequest, referral: Referral) -> dict[str, Any]:
    """What ``exchange/thread_panel.html`` needs, for a referral from a selector the actor
    passed. Audits the read. For the referral page: ``context |= thread_panel_context(...)``;
    an actor who may not read the thread gets ``{"thread": None}`` and the panel shows nothing."""
    actor = actor_for(request)
    if not exchange.referrals_with_thread_visible_to(actor).filter(pk=referral.pk).exists():
        return {"thread": None}
    thread = exchange.thread_for(actor, referral, shown_on="referral")
    return {
        "thread": thread,
        "message_form": MessageForm(thread=thread),
        "thread_next": request.get_full_path(),
    }


@dataclass(frozen=True)
class ThreadKind:
    """What differs between a referral's thread and a child's: how the subject is fetched (404
    outside scope), how its thread is built and posted to, and the page that shows it."""

    fetch: Callable[[Actor, int], Any]
    build: Callable[..., exchange.Thread]
    post: Callable[[Actor, Any, str, Sequence[Any]], object]
    url: Callable[[Any], str]
    page: str


REFERRAL_THREAD = ThreadKind(
    fetch=exchange.get_thread_referral_for_user,
    build=exchange.thread_for,
    post=lambda actor, referral, body, files: exchange.post_message(
        actor=actor, referral=referral, body=body, files=files
    ),
    url=exchange.thread_url,
    page="exchange/thread_page.html",
)
CHILD_THREAD = ThreadKind(
    fetch=child.get_child_thread_for_user,
    build=child.child_thread_for,
    post=lambda actor, suspicion, body, files: child.post_child_message(
        actor=actor, suspicion=suspicion, body=body, files=files
    ),
    url=child.child_thread_url,
    page="exchange/child_thread_page.html",
)


@requires(exchange.READ)
def thread_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread of one referral, on its own page (the link in notifications)."""
    return _thread_page(request, pk, REFERRAL_THREAD)


@requires(child.READ)
def child_thread_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread about a child between the orphan's court and the Border Guard unit."""
    return _thread_page(request, pk, CHILD_THREAD)


def _thread_page(request: HttpRequest, pk: int, kind: ThreadKind) -> HttpResponse:
    actor = actor_for(request)
    thread = kind.build(actor, kind.fetch(actor, pk), shown_on="thread")
    return _render_page(request, kind, thread, MessageForm(thread=thread))


def _render_page(
    request: HttpRequest,
    kind: ThreadKind,
    thread: exchange.Thread,
    form: MessageForm,
    next_url: str = "",
) -> HttpResponse:
    context = {"thread": thread, "message_form": form, "thread_next": next_url or thread.url}
    return render(request, kind.page, context)


def _safe_next(request: HttpRequest) -> str:
    """The page the form was posted from, if it is one of ours; else empty."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


@csrf_exempt  # the upload handlers must be set before CSRF reads the body; checked just below
@requires(exchange.WRITE)
@require_POST
def message_post_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Post a message with attachments; with htmx the panel is swapped, else a redirect."""
    request.upload_handlers = [BoundedMemoryUploadHandler(request)]
    return _message_post(request, pk, REFERRAL_THREAD)


@csrf_exempt  # as above: upload handlers first, CSRF checked in _message_post
@requires(child.WRITE)
@require_POST
def child_message_post_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Post a message with attachments to a child's thread."""
    request.upload_handlers = [BoundedMemoryUploadHandler(request)]
    return _message_post(request, pk, CHILD_THREAD)


@csrf_protect
def _message_post(request: HttpRequest, pk: int, kind: ThreadKind) -> HttpResponse:
    actor = actor_for(request)
    subject = kind.fetch(actor, pk)
    thread = kind.build(actor, subject)
    form = MessageForm(request.POST, request.FILES, thread=thread)
    if form.is_valid():
        try:
            kind.post(actor, subject, form.cleaned_data["body"], _files(request))
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            return _after_post(request, actor, subject, kind)
    thread = kind.build(actor, subject, shown_on="post")  # shown again
    if getattr(request, "htmx", False):
        context = {
            "thread": thread,
            "message_form": form,
            "thread_next": _safe_next(request) or thread.url,
        }
        return render(request, "exchange/thread_panel.html", context)
    return _render_page(request, kind, thread, form, _safe_next(request))


def _files(request: HttpRequest) -> Sequence[Any]:
    return request.FILES.getlist("attachments")


def _after_post(request: HttpRequest, actor: Actor, subject: Any, kind: ThreadKind) -> HttpResponse:
    sent = _(
        "The message is sent. The other side sees it in Atpazīt; an e-mail telling them so, "
        "without personal data, is queued for sending."
    )
    thread = (
        kind.build(actor, subject, shown_on="post") if getattr(request, "htmx", False) else None
    )
    if thread is not None:
        context = {
            "thread": thread,
            "message_form": MessageForm(thread=thread),
            "sent": sent,
            "thread_next": _safe_next(request) or thread.url,
        }
        return render(request, "exchange/thread_panel.html", context)
    messages.success(request, sent)
    target = _safe_next(request)
    return redirect(target or kind.url(subject))


@requires(exchange.READ)
def attachment_download_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve an attachment as a download only: never inline, never as HTML; audited."""
    return _download(exchange.get_attachment_for_user(actor_for(request), pk))


@requires(child.READ)
def child_attachment_download_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment of a child's thread, served exactly as the referral threads' ones."""
    return _download(child.get_child_attachment_for_user(actor_for(request), pk))


def _download(attachment: Attachment) -> HttpResponse:
    try:
        data = exchange.read_attachment(attachment)
    except exchange.AttachmentCorrupted as exc:
        return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
    return download_response(attachment, data)


def download_response(attachment: Attachment, data: bytes) -> HttpResponse:
    """The bytes with headers that make every browser save, never render, them."""
    content_type = attachment.content_type
    if content_type not in exchange.allowed_content_types():
        content_type = "application/octet-stream"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(attachment.filename, attachment.pk)
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def content_disposition(filename: str, pk: int) -> str:
    """``attachment`` with a safe ASCII ``filename`` and the exact name as RFC 5987 ``filename*``."""
    return f"attachment; filename=\"{ascii_filename(filename, pk)}\"; filename*=UTF-8''{quote(filename, safe='')}"


def ascii_filename(filename: str, pk: int) -> str:
    """Letters without diacritics, digits and ``._-``; anything else becomes ``_``. A name with
    nothing left but its extension becomes ``attachment-<pk>.<ext>``."""
    decomposed = unicodedata.normalize("NFKD", filename)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    safe = "".join(ch if (ch.isascii() and (ch.isalnum() or ch in "._-")) else "_" for ch in plain)
    stem, dot, extension = safe.rpartition(".")
    if not dot:
        stem, extension = safe, ""
    if not stem.strip("_."):
        stem = f"attachment-{pk}"
    return f"{stem}.{extension}" if extension else stem
