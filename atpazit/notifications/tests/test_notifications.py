"""Notifications reach every member in-app, and by e-mail over real SMTP with no personal data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.accounts import permissions
from atpazit.accounts.tests.factories import OrganisationFactory, member
from atpazit.notifications.models import Notification, OutgoingEmail
from atpazit.notifications.services import notify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def provider():
    return OrganisationFactory(
        type="service_provider", name="Centrs (tests)", email="nosutijumi@example.invalid"
    )


def test_each_member_in_the_roles_gets_an_in_app_notification(provider):
    caseworker = member("caseworker", organisation=provider)
    commission = member("commission_member", organisation=provider)
    notify(
        organisation=provider,
        kind="referral.received",
        link="/referrals/1/",
        case_number="AT-2026-000001",
        roles=["caseworker"],
        email=False,
    )
    assert list(Notification.objects.values_list("recipient", flat=True)) == [caseworker.pk]
    assert not Notification.objects.filter(recipient=commission).exists()


def test_recipients_follow_the_permission_table(provider, monkeypatch):
    """Whom to tell is derived from the table: the roles granted the permission are told, the
    others are not; grant it to another role and its members are told too."""
    caseworker = member("caseworker", organisation=provider)
    commission = member("commission_member", organisation=provider)
    assert "referrals.siva:request" in permissions.permissions_for("caseworker")
    assert "referrals.siva:request" not in permissions.permissions_for("commission_member")

    def tell() -> set[int]:
        Notification.objects.all().delete()
        notify(
            organisation=provider,
            kind="siva.decided",
            link="/referrals/followup/1/",
            permission="referrals.siva:request",
            email=False,
        )
        return set(Notification.objects.values_list("recipient", flat=True))

    assert tell() == {caseworker.pk}
    granted = dict(permissions.ROLE_PERMISSIONS)
    granted["commission_member"] = granted["commission_member"] | {"referrals.siva:request"}
    monkeypatch.setattr(permissions, "ROLE_PERMISSIONS", granted)
    assert tell() == {caseworker.pk, commission.pk}


def test_a_notification_names_a_permission_or_roles_not_both(provider):
    with pytest.raises(ValueError, match="a permission or roles, not both"):
        notify(
            organisation=provider,
            kind="siva.decided",
            link="/",
            permission="referrals.siva:request",
            roles=["caseworker"],
            email=False,
        )


def test_the_email_goes_over_smtp_to_the_office_and_the_users_with_only_a_link(
    provider, smtp_server, settings
):
    settings.ATPAZIT_BASE_URL = "https://atpazit.example.invalid"
    caseworker = member(
        "caseworker", organisation=provider, email="liga@example.invalid", language="ru"
    )
    notify(
        organisation=provider,
        kind="referral.received",
        link="/referrals/7/",
        case_number="AT-2026-000007",
    )
    recipients = sorted(m["X-Envelope-To"] for m in smtp_server.messages)
    assert recipients == ["liga@example.invalid", "nosutijumi@example.invalid"]
    for message in smtp_server.messages:
        body = message.get_payload(decode=True).decode()
        assert "https://atpazit.example.invalid/referrals/7/" in body
        assert "AT-2026-000007" not in body  # not even the pseudonymous case number
        assert caseworker.last_name not in body
    russian = next(m for m in smtp_server.messages if m["X-Envelope-To"] == "liga@example.invalid")
    assert str(russian["Subject"]).strip() == "Atpazīt: Вас что-то ожидает"
    assert OutgoingEmail.objects.filter(status="sent").count() == 2


def test_a_failed_smtp_delivery_stays_queued_for_retry(provider, settings):
    member("caseworker", organisation=provider)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on the discard port
    notify(organisation=provider, kind="referral.received", link="/referrals/1/")
    email = OutgoingEmail.objects.first()
    assert email.status == "queued"
    assert email.attempts == 1
    assert email.last_error


def test_a_user_sees_only_their_own_notifications_and_can_mark_them_read(provider, client_for):
    caseworker = member("caseworker", organisation=provider)
    other = member("caseworker")
    notify(organisation=provider, kind="referral.received", link="/referrals/1/", email=False)
    notify(
        organisation=other.memberships.get().organisation,
        kind="referral.received",
        link="/referrals/2/",
        email=False,
    )
    client = client_for(caseworker)
    page = client.get(reverse("notifications:inbox"))
    assert [n.link for n, _ in page.context["rows"]] == ["/referrals/1/"]
    client.post(reverse("notifications:mark_read"))
    assert not Notification.objects.filter(recipient=caseworker, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).exists()


def test_the_inbox_shows_only_the_active_organisations_notifications(provider, client_for):
    from atpazit.accounts.models import Membership

    caseworker = member("caseworker", organisation=provider)
    police = OrganisationFactory(type="police")
    Membership.objects.create(user=caseworker, organisation=police, role="investigator")
    notify(
        organisation=provider,
        kind="referral.received",
        link="/referrals/1/",
        case_number="AT-1",
        email=False,
    )
    notify(
        organisation=police,
        kind="referral.received",
        link="/referrals/2/",
        case_number="AT-2",
        email=False,
    )
    client = client_for(caseworker)
    assert [
        n.case_number for n, _ in client.get(reverse("notifications:inbox")).context["rows"]
    ] == ["AT-1"]
    client.post(reverse("notifications:mark_read"))
    assert Notification.objects.filter(organisation=police, read_at__isnull=True).exists()


def test_unread_notifications_show_on_the_dashboard(provider, client_for):
    caseworker = member("caseworker", organisation=provider)
    notify(organisation=provider, kind="referral.received", link="/referrals/1/", email=False)
    page = client_for(caseworker).get(reverse("web:dashboard"))
    assert "/referrals/1/" in page.content.decode()


def test_the_real_worker_sends_queued_emails(provider, smtp_server, settings):
    """With the database task backend nothing is sent until `atpazit worker` runs."""
    from django.core.management import call_command

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    member("caseworker", organisation=provider, email="liga@example.invalid")
    notify(organisation=provider, kind="referral.received", link="/referrals/3/")
    assert smtp_server.messages == []
    assert OutgoingEmail.objects.filter(status="queued").count() == 2
    call_command("worker", batch=True)
    assert len(smtp_server.messages) == 2
    assert OutgoingEmail.objects.filter(status="sent").count() == 2
