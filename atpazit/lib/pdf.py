"""Every PDF of Atpazīt is built here, by typst, from a template of its app and its data.

The data goes to the template as one JSON document through ``sys.inputs["data"]`` (the template
reads it with ``json(bytes(sys.inputs.data))``): no value is ever spliced into typst markup, so
nothing a user typed can be read as markup. Only the fonts Atpazīt installs are used
(``FONT_PATHS``, the system's own never), so the same data gives the same layout on every server.

A document typst cannot build raises the error class the caller names, with a message that says
which document and why; a caller's view turns it into a message for the user.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typst

from atpazit.lib.person_languages import FONT_PATHS

__all__ = ["PdfError", "render_pdf"]


class PdfError(Exception):
    """typst could not build the document; the message says which document and why."""


def render_pdf(
    template: Path,
    data: Mapping[str, Any],
    *,
    what: str,
    error: type[Exception] = PdfError,
    inputs: Mapping[str, str] | None = None,
    timestamp: dt.datetime | None = None,
) -> bytes:
    """The PDF bytes of ``template`` with ``data`` (JSON-ready values) as ``sys.inputs.data``.

    ``what`` names the document in the error ("the report", "the certificate"); ``error`` is
    the class raised when typst fails (the caller's own, which its callers already expect).
    ``inputs`` are further ``sys.inputs`` strings beside the data; ``timestamp`` fixes the PDF's
    creation date, so that the same data gives the same bytes."""
    sys_inputs = {**(inputs or {}), "data": json.dumps(data, ensure_ascii=False)}
    try:
        pdf = typst.compile(
            str(template),
            font_paths=FONT_PATHS,
            ignore_system_fonts=True,
            sys_inputs=sys_inputs,
            timestamp=timestamp,
        )
    except typst.TypstError as exc:
        raise error(f"typst could not build {what}: {exc.message}") from exc
    if not isinstance(pdf, bytes):
        raise error("typst returned no PDF")
    return pdf
