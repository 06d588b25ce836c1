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
        indexes = [models.Index(fields=["to_organisation", "status"])]
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
    document = EncryptedTextField(blank=True)
    text_version = models.CharField(max_length=20, blank=True)

    class Meta:
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
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    ended_early_on = models.DateField(_("ended early on"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    ended_early_reason = models.CharField(
        _("why it ended early"), max_length=24, choices=EarlyEndReason.choices, blank=True
    )
    ended_early_note = EncryptedTextField(_("note on the early end"), blank=True)
    ended_early_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"reflection period {self.starts_on}..{self.ends_on}"


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


class ServiceRequest(models.Model):
    """A provider's request to SIVA for a service decision, once the person is identified. SIVA
    sees only persons with a request addressed to it, and only what the decision needs."""

    suspicion = models.ForeignKey(
        Suspicion, on_delete=models.PROTECT, related_name="service_requests"
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="service_requests_received"
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["to_organisation", "-requested_at"])]

    def __str__(self) -> str:
        return f"service request {self.pk} -> {self.to_organisation_id}"


class ServiceDecision(models.Model):
    """SIVA's decision on state-funded social rehabilitation (3 working days)."""

    class Decision(models.TextChoices):
        ASSIGNED = "assigned", _("service assigned")
        QUEUED = "queued", _("placed in the queue")
        REFUSED = "refused", _("service refused")

    suspicion = models.ForeignKey(
        Suspicion, on_delete=models.PROTECT, related_name="service_decisions"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    decided_on = models.DateField(_("decided on"))
    reference = models.CharField(_("decision reference"), max_length=64, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"SIVA {self.decision}"


class Rehabilitation(models.Model):
    """State-funded social rehabilitation: up to 180 days from the start."""

    suspicion = models.OneToOneField(
        Suspicion, on_delete=models.PROTECT, related_name="rehabilitation"
    )
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    def __str__(self) -> str:
        return f"rehabilitation from {self.started_on}"


class ResidencePermit(models.Model):
    """The residence-permit track that may follow the reflection period."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")

    suspicion = models.ForeignKey(
        Suspicion, on_delete=models.PROTECT, related_name="residence_permits"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    status_on = models.DateField(_("date"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        ordering = ["-status_on", "-pk"]

    def __str__(self) -> str:
        return f"residence permit {self.status}"


class ReturnDecision(models.Model):
    """The return decision recorded after identification: with a granted residence permit, what
    lets a recognised person's hold end. Assisted voluntary return is also a closure path."""

    class Kind(models.TextChoices):
        VOLUNTARY_RETURN = "voluntary_return", _("assisted voluntary return agreed")
        REMOVAL = "removal", _("return decision in force: removal may be rescheduled")

    suspicion = models.ForeignKey(
        Suspicion, on_delete=models.PROTECT, related_name="return_decisions"
    )
    kind = models.CharField(_("decision"), max_length=20, choices=Kind.choices)
    decided_on = models.DateField(_("decided on"))
    reference = models.CharField(_("decision reference"), max_length=64)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"return decision {self.kind}"


class Message(models.Model):
    """A message in a referral's thread between the organisations involved (secure exchange)."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    author_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    body = EncryptedTextField(_("message"))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.referral_id}"


class Attachment(models.Model):
    """A file attached to a message; the content is encrypted and never served inline."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    filename = EncryptedCharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # Base64 of the file, encrypted like any other field; size limits keep rows reasonable.
    content = EncryptedTextField()

    def __str__(self) -> str:
        return f"attachment {self.pk}"
