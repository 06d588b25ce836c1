"""Screening sessions: who screened whom, when, in which languages, what they recorded, the
assessment exactly as the engine computed it, and the screener's decision (DESIGN.md §3 step 2).

A session stores the catalogue version and the full assessment JSON, so an old screening always
displays as it was computed, whatever catalogue is current (DESIGN.md §5). The engine's
recommendation is advice; the decision names a person and a reason (I2). Notes and the
interpreter's name are encrypted at the field level; who may read them is decided in
``selectors.py`` (the screener's organisation only).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from atpazit.accounts.models import Organisation
from atpazit.cases.models import Person
from atpazit.lib.fields import EncryptedCharField, EncryptedTextField
from atpazit.lib.person_languages import PERSON_LANGUAGES, language_name, native_name
from atpazit.screening.catalogue import AgeGroup, Form, Stage
from atpazit.screening.engine import EvidenceSource, Recommendation
from atpazit.screening.reasons import (
    AGE_GROUP_LABELS,
    EVIDENCE_SOURCE_LABELS,
    FORM_LABELS,
    RECOMMENDATION_LABELS,
    STAGE_LABELS,
)

# The catalogue's working languages: prompts and guidance exist in exactly these.
PROMPT_LANGUAGES = [("lv", _("Latvian")), ("en", _("English")), ("ru", _("Russian"))]


def _person_language_label(code: str) -> str:
    """ "arābu (العربية)": the name in the interface language, then the language's own name."""
    return f"{language_name(code)} ({native_name(code)})"


# The languages the prompts can be shown to the person in: the working languages, then the
# person languages (screening/translations.py; a release offers those it has a translation for).
PERSON_PROMPT_LANGUAGES = [
    *PROMPT_LANGUAGES,
    *((code, lazy(_person_language_label, str)(code)) for code in PERSON_LANGUAGES),
]

# The labels live in reasons.py (gettext_noop), so the engine, the CLI and the pages share one
# translation; here they are translated lazily for model choices.
STAGE_CHOICES = [(stage.value, _(STAGE_LABELS[stage])) for stage in Stage]
AGE_GROUP_CHOICES = [(age.value, _(AGE_GROUP_LABELS[age])) for age in AgeGroup]
FORM_CHOICES = [(form.value, _(FORM_LABELS[form])) for form in Form]
SOURCE_CHOICES = [(source.value, _(EVIDENCE_SOURCE_LABELS[source])) for source in EvidenceSource]
RECOMMENDATION_CHOICES = [
    (recommendation.value, _(RECOMMENDATION_LABELS[recommendation]))
    for recommendation in Recommendation
]


class Decision(models.TextChoices):
    """What the screener decides, having read the engine's advice (I2)."""

    NO_ACTION = "no_action", _("no action")
    RESCREEN = "rescreen_next_stage", _("re-screen at the next stage")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("refer to the State Labour Inspectorate")
    # R7's advice taken: a closer interview and a call to a provider before the person leaves;
    # the case officer is asked to defer the departure until it is done (advice, not a hold).
    INTERVIEW_BEFORE_DEPARTURE = (
        "interview_before_departure",
        _("interview now, before departure, and call a provider"),
    )
    RAISE_SUSPICION = "raise_suspicion", _("raise a suspicion of trafficking")


