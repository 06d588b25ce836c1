"""The attachment allow-list of the secure exchange: which files may be attached, and how a
file is recognised — by its extension *and* by its content, so a renamed HTML page, SVG, script
or executable is refused. Limits and enabled types come from settings (ATPAZIT_ATTACHMENT_*).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_FILENAME_CHARS = 255

Sniffer = Callable[[bytes], bool]


@dataclass(frozen=True)
class AttachmentType:
    """One kind of file that may be attached: recognised by extension and by content."""

    code: str
    label: str
    extensions: tuple[str, ...]
    content_type: str
    sniff: Sniffer


def _zip_names(data: bytes) -> list[str] | None:
    """Member names of a ZIP archive (read from the central directory, nothing inflated)."""
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def _has_macros(names: list[str]) -> bool:
    lowered = [name.lower() for name in names]
    return any(
        name.endswith("vbaproject.bin") or name.startswith(("basic/", "scripts/"))
        for name in lowered
    )


def _office_open_xml(main_part: str) -> Sniffer:
    """A Word/Excel document (not the macro-enabled variants)."""

    def sniff(data: bytes) -> bool:
        names = _zip_names(data)
        return (
            names is not None
            and "[Content_Types].xml" in names
            and main_part in names
            and not _has_macros(names)
        )

    return sniff


def _open_document(mimetype: str) -> Sniffer:
    """An OpenDocument file: its first member is "mimetype", holding exactly ``mimetype``."""

    def sniff(data: bytes) -> bool:
        names = _zip_names(data)
        if not names or names[0] != "mimetype" or _has_macros(names):
            return False
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 100:
                return False
            return archive.read(info) == mimetype.encode("ascii")

    return sniff


# Markup a browser would render or run if it ever sniffed a "text" file as HTML or SVG.
_MARKUP = re.compile(
    rb"<\s*(!doctype|html|head|body|script|iframe|svg|object|embed|meta|\?xml)", re.I
)
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _is_plain_text(data: bytes) -> bool:
    """Plain text in any 8-bit or UTF-8 encoding: no NUL or control bytes, and no markup."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16: full of NUL bytes, and a classic way to smuggle markup past checks
    return not _CONTROL_BYTES.search(data) and not _MARKUP.search(data)


