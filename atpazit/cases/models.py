"""Persons in a return procedure, their status history, and removal holds (invariant I1).

Identity fields are encrypted at the field level; lists, notifications and exports show only the
pseudonymous case number. Names are searched through keyed blind indexes (PersonNameToken).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atpazit.accounts.models import Organisation
from atpazit.lib.fields import EncryptedCharField, EncryptedTextField


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", _("other")
    UNKNOWN = "unknown", _("not known")


class DetentionCentre(models.TextChoices):
    DAUGAVPILS = "daugavpils", _("Daugavpils accommodation centre for detained foreigners")
    MUCENIEKI = "mucenieki", _("Mucenieki accommodation centre for detained foreigners")
    OTHER = "other", _("other place")


class ReturnDecisionType(models.TextChoices):
    DEPARTURE_ORDER = "departure_order", _("departure order")
    FORCED_REMOVAL = "forced_removal", _("forced-removal decision")


class AppealStatus(models.TextChoices):
    NONE = "none", _("not appealed")
    PENDING = "pending", _("appeal pending")
    DISMISSED = "dismissed", _("appeal dismissed")
    UPHELD = "upheld", _("appeal upheld")


class Person(models.Model):
    """A foreigner in a return procedure, registered by a Border Guard unit."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        REMOVAL_PLANNED = "removal_planned", _("removal planned")
        DEPARTED = "departed", _("departed")
        RELEASED = "released", _("released from the procedure")
        CLOSED = "closed", pgettext_lazy("return case", "closed")

    case_number = models.CharField(_("case number"), max_length=20, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="persons",
        verbose_name=_("Border Guard unit"),
    )
    # Blank allowed: some people have a single name, recorded as the family name.
    given_names = EncryptedCharField(_("given names"), max_length=200, blank=True)
    family_name = EncryptedCharField(_("family name"), max_length=200)
    aliases = EncryptedTextField(_("other names used"), blank=True)
    document_numbers = EncryptedTextField(_("identity document numbers"), blank=True)
    date_of_birth = EncryptedCharField(_("date of birth"), max_length=10, blank=True)
    # Year of birth in clear: enough for the child path and statistics, far less identifying.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    stated_age = models.PositiveSmallIntegerField(_("stated age"), null=True, blank=True)
    age_disputed = models.BooleanField(_("age disputed"), default=False)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    nationality = models.CharField(
        _("nationality"), max_length=2, help_text=_("ISO 3166-1 alpha-2")
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    contact_details = EncryptedTextField(_("contact details"), blank=True)

    detention_centre = models.CharField(
        _("detention centre"), max_length=16, choices=DetentionCentre.choices, blank=True
    )
    detention_place_other = models.CharField(
        _("other place of detention"), max_length=200, blank=True
    )
    detained_since = models.DateField(_("detained since"), null=True, blank=True)
    detention_court_order_on = models.DateField(
        _("court order on detention"), null=True, blank=True
    )

    return_decision_type = models.CharField(
        _("return decision"), max_length=20, choices=ReturnDecisionType.choices, blank=True
    )
    return_decision_reference = models.CharField(_("decision reference"), max_length=64, blank=True)
    return_decision_date = models.DateField(_("decision date"), null=True, blank=True)
    voluntary_departure_until = models.DateField(
        _("voluntary departure until"), null=True, blank=True
    )
    appeal_status = models.CharField(
        _("appeal status"), max_length=12, choices=AppealStatus.choices, default=AppealStatus.NONE
    )
    planned_removal_date = models.DateField(_("planned removal date"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    # Records linked as one human (cases.matching): every record of the group points at the
    # group's first record (itself included); None while the record stands alone. A hold on
    # any record of the group applies to all of them (I1).
    identity_root = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Optimistic concurrency: every save through a service bumps it; a stale form is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The list filters by status (and often nationality) and sorts by newest first:
            # one range of this index serves the count and the page (its prefix serves
            # status-only filters).
            models.Index(
                fields=["organisation", "status", "nationality", "created_at", "id"],
                name="cases_person_org_st_nat_cr",
            ),
            models.Index(fields=["organisation", "-created_at"], name="cases_person_org_created"),
            models.Index(fields=["planned_removal_date"]),
            models.Index(fields=["nationality"]),
            models.Index(fields=["detention_centre"]),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.case_number


# The status flow, as data (house style: HOPE's GENERAL_STATUS_FLOW). A move not listed here is
# refused by ``services.change_status``; moves into REMOVAL_STEPS also pass the hold guard (I1).
TRANSITIONS: dict[str, frozenset[str]] = {
    Person.Status.REGISTERED: frozenset(
        {Person.Status.REMOVAL_PLANNED, Person.Status.RELEASED, Person.Status.CLOSED}
    ),
    Person.Status.REMOVAL_PLANNED: frozenset(
        {
            Person.Status.REGISTERED,
            Person.Status.DEPARTED,
            Person.Status.RELEASED,
            Person.Status.CLOSED,
        }
    ),
    Person.Status.DEPARTED: frozenset({Person.Status.CLOSED}),
    Person.Status.RELEASED: frozenset({Person.Status.REGISTERED, Person.Status.CLOSED}),
    Person.Status.CLOSED: frozenset({Person.Status.REGISTERED}),
}
REMOVAL_STEPS = frozenset({Person.Status.REMOVAL_PLANNED, Person.Status.DEPARTED})
# Statuses in which the person is still in the procedure (detention alerts, dashboards).
OPEN_STATUSES = frozenset({Person.Status.REGISTERED, Person.Status.REMOVAL_PLANNED})


class CaseNumberCounter(models.Model):
    """The last case number given out in a year. Incremented under a row lock, so numbers are
    unique; a rolled-back registration may leave a gap, which is harmless."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class PersonRevision(models.Model):
    """Which fields one save changed, and who saved it: what a concurrency conflict reports.

    Field names only, never values: the values stay in the encrypted row and the audit trail.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    fields = models.JSONField(default=list)

    class Meta:
        ordering = ["person", "version"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="unique_person_revision")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} v{self.version}"


class PersonNameToken(models.Model):
    """One keyed blind index per name word, so names are searchable without decrypting rows."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "token"], name="unique_name_token")
        ]
        # A name search reads each word's posting list (person ids) from this index alone.
        indexes = [models.Index(fields=["token", "person"], name="cases_nametoken_token_person")]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.token[:8]}"


class IdentityKey(models.Model):
    """One keyed identity key of a person (``cases.identity``): a name word's exact, sound or
    fuzzy form, the date of birth or a document number. Candidates for a match are found by
    shared tokens, never by decrypting names. ``birth_year`` repeats the person's (kept in
    clear anyway) so a lookup reads only the years near the person's own."""

    class Kind(models.TextChoices):
        EXACT = "exact", "exact"
        SOUND = "sound", "sound"
        SOUND_SHORT = "sound2", "short sound"
        FUZZY = "fuzzy", "fuzzy"
        FUZZY_SHORT = "fuzzy2", "short fuzzy"
        BIRTH = "dob", "date of birth"
        DOCUMENT = "doc", "document"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identity_keys")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    word = models.PositiveSmallIntegerField(default=0)
    token = models.CharField(max_length=64)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["token", "birth_year", "person"], name="cases_idkey_token_year"),
            models.Index(fields=["person"], name="cases_idkey_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.kind}:{self.token[:8]}"


class IdentityDecision(models.Model):
    """A case officer's decision about a likely match: the two records are one person (then
    they are linked, see ``Person.identity_root``) or they are different people. One row per
    pair (``person`` has the lower id). "Same" is final; "different" may later become "same"."""

    class Decision(models.TextChoices):
        SAME = "same", _("the same person")
        DIFFERENT = "different", _("different people")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    other = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = EncryptedTextField(_("reason"))
    decided_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "other"], name="unique_identity_decision"),
            models.CheckConstraint(
                condition=models.Q(person__lt=models.F("other")), name="identity_decision_ordered"
            ),
        ]
        indexes = [models.Index(fields=["other"], name="cases_iddecision_other")]

    def __str__(self) -> str:
        return f"{self.person_id}~{self.other_id}: {self.decision}"