class ScreeningSession(models.Model):
    """One screening of one person at one stage of the removal, by one screener."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="screenings")
    screener = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("screener"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("screener's organisation"),
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    # Set when the decision is recorded; an open session (NULL) can still be edited.
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=24, choices=STAGE_CHOICES)

    # The language the person speaks in the interview (ISO 639-1, any language), the language
    # the prompts are shown to them (or their interpreter) in, and the screener's own language.
    interview_language = models.CharField(_("language of the interview"), max_length=8)
    prompt_language = models.CharField(
        _("prompts shown to the person in"), max_length=2, choices=PERSON_PROMPT_LANGUAGES
    )
    officer_language = models.CharField(_("your language"), max_length=2, choices=PROMPT_LANGUAGES)
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    interpreter_name = EncryptedCharField(_("interpreter"), max_length=200, blank=True)

    # The profile as requested; the engine may make it a child profile from the facts (I4).
    age_group = models.CharField(
        _("age group"), max_length=8, choices=AGE_GROUP_CHOICES, default=AgeGroup.ADULT.value
    )
    exploitation_form = models.CharField(
        _("form of exploitation"), max_length=24, choices=FORM_CHOICES, default=Form.UNKNOWN.value
    )
    # The person facts the engine read, as they were at the last evaluation.
    person_age = models.PositiveSmallIntegerField(_("age used"), null=True, blank=True)
    age_disputed = models.BooleanField(_("age disputed"), default=False)
    suspected_of_offence = models.BooleanField(_("suspected of an offence"), default=False)

    catalogue_version = models.CharField(_("catalogue version"), max_length=16)
    # engine.assessment_to_dict() exactly as computed; rendered with assessment_from_dict().
    assessment = models.JSONField(_("assessment"), default=dict)
    # A copy of assessment["recommendation"], so lists, panels and the pre-departure check can
    # filter on it without reading the JSON.
    recommendation = models.CharField(
        _("recommendation"), max_length=40, choices=RECOMMENDATION_CHOICES
    )

    decision = models.CharField(_("decision"), max_length=32, choices=Decision.choices, blank=True)
    decision_reason = EncryptedTextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    # Optimistic concurrency: every write bumps it; a stale form is refused (I8).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "completed_at"], name="screening_person_completed"),
            models.Index(fields=["organisation", "-started_at"], name="screening_org_started"),
            models.Index(fields=["screener", "completed_at"], name="screening_screener_open"),
            # The statistics count the screenings decided in a period by these keys
            # (stats.selectors): the index alone answers, without reading the table.
            models.Index(
                fields=[
                    "completed_at",
                    "person",
                    "stage",
                    "organisation",
                    "recommendation",
                    "decision",
                ],
                name="screening_completed",
            ),
        ]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return f"screening {self.pk} of {self.person_id}"

    @property
    def is_open(self) -> bool:
        """True until the decision is recorded; only then is the session final."""
        return self.completed_at is None

    @property
    def source_reference(self) -> str:
        """How holds and suspicions refer back to this session."""
        return f"screening:{self.pk}"


class ScreeningObservation(models.Model):
    """One indicator recorded in a session, with where it came from and an encrypted note."""

    session = models.ForeignKey(
        ScreeningSession, on_delete=models.CASCADE, related_name="observations"
    )
    indicator = models.CharField(_("indicator"), max_length=8)
    source = models.CharField(_("source"), max_length=16, choices=SOURCE_CHOICES)
    stage = models.CharField(_("stage"), max_length=24, choices=STAGE_CHOICES)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["session", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "indicator"], name="unique_screening_observation"
            )
        ]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self) -> str:
        return f"{self.session_id}:{self.indicator}"


class InterviewDraft(models.Model):
    """The interview form as the screener left it, saved at every change before "Save" (issue 11):
    a closed tab, a dead battery or a click on the menu loses nothing.

    One per open session. ``answers`` is the form's own fields (ticks, sources, notes, profile,
    decision and reason) as JSON, encrypted like the notes it holds. ``revision`` counts the
    saves: a window that sends a stale revision is refused (``drafts.DraftConflict``, I8), so two
    windows or devices never overwrite each other silently. "Save" and the decision delete it in
    their own transaction: from then on the session itself is the record.
    """

    session = models.OneToOneField(ScreeningSession, on_delete=models.CASCADE, related_name="draft")
    answers = EncryptedTextField(_("unsaved answers"))
    revision = models.PositiveIntegerField(default=1)
    # The session's version the draft was made against (the form's hidden ``version``).
    session_version = models.PositiveIntegerField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved"))

    class Meta:
        verbose_name = _("interview draft")
        verbose_name_plural = _("interview drafts")

    def __str__(self) -> str:
        return f"draft {self.revision} of screening {self.session_id}"
