"""Development mode works quietly, and nobody is told an e-mail went out before it did.

In development e-mails land in a mailbox the app shows (404 in any other mode); the worker logs
one line, never a traceback, for a mail server that refuses; a notification shows how far its
e-mail got.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from atpazit.accounts.models import PasswordLink
from atpazit.accounts.tests.factories import OrganisationFactory, member
from atpazit.notifications import devmail
from atpazit.notifications.models import Notification, OutgoingEmail
from atpazit.notifications.services import notify
from atpazit.notifications.tasks import MAX_ATTEMPTS

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[3]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def provider():
    return OrganisationFactory(type="service_provider", name="Centrs (tests)", email="")


@pytest.fixture
def refusing_smtp(settings):
    """A mail server that refuses every connection: nothing listens on the discard port."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9


@pytest.fixture
def dev_mailbox(settings, tmp_path):
    settings.DEBUG = True
    settings.PRODUCTION = False
    settings.VAR_DIR = tmp_path
    settings.EMAIL_BACKEND = devmail.BACKEND
    return tmp_path / "dev-mailbox"


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.exc_info]


class TestTheWorkerStaysQuiet:
    def test_a_refused_notification_email_is_one_line_and_stays_queued(
        self, provider, refusing_smtp, settings, caplog
    ):
        settings.TASKS = DB_TASKS
        member("caseworker", organisation=provider, email="liga@example.invalid")
        notify(organisation=provider, kind="referral.received", link="/referrals/1/")
        with caplog.at_level(logging.INFO):
            call_command("worker", batch=True)
        assert _tracebacks(caplog) == []
        lines = [r.getMessage() for r in caplog.records if r.name == "atpazit.mail"]
        assert lines == [
            f"E-mail {OutgoingEmail.objects.get().pk} not sent (attempt 1 of "
            f"{MAX_ATTEMPTS}, will retry): ConnectionRefusedError"
        ]
        email = OutgoingEmail.objects.get()
        assert (email.status, email.attempts) == ("queued", 1)

    def test_the_last_attempt_marks_the_email_failed(self, provider, refusing_smtp):
        member("caseworker", organisation=provider, email="liga@example.invalid")
        notify(organisation=provider, kind="referral.received", link="/referrals/1/")
        email = OutgoingEmail.objects.get()
        email.attempts = MAX_ATTEMPTS - 1
        email.save()
        from atpazit.notifications.tasks import send_email

        send_email.enqueue(email.pk)
        email.refresh_from_db()
        assert email.status == "failed"

    def test_a_refused_password_link_is_one_line_and_stays_unsent(
        self, refusing_smtp, settings, caplog, client_for
    ):
        settings.TASKS = DB_TASKS
        admin = member("org_admin")
        client_for(admin).post(
            reverse("accounts:user_create"),
            {
                "username": "jauna.lietotaja",
                "first_name": "Anna",
                "last_name": "Ozola",
                "email": "anna@example.invalid",
                "role": "auditor",
                "language": "lv",
            },
        )
        with caplog.at_level(logging.INFO):
            call_command("worker", batch=True)
        assert _tracebacks(caplog) == []
        link = PasswordLink.objects.get()
        assert [r.getMessage() for r in caplog.records if r.name == "atpazit.mail"] == [
            f"Password link {link.pk} not sent (will retry): ConnectionRefusedError"
        ]
        assert link.sent_at is None


class TestDeliveryState:
    def test_a_notification_says_its_email_is_queued_until_the_server_takes_it(
        self, provider, client_for, settings
    ):
        settings.TASKS = DB_TASKS  # nothing is sent until the worker runs
        caseworker = member("caseworker", organisation=provider, email="liga@example.invalid")
        notify(organisation=provider, kind="referral.received", link="/referrals/1/")
        page = client_for(caseworker).get(reverse("notifications:inbox")).content.decode()
        assert "e-pasts rindā" in page
        assert "e-pasts nosūtīts" not in page

    def test_a_refused_email_shows_as_failed_and_retrying(
        self, provider, client_for, refusing_smtp
    ):
        caseworker = member("caseworker", organisation=provider, email="liga@example.invalid")
        notify(organisation=provider, kind="referral.received", link="/referrals/1/")
        page = client_for(caseworker).get(reverse("notifications:inbox")).content.decode()
        assert "e-pastu neizdevās nosūtīt, mēģinās vēlreiz" in page
        assert "e-pasts nosūtīts<" not in page

    def test_a_sent_email_shows_as_sent_in_the_inbox_and_on_the_dashboard(
        self, provider, client_for
    ):
        caseworker = member("caseworker", organisation=provider, email="liga@example.invalid")
        notify(organisation=provider, kind="referral.received", link="/referrals/1/")
        assert len(mail.outbox) == 1
        client = client_for(caseworker)
        assert "e-pasts nosūtīts" in client.get(reverse("notifications:inbox")).content.decode()
        assert "e-pasts nosūtīts" in client.get(reverse("web:dashboard")).content.decode()

    def test_a_user_without_an_address_sees_in_app_only(self, provider, client_for):
        caseworker = member("caseworker", organisation=provider, email="")
        notify(organisation=provider, kind="referral.received", link="/referrals/1/")
        notification = Notification.objects.get(recipient=caseworker)
        assert notification.delivery() == "in_app_only"
        page = client_for(caseworker).get(reverse("notifications:inbox")).content.decode()
        assert "tikai Atpazīt, bez e-pasta" in page