class PersonStatusChange(models.Model):
    """A row per status change (history is data, not a log line)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Person.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Person.Status.choices)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    reason = EncryptedTextField(_("reason"), blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.from_status} -> {self.to_status}"


class HoldQuerySet(models.QuerySet["Hold"]):
    def active(self) -> HoldQuerySet:
        """Holds not yet ended by a release decision: each one stops the removal (I1)."""
        return self.filter(released_at__isnull=True)


class Hold(models.Model):
    """A removal hold (I1). While one is active the person cannot be put on a manifest, marked
    departed, or have a removal confirmed. It ends only by a recorded release decision."""

    class Cause(models.TextChoices):
        MANUAL = "manual", _("manual hold by the Border Guard")
        SUSPICION = "suspicion", _("suspicion of trafficking raised")
        REFERRAL = "referral", _("referral for identification pending")
        REFLECTION_PERIOD = "reflection_period", _("reflection period")
        RECOGNISED = "recognised", _("recognised as a victim")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="holds")
    cause = models.CharField(_("cause"), max_length=20, choices=Cause.choices)
    # What created the hold (e.g. "screening:123", "referral:45"), for later release conditions.
    cause_reference = models.CharField(max_length=64, blank=True)
    reason = EncryptedTextField(_("reason"), blank=True)
    # A reason the system wrote (cases/reasons.py): a code and its parameters, shown in the
    # reader's language; ``reason`` then stays empty. A person's own reason is in ``reason``.
    reason_code = models.CharField(max_length=40, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    release_reason = EncryptedTextField(_("reason for release"), blank=True)
    release_decision_reference = models.CharField(
        _("release decision reference"), max_length=64, blank=True
    )

    objects = HoldQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["person", "released_at"]),
            # The statistics count the holds started in a period (stats.selectors).
            models.Index(fields=["started_at"], name="hold_started"),
        ]
        verbose_name = _("removal hold")
        verbose_name_plural = _("removal holds")

    def __str__(self) -> str:
        return f"hold {self.pk} on {self.person_id} ({self.cause})"

    @property
    def is_active(self) -> bool:
        return self.released_at is None

    def reason_text(self) -> str:
        """Why the hold was placed, in the active language (cases/reasons.py)."""
        from atpazit.cases.reasons import render_hold_reason

        return render_hold_reason(self.reason_code, self.reason_params, self.reason)


class AgeChangeReason(models.TextChoices):
    """Why the age evidence no longer puts a person on the child path (ADR 0021): a fixed list,
    stored as the code; an optional note adds detail."""

    DOCUMENT = "identity_document", _("a genuine identity document shows the age")
    AGE_ASSESSMENT = "age_assessment", _("an age assessment found the person an adult")
    COURT_DECISION = "court_decision", _("a decision of a court or authority on the age")
    ENTRY_ERROR = "entry_error", _("the age was entered wrongly (typing error)")


class AgeChange(models.Model):
    """A change of the age evidence that takes a person off the child path (I4) while they are
    on a removal operation that has not departed: it waits for a second, different case officer
    of the unit (four eyes, ADR 0021). Until confirmed, the person's record is unchanged, so the
    person stays a child (or of disputed age) for every rule. ``proposed`` and ``before`` are
    the age fields (JSON, encrypted: the date of birth is personal data); confirming is refused
    when the record's age fields no longer match ``before``. Status flow: AGE_CHANGE_TRANSITIONS.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a second case officer")
        CONFIRMED = "confirmed", _("confirmed by a second case officer")
        DECLINED = "declined", _("declined by a second case officer")
        WITHDRAWN = "withdrawn", _("withdrawn by the proposer")
        STALE = "stale", _("stale: the age evidence changed after the proposal")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="age_changes")
    proposed = EncryptedTextField()
    before = EncryptedTextField()
    reason_code = models.CharField(_("reason"), max_length=32, choices=AgeChangeReason.choices)
    note = EncryptedTextField(_("note"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            # One change waits per person: two officers racing to propose cannot both stand.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="pending"),
                name="cases_one_pending_age_change",
            )
        ]
        verbose_name = _("change of age evidence")
        verbose_name_plural = _("changes of age evidence")

    def __str__(self) -> str:
        return f"age change {self.pk} of {self.person_id} ({self.status})"


_A = AgeChange.Status
AGE_CHANGE_TRANSITIONS: dict[str, frozenset[str]] = {
    _A.PENDING: frozenset({_A.CONFIRMED, _A.DECLINED, _A.WITHDRAWN, _A.STALE}),
    _A.CONFIRMED: frozenset(),
    _A.DECLINED: frozenset(),
    _A.WITHDRAWN: frozenset(),
    _A.STALE: frozenset(),
}
