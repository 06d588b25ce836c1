"""Suspicion, consent, referral tracks and what follows identification (DESIGN.md §3 steps 3-7).

One ``Suspicion`` is raised per person and episode; everything else hangs off it. Provider and
police tracks are ``Referral`` rows that run in parallel, each with its own status flow
(``TRANSITIONS`` below). The person's identification status is derived from the tracks
(``identification_status``) and never stored twice. Free text, names and anything a provider or
the police write about the person are encrypted at the field level.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atpazit.accounts.models import Organisation
from atpazit.cases.models import Hold, Person
from atpazit.lib.fields import EncryptedCharField, EncryptedTextField

USER = settings.AUTH_USER_MODEL


class Suspicion(models.Model):
    """A credible suspicion of trafficking raised about a person (recognition, not identification)."""

    class ClosureReason(models.TextChoices):
        # HTCDS Case status / reason for closure, with the Latvian outcomes of domain.md §7.2.
        NOT_A_VICTIM = "not_a_victim", _("not identified as a victim")
        NOT_A_VICTIM_LABOUR = (
            "not_a_victim_labour",
            _("not a victim: labour case referred to the State Labour Inspectorate"),
        )
        REHABILITATION_COMPLETED = "rehabilitation_completed", _("social rehabilitation completed")
        VOLUNTARY_RETURN = "voluntary_return", _("assisted voluntary return")
        RESIDENCE_GRANTED = "residence_granted", _("residence permit granted")
        REFERRED_ELSEWHERE = "referred_elsewhere", _("closed, referred to another organisation")
        REMOVAL_RESUMED = "removal_resumed", _("removal resumed after a negative outcome")
        CONTACT_LOST = "contact_lost", _("contact lost")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="suspicions")
    raised_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    raised_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)
    reason = EncryptedTextField(_("why the suspicion is credible"))
    # "screening:<pk>" when raised from a screening decision; empty when raised directly.
    source_reference = models.CharField(max_length=64, blank=True)
    hold = models.OneToOneField(Hold, on_delete=models.PROTECT, related_name="suspicion")
    # Fixed when raised: under 18 or age disputed means the child path (I4) for this episode.
    child_path = models.BooleanField(_("child-protection path"), default=False)
    non_punishment_flag = models.BooleanField(_("possible non-punishment case"), default=False)
    # Child path: the orphan's court given notice (and so allowed to see this child's case).
    orphans_court = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("orphan's court notified"),
    )
    # An adult who refused referral is still offered support (I5): when, and by whom.
    support_offered_on = models.DateField(_("support offered on"), null=True, blank=True)
    support_offered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when the hold is released by decision: screen again before any rescheduled removal.
    rescreen_required_since = models.DateTimeField(
        _("re-screen before removal, since"), null=True, blank=True
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure_reason = models.CharField(
        _("reason for closure"), max_length=32, choices=ClosureReason.choices, blank=True
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-raised_at"]
        # The statistics count the suspicions raised in a period (stats.selectors).
        indexes = [models.Index(fields=["raised_at"], name="suspicion_raised")]
        verbose_name = _("suspicion of trafficking")
        verbose_name_plural = _("suspicions of trafficking")

    def __str__(self) -> str:
        return f"suspicion {self.pk} on {self.person_id}"


class Consent(models.Model):
    """An adult's informed decision on referral (I5). The newest record governs; a withdrawal
    stops further disclosure from that moment."""

    class Decision(models.TextChoices):
        GIVEN = "given", _("consent given")
        REFUSED = "refused", _("consent refused")

    class Scope(models.TextChoices):
        PROVIDER = "provider", _("service provider only")
        POLICE = "police", _("State Police only")
        BOTH = "both", _("service provider and State Police")

    suspicion = models.ForeignKey(Suspicion, on_delete=models.CASCADE, related_name="consents")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, blank=True)
    language = models.CharField(_("language of the explanation"), max_length=8)
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    interpreter_name = EncryptedCharField(_("interpreter"), max_length=200, blank=True)
    explained_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("explained by")
    )
    explained_on = models.DateField(_("date explained"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = EncryptedTextField(_("withdrawal note"), blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"consent {self.decision} ({self.scope}) for {self.suspicion_id}"


class AnonymousNotification(models.Model):
    """Sent when an adult refuses referral: no identifiers, only what helps the recipient act."""

    suspicion = models.ForeignKey(
        Suspicion, on_delete=models.CASCADE, related_name="anonymous_notifications"
    )
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Exactly: sex, age band, nationality, indicator codes, place, date. Checked by a test.
    payload = models.JSONField()
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"anonymous notification {self.pk} -> {self.to_organisation_id}"


class LabourNotice(models.Model):
    """A de-identified notice to the State Labour Inspectorate (R4 "refer to the labour
    inspectorate"): the same keys as an anonymous notification, no person, no case number.

    ``screening`` is kept for the sender's side and the audit trail only; the inspectorate's
    pages never show it or anything reached through it (referrals/labour.py).
    """

    screening = models.ForeignKey(
        "screening.ScreeningSession", on_delete=models.PROTECT, related_name="+"
    )
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Exactly ANONYMOUS_PAYLOAD_KEYS: sex, age band, nationality, indicator codes, place, date.
    payload = models.JSONField()
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["to_organisation", "-sent_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "to_organisation"], name="one_labour_notice_per_screening"
            )
        ]

    def __str__(self) -> str:
        return f"labour notice {self.pk} -> {self.to_organisation_id}"


class Referral(models.Model):
    """One track of identification: to a service provider or to the State Police."""

    class Track(models.TextChoices):
        PROVIDER = "provider", _("service provider")
        POLICE = "police", _("State Police")

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        EXPIRED = "expired", _("expired without an answer")
        ASSESSING = "assessing", _("assessment under way")
        RECOGNISED = "recognised", _("recognised as a victim")
        NOT_RECOGNISED = "not_recognised", _("not recognised as a victim")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class LegalBasis(models.TextChoices):
        CONSENT = "consent", _("consent of the person")
        LAW = "law", _("law (child protection)")
        VITAL_INTERESTS = "vital_interests", _("vital interests of the person")

    suspicion = models.ForeignKey(Suspicion, on_delete=models.PROTECT, related_name="referrals")
    track = models.CharField(_("track"), max_length=10, choices=Track.choices)
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_received"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SENT
    )
    legal_basis = models.CharField(_("legal basis"), max_length=16, choices=LegalBasis.choices)
    # The referral package exactly as disclosed (JSON, encrypted): the minimum the track needs.
    package = EncryptedTextField(_("referral package"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    status_changed_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["to_organisation", "status"]),
            # The statistics count the referrals sent in a period (stats.selectors).
            models.Index(fields=["sent_at"], name="referral_sent"),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.track} referral {self.pk}"


S = Referral.Status
# The status flow of a track (house style: a table beside the model). Every transition goes
# through referrals.services.transition_referral, which checks this table and the permission.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.SENT: frozenset({S.ACCEPTED, S.DECLINED, S.EXPIRED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.ASSESSING, S.WITHDRAWN}),
    S.ASSESSING: frozenset({S.RECOGNISED, S.NOT_RECOGNISED, S.WITHDRAWN}),
    S.DECLINED: frozenset(),
    S.EXPIRED: frozenset(),
    S.RECOGNISED: frozenset(),
    S.NOT_RECOGNISED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
OPEN_STATUSES = frozenset({S.SENT, S.ACCEPTED, S.ASSESSING})
NEGATIVE_END_STATUSES = frozenset({S.DECLINED, S.EXPIRED, S.NOT_RECOGNISED, S.WITHDRAWN})


class ReferralTransition(models.Model):
    """A row per status change of a track."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=Referral.Status.choices)
    to_status = models.CharField(max_length=16, choices=Referral.Status.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    reason = EncryptedTextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_status} -> {self.to_status}"


class CommissionAssessment(models.Model):
    """The provider commission's assessment (Cabinet Regulation No. 344): never shown to the
    Border Guard beyond its result."""

    class Result(models.TextChoices):
        CRITERIA_MET = "criteria_met", _("criteria met: recognised as a victim")
        CRITERIA_NOT_MET = "criteria_not_met", _("criteria not met")

    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="commission_assessment"
    )
    assessed_on = models.DateField(_("date of the commission"))
    members_present = EncryptedTextField(_("members present"))
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    protocol_reference = models.CharField(_("assessment protocol reference"), max_length=64)
    notes = EncryptedTextField(_("commission notes"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"commission {self.protocol_reference}"


class PoliceOutcome(models.Model):
    """What the police track decided: criminal proceedings and victim (cietušais) status."""

    class Proceedings(models.TextChoices):
        PENDING = "pending", _("decision pending")
        OPENED = "opened", _("criminal proceedings opened")
        DECLINED = "declined", _("refused to open criminal proceedings")

    class VictimStatus(models.TextChoices):
        PENDING = "pending", _("not yet decided")
        RECOGNISED = "recognised", _("recognised as a victim (cietušais)")
        NOT_RECOGNISED = "not_recognised", _("not recognised as a victim")

    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="police_outcome"
    )
    proceedings = models.CharField(
        _("criminal proceedings"),
        max_length=10,
        choices=Proceedings.choices,
        default=Proceedings.PENDING,
    )
    proceedings_reference = models.CharField(_("proceedings number"), max_length=64, blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    victim_status = models.CharField(
        _("victim status"),
        max_length=16,
        choices=VictimStatus.choices,
        default=VictimStatus.PENDING,
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"police outcome {self.referral_id}"


class ReturnRiskAssessment(models.Model):
    """Documented pre-return risk assessment, required before an adult who refused referral can
    have the hold released: risk of re-trafficking and who meets the person at hand-over."""

    class Risk(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    suspicion = models.ForeignKey(
        Suspicion, on_delete=models.CASCADE, related_name="risk_assessments"
    )
    rights_explained_in = models.CharField(_("rights explained in language"), max_length=8)
    risk_of_retrafficking = models.CharField(
        _("risk of re-trafficking on return"), max_length=8, choices=Risk.choices
    )
    who_meets_at_handover = EncryptedTextField(_("who meets the person at hand-over"))
    assessment = EncryptedTextField(_("assessment"))
    assessed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(_("assessed on"))

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"risk assessment {self.pk}"


class HoldReleaseProposal(models.Model):
    """Four eyes on a release that no identification outcome supports (I1): every track ended
    without a decision of the provider's commission or the police (withdrawn, expired,
    declined), or an adult refused referral. One case officer of the person's unit proposes,
    with reasons; a second, different one approves (and only then is the hold released, the
    Ombudsman told) or declines. ``case_state`` fingerprints the case when proposed: if anything
    changed since (a new referral, a screening, a consent...), the proposal is stale and can
    only be proposed again. The status flow is ``PROPOSAL_TRANSITIONS`` below."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a second case officer")
        APPROVED = "approved", _("approved: the hold was released")
        DECLINED = "declined", _("declined by a second case officer")
        WITHDRAWN = "withdrawn", _("withdrawn by the proposer")
        STALE = "stale", _("stale: the case changed after the proposal")

    suspicion = models.ForeignKey(
        Suspicion, on_delete=models.CASCADE, related_name="release_proposals"
    )
    hold = models.ForeignKey(Hold, on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(max_length=32)
    reason = EncryptedTextField(_("reasons for releasing the hold"))
    decision_reference = models.CharField(_("decision reference"), max_length=64)
    case_state = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(_("why the proposal was declined or withdrawn"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            # At most one proposal waits per suspicion: two racing proposals cannot both stand.
            models.UniqueConstraint(
                fields=["suspicion"],
                condition=models.Q(status="pending"),
                name="referrals_one_pending_release_proposal",
            )
        ]

    def __str__(self) -> str:
        return f"release proposal {self.pk} ({self.status})"


P = HoldReleaseProposal.Status
PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    P.PENDING: frozenset({P.APPROVED, P.DECLINED, P.WITHDRAWN, P.STALE}),
    P.APPROVED: frozenset(),
    P.DECLINED: frozenset(),
    P.WITHDRAWN: frozenset(),
    P.STALE: frozenset(),
}


class GuardianAppointment(models.Model):
    """A guardian or legal representative the orphan's court appointed for a child on the child
    path (I4). The newest open appointment is the current one; a new appointment supersedes it
    and an appointment may end, and both stay as history. Names and contacts are encrypted."""

    class Kind(models.TextChoices):
        GUARDIAN = "guardian", _("guardian")
        TEMPORARY_GUARDIAN = "temporary_guardian", _("temporary guardian")
        LEGAL_REPRESENTATIVE = "legal_representative", _("legal representative")

    class EndReason(models.TextChoices):
        SUPERSEDED = "superseded", _("replaced by a new appointment")
        ENDED = "ended", _("ended by the orphan's court")

    suspicion = models.ForeignKey(
        Suspicion, on_delete=models.PROTECT, related_name="guardian_appointments"
    )
    kind = models.CharField(_("kind of appointment"), max_length=32, choices=Kind.choices)
    name = EncryptedCharField(pgettext_lazy("guardian", "name"), max_length=200)
    contact = EncryptedCharField(_("contact"), max_length=300, blank=True)
    decision_date = models.DateField(_("date of the decision"))
    decision_number = EncryptedCharField(_("decision number"), max_length=100)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(
        pgettext_lazy("guardian appointment", "ended"), null=True, blank=True
    )
    ended_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(
        _("why it ended"), max_length=16, choices=EndReason.choices, blank=True
    )

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            # One current appointment per child's case: a second one supersedes the first.
            models.UniqueConstraint(
                fields=["suspicion"],
                condition=models.Q(ended_at__isnull=True),
                name="one_current_guardian_per_suspicion",
            ),
        ]
        verbose_name = _("guardian appointment")
        verbose_name_plural = _("guardian appointments")

    def __str__(self) -> str:
        return f"guardian appointment {self.pk} for {self.suspicion_id}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None
