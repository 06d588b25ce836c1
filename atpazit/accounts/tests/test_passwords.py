"""Only the user sets their password: a one-time link on invitation or after a reset, and a
change of their own password. Nobody else ever sets or learns it."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from atpazit.accounts.models import PasswordLink, User
from atpazit.accounts.passwords import retry_unsent_password_links
from atpazit.accounts.tests.factories import TEST_PASSWORD, member
from atpazit.audit.models import AuditEvent
from atpazit.notifications.models import OutgoingEmail

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Vasaras-rits-pie-juras-7"  # noqa: S105


def invite(admin: User, client_for, capture, **overrides: str) -> User:
    """The administrator creates a user through the form; the invitation e-mail goes out."""
    data = {
        "username": "jauna.lietotaja",
        "first_name": "Zane",
        "last_name": "Priede",
        "email": "zane.priede@example.invalid",
        "role": "bg_officer",
        "language": "lv",
        **overrides,
    }
    with capture(execute=True):
        response = client_for(admin).post(reverse("accounts:user_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    return User.objects.get(username=data["username"])


def link_in(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://\S+(/accounts/password/link/\?token=\S+)", message.body)
    assert match, message.body
    return match.group(1)


def set_password(client: Client, link: str, password: str = NEW_PASSWORD):
    opened = client.get(link)
    assert opened.url == reverse("accounts:password_set")
    return client.post(
        reverse("accounts:password_set"), {"new_password1": password, "new_password2": password}
    )


def sign_in(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


class TestInvitation:
    def test_it_lets_the_invited_user_set_their_own_password_and_then_enrol(
        self, client_for, django_capture_on_commit_callbacks, mailoutbox
    ):
        admin = member("org_admin")
        user = invite(admin, client_for, django_capture_on_commit_callbacks)
        assert [m.to for m in mailoutbox] == [["zane.priede@example.invalid"]]
        client = Client()
        response = set_password(client, link_in(mailoutbox[0]))
        assert response.url == reverse("accounts:login")
        assert sign_in(client, user.username, NEW_PASSWORD).url == reverse("accounts:two_factor")
        assert "<svg" in client.get(reverse("accounts:two_factor")).content.decode()  # enrolment
        assert AuditEvent.objects.filter(action="auth.password_set", object_id=str(user.pk))

    def test_the_e_mail_carries_the_link_and_no_name_or_username(
        self, client_for, django_capture_on_commit_callbacks, mailoutbox
    ):
        invite(member("org_admin"), client_for, django_capture_on_commit_callbacks)
        body = mailoutbox[0].body + mailoutbox[0].subject
        for personal in ("Zane", "Priede", "jauna.lietotaja"):
            assert personal not in body

    def test_only_the_hash_of_the_token_is_stored_and_no_outgoing_mail_row_holds_it(
        self, client_for, django_capture_on_commit_callbacks, mailoutbox
    ):
        user = invite(member("org_admin"), client_for, django_capture_on_commit_callbacks)
        token = link_in(mailoutbox[0]).split("?token=", 1)[1]
        link = PasswordLink.objects.get(user=user)
        assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert not OutgoingEmail.objects.filter(body__contains=token).exists()
        assert not AuditEvent.objects.filter(details__icontains=token).exists()

    def test_the_token_is_not_in_the_path_the_access_log_records(
        self, client_for, django_capture_on_commit_callbacks, mailoutbox
    ):
        """Whoever reads the server's logs must not get a link to set someone's password."""
        from atpazit.web.management.commands.serve import ACCESS_LOG_FORMAT

        invite(member("org_admin"), client_for, django_capture_on_commit_callbacks)
        token = link_in(mailoutbox[0]).split("?token=", 1)[1]
        url = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
        assert "%(U)s" in ACCESS_LOG_FORMAT  # the path, without the query string
        assert not {"%(r)s", "%(q)s", "%({raw_uri}e)s"} & set(
            re.findall(r"%\([^)]*\)s", ACCESS_LOG_FORMAT)
        )
        assert token not in urlsplit(url).path
        assert len(token) >= 40

    def test_the_token_leaves_the_address_bar_before_the_form_is_shown(
        self, client_for, django_capture_on_commit_callbacks, mailoutbox
    ):
        invite(member("org_admin"), client_for, django_capture_on_commit_callbacks)
        client = Client()
        response = client.get(link_in(mailoutbox[0]))
        assert response.url == reverse("accounts:password_set")
        page = client.get(response.url)
        assert page.context["username"] == "jauna.lietotaja"

    def test_the_link_works_once(self, client_for, django_capture_on_commit_callbacks, mailoutbox):
        invite(member("org_admin"), client_for, django_capture_on_commit_callbacks)
        link = link_in(mailoutbox[0])
        set_password(Client(), link)
        second = Client()
        second.get(link)
        page = second.post(
            reverse("accounts:password_set"),
            {"new_password1": "Cits-parole-2026-x", "new_password2": "Cits-parole-2026-x"},
        )
        assert page.templates[0].name == "accounts/password_link_invalid.html"
        user = User.objects.get(username="jauna.lietotaja")
        assert user.check_password(NEW_PASSWORD)

    def test_an_expired_link_is_refused(
        self, client_for, django_capture_on_commit_callbacks, mailoutbox, settings
    ):
        settings.ATPAZIT_PASSWORD_LINK_HOURS = 72
        start = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
        with time_machine.travel(start, tick=False):
            invite(member("org_admin"), client_for, django_capture_on_commit_callbacks)
        with time_machine.travel(start + dt.timedelta(hours=73), tick=False):
            response = set_password(Client(), link_in(mailoutbox[0]))
        assert response.templates[0].name == "accounts/password_link_invalid.html"
        assert not User.objects.get(username="jauna.lietotaja").has_usable_password()

    def test_a_weak_password_is_refused_with_the_reason_and_the_link_stays_usable(
        self, client_for, django_capture_on_commit_callbacks, mailoutbox
    ):
        invite(member("org_admin"), client_for, django_capture_on_commit_callbacks)
        client = Client()
        response = set_password(client, link_in(mailoutbox[0]), "12345678")
        assert "new_password2" in response.context["form"].errors
        assert PasswordLink.objects.get().used_at is None

    def test_an_unsent_link_is_sent_by_the_tick_once_mail_works_again(
        self, client_for, django_capture_on_commit_callbacks, mailoutbox, settings
    ):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
        invite(member("org_admin"), client_for, django_capture_on_commit_callbacks)
        link = PasswordLink.objects.get()
        assert link.sent_at is None
        assert link.token_hash == ""
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        with time_machine.travel(dt.timedelta(minutes=2)):
            assert retry_unsent_password_links() == 1
        link.refresh_from_db()
        assert link.sent_at is not None
        assert len(mailoutbox) == 1


class TestChangeOwnPassword:
    def test_it_needs_the_current_password_and_ends_the_other_sessions(self, client_for):
        user = member("bg_officer")
        here, elsewhere = client_for(user), client_for(user)
        old_key = here.session.session_key
        response = here.post(
            reverse("accounts:password_change"),
            {
                "current_password": TEST_PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        assert response.url == reverse("web:dashboard")
        assert here.session.session_key != old_key
        assert here.get(reverse("web:dashboard")).status_code == 200  # still fully signed in
        assert elsewhere.get(reverse("web:dashboard")).status_code == 302  # signed out
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)
        assert AuditEvent.objects.filter(action="auth.password_changed", actor_id=user.pk)

    def test_a_wrong_current_password_is_refused_and_audited(self, client_for):
        user = member("bg_officer")
        response = client_for(user).post(
            reverse("accounts:password_change"),
            {
                "current_password": "not-my-password",
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        assert "current_password" in response.context["form"].errors
        user.refresh_from_db()
        assert user.check_password(TEST_PASSWORD)
        assert AuditEvent.objects.filter(action="auth.password_change_failed", outcome="failure")

    def test_guessing_the_current_password_locks_the_account_and_ends_the_session(self, client_for):
        # A stolen, fully signed-in session must not become an unlimited password oracle.
        user = member("bg_officer")
        client = client_for(user)
        wrong = {
            "current_password": "a-guess",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        }
        for _ in range(4):
            assert client.post(reverse("accounts:password_change"), wrong).status_code == 200
        response = client.post(reverse("accounts:password_change"), wrong)
        assert response.status_code == 429
        assert "bloķēts" in response.content.decode()
        assert client.get(reverse("web:dashboard")).status_code == 302  # signed out
        assert sign_in(Client(), user.username, TEST_PASSWORD).status_code == 429  # locked
        assert AuditEvent.objects.filter(action="auth.locked_out").exists()
        user.refresh_from_db()
        assert user.check_password(TEST_PASSWORD)

    def test_failed_attempts_never_keep_a_password_in_the_lockout_records(self, client_for):
        user = member("bg_officer")
        client_for(user).post(
            reverse("accounts:password_change"),
            {
                "current_password": "a-guess-to-hide",
                "new_password1": "NewSecret-to-hide-1",
                "new_password2": "NewSecret-to-hide-1",
            },
        )
        kept = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
        assert "current_password" in kept  # the attempt was recorded ...
        assert "to-hide" not in kept  # ... without any of the passwords

    def test_a_weak_new_password_is_refused_with_the_reason(self, client_for):
        user = member("bg_officer")
        response = client_for(user).post(
            reverse("accounts:password_change"),
            {"current_password": TEST_PASSWORD, "new_password1": "123", "new_password2": "123"},
        )
        assert "new_password2" in response.context["form"].errors
        user.refresh_from_db()
        assert user.check_password(TEST_PASSWORD)

    def test_a_password_only_session_cannot_change_the_password(self):
        user = member("bg_officer")
        client = Client()
        sign_in(client, user.username, TEST_PASSWORD)
        response = client.post(
            reverse("accounts:password_change"),
            {
                "current_password": TEST_PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        assert response.url == reverse("accounts:two_factor")
        user.refresh_from_db()
        assert user.check_password(TEST_PASSWORD)


class TestResetOfSignIn:
    def test_a_reset_ends_the_password_and_tells_the_user_by_e_mail_and_in_the_app(
        self, client_for, django_capture_on_commit_callbacks, mailoutbox
    ):
        admin = member("org_admin")
        colleague = member("bg_officer", organisation=admin.memberships.get().organisation)
        colleague_client = client_for(colleague)
        with django_capture_on_commit_callbacks(execute=True):
            client_for(admin).post(
                reverse("accounts:membership_edit", args=[colleague.memberships.get().pk]),
                {"reset_2fa": "1"},
            )
        colleague.refresh_from_db()
        assert not colleague.has_usable_password()
        assert not TOTPDevice.objects.filter(user=colleague).exists()
        assert colleague_client.get(reverse("web:dashboard")).status_code == 302  # signed out
        assert [m.to for m in mailoutbox] == [[colleague.email]]
        assert colleague.notifications.get().kind == "account.sign_in_reset"
        assert AuditEvent.objects.filter(action="user.2fa_reset", object_id=str(colleague.pk))
        assert PasswordLink.objects.get(user=colleague).purpose == "reset"
        # The user sets a new password through the link and enrols again.
        client = Client()
        set_password(client, link_in(mailoutbox[0]))
        assert sign_in(client, colleague.username, NEW_PASSWORD).url == reverse(
            "accounts:two_factor"
        )
        assert "<svg" in client.get(reverse("accounts:two_factor")).content.decode()

    def test_a_reset_replaces_an_earlier_link(
        self, client_for, django_capture_on_commit_callbacks, mailoutbox
    ):
        admin = member("org_admin")
        user = invite(admin, client_for, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            client_for(admin).post(
                reverse("accounts:membership_edit", args=[user.memberships.get().pk]),
                {"reset_2fa": "1"},
            )
        first, second = link_in(mailoutbox[0]), link_in(mailoutbox[1])
        assert set_password(Client(), first).templates[0].name == (
            "accounts/password_link_invalid.html"
        )
        assert set_password(Client(), second).url == reverse("accounts:login")
