"""Attachments in a referral thread: allowed by extension and content, limited, stored encrypted,
and only ever downloaded — never shown inline, never as HTML."""

from __future__ import annotations

import hashlib
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from atpazit.accounts.tests.factories import actor_of
from atpazit.audit.models import AuditEvent, Disclosure
from atpazit.exchange import services as exchange
from atpazit.exchange.models import Attachment, Message
from atpazit.exchange.views import ascii_filename

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
TEXT = "Tikšanās ar tulku otrdien plkst. 10:00.\nВстреча с переводчиком.\n".encode()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


def _docx(*, macros: bool = False) -> bytes:
    members = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    if macros:
        members["word/vbaProject.bin"] = b"\x00macro"
    return _zip(members)


def _xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Darba stundas"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _odt() -> bytes:
    return _zip(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}
    )


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def post(case, *files, body="Nosūtu izziņu par interviju."):
    return exchange.post_message(
        actor=actor_of(case.janis), referral=case.provider_referral, body=body, files=list(files)
    )


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("izzina.pdf", PDF, "application/pdf"),
        ("foto.PNG", PNG, "image/png"),
        ("skenets.jpg", JPEG, "image/jpeg"),
        ("skenets.jpeg", JPEG, "image/jpeg"),
        (
            "protokols.docx",
            _docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "stundas.xlsx",
            _xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("vestule.odt", _odt(), "application/vnd.oasis.opendocument.text"),
        ("piezimes.txt", TEXT, "text/plain"),
    ],
)
def test_it_accepts_each_allowed_type_and_records_its_sha256(case, name, data, content_type):
    message = post(case, upload(name, data))
    attachment = message.attachments.get()
    assert attachment.filename == name
    assert attachment.content_type == content_type  # from the allow-list, never from the browser
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert exchange.read_attachment(attachment) == data


def test_the_content_is_stored_encrypted(case):
    attachment = post(case, upload("izzina.pdf", PDF)).attachments.get()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT content, filename FROM referrals_attachment WHERE id = %s", [attachment.pk]
        )
        content, filename = cursor.fetchone()
    assert content.startswith("v1.")
    assert filename.startswith("v1.")
    assert b"%PDF" not in content.encode()
    assert "JVBERi0" not in content  # base64 of "%PDF-": not even the encoded plaintext


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        (
            "izzina.pdf",
            EXE,
            "“izzina.pdf” is not a real PDF file: its content does not match its name.",
        ),
        (
            "lapa.txt",
            HTML,
            "“lapa.txt” is not a real TXT file: its content does not match its name.",
        ),
        (
            "lapa.pdf",
            HTML,
            "“lapa.pdf” is not a real PDF file: its content does not match its name.",
        ),
        (
            "zime.png",
            SVG,
            "“zime.png” is not a real PNG file: its content does not match its name.",
        ),
        (
            "makro.docx",
            _docx(macros=True),
            "“makro.docx” is not a real DOCX file: its content does not match its name.",
        ),
        (
            "lapa.html",
            HTML,
            "“lapa.html” cannot be attached: only these types are allowed: PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS, TXT.",
        ),
        (
            "zime.svg",
            SVG,
            "“zime.svg” cannot be attached: only these types are allowed: PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS, TXT.",
        ),
        (
            "skripts.js",
            b"alert(1)",
            "“skripts.js” cannot be attached: only these types are allowed: PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS, TXT.",
        ),
        (
            "izzina.pdf.exe",
            EXE,
            "“izzina.pdf.exe” cannot be attached: only these types are allowed: PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS, TXT.",
        ),
        ("tuksa.pdf", b"", "“tuksa.pdf” is empty."),
    ],
)
def test_it_refuses_a_file_and_names_it(case, name, data, expected):
    with pytest.raises(exchange.InvalidInput) as refused:
        post(case, upload(name, data))
    assert refused.value.errors == {"files": [expected]}


def test_it_refuses_a_file_over_the_size_limit(case, settings):
    settings.ATPAZIT_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(exchange.InvalidInput) as refused:
        post(case, upload("liela.pdf", PDF + b"0" * 2000))
    assert (
        refused.value.errors["files"]
        == [
            "“liela.pdf” is 2.0\xa0KB; a file may be at most 1.0\xa0KB."  # filesizeformat: no-break spaces
        ]
    )


def test_it_refuses_files_over_the_message_limit_and_too_many_files(case, settings):
    settings.ATPAZIT_ATTACHMENT_MESSAGE_MAX_BYTES = 150
    settings.ATPAZIT_ATTACHMENT_MAX_FILES = 2
    files = [upload(f"izzina-{n}.pdf", PDF) for n in range(3)]
    with pytest.raises(exchange.InvalidInput) as refused:
        post(case, *files)
    assert refused.value.errors["files"] == [
        "A message may carry at most 2 files; you chose 3.",
        f"The files together are {3 * len(PDF)}\xa0bytes; a message may carry at most 150\xa0bytes.",
    ]