ATTACHMENT_TYPES: dict[str, AttachmentType] = {
    kind.code: kind
    for kind in (
        AttachmentType(
            "pdf", "PDF", (".pdf",), "application/pdf", lambda d: d.startswith(b"%PDF-")
        ),
        AttachmentType(
            "png", "PNG", (".png",), "image/png", lambda d: d.startswith(b"\x89PNG\r\n\x1a\n")
        ),
        AttachmentType(
            "jpeg", "JPEG", (".jpg", ".jpeg"), "image/jpeg", lambda d: d.startswith(b"\xff\xd8\xff")
        ),
        AttachmentType(
            "docx",
            "DOCX",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _office_open_xml("word/document.xml"),
        ),
        AttachmentType(
            "xlsx",
            "XLSX",
            (".xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _office_open_xml("xl/workbook.xml"),
        ),
        AttachmentType(
            "odt",
            "ODT",
            (".odt",),
            "application/vnd.oasis.opendocument.text",
            _open_document("application/vnd.oasis.opendocument.text"),
        ),
        AttachmentType(
            "ods",
            "ODS",
            (".ods",),
            "application/vnd.oasis.opendocument.spreadsheet",
            _open_document("application/vnd.oasis.opendocument.spreadsheet"),
        ),
        AttachmentType("txt", "TXT", (".txt",), "text/plain", _is_plain_text),
    )
}


def allowed_types() -> list[AttachmentType]:
    """The types enabled by ``ATPAZIT_ATTACHMENT_TYPES``; only codes of ATTACHMENT_TYPES exist."""
    codes = [code.strip().lower() for code in settings.ATPAZIT_ATTACHMENT_TYPES]
    unknown = [code for code in codes if code not in ATTACHMENT_TYPES]
    if unknown:
        raise ImproperlyConfigured(
            f"ATPAZIT_ATTACHMENT_TYPES has unknown types {', '.join(unknown)}; "
            f"known: {', '.join(ATTACHMENT_TYPES)}"
        )
    return [ATTACHMENT_TYPES[code] for code in dict.fromkeys(codes)]


def allowed_content_types() -> frozenset[str]:
    return frozenset(kind.content_type for kind in ATTACHMENT_TYPES.values())


def type_for_filename(filename: str) -> AttachmentType | None:
    """The enabled type whose extension the file name ends with; None if none is."""
    lowered = filename.lower()
    for kind in allowed_types():
        if lowered.endswith(kind.extensions):
            return kind
    return None


def allowed_types_label() -> str:
    return ", ".join(kind.label for kind in allowed_types())


def clean_filename(name: str | None) -> str:
    """The last path component, without control characters, at most 255 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(base) > MAX_FILENAME_CHARS:
        stem, dot, extension = base.rpartition(".")
        keep = MAX_FILENAME_CHARS - len(extension) - 1
        base = f"{stem[:keep]}.{extension}" if dot and keep > 0 else base[:MAX_FILENAME_CHARS]
    return base


@dataclass(frozen=True)
class AttachmentLimits:
    max_file_bytes: int
    max_message_bytes: int
    max_files: int


def attachment_limits() -> AttachmentLimits:
    """The limits from settings, read at call time so tests and deployments can change them."""
    return AttachmentLimits(
        max_file_bytes=settings.ATPAZIT_ATTACHMENT_MAX_BYTES,
        max_message_bytes=settings.ATPAZIT_ATTACHMENT_MESSAGE_MAX_BYTES,
        max_files=settings.ATPAZIT_ATTACHMENT_MAX_FILES,
    )


class IncomingFile(Protocol):
    """What post_message needs of an uploaded file (Django's UploadedFile fits)."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: AttachmentType
    data: bytes


def _check_file(upload: IncomingFile, limits: AttachmentLimits) -> CheckedFile | str:
    """The checked file, or the translated reason it is refused (naming the file)."""
    name = clean_filename(upload.name) or _("(no name)")
    size = upload.size or 0
    values = {
        "name": name,
        "size": filesizeformat(size),
        "limit": filesizeformat(limits.max_file_bytes),
    }
    if size == 0:
        return _("“%(name)s” is empty.") % values
    if size > limits.max_file_bytes:
        return _("“%(name)s” is %(size)s; a file may be at most %(limit)s.") % values
    kind = type_for_filename(name)
    if kind is None:
        return _("“%(name)s” cannot be attached: only these types are allowed: %(types)s.") % {
            **values,
            "types": allowed_types_label(),
        }
    data = upload.read()
    if len(data) != size or not kind.sniff(data):
        return _("“%(name)s” is not a real %(type)s file: its content does not match its name.") % {
            **values,
            "type": kind.label,
        }
    return CheckedFile(name=name, kind=kind, data=data)


def check_files(files: Sequence[IncomingFile]) -> tuple[list[CheckedFile], list[str]]:
    """Check every file against the allow-list and the limits; all errors at once (I8)."""
    limits = attachment_limits()
    errors: list[str] = []
    if len(files) > limits.max_files:
        errors.append(
            _("A message may carry at most %(limit)d files; you chose %(count)d.")
            % {"limit": limits.max_files, "count": len(files)}
        )
    checked: list[CheckedFile] = []
    for upload in files:
        result = _check_file(upload, limits)
        if isinstance(result, str):
            errors.append(result)
        else:
            checked.append(result)
    total = sum(upload.size or 0 for upload in files)
    if total > limits.max_message_bytes:
        errors.append(
            _("The files together are %(size)s; a message may carry at most %(limit)s.")
            % {"size": filesizeformat(total), "limit": filesizeformat(limits.max_message_bytes)}
        )
    return checked, errors