class TestDevelopmentMailbox:
    def test_an_email_in_development_lands_in_the_mailbox_page(
        self, provider, client_for, dev_mailbox
    ):
        caseworker = member("caseworker", organisation=provider, email="liga@example.invalid")
        notify(organisation=provider, kind="referral.received", link="/referrals/4/")
        assert len(list(dev_mailbox.glob("*.eml"))) == 1
        assert OutgoingEmail.objects.get().status == "sent"
        page = client_for(caseworker).get(reverse("notifications:dev_mailbox"))
        assert page.status_code == 200
        html = page.content.decode()
        assert "liga@example.invalid" in html
        assert "/referrals/4/" in html
        assert "Atpazīt: Jūs kaut kas gaida" in html

    def test_every_role_opens_the_mailbox_in_development(self, client_for, dev_mailbox):
        from atpazit.accounts.roles import Role

        for role in Role:
            response = client_for(member(role.value)).get(reverse("notifications:dev_mailbox"))
            assert response.status_code == 200, role

    def test_a_user_reads_only_the_e_mails_addressed_to_them(
        self, provider, client_for, dev_mailbox
    ):
        liga = member("caseworker", organisation=provider, email="Liga@example.invalid")
        outsider = member("caseworker", email="charlie@example.invalid")
        mail.send_mail("Tikai Līgai", "https://x.invalid/set-password/SECRET", None, [liga.email])
        mail.EmailMessage("Slēpta kopija", "bcc body", bcc=["liga@example.invalid"]).send()

        mine = client_for(liga).get(reverse("notifications:dev_mailbox")).text
        theirs = client_for(outsider).get(reverse("notifications:dev_mailbox")).text

        assert "Tikai Līgai" in mine
        assert "Slēpta kopija" in mine
        assert "SECRET" not in theirs
        assert "Tikai Līgai" not in theirs
        assert "Slēpta kopija" not in theirs

    def test_the_system_administrator_reads_every_e_mail(self, client_for, dev_mailbox):
        mail.send_mail("Kādam citam", "body", None, ["someone@example.invalid"])

        page = client_for(member("system_admin")).get(reverse("notifications:dev_mailbox"))

        assert "Kādam citam" in page.text

    def test_only_the_owner_can_read_the_mailbox_files(self, dev_mailbox):
        mail.send_mail("Ielūgums", "https://x.invalid/set-password/SECRET", None, ["a@b.invalid"])

        (message,) = dev_mailbox.glob("*.eml")
        assert dev_mailbox.stat().st_mode & 0o777 == 0o700
        assert message.stat().st_mode & 0o777 == 0o600

    def test_the_mailbox_is_404_outside_development(self, client_for, dev_mailbox, settings):
        client = client_for(member("system_admin"))
        settings.DEBUG = False
        assert client.get(reverse("notifications:dev_mailbox")).status_code == 404
        settings.DEBUG, settings.PRODUCTION = True, True
        assert client.get(reverse("notifications:dev_mailbox")).status_code == 404
        settings.PRODUCTION = False
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        assert client.get(reverse("notifications:dev_mailbox")).status_code == 404

    def test_the_settings_choose_the_mailbox_only_in_development_without_smtp(self, tmp_path):
        def backend(**env: str) -> str:
            script = "import atpazit.settings as s; print(s.EMAIL_BACKEND)"
            run = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
                [sys.executable, "-c", script],
                env={"PATH": "/usr/bin:/bin", "ATPAZIT_VAR_DIR": str(tmp_path), **env},
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO,
            )
            return run.stdout.strip()

        assert backend() == devmail.BACKEND
        assert backend(ATPAZIT_EMAIL_CONSOLE="true") == (
            "django.core.mail.backends.console.EmailBackend"
        )
        assert backend(ATPAZIT_EMAIL_HOST="smtp.example.invalid") == (
            "django.core.mail.backends.smtp.EmailBackend"
        )


def test_make_run_serves_on_the_port_given():
    run = subprocess.run(
        ["make", "-n", "run", "PORT=8010"],  # noqa: S607 - make from PATH, as a developer runs it
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    assert "ATPAZIT_BIND=127.0.0.1:8010" in run.stdout
    assert "http://127.0.0.1:8010" in run.stdout
    assert "8000" not in run.stdout
