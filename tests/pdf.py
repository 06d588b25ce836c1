"""The text of a PDF, for tests that read back what a document says (poppler's pdftotext)."""

from __future__ import annotations

import re
import subprocess

# Bidirectional controls pdftotext puts around right-to-left runs, and the zero-width non-joiner
# of Persian, which it moves: not part of what a reader sees.
BIDI_MARKS = re.compile("[\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def pdftotext(document: bytes) -> str:
    """The PDF's text in reading order, without bidirectional marks, every run of white space
    one space."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607 - poppler-utils, installed by CI
        input=document,
        capture_output=True,
        check=True,
    )
    return " ".join(BIDI_MARKS.sub("", result.stdout.decode("utf-8")).split())
