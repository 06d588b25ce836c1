"""The secure exchange: messages and attachments on a referral, or on a child's case between the
orphan's court and the Border Guard (moved from referrals; the tables keep their referrals_ names
and encrypted fields their referrals.* encryption context, so no row is moved or re-encrypted)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.models import Organisation
from atpazit.lib.fields import EncryptedCharField, EncryptedTextField
from atpazit.referrals.models import Referral, Suspicion

USER = settings.AUTH_USER_MODEL


class Message(models.Model):
    """A message in a thread between the organisations involved (secure exchange): a referral's
    thread, or the thread of a child-path suspicion between its orphan's court and the Border
    Guard (``suspicion``). Exactly one of the two is set."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    suspicion = models.ForeignKey(
        Suspicion, on_delete=models.PROTECT, null=True, blank=True, related_name="child_messages"
    )
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    author_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    body = EncryptedTextField(_("message"), encryption_context="referrals.message.body")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "referrals_message"  # the table of the referrals app, kept
        ordering = ["sent_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(referral__isnull=False, suspicion__isnull=True)
                | models.Q(referral__isnull=True, suspicion__isnull=False),
                name="message_in_one_thread",
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.referral_id or self.suspicion_id}"


class Attachment(models.Model):
    """A file attached to a message; the content is encrypted and never served inline."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    filename = EncryptedCharField(
        _("file name"), max_length=255, encryption_context="referrals.attachment.filename"
    )
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # Base64 of the file, encrypted like any other field; size limits keep rows reasonable.
    content = EncryptedTextField(encryption_context="referrals.attachment.content")

    class Meta:
        db_table = "referrals_attachment"  # the table of the referrals app, kept

    def __str__(self) -> str:
        return f"attachment {self.pk}"
