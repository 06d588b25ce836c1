"""The reflection period and the written information about it (moved from referrals; the
tables keep their referrals_ names and encrypted fields their referrals.* encryption context, so
no row is moved or re-encrypted)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atpazit.lib.fields import EncryptedTextField
from atpazit.referrals.models import Suspicion

USER = settings.AUTH_USER_MODEL


class InformationSheet(models.Model):
    """The written information on the reflection period handed to a non-EU national (Law on the
    Residence of a Victim of Trafficking, s.3), in their language and the officer's."""

    suspicion = models.ForeignKey(
        Suspicion, on_delete=models.CASCADE, related_name="information_sheets"
    )
    person_language = models.CharField(_("language of the person"), max_length=8)
    officer_language = models.CharField(_("language of the officer"), max_length=8)
    generated_at = models.DateTimeField(auto_now_add=True)
    generated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    document_sha256 = models.CharField(max_length=64)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed over by"),
    )
    receipt_recorded_at = models.DateTimeField(null=True, blank=True)
    # The exact PDF handed over (base64, encrypted), so a later download is the same document even
    # after the wording is revised; ``text_version`` names the wording it carries.
    document = EncryptedTextField(
        blank=True, encryption_context="referrals.informationsheet.document"
    )
    text_version = models.CharField(max_length=20, blank=True)

    class Meta:
        db_table = "referrals_informationsheet"  # the table of the referrals app, kept
        ordering = ["-generated_at"]

    def __str__(self) -> str:
        return f"information sheet {self.pk} ({self.person_language}/{self.officer_language})"


class ReflectionPeriod(models.Model):
    """The 30-day reflection period (nogaidīšanas periods). No removal during it; the hold
    cannot be released while it runs."""

    class StartEvent(models.TextChoices):
        RECOGNITION = "recognition", _("recognition as a victim (Latvian law)")
        REASONABLE_GROUNDS = "reasonable_grounds", _("reasonable grounds (CoE Convention Art. 13)")

    class EarlyEndReason(models.TextChoices):
        # Dir. 2004/81 Art. 6(4) grounds, and the person's own choices.
        COOPERATION = (
            "cooperation",
            _("the person decided to cooperate; residence permit track started"),
        )
        RENEWED_CONTACT = (
            "renewed_contact",
            _("the person actively and voluntarily renewed contact with the suspects"),
        )
        PUBLIC_POLICY = "public_policy", _("public policy or national security")
        VOLUNTARY_RETURN = "voluntary_return", _("the person chose assisted voluntary return")
        OTHER = "other", _("other reason (see the note)")

    suspicion = models.OneToOneField(
        Suspicion, on_delete=models.PROTECT, related_name="reflection_period"
    )
    start_event = models.CharField(_("counted from"), max_length=20, choices=StartEvent.choices)
    granted_on = models.DateField(_("granted on"))
    decision_reference = models.CharField(_("decision reference"), max_length=64, blank=True)
    starts_on = models.DateField(pgettext_lazy("reflection period", "starts"))
    ends_on = models.DateField(_("ends"))
    ended_early_on = models.DateField(_("ended early on"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    ended_early_reason = models.CharField(
        _("why it ended early"), max_length=24, choices=EarlyEndReason.choices, blank=True
    )
    ended_early_note = EncryptedTextField(
        _("note on the early end"),
        blank=True,
        encryption_context="referrals.reflectionperiod.ended_early_note",
    )
    ended_early_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "referrals_reflectionperiod"  # the table of the referrals app, kept

    def __str__(self) -> str:
        return f"reflection period {self.starts_on}..{self.ends_on}"