def test_nothing_is_half_saved_when_one_file_of_several_is_refused(case):
    with pytest.raises(exchange.InvalidInput) as refused:
        post(case, upload("izzina.pdf", PDF), upload("lapa.html", HTML), body="")
    assert set(refused.value.errors) == {"body", "files"}  # every problem at once (I8)
    assert Message.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert Disclosure.objects.count() == 0


def test_only_the_types_enabled_in_settings_are_allowed(case, settings):
    settings.ATPAZIT_ATTACHMENT_TYPES = ["pdf"]
    with pytest.raises(exchange.InvalidInput) as refused:
        post(case, upload("foto.png", PNG))
    assert "only these types are allowed: PDF." in refused.value.errors["files"][0]


def test_an_unknown_type_in_settings_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.ATPAZIT_ATTACHMENT_TYPES = ["pdf", "html"]
    with pytest.raises(ImproperlyConfigured, match="html"):
        exchange.allowed_types()


# --- download ------------------------------------------------------------------------------


def test_the_download_is_an_attachment_with_exact_safe_headers(case, client_for):
    attachment = post(case, upload("Ziņojums par tikšanos.pdf", PDF)).attachments.get()
    response = client_for(case.liga).get(
        reverse("exchange:attachment_download", kwargs={"pk": attachment.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="Zinojums_par_tiksanos.pdf"; '
        "filename*=UTF-8''Zi%C5%86ojums%20par%20tik%C5%A1anos.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Length"] == str(len(PDF))
    assert response.content == PDF  # decrypted to exactly the bytes uploaded


def test_a_text_file_is_never_served_as_html_or_inline(case, client_for):
    attachment = post(case, upload("piezimes.txt", TEXT)).attachments.get()
    response = client_for(case.liga).get(
        reverse("exchange:attachment_download", kwargs={"pk": attachment.pk})
    )
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "inline" not in response["Content-Disposition"]
    assert response.content == TEXT


def test_a_stored_type_outside_the_allow_list_is_served_as_octet_stream(case, client_for):
    attachment = post(case, upload("izzina.pdf", PDF)).attachments.get()
    Attachment.objects.filter(pk=attachment.pk).update(content_type="text/html")
    response = client_for(case.janis).get(
        reverse("exchange:attachment_download", kwargs={"pk": attachment.pk})
    )
    assert response["Content-Type"] == "application/octet-stream"


def test_every_download_is_audited_as_a_read(case, client_for):
    attachment = post(case, upload("izzina.pdf", PDF)).attachments.get()
    client_for(case.liga).get(reverse("exchange:attachment_download", kwargs={"pk": attachment.pk}))
    event = AuditEvent.objects.get(action="attachment.downloaded")
    assert event.object_id == str(attachment.pk)
    assert event.details == {
        "referral": case.provider_referral.pk,
        "message": attachment.message_id,
    }
    assert event.actor_id == case.liga.pk


def test_a_tampered_attachment_is_refused_and_the_failure_audited(case, client_for):
    attachment = post(case, upload("izzina.pdf", PDF)).attachments.get()
    Attachment.objects.filter(pk=attachment.pk).update(sha256="0" * 64)
    response = client_for(case.liga).get(
        reverse("exchange:attachment_download", kwargs={"pk": attachment.pk})
    )
    assert response.status_code == 409
    assert "Content-Disposition" not in response
    assert AuditEvent.objects.filter(
        action="attachment.integrity_failed", outcome="failure"
    ).exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("izzina.pdf", "izzina.pdf"),
        ("Ziņojums.pdf", "Zinojums.pdf"),
        ("Отчёт.pdf", "attachment-7.pdf"),
        ('a"b;c\\d.txt', "a_b_c_d.txt"),
        ("..pdf", "attachment-7.pdf"),
    ],
)
def test_the_ascii_fallback_name_is_safe(name, expected):
    assert ascii_filename(name, 7) == expected


# --- through the page -------------------------------------------------------------------------


def test_files_posted_through_the_form_are_stored_and_too_large_ones_named(
    case, client_for, settings
):
    settings.ATPAZIT_ATTACHMENT_MAX_BYTES = 1024
    url = reverse("exchange:message_post", kwargs={"pk": case.provider_referral.pk})
    client = client_for(case.liga)
    refused = client.post(
        url, {"body": "Pielikumā.", "attachments": [upload("liela.pdf", PDF + b"0" * 5000)]}
    )
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "“liela.pdf” is 5.0\xa0KB; a file may be at most 1.0\xa0KB." in html
    assert f'name="next" value="{exchange.thread_url(case.provider_referral)}"' in html
    assert Message.objects.count() == 0
    accepted = client.post(url, {"body": "Pielikumā.", "attachments": [upload("izzina.pdf", PDF)]})
    assert accepted.status_code == 302
    assert Attachment.objects.get().sha256 == hashlib.sha256(PDF).hexdigest()
