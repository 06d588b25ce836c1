"""The text of a PDF, for tests that read back what a document says (poppler's pdftotext)."""

from __future__ import annotations

import subprocess


def pdftotext(document: bytes) -> str:
    """The PDF's text in reading order, every run of white space one space."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607 - poppler-utils, installed by CI
        input=document,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode("utf-8").split())
