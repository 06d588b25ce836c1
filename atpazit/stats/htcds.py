"""The de-identified case-level export, aligned with the Human Trafficking Case Data Standard.

One JSON object per suspicion of trafficking (the "case" of a possible victim) raised in a
chosen year, with HTCDS field names where HTCDS has the field (``cas_``, ``prs_``, ``vic_``),
the names of CTDC's k-anonymised dataset for its derived statistical fields (``ageBroad``,
``majorityStatus``, ``isForcedLabour``...) and an ``atp_`` prefix for what neither has (the
removal hold, the identification status, assistance). The mapping, field by field, with the
transformation and its reason, is ``docs/htcds-export.md``; the method is ADR 0023.

De-identification: no name, document number, free text, case number, database id or exact
date leaves; the age is a CTDC band at the time the suspicion was raised; dates are a year and
a month; every record has a random id drawn for this export only. Records whose combination
of quasi-identifiers (month, nationality, age band, sex, child/adult) is shared by fewer than
``ATPAZIT_STATS_MIN_CELL`` records are generalised step by step (nationality -> citizenship
group, age band -> child/adult, month -> year) until their released class holds at least k
records; what no step brings to k is withheld and counted (``plan_export``).

Streaming: two passes over the database, each a ``values()`` query read with
``.iterator(chunk_size=...)``; the first counts the quasi-identifier combinations (a counter
bounded by the number of distinct combinations, not by the rows), the second builds, validates
(pydantic, ``HtcdsRecord``) and writes one record at a time, loading the related rows of each
chunk of suspicions with one query per table. Nothing holds all rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Literal

import pycountry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Organisation
from atpazit.accounts.roles import OrganisationType
from atpazit.aftercare.models import Rehabilitation, ResidencePermit, ServiceDecision
from atpazit.audit.models import AuditEvent, Disclosure
from atpazit.audit.services import log_event, record_disclosure
from atpazit.cases.geo import KOSOVO, STATELESS, UNKNOWN_NATIONALITY
from atpazit.lib.errors import InvalidInput, NotAllowed, ServiceError
from atpazit.referrals.models import Consent, Referral, Suspicion
from atpazit.referrals.services import (
    HTCDS_CASE_STATUS,
    age_from_evidence,
    band_of_age,
    identification_status,
)
from atpazit.referrals.services.tracks import IdentificationStatus
from atpazit.reflection.models import ReflectionPeriod
from atpazit.screening.catalogue import CatalogueError, Form, get_catalogue
from atpazit.screening.models import ScreeningObservation, ScreeningSession
from atpazit.stats import disclosure
from atpazit.stats.disclosure import CITIZENSHIP_GROUPS, min_cell

EXPORT_PERMISSION = "stats.htcds:export"
# The disclosure log's purpose and data categories (audit/labels.py labels them).
DISCLOSURE_PURPOSE = "de-identified case-level statistics (HTCDS export)"
DISCLOSED_CATEGORIES = (
    "age_band",
    "sex",
    "nationality",
    "date",
    "child_path",
    "exploitation_form",
    "indicators",
    "hold",
    "referral_status",
    "identification_outcome",
    "identification_route",
    "reflection_period",
    "service_decision",
    "residence_or_return_decision",
)
FORMAT = "atpazit-htcds-export"
FORMAT_VERSION = 1
# Rows fetched per round trip, and suspicions whose related rows are loaded together.
CHUNK_SIZE = 2000
# Years an export may be asked for (the first suspicions the system can hold, and a bound).
FIRST_YEAR = 2000


# --- the vocabulary: our codes -> HTCDS / CTDC / Eurostat --------------------------------------

# HTCDS prs_Gender picklist. "other" is a person recorded as neither male nor female: HTCDS's
# one value for that is Transgender-NonConforming (docs/htcds-export.md).
GENDER = {
    "female": "Female",
    "male": "Male",
    "other": "Transgender-NonConforming",
    "unknown": "Unknown",
}
# HTCDS org_Type of the organisation that raised the suspicion (never its name).
ORGANISATION_TYPE = {
    OrganisationType.BORDER_GUARD: "ImmigrationService",
    OrganisationType.OMBUDSMAN: "CentralGovernmentOrganisation",
    OrganisationType.SERVICE_PROVIDER: "NGO",
    OrganisationType.POLICE: "LawEnforcement",
    OrganisationType.SIVA: "CentralGovernmentOrganisation",
    OrganisationType.ORPHANS_COURT: "LocalGovernmentOrganisation",
    OrganisationType.MINISTRY: "CentralGovernmentOrganisation",
    OrganisationType.LABOUR_INSPECTORATE: "CentralGovernmentOrganisation",
    OrganisationType.COLLEGE: "CentralGovernmentOrganisation",
    OrganisationType.DATA_PROTECTION: "CentralGovernmentOrganisation",
    OrganisationType.SYSTEM: "CentralGovernmentOrganisation",
}


@dataclass(frozen=True)
class FormMapping:
    """Where one form of exploitation of our catalogue lands in each vocabulary."""

    htcds: str  # vic_TypeOfExploitation
    labour_type: str | None  # vic_TypeOfLabourExploitation, for the forms HTCDS counts as labour
    eurostat: str  # Eurostat's three forms: sexual / labour / other
    ctdc: str  # the CTDC flag set to true


# Our catalogue's forms (screening.catalogue.Form) -> HTCDS, Eurostat and CTDC. ``unknown``
# maps to nothing: an empty list says "not specified".
FORMS: dict[str, FormMapping] = {
    Form.LABOUR: FormMapping("ForcedLabour", None, "labour", "isForcedLabour"),
    Form.SEXUAL: FormMapping("SexualExploitation", None, "sexual", "isSexualExploit"),
    Form.DOMESTIC_SERVITUDE: FormMapping(
        "ForcedLabour", "DomesticWork", "labour", "isForcedLabour"
    ),
    Form.BEGGING: FormMapping("ForcedLabour", "Begging", "other", "isForcedLabour"),
    Form.CRIMINALITY: FormMapping(
        "ForcedCriminality", "IllicitActivities", "other", "isOtherExploit"
    ),
    Form.SHAM_MARRIAGE: FormMapping("ForcedMarriage", None, "other", "isForcedMarriage"),
}
CTDC_FLAGS = ("isForcedLabour", "isSexualExploit", "isOtherExploit", "isForcedMarriage")

# Identification as Eurostat counts registered victims: identified, or presumed (a credible
# suspicion, not formally identified, including every track ended without a decision).
IDENTIFICATION = {
    IdentificationStatus.IDENTIFIED: "identified",
    IdentificationStatus.PENDING: "presumed",
    IdentificationStatus.NO_OUTCOME: "presumed",
    IdentificationStatus.NOT_IDENTIFIED: "not_identified",
}


def citizenship_group(alpha_2: str) -> str:
    """Eurostat's group (``stats.disclosure``, where "not known" (ZZ) is ``unknown``)."""
    return disclosure.citizenship_group(alpha_2)


