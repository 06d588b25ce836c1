"""Forced-return monitoring by the Ombudsman's Office (DESIGN.md §3 step 8, domain.md §1.9).

A ``Mission`` is the Ombudsman's monitoring of one removal operation: who planned it, which
monitors go, which stages they cover (``MissionStage``, planned and actual times), when the
Border Guard told the Office about the operation (the notice period, and whether it was in
time), and the checklist release the mission answers (``checklist_version``: a mission keeps the
release it was planned with, ADR 0016). ``ChecklistAnswer`` is one answer to one item of that
release at one stage. ``Observation`` is what a monitor saw, tied to a stage and optionally to a
person, its text encrypted. ``RemovalRequest`` is the monitor's formal request to the escort
leader to take a person off the manifest, with the Border Guard's answer.

Observations, answers and the mission's internal notes are the Office's own working material:
the Border Guard sees an announced mission (dates, stages, monitors) and the requests addressed
to it, never those (``selectors.py``). Findings, recommendations and reports (issue 12 items 5
and 6) build on these models in their own modules.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atpazit.accounts.models import Organisation
from atpazit.cases.models import Person
from atpazit.lib.fields import EncryptedTextField
from atpazit.removals.models import RemovalOperation


class Stage(models.TextChoices):
    """The stages of a forced return a monitor may cover, in their order (domain.md §1.9)."""

    PRE_RETURN = "pre_return", _("pre-return")
    PRE_DEPARTURE = "pre_departure", _("pre-departure")
    TRANSFER = "transfer", _("transfer")
    BOARDING = "boarding", _("boarding")
    IN_FLIGHT = "in_flight", _("in flight or in transit")
    STOPOVER = "stopover", _("stopover")
    HANDOVER = "handover", _("hand-over")
    POST_RETURN = "post_return", _("post-return debriefing")


STAGE_ORDER = tuple(Stage)


class Mission(models.Model):
    """The monitoring of one removal operation by the Ombudsman's Office."""

    class Status(models.TextChoices):
        # Latvian and Russian statuses agree with the noun: a mission (misija) is "plānota".
        PLANNED = "planned", pgettext_lazy("monitoring mission", "planned")
        ANNOUNCED = "announced", pgettext_lazy("monitoring mission", "announced")
        IN_PROGRESS = "in_progress", pgettext_lazy("monitoring mission", "in progress")
        COMPLETED = "completed", pgettext_lazy("monitoring mission", "completed")
        CANCELLED = "cancelled", pgettext_lazy("monitoring mission", "cancelled")

    operation = models.ForeignKey(
        RemovalOperation,
        on_delete=models.PROTECT,
        related_name="monitoring_missions",
        verbose_name=_("removal operation"),
    )
    # The Ombudsman's Office that monitors (the monitors' organisation).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="monitoring_missions"
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("head of monitoring"),
    )
    monitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="monitoring_missions",
        verbose_name=_("monitors"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    # The checklist release the mission answers, fixed when it is planned (ADR 0016).
    checklist_version = models.CharField(_("checklist version"), max_length=20)
    # The notice the Border Guard gave: when the Office was informed of the operation, and the
    # notice period it amounted to against the length required then (kept, not recomputed).
    informed_at = models.DateTimeField(_("informed of the operation"), null=True, blank=True)
    notice_hours = models.PositiveIntegerField(_("notice period (hours)"), null=True, blank=True)
    required_notice_hours = models.PositiveIntegerField(null=True, blank=True)
    informed_in_time = models.BooleanField(_("informed in time"), null=True, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The monitors' own notes about the mission: never shown to the Border Guard.
    internal_notes = EncryptedTextField(_("internal notes"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"])]
        verbose_name = _("monitoring mission")
        verbose_name_plural = _("monitoring missions")

    def __str__(self) -> str:
        return f"M-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def can_become(self, status: str) -> bool:
        return status in TRANSITIONS[self.Status(self.status)]


# The status flow, as data: planned -> announced -> in progress -> completed; an open mission
# may be cancelled. Recording (stages, answers, observations) needs an announced or running one.
TRANSITIONS: dict[Mission.Status, frozenset[Mission.Status]] = {
    Mission.Status.PLANNED: frozenset({Mission.Status.ANNOUNCED, Mission.Status.CANCELLED}),
    Mission.Status.ANNOUNCED: frozenset({Mission.Status.IN_PROGRESS, Mission.Status.CANCELLED}),
    Mission.Status.IN_PROGRESS: frozenset({Mission.Status.COMPLETED, Mission.Status.CANCELLED}),
    Mission.Status.COMPLETED: frozenset(),
    Mission.Status.CANCELLED: frozenset(),
}
OPEN_STATUSES = frozenset(
    {Mission.Status.PLANNED, Mission.Status.ANNOUNCED, Mission.Status.IN_PROGRESS}
)
RECORDING_STATUSES = frozenset({Mission.Status.ANNOUNCED, Mission.Status.IN_PROGRESS})


class MissionStatusChange(models.Model):
    """A row per status change of a mission."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=Mission.Status.choices)
    to_status = models.CharField(max_length=12, choices=Mission.Status.choices)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.mission_id}: {self.from_status} -> {self.to_status}"


class MissionStage(models.Model):
    """A stage the mission covers, with its planned and actual times."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    planned_end = models.DateTimeField(_("planned end"), null=True, blank=True)
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mission", "stage"], name="one_row_per_mission_stage")
        ]
        verbose_name = _("mission stage")
        verbose_name_plural = _("mission stages")

    def __str__(self) -> str:
        return f"{self.mission_id}:{self.stage}"

    @property
    def order(self) -> int:
        return STAGE_ORDER.index(Stage(self.stage))


class ChecklistAnswer(models.Model):
    """One answer to one item of the mission's checklist release, at one stage."""

    class Answer(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        NOT_OBSERVED = "not_observed", _("not observed")
        NOT_APPLICABLE = "not_applicable", _("not applicable")

    stage = models.ForeignKey(MissionStage, on_delete=models.CASCADE, related_name="answers")
    item_code = models.CharField(max_length=60)
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices)
    note = EncryptedTextField(_("note"), blank=True)
    # True where the system answered from the records (every returnee screened, D9); the
    # monitor may still answer such an item by hand, which then replaces it.
    automatic = models.BooleanField(default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stage", "item_code"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.stage_id}:{self.item_code}={self.answer}"


class Observation(models.Model):
    """What a monitor saw during a mission, at a stage, optionally about one person."""

    class Category(models.TextChoices):
        INFORMATION = "information", _("information to the returnee")
        MEDICAL = "medical", _("fitness to travel and medical support")
        FORCE = "force", _("use of force and restraints")
        ESCORT = "escort", _("escort conduct")
        FAMILIES = "families", _("families and children")
        INTERPRETATION = "interpretation", _("interpretation")
        BELONGINGS = "belongings", _("belongings")
        HANDOVER = "handover", _("hand-over conduct")
        TRAFFICKING = "trafficking", _("signs of trafficking")
        OTHER = "other", pgettext_lazy("observation category", "other")

    class Severity(models.TextChoices):
        INFO = "info", _("for the record")
        CONCERN = "concern", _("concern")
        SERIOUS = "serious", _("serious")
        URGENT = "urgent", _("urgent: act now")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="observations")
    stage = models.ForeignKey(MissionStage, on_delete=models.PROTECT, related_name="observations")
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monitoring_observations",
        verbose_name=_("person"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    observed_at = models.DateTimeField(_("time"))
    text = EncryptedTextField(_("what you observed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Set by a device that recorded the observation offline (issue 12 item 7): a second send of
    # the same observation finds the first instead of recording it twice.
    client_id = models.UUIDField(null=True, blank=True, unique=True)
    # Signs of trafficking about a person (issue 12 item 9): indicator codes of the screening
    # catalogue release named beside them, and the screening rules' advice on them when saved
    # (engine.Recommendation value). Codes only; the labels come from the catalogue.
    indicator_codes = models.JSONField(default=list, blank=True)
    catalogue_version = models.CharField(max_length=20, blank=True)
    recommendation = models.CharField(max_length=40, blank=True)
    # What the monitor did about the person from this observation (item 3): "screening:<pk>"
    # or "suspicion:<pk>", empty if nothing yet.
    follow_up = models.CharField(max_length=40, blank=True)
    # Its author may correct it until the mission's report is approved (``edit_observation``):
    # every change bumps the version (a stale form is refused) and keeps an
    # ``ObservationRevision`` with what it said before.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["observed_at", "pk"]
        indexes = [models.Index(fields=["mission", "observed_at"])]
        verbose_name = pgettext_lazy("monitoring", "observation")
        verbose_name_plural = pgettext_lazy("monitoring", "observations")

    def __str__(self) -> str:
        return f"{self.mission_id}:{self.pk}"


class ObservationRevision(models.Model):
    """What an observation said before its author changed it: one row per change, with who
    changed it, when and which fields (the earlier text stays encrypted)."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="revisions")
    # The version of the observation these values were.
    version = models.PositiveIntegerField()
    category = models.CharField(max_length=20, choices=Observation.Category.choices)
    severity = models.CharField(max_length=10, choices=Observation.Severity.choices)
    observed_at = models.DateTimeField()
    text = EncryptedTextField()
    changed_fields = models.JSONField(default=list)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "version"], name="one_revision_per_observation_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.observation_id}@{self.version}"

    @property
    def changed_labels(self) -> list[str]:
        """The changed fields as the form names them."""
        fields = {field.name: field.verbose_name for field in Observation._meta.fields}
        return [str(fields.get(name, name)) for name in self.changed_fields]


class RemovalRequest(models.Model):
    """The monitor's formal request to the escort leader to take a person off the manifest,
    with the Border Guard's answer (domain.md §1.9: monitors cannot stop an operation; they
    ask and record the answer)."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("removal request", "awaiting answer")
        ACCEPTED = "accepted", pgettext_lazy("removal request", "accepted")
        REFUSED = "refused", pgettext_lazy("removal request", "refused")

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="removal_requests")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(_("why the person should not travel"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_reason = EncryptedTextField(_("reason for the answer"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One open request per person and mission: a second tap does not ask twice.
            models.UniqueConstraint(
                fields=["mission", "person"],
                condition=models.Q(status="pending"),
                name="one_pending_removal_request_per_person",
            )
        ]
        verbose_name = _("request to take a person off the manifest")
        verbose_name_plural = _("requests to take persons off the manifest")

    def __str__(self) -> str:
        return f"{self.mission_id}:{self.person_id}:{self.status}"


# --- Findings, recommendations and reports (issue 12 items 5 and 6) ----------------------------
# Services in ``findings.py`` and ``reports.py``; reads in ``findings_selectors.py``.


class Finding(models.Model):
    """What the Office concludes from a mission: a stage, a category and a text (encrypted).

    A finding is the Office's own until one of its recommendations is sent: the Border Guard
    unit running the operation then sees the finding with the recommendations sent to it.

    A finding the system drafts from the records carries a ``code`` and structured ``details``
    (person ids and codes, never names or free text); its sentence is rendered from them in the
    reader's language (``findings_selectors.finding_text``), and ``text`` is then the Office's
    own note beside it. One coded finding per mission and code. Until one of its
    recommendations is sent, the Office may change the text, and the head of monitoring may
    withdraw the finding (``withdrawn_at``): a withdrawn finding is in no report or count."""

    class Code(models.TextChoices):
        # Rule D9 (ADR 0022): returnees without a decided screening at pre-return and at
        # pre-departure. details: {"returnees": [{"person": pk, "missing": [stage, ...]}],
        # "on_manifest": n, "resolved": [pk, ...]} (resolved: listed before, not missing now).
        D9_SCREENING_MISSING = (
            "d9_screening_missing",
            _("returnees not screened at pre-return and pre-departure (D9)"),
        )

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="findings")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    category = models.CharField(_("category"), max_length=20, choices=Observation.Category.choices)
    text = EncryptedTextField(_("finding"))
    code = models.CharField(_("kind of finding"), max_length=32, choices=Code.choices, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(
        pgettext_lazy("monitoring finding", "withdrawn"), null=True, blank=True
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # Drafted from the records once per mission: re-recording updates, never repeats.
            models.UniqueConstraint(
                fields=["mission", "code"],
                condition=~models.Q(code=""),
                name="one_coded_finding_per_mission",
            )
        ]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return f"F-{self.pk}"


class Recommendation(models.Model):
    """A recommendation to the Border Guard on a finding: drafted by a monitor, approved and
    sent by the head of monitoring, answered by the Border Guard within the response deadline
    (``deadlines`` kind ``recommendation_response``; an overdue one escalates), then followed
    up by the Office."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("recommendation", "draft")
        SENT = "sent", pgettext_lazy("recommendation", "sent, awaiting response")
        ANSWERED = "answered", pgettext_lazy("recommendation", "answered")
        FOLLOW_UP = "follow_up", pgettext_lazy("recommendation", "under follow-up")
        IMPLEMENTED = "implemented", pgettext_lazy("recommendation", "implemented")
        NOT_IMPLEMENTED = "not_implemented", pgettext_lazy("recommendation", "not implemented")
        WITHDRAWN = "withdrawn", pgettext_lazy("recommendation", "withdrawn")

    class Response(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("recommendation response", "accepted")
        PARTLY = "partly", pgettext_lazy("recommendation response", "partly accepted")
        REJECTED = "rejected", pgettext_lazy("recommendation response", "rejected")

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="recommendations")
    text = EncryptedTextField(_("recommendation"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The Border Guard unit addressed: the unit running the operation, fixed when sent.
    addressee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="monitoring_recommendations",
        verbose_name=_("addressed to"),
    )
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True)
    # The Border Guard's response: structured fields plus free text.
    response = models.CharField(_("response"), max_length=10, choices=Response.choices, blank=True)
    response_reasons = EncryptedTextField(_("reasons"), blank=True)
    response_actions = EncryptedTextField(_("actions to be taken"), blank=True)
    actions_due = models.DateField(_("actions to be completed by"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    # The Office's follow-up note (its own: not shown to the Border Guard).
    follow_up_note = EncryptedTextField(_("follow-up note"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["drafted_at", "pk"]
        indexes = [models.Index(fields=["addressee", "status"])]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return f"R-{self.pk}"

    def can_become(self, status: str) -> bool:
        return status in RECOMMENDATION_TRANSITIONS[self.Status(self.status)]


_R = Recommendation.Status
# The status flow, as data. A draft is sent (by the head of monitoring) or withdrawn; a sent one
# is answered by the Border Guard (or withdrawn by the Office); an answered one is followed up
# and closed as implemented or not implemented.
RECOMMENDATION_TRANSITIONS: dict[Recommendation.Status, frozenset[Recommendation.Status]] = {
    _R.DRAFT: frozenset({_R.SENT, _R.WITHDRAWN}),
    _R.SENT: frozenset({_R.ANSWERED, _R.WITHDRAWN}),
    _R.ANSWERED: frozenset({_R.FOLLOW_UP, _R.IMPLEMENTED, _R.NOT_IMPLEMENTED}),
    _R.FOLLOW_UP: frozenset({_R.IMPLEMENTED, _R.NOT_IMPLEMENTED}),
    _R.IMPLEMENTED: frozenset(),
    _R.NOT_IMPLEMENTED: frozenset(),
    _R.WITHDRAWN: frozenset(),
}
# What the Border Guard sees: a recommendation once sent to it, and what followed.
SENT_STATUSES = frozenset({_R.SENT, _R.ANSWERED, _R.FOLLOW_UP, _R.IMPLEMENTED, _R.NOT_IMPLEMENTED})


class RecommendationStatusChange(models.Model):
    """A row per status change of a recommendation."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=16, choices=Recommendation.Status.choices)
    to_status = models.CharField(max_length=16, choices=Recommendation.Status.choices)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.from_status} -> {self.to_status}"


class MonitoringReport(models.Model):
    """The report of one mission in one language: drafted by a monitor, approved and published
    by the head of monitoring. Publishing stores the PDF; a published report never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("monitoring report", "draft")
        APPROVED = "approved", pgettext_lazy("monitoring report", "approved")
        PUBLISHED = "published", pgettext_lazy("monitoring report", "published")

    class Language(models.TextChoices):
        LV = "lv", "latviešu"
        EN = "en", "English"

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="reports")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    summary = EncryptedTextField(_("summary"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # The published PDF as it was published, and its SHA-256: what was published stays.
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-drafted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "language"], name="one_report_per_mission_language"
            )
        ]
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")

    def __str__(self) -> str:
        return f"MR-{self.pk}"


_M = MonitoringReport.Status
REPORT_TRANSITIONS: dict[MonitoringReport.Status, frozenset[MonitoringReport.Status]] = {
    _M.DRAFT: frozenset({_M.APPROVED}),
    _M.APPROVED: frozenset({_M.PUBLISHED, _M.DRAFT}),
    _M.PUBLISHED: frozenset(),
}
