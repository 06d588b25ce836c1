"""The course completion certificate as a PDF, built with typst (documents/certificate.typ), in
Latvian or English. Every value is handed to typst as JSON through ``sys.inputs``; no value is
ever spliced into typst markup."""

from __future__ import annotations

from pathlib import Path

from django.utils import formats, translation
from django.utils.translation import gettext as _

from atpazit.lib.pdf import render_pdf
from atpazit.training.course import get_course
from atpazit.training.models import Certificate

TEMPLATE = Path(__file__).resolve().parent / "documents" / "certificate.typ"
CERTIFICATE_LANGUAGES = ("lv", "en")


class CertificateError(Exception):
    """The certificate could not be built (an unsupported language, or typst failed)."""


def certificate_data(certificate: Certificate, *, language: str) -> dict[str, object]:
    """Everything the certificate shows, in ``language``."""
    course = get_course()
    user = certificate.trainee
    with translation.override(language):
        modules = []
        for module in course.modules:
            score = certificate.scores.get(module.code)
            modules.append({"title": module.title.in_language(language), "score": f"{score} / 100"})
        return {
            "lang": language,
            "title": _("Certificate of completion"),
            "issuer": _("State Border Guard College · Atpazīt training programme"),
            "heading": _("Certificate of completion"),
            "certifies": _("This certifies that"),
            "trainee": user.get_full_name() or user.get_username(),
            "organisation": certificate.organisation.name,
            "completed": _("has completed the training course"),
            "course": course.title.in_language(language),
            "module_heading": _("Module"),
            "score_heading": _("Score"),
            "modules": modules,
            "note": _(
                "Every module was completed with invented scenarios, practised with the "
                "screening form and engine of Atpazīt (indicator catalogue %(version)s), with "
                "a score of at least %(mark)s out of 100 in each."
            )
            % {"version": "2026.2", "mark": course.pass_mark},
            "date_label": _("Date of issue"),
            "date": formats.date_format(certificate.issued_at.date(), "SHORT_DATE_FORMAT"),
            "number_label": _("Certificate number"),
            "number": certificate.number,
            "footer": _("Atpazīt training programme: a record of training, not of any case."),
        }


def certificate_pdf(certificate: Certificate, *, language: str) -> bytes:
    if language not in CERTIFICATE_LANGUAGES:
        raise CertificateError(f"unsupported language {language!r}")
    data = certificate_data(certificate, language=language)
    return render_pdf(TEMPLATE, data, what="the certificate", error=CertificateError)