# ISO 3166 leaves these to users; their alpha-3 forms are ICAO's (stateless) and the EC's.
_SPECIAL_ALPHA_3 = {STATELESS: "XXA", KOSOVO: "XKX", UNKNOWN_NATIONALITY: None}


@functools.lru_cache(maxsize=512)
def alpha_3(alpha_2: str) -> str | None:
    """ISO 3166-1 alpha-3 of a stored alpha-2 nationality; None when not known."""
    if not alpha_2:
        return None
    if alpha_2 in _SPECIAL_ALPHA_3:
        return _SPECIAL_ALPHA_3[alpha_2]
    country = pycountry.countries.get(alpha_2=alpha_2)
    return country.alpha_3 if country is not None else None


@functools.lru_cache(maxsize=32)
def _methods_of_control(version: str) -> Mapping[str, str]:
    """Indicator code -> HTCDS vic_MethodsOfControl code, for one catalogue release."""
    try:
        catalogue = get_catalogue(version)
    except CatalogueError:
        return {}
    return {indicator.code: indicator.htcds for indicator in catalogue if indicator.htcds}


# --- the record and its schema -------------------------------------------------------------------

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class Referred(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    track: Literal["provider", "police"]
    outcome: Literal[
        "sent",
        "accepted",
        "declined",
        "expired",
        "assessing",
        "recognised",
        "not_recognised",
        "withdrawn",
    ]


class Assistance(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    supportOffered: bool
    reflectionPeriod: bool
    serviceDecision: Literal["assigned", "queued", "refused"] | None
    rehabilitation: bool
    residencePermit: Literal["requested", "granted", "refused"] | None


class HtcdsRecord(BaseModel):
    """The schema every record passes before it is written (field names as in the JSON)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    recordId: str = Field(pattern=r"^[0-9a-f]{16}$")
    yearOfRegistration: int = Field(ge=FIRST_YEAR, le=9999)
    cas_IncomingReferralDate: str | None = Field(pattern=MONTH)
    cas_OutgoingReferralDate: str | None = Field(pattern=MONTH)
    cas_ReferringOrganisation: Literal[tuple(sorted(set(ORGANISATION_TYPE.values())))]  # type: ignore[valid-type]
    cas_Status: Literal["Active", "Closed", "ClosedReferred"]
    cas_ReasonForCaseClosure: Literal[tuple(Suspicion.ClosureReason.values)] | None  # type: ignore[valid-type]
    prs_Gender: Literal[tuple(GENDER.values())]  # type: ignore[valid-type]
    prs_Nationality: str | None = Field(pattern=r"^[A-Z]{3}$")
    citizenship: Literal[CITIZENSHIP_GROUPS]  # type: ignore[valid-type]
    ageBroad: str | None = Field(pattern=r"^(\d+-\d+|48\+|unknown)$")
    majorityStatus: Literal["Minor", "Adult"]
    vic_TypeOfExploitation: list[str]
    vic_TypeOfLabourExploitation: list[str]
    eurostatForm: list[Literal["sexual", "labour", "other"]]
    isForcedLabour: bool
    isSexualExploit: bool
    isOtherExploit: bool
    isForcedMarriage: bool
    vic_MethodsOfControl: list[str]
    atp_IndicatorsObserved: list[str]
    atp_Referrals: list[Referred]
    atp_ConsentToReferral: Literal["given", "refused", "not_asked", "not_required"]
    atp_IdentificationStatus: Literal["identified", "presumed", "not_identified"]
    atp_IdentificationRoutes: list[Literal["provider", "police"]]
    atp_Assistance: Assistance
    atp_HoldActive: bool
    atp_HoldDurationDays: int | None = Field(ge=0)
    atp_Generalisation: Literal[0, 1, 2, 3]


class RecordInvalid(ServiceError):
    """A record failed the schema: the export stops, naming the record and the field."""

    default_code = "htcds_record_invalid"


def validated(record: dict[str, Any], position: int) -> dict[str, Any]:
    """``record`` if it passes ``HtcdsRecord``; RecordInvalid naming the field otherwise."""
    try:
        HtcdsRecord.model_validate(record)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "record"
        raise RecordInvalid(
            _("Record %(position)s of the export is invalid: field %(field)s: %(problem)s")
            % {"position": position, "field": where, "problem": error["msg"]},
            field=where,
        ) from exc
    return record


# --- quasi-identifiers and the k-generalisation plan ---------------------------------------------

# A record's quasi-identifiers as read: (month, nationality alpha-2, age band, sex, minor).
Key = tuple[int, str, str, str, bool]
WITHHELD = 4


def _level_key(key: Key, level: int) -> tuple[Any, ...]:
    """What a record of ``key`` shows of its quasi-identifiers at ``level``:
    0 everything; 1 nationality as citizenship group; 2 and no age band; 3 and no month."""
    month, nationality, band, sex, minor = key
    if level == 0:
        return key
    group = citizenship_group(nationality)
    if level == 1:
        return (month, group, band, sex, minor)
    if level == 2:
        return (month, group, sex, minor)
    return (group, sex, minor)


def plan_levels(counts: Mapping[Key, int], k: int) -> dict[Key, int]:
    """The generalisation level of every combination: the least generalised level whose
    released class holds at least ``k`` records, counting in each class only the records
    released at that level (so a class of generalised records is never the few left over
    from a shown nationality); WITHHELD where even level 3 stays under k."""
    remaining = dict(counts)
    levels: dict[Key, int] = {}
    for level in range(WITHHELD):
        classes: Counter[tuple[Any, ...]] = Counter()
        for key, count in remaining.items():
            classes[_level_key(key, level)] += count
        for key in [key for key in remaining if classes[_level_key(key, level)] >= k]:
            levels[key] = level
            del remaining[key]
    levels.update(dict.fromkeys(remaining, WITHHELD))
    return levels


@dataclass
class ExportPlan:
    year: int
    k: int
    last_id: int
    counts: dict[Key, int]
    levels: dict[Key, int]
    generated_on: dt.date
    by_level: dict[int, int] = field(default_factory=dict)
    # Suspicions per Border Guard unit (the person's unit): whose data the export discloses.
    by_unit: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def withheld(self) -> int:
        return self.by_level.get(WITHHELD, 0)

    @property
    def released(self) -> int:
        return self.total - self.withheld

    def audit_details(self) -> dict[str, Any]:
        """Counts and the period only: never a value of any record."""
        return {
            "year": self.year,
            "k": self.k,
            "records": self.released,
            "withheld": self.withheld,
            "generalised": {str(level): self.by_level.get(level, 0) for level in (1, 2, 3)},
        }


# The columns both passes read: the person's quasi-identifiers (the date of birth is decrypted
# only to compute the age on the day; it is never written).
QI_FIELDS = (
    "id",
    "person__organisation_id",
    "raised_at",
    "child_path",
    "person__nationality",
    "person__sex",
    "person__date_of_birth",
    "person__birth_year",
    "person__stated_age",
)
RECORD_FIELDS = (
    *QI_FIELDS,
    "person_id",
    "closure_reason",
    "support_offered_on",
    "raised_by_organisation__type",
    "hold__started_at",
    "hold__released_at",
)


def _year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=zone)
    return start, dt.datetime(year + 1, 1, 1, tzinfo=zone)


def _suspicions(year: int) -> Any:
    start, end = _year_range(year)
    return Suspicion.objects.filter(raised_at__gte=start, raised_at__lt=end)


def qi_key(row: Mapping[str, Any]) -> Key:
    raised_on = timezone.localtime(row["raised_at"]).date()
    age = age_from_evidence(
        row["person__date_of_birth"],
        row["person__birth_year"],
        row["person__stated_age"],
        raised_on,
    )
    return (
        raised_on.month,
        row["person__nationality"] or "",
        band_of_age(age),
        row["person__sex"] or "unknown",
        bool(row["child_path"]),
    )


def check_year(year: int) -> None:
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise InvalidInput(
            {
                "year": [
                    _("Choose a year from %(first)s to %(last)s.")
                    % {"first": FIRST_YEAR, "last": today.year}
                ]
            }
        )


def plan_export(year: int, *, k: int | None = None) -> ExportPlan:
    """The first pass: count each quasi-identifier combination of ``year`` and plan its level."""
    check_year(year)
    k = min_cell() if k is None else k
    counts: Counter[Key] = Counter()
    by_unit: Counter[int] = Counter()
    last_id = 0
    for row in _suspicions(year).values(*QI_FIELDS).iterator(chunk_size=CHUNK_SIZE):
        counts[qi_key(row)] += 1
        by_unit[row["person__organisation_id"]] += 1
        last_id = max(last_id, row["id"])
    levels = plan_levels(counts, k)
    by_level: Counter[int] = Counter()
    for key, count in counts.items():
        by_level[levels[key]] += count
    return ExportPlan(
        year=year,
        k=k,
        last_id=last_id,
        counts=dict(counts),
        levels=levels,
        generated_on=timezone.localdate(),
        by_level=dict(by_level),
        by_unit=dict(by_unit),
    )


# --- the second pass: records ----------------------------------------------------------------------


def _month(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value.year:04d}-{value.month:02d}"


@dataclass
class _Related:
    """The related rows of one chunk of suspicions, by suspicion id."""

    referrals: dict[int, list[tuple[str, str, dt.datetime]]]
    consents: dict[int, str]
    reflection: set[int]
    service: dict[int, str]
    rehabilitation: set[int]
    residence: dict[int, str]
    forms: dict[int, set[str]]
    indicators: dict[int, set[str]]
    controls: dict[int, set[str]]


def _related(rows: list[dict[str, Any]]) -> _Related:
    ids = [row["id"] for row in rows]
    referrals: dict[int, list[tuple[str, str, dt.datetime]]] = defaultdict(list)
    for suspicion_id, track, status, sent_at in (
        Referral.objects.filter(suspicion_id__in=ids)
        .order_by()
        .values_list("suspicion_id", "track", "status", "sent_at")
    ):
        referrals[suspicion_id].append((track, status, sent_at))
    forms, indicators, controls = _screenings(rows)
    return _Related(
        referrals=referrals,
        # The newest record governs (referrals.models.Consent), as for SIVA and residence.
        consents=_newest(Consent, ids, "decision", "recorded_at", "pk"),
        reflection=_having(ReflectionPeriod, ids),
        service=_newest(ServiceDecision, ids, "decision", "decided_on", "pk"),
        rehabilitation=_having(Rehabilitation, ids),
        residence=_newest(ResidencePermit, ids, "status", "status_on", "pk"),
        forms=forms,
        indicators=indicators,
        controls=controls,
    )


def _newest(model: Any, ids: list[int], value: str, *order: str) -> dict[int, str]:
    """``value`` of the newest row of ``model`` per suspicion: rows come oldest first and a
    later one replaces an earlier one in the dict."""
    rows = model.objects.filter(suspicion_id__in=ids).order_by(*order)
    return dict(rows.values_list("suspicion_id", value))


def _having(model: Any, ids: list[int]) -> set[int]:
    """The suspicions of ``ids`` with a row of ``model``."""
    return set(
        model.objects.filter(suspicion_id__in=ids).order_by().values_list("suspicion_id", flat=True)
    )


def _screenings(
    rows: list[dict[str, Any]],
) -> tuple[dict[int, set[str]], dict[int, set[str]], dict[int, set[str]]]:
    """Forms, indicator codes and HTCDS methods of control of each suspicion: from the
    person's screenings started up to the moment the suspicion was raised."""
    by_person: dict[int, list[tuple[int, dt.datetime]]] = defaultdict(list)
    for row in rows:
        by_person[row["person_id"]].append((row["id"], row["raised_at"]))
    sessions = list(
        ScreeningSession.objects.filter(person_id__in=list(by_person))
        .order_by()
        .values_list("id", "person_id", "started_at", "exploitation_form", "catalogue_version")
    )
    observed: dict[int, set[str]] = defaultdict(set)
    for session_id, code in (
        ScreeningObservation.objects.filter(session_id__in=[s[0] for s in sessions])
        .order_by()
        .values_list("session_id", "indicator")
    ):
        observed[session_id].add(code)
    forms: dict[int, set[str]] = defaultdict(set)
    indicators: dict[int, set[str]] = defaultdict(set)
    controls: dict[int, set[str]] = defaultdict(set)
    for session_id, person_id, started_at, form, version in sessions:
        mapping = _methods_of_control(version)
        for suspicion_id, raised_at in by_person[person_id]:
            if started_at > raised_at:
                continue
            if form in FORMS:
                forms[suspicion_id].add(form)
            indicators[suspicion_id] |= observed[session_id]
            controls[suspicion_id] |= {
                mapping[code] for code in observed[session_id] if code in mapping
            }
    return forms, indicators, controls


def _hold_days(started: dt.datetime | None, released: dt.datetime | None, today: dt.date) -> int:
    if started is None:
        return 0
    end = timezone.localtime(released).date() if released else today
    return max(0, (end - timezone.localtime(started).date()).days)


def build_record(
    row: Mapping[str, Any], key: Key, level: int, related: _Related, today: dt.date
) -> dict[str, Any]:
    """One de-identified record at generalisation ``level`` (0-3)."""
    suspicion_id = row["id"]
    month, nationality, band, sex, minor = key
    tracks = related.referrals.get(suspicion_id, [])
    status = identification_status(
        Suspicion(), referrals=[Referral(track=track, status=st) for track, st, _at in tracks]
    )
    forms = sorted(related.forms.get(suspicion_id, ()))
    mapped = [FORMS[form] for form in forms]
    first_sent = min((sent for _t, _s, sent in tracks), default=None)
    closure = row["closure_reason"] or None
    consent = "not_required" if minor else related.consents.get(suspicion_id, "not_asked")
    dated = level < 3
    return {
        "recordId": secrets.token_hex(8),
        "yearOfRegistration": timezone.localtime(row["raised_at"]).year,
        "cas_IncomingReferralDate": _month(row["raised_at"]) if dated else None,
        "cas_OutgoingReferralDate": _month(first_sent) if dated else None,
        "cas_ReferringOrganisation": ORGANISATION_TYPE.get(
            row["raised_by_organisation__type"], "CentralGovernmentOrganisation"
        ),
        "cas_Status": HTCDS_CASE_STATUS[closure] if closure else "Active",
        "cas_ReasonForCaseClosure": closure,
        "prs_Gender": GENDER.get(sex, "Unknown"),
        "prs_Nationality": alpha_3(nationality) if level == 0 else None,
        "citizenship": citizenship_group(nationality),
        "ageBroad": band if level <= 1 else None,
        "majorityStatus": "Minor" if minor else "Adult",
        "vic_TypeOfExploitation": sorted({m.htcds for m in mapped}),
        "vic_TypeOfLabourExploitation": sorted({m.labour_type for m in mapped if m.labour_type}),
        "eurostatForm": sorted({m.eurostat for m in mapped}),
        **{flag: any(m.ctdc == flag for m in mapped) for flag in CTDC_FLAGS},
        "vic_MethodsOfControl": sorted(related.controls.get(suspicion_id, ())),
        "atp_IndicatorsObserved": sorted(related.indicators.get(suspicion_id, ())),
        "atp_Referrals": [
            {"track": track, "outcome": st} for track, st, _at in sorted(tracks, key=_by_sent)
        ],
        "atp_ConsentToReferral": consent,
        "atp_IdentificationStatus": IDENTIFICATION[status.code],
        "atp_IdentificationRoutes": list(status.routes),
        "atp_Assistance": {
            "supportOffered": row["support_offered_on"] is not None,
            "reflectionPeriod": suspicion_id in related.reflection,
            "serviceDecision": related.service.get(suspicion_id),
            "rehabilitation": suspicion_id in related.rehabilitation,
            "residencePermit": related.residence.get(suspicion_id),
        },
        "atp_HoldActive": row["hold__released_at"] is None,
        "atp_HoldDurationDays": (
            _hold_days(row["hold__started_at"], row["hold__released_at"], today) if dated else None
        ),
        "atp_Generalisation": level,
    }


def _by_sent(track: tuple[str, str, dt.datetime]) -> tuple[dt.datetime, str]:
    return (track[2], track[0])


class DataChanged(ServiceError):
    """The data changed between the two passes in a way that could shrink a class under k."""

    default_code = "htcds_data_changed"


def records(plan: ExportPlan) -> Iterator[dict[str, Any]]:
    """The second pass: every released record of ``plan``, validated, in a random order (the
    order of the rows must not tell when a generalised record was registered)."""
    rows = (
        _suspicions(plan.year)
        .filter(id__lte=plan.last_id)
        .order_by("?")
        .values(*RECORD_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    seen: Counter[Key] = Counter()
    position = 0
    while chunk := list(islice(rows, CHUNK_SIZE)):
        related = _related(chunk)
        for row in chunk:
            key = qi_key(row)
            level = plan.levels.get(key)
            if level is None:
                raise DataChanged(_("The data changed during the export; export again."))
            seen[key] += 1
            if level == WITHHELD:
                continue
            position += 1
            yield validated(build_record(row, key, level, related, plan.generated_on), position)
    if seen != Counter(plan.counts):
        raise DataChanged(_("The data changed during the export; export again."))


# --- the document: JSON, streamed ------------------------------------------------------------------


def header(plan: ExportPlan) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        "standard": "HTCDS (IOM Human Trafficking Case Data Standard), CTDC field names",
        "period": {"year": plan.year},
        "generatedOn": plan.generated_on.isoformat(),
        "minimumClassSize": plan.k,
        "recordCount": plan.released,
        "withheldRecords": plan.withheld,
    }


def stream_document(plan: ExportPlan, items: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """One JSON object: the header's keys, then ``"records": [...]``, written record by record.
    A failure part-way stops the stream before the closing brackets, so a broken download is
    never valid JSON."""
    opening = json.dumps(header(plan), ensure_ascii=False)
    yield (opening[:-1] + ', "records": [').encode()
    separator = "\n"
    for record in items:
        yield (separator + json.dumps(record, ensure_ascii=False)).encode()
        separator = ",\n"
    yield b"\n]}\n"


# --- the service -------------------------------------------------------------------------------------


@dataclass
class HtcdsExport:
    plan: ExportPlan
    filename: str

    def chunks(self) -> Iterator[bytes]:
        """The document, a record at a time; a failure is audited, then raised."""
        try:
            yield from stream_document(self.plan, records(self.plan))
        except ServiceError as exc:
            log_event(
                "stats.htcds_export_failed",
                outcome=AuditEvent.Outcome.FAILURE,
                details={
                    "year": self.plan.year,
                    "reason": exc.code,
                    "field": getattr(exc, "field", None) or "",
                },
            )
            raise


def start_htcds_export(*, actor: Actor, year: int) -> HtcdsExport:
    """Plan the export of ``year``, audit it (counts and the period, never a value) and record
    in the disclosure log, for each unit whose cases are in it, that de-identified case-level
    data left it for the actor's organisation. The records are written by ``chunks()``."""
    if actor.organisation is None or not actor.can(EXPORT_PERMISSION):
        raise NotAllowed(_("Your role does not allow this."))
    plan = plan_export(year)
    with transaction.atomic():
        event = log_event("stats.htcds_exported", details=plan.audit_details())
        units = Organisation.objects.filter(pk__in=list(plan.by_unit)).order_by("pk")
        for unit in units:
            record_disclosure(
                from_organisation=unit,
                to_organisation=actor.organisation,
                subject=event,
                legal_basis=Disclosure.LegalBasis.LAW,
                purpose=DISCLOSURE_PURPOSE,
                data_categories=list(DISCLOSED_CATEGORIES),
                recorded_by=actor.user,
            )
    return HtcdsExport(plan=plan, filename=f"htcds-{year}.json")
